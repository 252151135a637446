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

    /// Short names in the stored results, where a province's facts are millions.
    enum CodingKeys: String, CodingKey {
        case code = "k", amount = "a", derived = "d", file = "f", line = "n", column = "c", raw = "r", via = "v", unit = "u"
    }

    /// `via` of a label matched after folding spaces and punctuation: the usual way a cell is read.
    public static let viaNormalized = LabelResolver.Tier.normalized.rawValue
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
        // Each fact's and finding's text appended to one buffer and hashed once (the same bytes as
        // one update each): a national body is 190 facts, and a string built per fact cost more
        // than the hash.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(facts.count * 96 + findings.count * 160)
        func put(_ s: String) { bytes.append(contentsOf: s.utf8) }
        func put(_ n: Int) { bytes.appendDecimal(n) }
        for f in facts {
            put(f.code); bytes.append(0x3D)  // =
            put(f.amount ?? ""); put(f.unit ?? ""); bytes.append(0x7C)
            put(f.derived ? "true" : "false"); bytes.append(0x7C)
            put(f.raw); bytes.append(0x40)  // @
            put(f.file); bytes.append(0x3A); put(f.line ?? 0)
            if let column = f.column { bytes.append(0x3A); put(column) }
            bytes.append(0x3B)  // ;
        }
        for f in findings {
            put(f.rule.rawValue); bytes.append(0x7C); put(f.severity.rawValue); bytes.append(0x7C); put(f.file); bytes.append(0x7C)
            put(f.line ?? 0); bytes.append(0x7C); put(f.column ?? 0); bytes.append(0x7C)
            put(f.message); bytes.append(0x7C); put(f.expected); bytes.append(0x7C); put(f.actual); bytes.append(0x3B)
        }
        if let narrative { put("narrative:"); put(narrative) }
        var h = SHA256()
        h.update(bytes)
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
        // Zero, a national table's commonest figure, however it was written ("0", "0.00").
        if d.isZero { return "0" }
        // A whole number stored without exponent, the common case: its digits from the integer it
        // is (Decimal's own formatter costs some five thousand instructions a figure), exact below
        // 2^53; a larger one by the formatter.
        if d.exponent == 0 && !d.isNaN {
            if d < wholeLimit && d > -wholeLimit { return String(NSDecimalNumber(decimal: d).int64Value) }
            return d.description
        }
        var s = NSDecimalNumber(decimal: d).stringValue
        if s.contains("e") || s.contains("E") { s = String(describing: d) }
        return s
    }

    private static let wholeLimit = Decimal(1 << 53)

    public static func decimal(_ s: String) -> Decimal? {
        // Whole numbers, the common case, without Foundation's locale-aware parser.
        if s.utf8.count <= 18, !s.isEmpty, let n = Int(s) { return Decimal(n) }
        return Decimal(string: s, locale: Locale(identifier: "en_US_POSIX"))
    }
}

extension Fact: JSONWritable {
    public func write(to json: inout JSONWriter) { write(to: &json, file: nil) }

    /// Writes the fact without what its record says already: its file when it is `recordFile`,
    /// `derived` when false, `raw` when it is the amount, `via` when it is the usual
    /// ``viaNormalized``. A province's results are millions of facts, and those four were more
    /// than half of each one's bytes. ``init(from:file:)`` reads them back.
    func write(to json: inout JSONWriter, file recordFile: String?) {
        json.beginObject()
        json.field(CodingKeys.code.rawValue, code)
        json.field(CodingKeys.amount.rawValue, amount)
        if derived { json.field(CodingKeys.derived.rawValue, derived) }
        if file != recordFile { json.field(CodingKeys.file.rawValue, file) }
        json.field(CodingKeys.line.rawValue, line)
        json.field(CodingKeys.column.rawValue, column)
        if amount == nil || raw != amount { json.field(CodingKeys.raw.rawValue, raw) }
        if via != Self.viaNormalized { json.field(CodingKeys.via.rawValue, via) }
        json.field(CodingKeys.unit.rawValue, unit)
        json.endObject()
    }

    /// A stored fact, its left-out fields as ``write(to:file:)`` leaves them out; a fact written
    /// whole (every key present) reads the same.
    init(from c: KeyedDecodingContainer<CodingKeys>, file recordFile: String?) throws {
        code = try c.decode(String.self, forKey: .code)
        amount = try c.decodeIfPresent(String.self, forKey: .amount)
        derived = try c.decodeIfPresent(Bool.self, forKey: .derived) ?? false
        /// A text field, or what it stands for when left out; an error when nothing stands for it.
        func text(_ key: CodingKeys, else implied: String?) throws -> String {
            guard let value = try c.decodeIfPresent(String.self, forKey: key) ?? implied else {
                throw DecodingError.keyNotFound(key, .init(codingPath: c.codingPath, debugDescription: "a stored fact without its \(key)"))
            }
            return value
        }
        file = try text(.file, else: recordFile)
        line = try c.decodeIfPresent(Int.self, forKey: .line)
        column = try c.decodeIfPresent(Int.self, forKey: .column)
        raw = try text(.raw, else: amount)
        via = try c.decodeIfPresent(String.self, forKey: .via) ?? Self.viaNormalized
        unit = try c.decodeIfPresent(String.self, forKey: .unit)
    }

    public init(from decoder: any Decoder) throws {
        try self.init(from: decoder.container(keyedBy: CodingKeys.self), file: nil)
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
    /// The file a stored fact of a result names when it names none: the result's first file.
    static func recordFile(of files: [FileState]) -> String? { files.first?.path }

    enum CodingKeys: String, CodingKey { case submitter, code, level, files, facts, findings, narrative }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        submitter = try c.decode(String.self, forKey: .submitter)
        code = try c.decode(String.self, forKey: .code)
        level = try c.decodeIfPresent(Submitter.Level.self, forKey: .level)
        files = try c.decode([FileState].self, forKey: .files)
        let file = Self.recordFile(of: files)
        var stored = try c.nestedUnkeyedContainer(forKey: .facts)
        var facts: [Fact] = []
        facts.reserveCapacity(stored.count ?? 0)
        while !stored.isAtEnd {
            facts.append(try Fact(from: stored.nestedContainer(keyedBy: Fact.CodingKeys.self), file: file))
        }
        self.facts = facts
        findings = try c.decode([Finding].self, forKey: .findings)
        narrative = try c.decodeIfPresent(String.self, forKey: .narrative)
    }

    public func write(to json: inout JSONWriter) {
        json.beginObject()
        json.field("submitter", submitter)
        json.field("code", code)
        json.field("level", level?.rawValue)
        json.key("files")
        json.writeArray(files)
        json.key("facts")
        let file = Self.recordFile(of: files)
        json.beginArray()
        for fact in facts { fact.write(to: &json, file: file) }
        json.endArray()
        json.key("findings")
        json.writeArray(findings)
        json.field("narrative", narrative)
        json.endObject()
    }
}
