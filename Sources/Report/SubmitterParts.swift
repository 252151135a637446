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
/// what is live. A pure cache: lost, damaged or stale, parts are rendered again.
struct SubmitterParts: Sendable {
    struct Part: Sendable {
        /// What the part was rendered from: the result digests of this year and the last.
        var source: String
        var hasFeedback: Bool
        var csv: ArraySlice<UInt8>
        /// Findings rows by severity, in `Severity.allCases` order.
        var findings: [ArraySlice<UInt8>]
        var html: ArraySlice<UInt8>
    }

    /// What every part depends on besides its submitter: the configuration and the format.
    var layout: String
    private(set) var parts: [ByteString: Part] = [:]
    /// Records in the file, live or replaced; nil when the file must be written whole.
    private(set) var records: Int?
    private var changed: Set<ByteString> = []

    private static let magic = "disclosure-parts-2"

    init(layout: String) { self.layout = layout }

    subscript(key key: ByteString) -> Part? {
        get { parts[key] }
        set {
            parts[key] = newValue
            changed.insert(key)
        }
    }

    var keys: Dictionary<ByteString, Part>.Keys { parts.keys }

    var hasChanges: Bool { !changed.isEmpty || records == nil }

    /// The stored parts: none when the file is missing or of another layout; those before the
    /// first damaged record when it is damaged (an append cut short).
    static func load(_ path: String, layout: String) -> SubmitterParts {
        var out = SubmitterParts(layout: layout)
        guard let bytes = try? FileIO.read(path) else { return out }
        var cursor = Cursor(bytes: bytes)
        guard cursor.line() == magic, cursor.line() == layout else { return out }
        var records = 0
        while !cursor.atEnd {
            guard let head = cursor.numbers(), head.count == 8,
                  let name = cursor.take(head[0]), let source = cursor.take(head[1]),
                  let csv = cursor.take(head[3]), let e = cursor.take(head[4]), let w = cursor.take(head[5]),
                  let n = cursor.take(head[6]), let html = cursor.take(head[7]) else {
                out.records = nil  // written whole next time, past the damage
                return out
            }
            out.parts[ByteString(name)] = source.isEmpty ? nil : Part(source: String(decoding: source, as: UTF8.self), hasFeedback: head[2] == 1,
                                                         csv: csv, findings: [e, w, n], html: html)
            records += 1
        }
        out.records = records
        return out
    }

    /// Appends what changed, or writes the whole file when it is new or mostly replaced records
    /// (the parts' own bytes in sequence: a province's parts are not copied into one buffer).
    func save(_ path: String) throws(FileError) {
        guard hasChanges else { return }
        var out = ByteChunks()
        if let records, records + changed.count <= 2 * max(parts.count, 64) {
            for name in changed.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) { Self.append(name, parts[name], to: &out) }
            try FileIO.append(out.joined, to: path)
            return
        }
        out.append(Array((Self.magic + "\n" + layout + "\n").utf8))
        for name in parts.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) { Self.append(name, parts[name], to: &out) }
        try FileIO.write(out, to: path)
    }

    private static func append(_ name: ByteString, _ part: Part?, to out: inout ByteChunks) {
        let empty = ArraySlice<UInt8>()
        let blobs = part.map { [$0.csv] + $0.findings + [$0.html] } ?? [empty, empty, empty, empty, empty]
        let name = name.utf8, source = Array((part?.source ?? "").utf8)
        var head = Array(([name.count, source.count, part?.hasFeedback == true ? 1 : 0] + blobs.map(\.count)).map(String.init).joined(separator: " ").utf8)
        head.append(0x0A)
        head += name
        head += source
        out.append(head)
        for b in blobs { out.append(b) }
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
            out.reserveCapacity(8)
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

        mutating func take(_ n: Int) -> ArraySlice<UInt8>? {
            guard n >= 0, at + n <= bytes.count else { return nil }
            defer { at += n }
            return bytes[at..<at + n]
        }
    }
}
