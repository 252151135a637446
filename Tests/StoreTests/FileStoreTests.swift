import Dispatch
import Foundation
import TestSupport
import Testing
@testable import Store

struct FileStoreTests {
    let root = Scratch.directory.appendingPathComponent("filestore-\(UUID().uuidString)").path

    /// Pieces of every size around the writer's gathering and the reader's 64 KB buffer, one of
    /// them empty, so that a comparison crosses piece and buffer boundaries everywhere.
    private var pieces: [[UInt8]] {
        [1, 0, 7, 65_535, 65_537, 300_000, 3, 131_072, 40_000].enumerated().map { i, n in
            (0..<n).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ i) }
        }
    }

    @Test func chunksAreWrittenAndComparedAsTheirJoinedBytes() throws {
        try FileIO.makeDirectories(root)
        var chunks = ByteChunks()
        for p in pieces { chunks.append(p) }
        let joined = pieces.flatMap { $0 }
        #expect(chunks.count == joined.count)
        #expect(try chunks.joined() == joined)

        let path = root + "/by_submitter.csv"
        try FileIO.write(chunks, to: path)
        #expect(try FileIO.read(path) == joined)
        #expect(FileIO.holds(chunks, at: path))

        // One byte changed deep inside one piece, the size unchanged: not the same file.
        var changed = ByteChunks()
        for (i, p) in pieces.enumerated() {
            var q = p
            if i == 5 { q[200_000] ^= 0xFF }
            changed.append(q)
        }
        #expect(!FileIO.holds(changed, at: path))
        // Same bytes, cut into other pieces: the same file.
        var recut = ByteChunks()
        var at = 0
        while at < joined.count {
            let n = min(joined.count - at, 12_345)
            recut.append(joined[at..<at + n])
            at += n
        }
        #expect(FileIO.holds(recut, at: path))
        // One byte short: not the same file.
        var short = ByteChunks()
        short.append(joined.dropLast())
        #expect(!FileIO.holds(short, at: path))

        try FileIO.replaceContents(changed, at: path)
        #expect(FileIO.holds(changed, at: path))
        #expect(!FileIO.holds(chunks, at: path))
    }

    /// Another open file (a span of it never extends one of another file).
    private func copyTarget() throws -> FileIO.OpenFile {
        try FileIO.write(Array(repeating: 0x41, count: 64), to: root + "/other.log")
        return try FileIO.OpenFile.reading(root + "/other.log")
    }

    @Test func spansOfAnOpenFileAreWrittenAndComparedAmongMemoryPieces() throws {
        try FileIO.makeDirectories(root)
        // A log of every piece one after the other, appended through the open file.
        let log = try FileIO.OpenFile.created(root + "/parts.log")
        var offsets: [Int] = []
        var end = 0
        for p in pieces {
            offsets.append(end)
            try log.append(ByteChunks(p))
            end += p.count
        }
        #expect(try log.size() == end)
        // Odd pieces from the log, even ones from memory.
        var mixed = ByteChunks()
        for (i, p) in pieces.enumerated() {
            if i % 2 == 1 { mixed.append(.span(FileIO.Span(file: log, offset: offsets[i], count: p.count))) } else { mixed.append(p) }
        }
        let joined = pieces.flatMap { $0 }
        #expect(mixed.count == joined.count)
        #expect(try mixed.joined() == joined)

        let path = root + "/by_submitter.csv"
        try FileIO.write(mixed, to: path)
        #expect(try FileIO.read(path) == joined)
        #expect(FileIO.holds(mixed, at: path))
        // A span one byte further on: other bytes, the same size.
        var shifted = ByteChunks()
        shifted.append(.span(FileIO.Span(file: log, offset: 1, count: joined.count - 1)))
        shifted.append([joined.last!])
        #expect(!FileIO.holds(shifted, at: path))
        // A file that grew past the pieces is not the same file.
        try FileIO.append([0x0A], to: path)
        #expect(!FileIO.holds(mixed, at: path))
        // Spans that follow one another in the same file are one piece.
        var adjacent = ByteChunks()
        adjacent.append(.span(FileIO.Span(file: log, offset: 0, count: 10)))
        adjacent.append(.span(FileIO.Span(file: log, offset: 10, count: 20)))
        adjacent.append(.span(FileIO.Span(file: try copyTarget(), offset: 30, count: 5)))
        adjacent.append(.span(FileIO.Span(file: log, offset: 40, count: 5)))
        #expect(adjacent.pieces.count == 3)
        #expect(adjacent.count == 40)
        // Appended to a file open for appending (where the kernel refuses to copy): the same bytes.
        let copy = try FileIO.OpenFile.created(root + "/copy.log")
        try copy.append(mixed)
        #expect(try FileIO.read(root + "/copy.log") == joined)
        // A span past the log's end is an error, never a short file.
        var past = ByteChunks()
        past.append(.span(FileIO.Span(file: log, offset: end - 10, count: 20)))
        #expect(throws: FileError.self) { try FileIO.write(past, to: root + "/past.csv") }
        #expect(FileIO.status(root + "/past.csv") == nil)
        // A large span (copied inside the kernel) past the end: an error as well.
        var pastLarge = ByteChunks()
        pastLarge.append(.span(FileIO.Span(file: log, offset: end - 10, count: 400_000)))
        #expect(throws: FileError.self) { try FileIO.write(pastLarge, to: root + "/past.csv") }
        #expect(FileIO.status(root + "/past.csv") == nil)
    }

    @Test func aReadWaitsOnlyForTheWritesThatTouchItsFile() throws {
        let files = FileStore(state: root + "/state")
        try FileIO.makeDirectories(root + "/state/staging")
        try FileIO.write(Array("index of transform".utf8), to: root + "/state/transform.tsv")
        // A slow write of the staging folder, held until the test lets it go.
        let release = DispatchSemaphore(value: 0)
        files.later(touching: root + "/state/staging") { () throws(FileError) in
            release.wait()
            try FileIO.write(Array("staged".utf8), to: root + "/state/staging/shard-000.jsonl")
        }
        // Another file is read at once, while that write is still pending.
        let reader = DispatchQueue(label: "reader")
        let other = Locked<[UInt8]?>(nil)
        let otherDone = DispatchSemaphore(value: 0)
        reader.async {
            other.update { $0 = try? files.read(root + "/state/transform.tsv") ?? [] }
            otherDone.signal()
        }
        let waited = otherDone.wait(timeout: .now() + 5)
        #expect(waited == .success)
        if waited == .timedOut {
            release.signal()
            otherDone.wait()
            return
        }
        #expect(other.value == Array("index of transform".utf8))
        // A file in the folder being written is read after the write.
        let read = Locked<[UInt8]?>(nil)
        let done = DispatchSemaphore(value: 0)
        reader.async {
            read.update { $0 = try? files.read(root + "/state/staging/shard-000.jsonl") ?? [] }
            done.signal()
        }
        #expect(done.wait(timeout: .now() + 0.3) == .timedOut)
        release.signal()
        done.wait()
        #expect(read.value == Array("staged".utf8))
        try files.settle()
    }

    @Test func aFailedBackgroundWriteIsThrownFromTheNextReadOfAnyFile() throws {
        let files = FileStore(state: root + "/state")
        try FileIO.makeDirectories(root + "/state")
        files.later(touching: root + "/state/gone") { () throws(FileError) in
            try FileIO.write([1, 2, 3], to: root + "/state/missing-folder/file")
        }
        // Once the job has failed, a read of an untouched file reports it rather than losing it.
        var thrown = false
        for _ in 0..<100 {
            do { _ = try files.read(root + "/state/other") } catch { thrown = true; break }
            usleep(10_000)
        }
        #expect(thrown)
        #expect(throws: FileError.self) { try files.settle() }
    }
}
