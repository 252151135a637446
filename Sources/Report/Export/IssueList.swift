import Core

/// The open errors and warnings (those no clerk marked) as a CSV Excel opens: what the season's
/// page offers as its issue list.
public enum IssueList {
    public static let header = ["级别", "单位", "文件", "行", "规则", "说明", "应为", "实为"]

    public static func csv(_ findings: [Finding], reviews: Reviews) -> [UInt8] {
        var csv = CSVWriter(header: header)
        for f in findings.sorted() where f.severity != .note && reviews[f] == nil {
            csv.row([f.severity.label, f.submitter, f.file, f.line.map(String.init) ?? "", f.rule.rawValue + " " + f.rule.title,
                     f.message, f.expected, f.actual].map(text))
        }
        return csv.bytes
    }

    /// A cell starting with = + - @ is text, never a formula, when Excel opens the file: a
    /// submitter wrote it.
    static func text(_ cell: String) -> String {
        if let c = cell.first, "=+-@\t\r".contains(c) { return "'" + cell }
        return cell
    }
}
