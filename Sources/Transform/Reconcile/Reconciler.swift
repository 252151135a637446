import Extract
import Foundation

/// Checks a set of figures against a form's identities, telling *inconsistent* (every part
/// present, the sum is not the total) from *incomplete* (a part left blank, the rest falls
/// short of the total).
public struct Reconciler: Sendable {
    public let index: FormIndex

    public init(index: FormIndex) { self.index = index }

    /// - Parameters:
    ///   - values: by code; a present key with a nil value was reported blank; an absent key was not reported.
    ///   - lines: where each figure stands, for the finding's location.
    public func check(_ values: [String: Decimal?], submitter: String, file: String = "", lines: [String: Int] = [:]) -> [Finding] {
        var out: [Finding] = []
        for identity in index.form.identities {
            guard let totalEntry = values[identity.total], let total = totalEntry else { continue }
            let present = identity.parts.compactMap { p in values[p].flatMap { $0 }.map { (p, $0) } }
            let missing = identity.parts.filter { values[$0].flatMap { $0 } == nil }
            // A breakdown not filled in at all (no row for any part) is not reconciled; a blank part is.
            if !identity.parts.contains(where: { values[$0] != nil }) { continue }
            let sum = present.reduce(Decimal(0)) { $0 + $1.1 }
            let hard = identity.severity == "error"
            let totalLabel = label(identity.total)
            let terms = present.map { "\(label($0.0)) \(Amount.text($0.1))" }.joined(separator: " + ")
            let line = lines[identity.total]
            switch identity.kind {
            case .sum:
                if missing.isEmpty && sum != total || sum > total {
                    let diff = Amount.text(sum - total)
                    out.append(Finding(
                        .sumInconsistent, severity: hard ? .error : .warning, submitter: submitter, file: file, line: line,
                        message: "\(totalLabel)填报 \(Amount.text(total))，但各分项之和为 \(Amount.text(sum))（\(terms)），相差 \(diff)：请核对分项或总数后重新报送。",
                        expected: Amount.text(total), actual: Amount.text(sum)))
                } else if sum < total {
                    let gaps = missing.map(label).joined(separator: "、")
                    out.append(Finding(
                        .sumIncomplete, submitter: submitter, file: file, line: line,
                        message: "\(totalLabel)填报 \(Amount.text(total))，已填分项之和为 \(Amount.text(sum))，未填的分项（\(gaps)）应合计 \(Amount.text(total - sum))：请补填后重新报送。",
                        expected: Amount.text(total), actual: Amount.text(sum)))
                }
            case .atLeast:
                if missing.isEmpty && sum < total {
                    out.append(Finding(
                        .boundExceeded, severity: hard ? .error : .warning, submitter: submitter, file: file, line: line,
                        message: "各渠道公开数之和 \(Amount.text(sum))（\(terms)）少于\(totalLabel) \(Amount.text(total))：同一信息在多个渠道公开只计 1 条，渠道之和应不少于总数，请核对。",
                        expected: "≥ \(Amount.text(total))", actual: Amount.text(sum)))
                }
            case .atMost:
                if sum > total {
                    out.append(Finding(
                        .boundExceeded, severity: hard ? .error : .warning, submitter: submitter, file: file, line: line,
                        message: "\(terms) 超过了\(totalLabel) \(Amount.text(total))：“其中”项不应大于总数，请核对。",
                        expected: "≤ \(Amount.text(total))", actual: Amount.text(sum)))
                }
            }
        }
        return out
    }

    private func label(_ code: String) -> String { index[code: code]?.label ?? code }
}
