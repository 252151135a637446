import Core
import Extract
import Foundation
import Store

/// One canonical figure of one submitter, with where it came from.
public struct Fact: Codable, Sendable, Hashable {
    public var code: String
    /// The value in the indicator's unit, as exact decimal text; nil when the cell was left blank
    /// (not reported). A reported zero ("0", "—", "无") is "0".
    public var amount: String?
    /// Counted from an item list rather than declared.
    public var derived: Bool
    public var file: String
    public var line: Int?
    /// The cell's column in its file (1-based), where it has one: a matrix table's cells share a line.
    public var column: Int?
    /// The cell or count as it stood in the file.
    public var raw: String
    /// How the label was matched: exact, normalized, alias; or how it was derived: items, sum.
    public var via: String
    /// The unit the amount is in (the indicator's: 条, 件, 万元…).
    public var unit: String?

    public var value: Decimal? { amount.flatMap(Amount.decimal) }

    /// `via` of a fact counted from an item list.
    public static let viaItems = "items"
    /// `via` of a total left blank and derived as the sum of its reported parts.
    public static let viaSum = "sum"

    public init(code: String, value: Decimal?, unit: String?, derived: Bool, file: String, line: Int?, column: Int? = nil,
                raw: String, via: String) {
        self.column = column
        self.code = code
        self.unit = unit
        self.amount = value.map { Amount.text($0) }
        self.derived = derived
        self.file = file
        self.line = line
        self.raw = raw
        self.via = via
    }
}

/// What became of one file of a submitter.
public struct FileState: Codable, Sendable, Hashable {
    public enum Status: String, Codable, Sendable { case current, superseded, quarantined }

    public var path: String
    public var sha256: String
    public var family: Family?
    public var status: Status
    public var encoding: EncodingDecision?
    public var received: Double
}

/// A submitter after Transform: its current files, its canonical facts, its findings.
public struct SubmitterResult: Codable, Sendable {
    public var submitter: String
    public var code: String
    public var level: Submitter.Level?
    public var files: [FileState]
    public var facts: [Fact]
    public var findings: [Finding]
    /// The text of the body's published report (its paragraphs outside the tables), when it sent one:
    /// compared with last year's (a report copied from the year before is worth a look).
    public var narrative: String?

    /// Identifies what this result says: its facts, findings and report text. Equal digests, equal loads.
    public var digest: String {
        var h = SHA256()
        for f in facts { h.update(Array("\(f.code)=\(f.amount ?? "")\(f.unit ?? "")|\(f.derived)|\(f.raw)@\(f.file):\(f.line ?? 0)\(f.column.map { ":\($0)" } ?? "");".utf8)) }
        for f in findings {
            h.update(Array("\(f.rule.rawValue)|\(f.severity.rawValue)|\(f.file)|\(f.line ?? 0)|\(f.column ?? 0)|\(f.message)|\(f.expected)|\(f.actual);".utf8))
        }
        if let narrative { h.update(Array("narrative:\(narrative)".utf8)) }
        return h.finalize()
    }

    /// Identifies this version of the submission: the hashes of its current files.
    public var contentHash: String {
        SHA256.hex(Array(files.filter { $0.status == .current }.map { $0.path + ":" + $0.sha256 }.sorted().joined(separator: "\n").utf8))
    }
}

/// Exact decimal text: no exponent, no trailing zeros after the point.
public enum Amount {
    public static func text(_ d: Decimal) -> String {
        // A whole number stored without exponent, the common case: its own digits, no NSDecimalNumber.
        if d.exponent == 0 && !d.isNaN { return d.description }
        var s = NSDecimalNumber(decimal: d).stringValue
        if s.contains("e") || s.contains("E") { s = String(describing: d) }
        return s
    }

    public static func decimal(_ s: String) -> Decimal? {
        // Whole numbers, the common case, without Foundation's locale-aware parser.
        if s.utf8.count <= 18, !s.isEmpty, let n = Int(s) { return Decimal(n) }
        return Decimal(string: s, locale: Locale(identifier: "en_US_POSIX"))
    }
}

extension Fact: JSONWritable {
    public func write(to json: inout JSONWriter) {
        json.beginObject()
        json.field("code", code)
        json.field("amount", amount)
        json.field("derived", derived)
        json.field("file", file)
        json.field("line", line)
        json.field("column", column)
        json.field("raw", raw)
        json.field("via", via)
        json.field("unit", unit)
        json.endObject()
    }
}

extension FileState: JSONWritable {
    public func write(to json: inout JSONWriter) {
        json.beginObject()
        json.field("path", path)
        json.field("sha256", sha256)
        json.field("family", family?.rawValue)
        json.field("status", status.rawValue)
        if let encoding { json.key("encoding"); encoding.write(to: &json) }
        json.field("received", received)
        json.endObject()
    }
}

extension SubmitterResult: JSONWritable {
    public func write(to json: inout JSONWriter) {
        json.beginObject()
        json.field("submitter", submitter)
        json.field("code", code)
        json.field("level", level?.rawValue)
        json.key("files")
        json.writeArray(files)
        json.key("facts")
        json.writeArray(facts)
        json.key("findings")
        json.writeArray(findings)
        json.field("narrative", narrative)
        json.endObject()
    }
}
