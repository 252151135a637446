import Core
import Dispatch
import Foundation
import Store

/// An XML document's bytes as its parser reads them, a chunk at a time, from memory or from an
/// open file: hashed on the way, every start tag checked before the parser sees it (see
/// ``StartTagScan``), and cut off past the size limit. A large item list is streamed, never held.
///
/// From a file, the reading, hashing and checking run on another thread a few chunks ahead of
/// the parser (libxml2 parses on this one), so that a 1 GB export costs the parse and little
/// more. ``oversized``, ``failure``, ``tooLarge`` and ``bytesRead`` are final once ``stop()``
/// (or ``finish()``) has returned.
final class XMLSource: @unchecked Sendable {
    private let memory: [UInt8]?
    private let file: FileIO.OpenFile?
    private var offset = 0
    private let limit: Int
    private var hasher = SHA256()
    private var scan = StartTagScan()
    private(set) var failure: FileError?
    private(set) var tooLarge = false
    private(set) var bytesRead = 0

    // The read-ahead (file only): `ring` chunks handed from the reader thread to the parser.
    static let chunkSize = 1 << 20
    static let ringSize = 4
    private var ring: [[UInt8]] = []
    /// Bytes in each chunk; 0 the end of the file, -1 stop the parser (the chunk failed a check).
    private var filled: [Int] = []
    private let free = DispatchSemaphore(value: XMLSource.ringSize)
    private let ready = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    private let cancelled = Locked(false)
    private var started = false
    private var stopped = false
    // The parser's side.
    private var taking = 0
    private var takenOffset = 0
    private var holding = false
    private var ended: Int32?

    init(bytes: [UInt8]) {
        memory = bytes
        file = nil
        limit = .max
    }

    /// - Parameter size: the file's size when opened. A small file (a platform report, a few
    ///   KB) is read on the parser's thread: a thread and its chunks would cost more than they save.
    init(file: FileIO.OpenFile, limit: Int, size: Int) {
        memory = nil
        self.file = file
        self.limit = limit
        readsAhead = size > 2 * Self.chunkSize
    }

    /// Whether the file is read on a thread of its own (see ``init(file:limit:size:)``).
    private var readsAhead = false

    var oversized: StartTagScan.Oversized? { scan.found }

    /// Fills `buffer`: the bytes given, 0 at the end, -1 to stop the parser.
    func read(into buffer: UnsafeMutableRawBufferPointer) -> Int32 {
        if readsAhead { return take(into: buffer) }
        guard failure == nil, !tooLarge, scan.found == nil else { return -1 }
        let n: Int
        if let memory {
            n = min(buffer.count, memory.count - offset)
            if n > 0 { memory.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress! + offset, byteCount: n) } }
            offset += n
        } else {
            do { n = try file!.read(into: buffer) } catch {
                failure = error
                return -1
            }
        }
        let chunk = UnsafeRawBufferPointer(start: buffer.baseAddress, count: n)
        hasher.update(chunk)
        bytesRead += n
        if bytesRead > limit { tooLarge = true; return -1 }
        if !scan.scan(chunk) { return -1 }
        return Int32(n)
    }

    /// The parser's side of the read-ahead: copies from the chunk in hand, taking the next when it is used up.
    private func take(into buffer: UnsafeMutableRawBufferPointer) -> Int32 {
        if let ended { return ended }
        if !started { start() }
        if holding && takenOffset == filled[taking % Self.ringSize] {
            holding = false
            taking += 1
            free.signal()
        }
        if !holding {
            ready.wait()
            holding = true
            takenOffset = 0
            let n = filled[taking % Self.ringSize]
            if n <= 0 {
                ended = n == 0 ? 0 : -1
                return ended!
            }
        }
        let slot = taking % Self.ringSize
        let n = min(buffer.count, filled[slot] - takenOffset)
        ring[slot].withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress! + takenOffset, byteCount: n) }
        takenOffset += n
        return Int32(n)
    }

    private func start() {
        started = true
        ring = Array(repeating: [UInt8](repeating: 0, count: Self.chunkSize), count: Self.ringSize)
        filled = Array(repeating: 0, count: Self.ringSize)
        // A thread of its own, not a pooled one: the parser waits on it, and the pool's threads
        // may all be parsers (the extract reads files on every core).
        let thread = Thread { [self] in
            produce()
            finished.signal()
        }
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// The reader thread: each chunk read, hashed and checked, then handed over; past a failed
    /// check (or once the parser has stopped) the rest of the file is only hashed.
    private func produce() {
        var k = 0
        while true {
            free.wait()
            if cancelled.value { break }
            let slot = k % Self.ringSize
            let file = file!
            let read = ring[slot].withUnsafeMutableBytes { b in Result { () throws(FileError) -> Int in try file.read(into: b) } }
            guard case .success(let n) = read else {
                if case .failure(let error) = read { failure = error }
                filled[slot] = -1
                ready.signal()
                return
            }
            bytesRead += n
            if bytesRead > limit {
                tooLarge = true
                filled[slot] = -1
                ready.signal()
                return
            }
            let passed = ring[slot].withUnsafeBytes { chunk in
                hasher.update(UnsafeRawBufferPointer(rebasing: chunk[..<n]))
                return scan.scan(UnsafeRawBufferPointer(rebasing: chunk[..<n]))
            }
            filled[slot] = passed ? n : -1
            ready.signal()
            if n == 0 { return }
            if !passed { break }
            k += 1
        }
        drain()
    }

    /// Reads and hashes what the parser will never see, so that the hash covers the whole file.
    private func drain() {
        guard let file, failure == nil, !tooLarge else { return }
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = (try? chunk.withUnsafeMutableBytes { try file.read(into: $0) }) ?? 0
            if n == 0 { break }
            hasher.update(chunk[0..<n])
            bytesRead += n
        }
    }

    /// Ends the read-ahead (the parser is done with the document, to its end or not) and waits
    /// for the reader thread, which hashes the rest of the file first.
    func stop() {
        guard !stopped else { return }
        stopped = true
        guard file != nil else { return }
        guard readsAhead && started else {
            drain()
            return
        }
        cancelled.update { $0 = true }
        free.signal()
        finished.wait()
    }

    /// The document's SHA-256, once read to its end (what the parser left is read here).
    func finish() -> String {
        stop()
        return hasher.finalize()
    }
}
