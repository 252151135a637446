import Dispatch

/// Appends to an open file on a thread of its own, in the order given: the caller goes on while
/// its bytes are written (a report renders the next bodies while the last ones' rows go to
/// disk). At most `bound` appends wait at once, so the bytes held for them stay bounded.
public final class BackgroundAppend: @unchecked Sendable {
    public let file: FileIO.OpenFile
    private let queue = DispatchQueue(label: "disclosure.append")
    private let room: DispatchSemaphore
    private let failure = Locked<FileError?>(nil)

    public init(_ file: FileIO.OpenFile, bound: Int = 4) {
        self.file = file
        room = DispatchSemaphore(value: max(bound, 1))
    }

    /// Queues the pieces to be written at the end of the file (after every earlier append);
    /// waits first while `bound` appends are queued. Once one has failed, the rest are dropped.
    public func append(_ chunks: ByteChunks) {
        guard chunks.count > 0 else { return }
        room.wait()
        queue.async { [self] in
            if failure.value == nil {
                do throws(FileError) { try file.append(chunks) } catch { failure.update { $0 = $0 ?? error } }
            }
            room.signal()
        }
    }

    /// Waits for every append queued so far; throws the first that failed.
    public func settle() throws(FileError) {
        queue.sync {}
        if let error = failure.value { throw error }
    }
}
