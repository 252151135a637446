import Core
import Store

/// An XML document's bytes as its parser reads them, a chunk at a time, from memory or from an
/// open file: hashed on the way, every start tag checked before the parser sees it (see
/// ``StartTagScan``), and cut off past the size limit. A large item list is streamed, never held.
final class XMLSource {
    private let memory: [UInt8]?
    private let file: FileIO.ReadHandle?
    private var offset = 0
    private let limit: Int
    private var hasher = SHA256()
    private var scan = StartTagScan()
    private(set) var failure: FileError?
    private(set) var tooLarge = false
    private(set) var bytesRead = 0

    init(bytes: [UInt8]) {
        memory = bytes
        file = nil
        limit = .max
    }

    init(file: FileIO.ReadHandle, limit: Int) {
        memory = nil
        self.file = file
        self.limit = limit
    }

    var oversized: StartTagScan.Oversized? { scan.found }

    /// Fills `buffer`: the bytes given, 0 at the end, -1 to stop the parser.
    func read(into buffer: UnsafeMutableRawBufferPointer) -> Int32 {
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

    /// Reads what the parser left (it may stop early), so that the hash covers the whole file.
    func finish() -> String {
        if let file, failure == nil, !tooLarge {
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                let n = (try? chunk.withUnsafeMutableBytes { try file.read(into: $0) }) ?? 0
                if n == 0 { break }
                hasher.update(chunk[0..<n])
                bytesRead += n
            }
        }
        return hasher.finalize()
    }
}
