/// How much a finding matters to the consolidation.
public enum Severity: String, Codable, Sendable, Comparable, CaseIterable {
    case error, warning, note

    /// The Chinese word the staff read.
    public var label: String {
        switch self {
        case .error: "错误"
        case .warning: "警告"
        case .note: "提示"
        }
    }

    private var rank: Int {
        switch self {
        case .error: 0
        case .warning: 1
        case .note: 2
        }
    }

    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
}

/// Something a clerk should know about a submission: where it is, what is wrong, what to do.
public struct Finding: Codable, Sendable, Hashable {
    public var rule: Rule
    public var severity: Severity
    /// The submitter's official name, or "全市" for the consolidated figures.
    public var submitter: String
    /// Path relative to the workspace, empty where the finding is about no file.
    public var file: String
    public var line: Int?
    public var column: Int?
    public var message: String
    public var expected: String
    public var actual: String

    public init(
        _ rule: Rule, severity: Severity? = nil, submitter: String, file: String = "", line: Int? = nil,
        column: Int? = nil, message: String, expected: String = "", actual: String = ""
    ) {
        self.rule = rule
        self.severity = severity ?? rule.severity
        self.submitter = submitter
        self.file = file
        self.line = line
        self.column = column
        self.message = message
        self.expected = expected
        self.actual = actual
    }

    /// "file:line:column" as far as known.
    public var location: String {
        var s = file
        if let line { s += ":\(line)" }
        if let column { s += ":\(column)" }
        return s
    }
}

extension Finding: Comparable {
    /// Severity first, then submitter, file, line: the order of every findings list.
    public static func < (a: Finding, b: Finding) -> Bool {
        if a.severity != b.severity { return a.severity < b.severity }
        if a.submitter != b.submitter { return a.submitter < b.submitter }
        if a.file != b.file { return a.file < b.file }
        if (a.line ?? 0) != (b.line ?? 0) { return (a.line ?? 0) < (b.line ?? 0) }
        if (a.column ?? 0) != (b.column ?? 0) { return (a.column ?? 0) < (b.column ?? 0) }
        if a.rule != b.rule { return a.rule.rawValue < b.rule.rawValue }
        return a.message < b.message
    }
}

/// A finding as the state files hold it, written as its `Codable` conformance reads it.
extension Finding: JSONWritable {
    public func write(to json: inout JSONWriter) {
        json.beginObject()
        json.field("rule", rule.rawValue)
        json.field("severity", severity.rawValue)
        json.field("submitter", submitter)
        json.field("file", file)
        json.field("line", line)
        json.field("column", column)
        json.field("message", message)
        json.field("expected", expected)
        json.field("actual", actual)
        json.endObject()
    }
}
