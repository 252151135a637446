import Core

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A ``TSV`` state file kept as its raw lines, for a run that touches a few records of many: it
/// parses only the records it selects and writes every other line back byte for byte (one
/// submitter's resubmission need not parse and re-encode a province's 1,500 records).
/// Records are in the byte order of their first field, as the state files are written.
public struct TSVLines: Sendable {
    public let header: String
    private let bytes: [UInt8]
    /// Each record line, without its line break.
    private let lines: [Range<Int>]

    /// Nil when the file is missing or empty.
    public init?(_ bytes: [UInt8]) {
        guard let header = TSV.header(of: bytes), let end = bytes.firstIndex(of: 0x0A) else { return nil }
        self.header = header
        self.bytes = bytes
        lines = Self.lineRanges(bytes, from: end + 1)
    }

    /// The numbers of the lines whose field `column` is `value`, or whose first field is one of `keys`.
    public func select(column: Int, equals value: String, orKeyIn keys: Set<String> = []) -> [Int] {
        let wanted = TSV.escaped(value)
        let wantedKeys = Set(keys.map(TSV.escaped))
        return bytes.withUnsafeBufferPointer { b in
            lines.indices.filter { n in
                let line = lines[n]
                if let field = Self.field(column, of: line, in: b), field.count == wanted.count,
                   wanted.withUnsafeBufferPointer({ w in memcmp(b.baseAddress! + field.lowerBound, w.baseAddress!, w.count) == 0 }) {
                    return true
                }
                guard !wantedKeys.isEmpty, let key = Self.field(0, of: line, in: b) else { return false }
                return wantedKeys.contains(Array(b[key]))
            }
        }
    }

    /// The fields of line `n`, unescaped.
    public func fields(_ n: Int) -> [String] {
        bytes[lines[n]].split(separator: 0x09, omittingEmptySubsequences: false).map(TSV.unescape)
    }

    /// The file with the given lines taken out and `rows` put in, in the byte order of their first
    /// fields, under `header`.
    public func replacing(lines removed: [Int], with rows: [[String]], header: String) -> [UInt8] {
        let removed = Set(removed)
        let added = TSV.text(header: "", rows: rows)  // a leading empty line, then the rows in their order
        let addedLines = Self.lineRanges(added, from: 0)
        var order = addedLines.sorted { added[$0].lexicographicallyPrecedes(added[$1]) }[...]
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + added.count)
        out.appendTabEscaped(header)
        out.append(0x0A)
        for (n, line) in lines.enumerated() where !removed.contains(n) {
            while let next = order.first, added[next].lexicographicallyPrecedes(bytes[line]) {
                out += added[next]
                out.append(0x0A)
                order.removeFirst()
            }
            out += bytes[line]
            out.append(0x0A)
        }
        for next in order {
            out += added[next]
            out.append(0x0A)
        }
        return out
    }

    /// The non-empty lines of `bytes` from `start` on, without their line breaks.
    private static func lineRanges(_ bytes: [UInt8], from start: Int) -> [Range<Int>] {
        var lines: [Range<Int>] = []
        bytes.withUnsafeBufferPointer { b in
            var start = start
            for i in start..<b.count where b[i] == 0x0A {
                if i > start { lines.append(start..<i) }
                start = i + 1
            }
            if start < b.count { lines.append(start..<b.count) }
        }
        return lines
    }

    private static func field(_ column: Int, of line: Range<Int>, in b: UnsafeBufferPointer<UInt8>) -> Range<Int>? {
        var start = line.lowerBound
        var k = 0
        var i = start
        while i < line.upperBound {
            if b[i] == 0x09 {
                if k == column { return start..<i }
                k += 1
                start = i + 1
            }
            i += 1
        }
        return k == column ? start..<line.upperBound : nil
    }
}
