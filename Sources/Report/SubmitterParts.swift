import Core
import Load
import Foundation
import Store

/// Each submitter's share of the year's outputs, rendered once and kept in
/// `state/report/<year>.parts`: its rows of `by_submitter.csv` and `findings.csv` (one block a
/// severity), its row of the HTML appendix table. A part is reused while the submitter's result
/// digest (and last year's, for the ▲ marks) is the one it was rendered from, so resubmitting one
/// county renders one county.
///
/// The file is a log: a rerun appends the parts it rendered (a later record of a name replaces
/// an earlier one, an empty source removes it), and the whole is rewritten once it holds twice
/// what is live. A part is written as soon as it is stored, and its rows of `by_submitter.csv`
/// (most of its bytes) are kept as a span of the file rather than in memory: a nation's rows
/// wait on disk until the export is written from them. A pure cache: lost, damaged or stale,
/// parts are rendered again.
struct SubmitterParts: Sendable {
    struct Part: Sendable {
        /// What the part was rendered from: the result digests of this year and the last.
        var source: String
        var hasFeedback: Bool
        /// Its rows of `by_submitter.csv`: in memory when rendered, a span of the log once stored.
        var csv: ByteChunks.Piece
        /// Findings rows by severity, in `Severity.allCases` order.
        var findings: [ArraySlice<UInt8>]
        var html: ArraySlice<UInt8>
    }

    let path: String
    /// What every part depends on besides its submitter: the configuration and the format.
    let layout: String
    private var parts: [ByteString: Part] = [:]
    /// Records in the stored file, live or replaced; nil when it is to be written whole (it is
    /// missing, of another layout or damaged).
    private(set) var records: Int?
    /// The file parts are appended to as they are stored: the stored file itself, or when that is
    /// to be written whole, a new one beside it that ``save()`` renames into place.
    private var log: BackgroundAppend?
    /// Where the next record begins: the log's end once every record given to it is written.
    private var logEnd = 0
    /// Records not yet given to the log: handed over a megabyte at a time.
    private var pending = ByteChunks()
    /// Names whose live record is in a new log (the rest are copied into it when it is saved).
    private var logged: Set<ByteString> = []
    /// Why a part could not be written: it then stays in memory, and ``save()`` reports the error.
    private var failure: FileError?
    private var changed = false

    private static let magic = "disclosure-parts-2"

    private init(path: String, layout: String) {
        self.path = path
        self.layout = layout
    }

    subscript(key key: ByteString) -> Part? { parts[key] }

    var keys: Dictionary<ByteString, Part>.Keys { parts.keys }

    var hasChanges: Bool { changed || records == nil }

    /// Keeps a rendered part and gives it to the log: its rows then wait on disk, not in memory
    /// (read them only after ``flush()``).
    mutating func store(_ key: ByteString, _ part: Part) {
        changed = true
        parts[key] = write(key, part) ?? part
    }

    /// Forgets a name's part (a submitter no longer current).
    mutating func remove(_ key: ByteString) {
        guard parts.removeValue(forKey: key) != nil else { return }
        changed = true
        // A record of its removal where an earlier record of it would be read back.
        if records != nil || logged.contains(key) { _ = write(key, nil) }
    }

    /// Appends a record of the name to the log (written on the log's own thread: ``flush()``
    /// waits for it); the part as stored (its rows a span of the log), or nil when no log could
    /// be opened.
    private mutating func write(_ key: ByteString, _ part: Part?) -> Part? {
        guard failure == nil else { return nil }
        let log: BackgroundAppend
        do throws(FileError) { log = try openLog() } catch {
            failure = error
            return nil
        }
        let (record, csvAt) = Self.record(key, part)
        for piece in record.pieces { pending.append(piece) }
        if pending.count >= 1 << 20 {
            log.append(pending)
            pending = ByteChunks()
        }
        defer { logEnd += record.count }
        if records != nil { records! += 1 } else if part == nil { logged.remove(key) } else { logged.insert(key) }
        guard var part else { return nil }
        part.csv = .span(FileIO.Span(file: log.file, offset: logEnd + csvAt, count: part.csv.count))
        return part
    }

    /// Waits until every stored part is on disk (before any part's rows are read); throws when
    /// the log could not be written.
    mutating func flush() throws(FileError) {
        if let log {
            log.append(pending)
            pending = ByteChunks()
            try log.settle()
        }
        if let failure { throw failure }
    }

    /// The log, begun as a new file beside the stored one (renamed into place when saved) when
    /// there is none yet.
    private mutating func openLog() throws(FileError) -> BackgroundAppend {
        if let log { return log }
        try FileIO.makeDirectories(String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)]))
        let file = try FileIO.OpenFile.created(path + ".new")
        let top = Array((Self.magic + "\n" + layout + "\n").utf8)
        try file.append(ByteChunks(top))
        (log, logEnd) = (BackgroundAppend(file), top.count)
        return log!
    }

    /// The stored parts: none when the file is missing or of another layout; those before the
    /// first damaged record when it is damaged (an append cut short). Only the heads and the
    /// small blobs are read: each part's rows stay in the file as a span.
    static func load(_ path: String, layout: String) -> SubmitterParts {
        var out = SubmitterParts(path: path, layout: layout)
        let writable = try? FileIO.OpenFile.appending(path)
        guard let file = writable ?? (try? FileIO.OpenFile.reading(path)), let size = try? file.size() else { return out }
        var cursor = Cursor(file: file, size: size)
        guard cursor.line() == magic, cursor.line() == layout else { return out }
        var records = 0
        while !cursor.atEnd {
            guard let head = cursor.numbers(), head.count == 8,
                  let name = cursor.take(head[0]), let source = cursor.take(head[1]),
                  let csv = cursor.skip(head[3]), let e = cursor.take(head[4]), let w = cursor.take(head[5]),
                  let n = cursor.take(head[6]), let html = cursor.take(head[7]) else {
                return out  // written whole next time, past the damage
            }
            out.parts[ByteString(name)] = source.isEmpty ? nil : Part(
                source: String(decoding: source, as: UTF8.self), hasFeedback: head[2] == 1,
                csv: .span(FileIO.Span(file: file, offset: csv, count: head[3])), findings: [e, w, n], html: html)
            records += 1
        }
        out.records = records
        // Appended to in place, when it can be written.
        if writable != nil { (out.log, out.logEnd) = (BackgroundAppend(file), size) } else { out.records = nil }
        return out
    }

    /// Finishes the file (after ``flush()``): a new one gets the live parts it lacks and is
    /// renamed into place; a log holding more than twice what is live is written again whole.
    /// The parts are not used after.
    func save() throws(FileError) {
        var parts = self
        try parts.flush()
        guard hasChanges else { return }
        if records == nil {
            _ = try parts.openLog()
            for name in parts.parts.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) where !parts.logged.contains(name) {
                _ = parts.write(name, parts.parts[name])
            }
            try parts.flush()
            try FileIO.rename(path + ".new", to: path)
            return
        }
        guard records! > 2 * max(parts.parts.count, 64) else { return }
        var out = ByteChunks(Array((Self.magic + "\n" + layout + "\n").utf8))
        for name in parts.parts.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            for piece in Self.record(name, parts.parts[name]).bytes.pieces { out.append(piece) }
        }
        try FileIO.write(out, to: path)
    }

    /// A record: its head line, the name, the source and the part's blobs; and where in it the
    /// rows begin.
    private static func record(_ name: ByteString, _ part: Part?) -> (bytes: ByteChunks, csvAt: Int) {
        let empty = ArraySlice<UInt8>()
        let findings = part?.findings ?? [empty, empty, empty]
        let html = part?.html ?? empty
        let name = name.utf8, source = Array((part?.source ?? "").utf8)
        let counts = [name.count, source.count, part?.hasFeedback == true ? 1 : 0, part?.csv.count ?? 0]
            + findings.map(\.count) + [html.count]
        var head = Array(counts.map(String.init).joined(separator: " ").utf8)
        head.append(0x0A)
        head += name
        head += source
        var out = ByteChunks(head)
        if let part { out.append(part.csv) }
        for b in findings + [html] { out.append(b) }
        return (out, head.count)
    }

    /// Reads a stored file from its start: small reads at the heads, the rows stepped over.
    private struct Cursor {
        let file: FileIO.OpenFile
        let size: Int
        /// Bytes of the file from `start`.
        var buffer: [UInt8] = []
        var start = 0
        /// The file offset of the next byte.
        var at = 0

        var atEnd: Bool { at >= size }

        /// Whether the `n` bytes from `at` lie in the buffer, read into it when they do not.
        mutating func ensure(_ n: Int) -> Bool {
            if at >= start, at + n <= start + buffer.count { return true }
            guard at + n <= size, let bytes = try? file.read(at: at, upTo: max(n, 1 << 12)), bytes.count >= n else { return false }
            (buffer, start) = (bytes, at)
            return true
        }

        mutating func line() -> String? {
            guard ensure(min(size - at, 1 << 12)) else { return nil }
            let from = at - start
            guard let end = buffer[from...].firstIndex(of: 0x0A) else { return nil }
            at = start + end + 1
            return String(decoding: buffer[from..<end], as: UTF8.self)
        }

        /// A line of space-separated decimal numbers; nil when it holds anything else.
        mutating func numbers() -> [Int]? {
            guard ensure(min(size - at, 256)) else { return nil }
            var out: [Int] = []
            out.reserveCapacity(8)
            var n = 0, digits = 0
            var i = at - start
            while i < buffer.count {
                let b = buffer[i]
                i += 1
                if b >= 0x30 && b <= 0x39 {
                    guard digits < 18 else { return nil }
                    n = n * 10 + Int(b - 0x30)
                    digits += 1
                } else if b == 0x20 || b == 0x0A {
                    guard digits > 0 else { return nil }
                    out.append(n)
                    n = 0
                    digits = 0
                    if b == 0x0A {
                        at = start + i
                        return out
                    }
                } else {
                    return nil
                }
            }
            return nil
        }

        /// The next `n` bytes, in storage of their own (a part outlives the buffer).
        mutating func take(_ n: Int) -> ArraySlice<UInt8>? {
            guard n >= 0, ensure(n) else { return nil }
            defer { at += n }
            return n == 0 ? [] : ArraySlice(Array(buffer[(at - start)..<(at - start + n)]))
        }

        /// Steps over the next `n` bytes: where they begin.
        mutating func skip(_ n: Int) -> Int? {
            guard n >= 0, at + n <= size else { return nil }
            defer { at += n }
            return at
        }
    }
}
