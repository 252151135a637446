import Core
import Load
import Foundation
import Store

/// Each submitter's share of the year's outputs, rendered once and kept: its rows of
/// `by_submitter.csv`, its rows of `findings.csv` (one block a severity) and its row of the HTML
/// appendix table. A part is reused while the submitter's result digest (and last year's, for
/// the ▲ marks) is the one it was rendered from, so resubmitting one county renders one county.
///
/// A part's rows are never kept twice: the exports themselves are where a rerun finds them.
/// `state/report/<year>.parts` records, for each part, its source, its HTML row and where its
/// rows lie in `by_submitter.csv` and `findings.csv`, with each export's size, inode and time; an
/// export changed since (by hand, or by a run cut short) leaves no part reusable.
/// Rows rendered in a run go to `<year>.parts.rows` as they are made (a nation's rows wait on
/// disk, not in memory), which begins with the export's header: a first run's rows, in order,
/// are the whole export, and that file is moved into place instead of being copied. A pure
/// cache: lost, damaged or stale, parts are rendered again.
struct SubmitterParts: Sendable {
    struct Part: Sendable {
        /// What the part was rendered from: the result digests of this year and the last.
        var source: String
        var hasFeedback: Bool
        /// Its rows of `by_submitter.csv`: in memory when rendered, then a span of the rows file
        /// (rendered this run) or of the export (reused).
        var csv: ByteChunks.Piece
        /// Findings rows by severity, in `Severity.allCases` order: in memory when rendered, a span
        /// of `findings.csv` when reused.
        var findings: [ByteChunks.Piece]
        var html: ArraySlice<UInt8>
    }

    let path: String
    /// What every part depends on besides its submitter: the configuration and the format.
    let layout: String
    /// The export's header row: the rows file begins with it.
    let header: [UInt8]
    private var parts: [ByteString: Part] = [:]
    /// True when the parts were read from a stored file whose export is as it was written.
    private(set) var isStored = false
    /// The rows rendered this run, written on a thread of their own.
    private var rows: BackgroundAppend?
    private var rowsEnd = 0
    /// Rows not yet given to `rows`: handed over a megabyte at a time.
    private var pending = ByteChunks()
    /// Why the rows file could not be begun: parts then keep their rows in memory, and
    /// ``flush()`` (before any export is written) reports it.
    private var failure: FileError?
    private var changed = false

    private static let magic = "disclosure-parts-3"

    private init(path: String, layout: String, header: [UInt8]) {
        self.path = path
        self.layout = layout
        self.header = header
    }

    /// Where the rows rendered in a run are written.
    var rowsPath: String { path + ".rows" }

    subscript(key key: ByteString) -> Part? { parts[key] }

    var keys: Dictionary<ByteString, Part>.Keys { parts.keys }

    var hasChanges: Bool { changed || !isStored }

    /// Keeps a rendered part; its rows go to the rows file (read them only after ``flush()``).
    mutating func store(_ key: ByteString, _ part: Part) {
        changed = true
        var part = part
        if case .bytes(let bytes) = part.csv, failure == nil {
            do throws(FileError) {
                let file = try openRows()
                pending.append(bytes)
                part.csv = .span(FileIO.Span(file: file.file, offset: rowsEnd, count: bytes.count))
                rowsEnd += bytes.count
                if pending.count >= 1 << 20 {
                    file.append(pending)
                    pending = ByteChunks()
                }
            } catch {
                failure = error
            }
        }
        parts[key] = part
    }

    /// Forgets a name's part (a submitter no longer current).
    mutating func remove(_ key: ByteString) {
        if parts.removeValue(forKey: key) != nil { changed = true }
    }

    /// The rows file, begun with the export's header when there is none yet (``load`` removed
    /// what an earlier run left at its path).
    private mutating func openRows() throws(FileError) -> BackgroundAppend {
        if let rows { return rows }
        try FileIO.makeDirectories(String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)]))
        let file = try FileIO.OpenFile.created(rowsPath)
        try file.append(ByteChunks(header))
        (rows, rowsEnd) = (BackgroundAppend(file), header.count)
        return rows!
    }

    /// Waits until every stored part's rows are on disk (before any part's rows are read);
    /// throws when they could not be written.
    mutating func flush() throws(FileError) {
        if let rows {
            rows.append(pending)
            pending = ByteChunks()
            try rows.settle()
        }
        if let failure { throw failure }
    }

    /// The export's header: the start of the rows file when there is one (so that a first run's
    /// export is that file from its first byte to its last).
    var headerPiece: ByteChunks.Piece {
        rows.map { .span(FileIO.Span(file: $0.file, offset: 0, count: header.count)) } ?? .bytes(header[...])
    }

    /// True when `export` is the rows file whole: it can be moved into place as it is.
    func isRowsFile(_ export: ByteChunks) -> Bool {
        guard let rows, export.pieces.count == 1, case .span(let s) = export.pieces[0] else { return false }
        return s.file === rows.file && s.offset == 0 && s.count == rowsEnd
    }

    /// The stored parts: none when the file is missing, damaged or of another layout, or when
    /// the export is not the one it describes. Each part's rows are a span of the export.
    static func load(_ path: String, layout: String, export: String, findingsExport: String, header: [UInt8]) -> SubmitterParts {
        var out = SubmitterParts(path: path, layout: layout, header: header)
        // Rows a run cut short left (as large as the export) go now, whether or not this run renders.
        unlink(out.rowsPath)
        guard let bytes = try? FileIO.read(path), let file = try? FileIO.OpenFile.reading(export), let status = file.status(),
              let findingsFile = try? FileIO.OpenFile.reading(findingsExport), let findingsStatus = findingsFile.status() else {
            return out
        }
        var cursor = Cursor(bytes: bytes)
        guard cursor.line() == magic, cursor.line() == layout, cursor.line() == identity(status),
              cursor.line() == identity(findingsStatus) else { return out }
        var parts: [ByteString: Part] = [:]
        while !cursor.atEnd {
            // name, source, feedback; the rows' offset and count; each severity's; the HTML row.
            guard let head = cursor.numbers(), head.count == 12, head[3] + head[4] <= status.size,
                  stride(from: 5, to: 11, by: 2).allSatisfy({ head[$0] + head[$0 + 1] <= findingsStatus.size }),
                  let name = cursor.take(head[0]), let source = cursor.take(head[1]), let html = cursor.take(head[11]) else {
                return out
            }
            parts[ByteString(name)] = Part(
                source: String(decoding: source, as: UTF8.self), hasFeedback: head[2] == 1,
                csv: .span(FileIO.Span(file: file, offset: head[3], count: head[4])),
                findings: stride(from: 5, to: 11, by: 2).map { .span(FileIO.Span(file: findingsFile, offset: head[$0], count: head[$0 + 1])) },
                html: html)
        }
        out.parts = parts
        out.isStored = true
        return out
    }

    /// What an export is, as the stored file records it: its size, inode and time.
    private static func identity(_ status: FileIO.Status) -> String {
        "\(status.size) \(status.identity.device):\(status.identity.inode) \(status.modified)"
    }

    /// The file recording the parts against the exports now written (`export`'s status, that of
    /// `by_submitter.csv`), each part's rows at its offset there (`offsets`, in `order`); removes
    /// the rows file if it was not moved into place. Written whole: it holds no rows, only where
    /// they are. The parts are not used after.
    /// - Parameter findingOffsets: where each part's findings rows of each severity begin in
    ///   `findings.csv` (`findingsExport`), in `order`.
    func saved(export: FileIO.Status, findingsExport: FileIO.Status, order: [ByteString], offsets: [Int],
               findingOffsets: [[Int]]) throws(FileError) -> [UInt8] {
        if let failure { throw failure }
        unlink(rowsPath)
        var out = Array((Self.magic + "\n" + layout + "\n" + Self.identity(export) + "\n" + Self.identity(findingsExport) + "\n").utf8)
        for (k, name) in order.enumerated() {
            guard let part = parts[name] else { continue }
            // The line of counts, written digit by digit: a province's parts are a few thousand lines.
            func count(_ n: Int, last: Bool = false) {
                out.appendDecimal(n)
                out.append(last ? 0x0A : 0x20)
            }
            count(name.utf8.count)
            count(part.source.utf8.count)
            count(part.hasFeedback ? 1 : 0)
            count(offsets[k])
            count(part.csv.count)
            for (at, block) in zip(findingOffsets[k], part.findings) {
                count(at)
                count(block.count)
            }
            count(part.html.count, last: true)
            out += name.utf8
            out += part.source.utf8
            out += part.html
        }
        return out
    }

    private struct Cursor {
        let bytes: [UInt8]
        var at = 0

        var atEnd: Bool { at >= bytes.count }

        mutating func line() -> String? {
            guard let end = bytes[at...].firstIndex(of: 0x0A) else { return nil }
            defer { at = end + 1 }
            return String(decoding: bytes[at..<end], as: UTF8.self)
        }

        /// A line of space-separated decimal numbers; nil when it holds anything else.
        mutating func numbers() -> [Int]? {
            var out: [Int] = []
            out.reserveCapacity(12)
            var n = 0, digits = 0
            while at < bytes.count {
                let b = bytes[at]
                at += 1
                if b >= 0x30 && b <= 0x39 {
                    guard digits < 18 else { return nil }
                    n = n * 10 + Int(b - 0x30)
                    digits += 1
                } else if b == 0x20 || b == 0x0A {
                    guard digits > 0 else { return nil }
                    out.append(n)
                    n = 0
                    digits = 0
                    if b == 0x0A { return out }
                } else {
                    return nil
                }
            }
            return nil
        }

        /// The next `n` bytes (of the file's, which the parts keep: it holds nothing else they do not need).
        mutating func take(_ n: Int) -> ArraySlice<UInt8>? {
            guard n >= 0, at + n <= bytes.count else { return nil }
            defer { at += n }
            return bytes[at..<at + n]
        }
    }
}
