import Core
import Foundation
import Store

/// Checks a set of figures against a form's identities, telling *inconsistent* (every part
/// present, the sum is not the total) from *incomplete* (a part left blank, the rest falls
/// short of the total).
public struct Reconciler: Sendable {
    public let index: FormIndex

    public init(index: FormIndex) { self.index = index }

    /// - Parameters:
    ///   - values: by code; a nil value or an absent key was not reported (a blank cell, an
    ///     empty or missing element), which adds nothing and declares nothing.
    ///   - lines: where each code's figure stands, for a finding's location (asked only when
    ///     there is a finding).
    ///   - coverage: for the city's sums, how many submitters reported each code: a part reported
    ///     by fewer submitters than its total is incomplete, not inconsistent.
    ///   - skipping: identities another check has already compared (an item list's categories).
    public func check(_ values: [String: Decimal?], submitter: String, file: String = "", lines: (String) -> Int? = { _ in nil },
                      coverage: [String: Int]? = nil, skipping: Set<String> = []) -> [Finding] {
        var out: [Finding] = []
        for identity in index.identities where skipping.isEmpty || !skipping.contains(identity.id) {
            if identity.kind == .balance {
                if let f = balance(identity, values, submitter: submitter, file: file, lines: lines, coverage: coverage) { out.append(f) }
                continue
            }
            // A total left blank is not a declaration to check; a block wholly blank is not reported.
            guard let totalEntry = values[identity.total], let total = totalEntry else { continue }
            // Each part looked up once: reported (with its figure) or missing (absent or blank).
            var present: [(String, Decimal)] = []
            var missing: [String] = []
            for part in identity.parts {
                if let entry = values[part], let figure = entry { present.append((part, figure)) } else { missing.append(part) }
            }
            if let coverage {
                let reporting = coverage[identity.total] ?? 0
                missing = identity.parts.filter { (coverage[$0] ?? 0) != reporting }
            }
            let sum = present.reduce(Decimal(0)) { $0 + $1.1 }
            let hard = identity.severity == "error"
            // Words for a finding, made only when there is one (a province's identities mostly hold).
            var totalLabel: String { label(identity.total) }
            var terms: String { present.map { "\(label($0.0)) \(Amount.text($0.1))" }.joined(separator: " + ") }
            var line: Int? { lines(identity.total) }
            switch identity.kind {
            case .sum:
                if coverage != nil && !missing.isEmpty {
                    guard sum != total else { break }
                    out.append(Finding(
                        .sumIncomplete, submitter: submitter, file: file, line: line,
                        message: "\(totalLabel)合计 \(Amount.text(total))，各分项合计 \(Amount.text(sum))：有的单位只填了总数、未填分项（\(missing.map(label).joined(separator: "、"))），或只填了分项，两者不能直接相加比较。请查看各单位的“分项未填全”提示。",
                        expected: Amount.text(total), actual: Amount.text(sum)))
                } else if missing.isEmpty && sum != total || sum > total {
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
            case .balance:
                break
            case .atMost:
                if sum > total && (coverage == nil || missing.isEmpty) {
                    out.append(Finding(
                        .boundExceeded, severity: hard ? .error : .warning, submitter: submitter, file: file, line: line,
                        message: "\(terms) 超过了\(totalLabel) \(Amount.text(total))：“其中”项不应大于总数，请核对。",
                        expected: "≤ \(Amount.text(total))", actual: Amount.text(sum)))
                }
            }
        }
        return out
    }

    /// 一 + 二 = （七）总计 + 四: checked when every term is reported (by as many submitters, for the city).
    private func balance(_ identity: Form.Identity, _ values: [String: Decimal?], submitter: String, file: String,
                         lines: (String) -> Int?, coverage: [String: Int]?) -> Finding? {
        let left = identity.parts, right = identity.right ?? []
        let terms = left + right
        let reported = terms.compactMap { values[$0].flatMap { $0 } }
        guard reported.count == terms.count else { return nil }
        if let coverage, Set(terms.map { coverage[$0] ?? 0 }).count > 1 { return nil }
        let a = reported[..<left.count].reduce(Decimal(0), +), b = reported[left.count...].reduce(Decimal(0), +)
        guard a != b else { return nil }
        func side(_ codes: [String]) -> String { codes.map { "\(label($0)) \(Amount.text(values[$0]!!))" }.joined(separator: " + ") }
        return Finding(
            .sumInconsistent, severity: identity.severity == "error" ? .error : .warning, submitter: submitter, file: file,
            line: lines(left[0]),
            message: "\(side(left)) = \(Amount.text(a))，但 \(side(right)) = \(Amount.text(b))，相差 \(Amount.text(a - b))（\(identity.description ?? "勾稽关系不符")）：请核对后重新报送。",
            expected: Amount.text(a), actual: Amount.text(b))
    }

    private func label(_ code: String) -> String { index[code: code]?.label ?? code }
}
