import Extract
import Foundation
import Transform

/// The city's figures: each additive indicator summed over the current submissions, with who
/// contributed what, rechecked against the form's identities.
public struct Consolidation: Sendable {
    public let index: FormIndex
    public let facts: [CurrentFact]
    /// Summed values of the indicators at least one submitter reported as a number.
    public let totals: [String: Decimal]
    /// Indicators reported, even if only as blank.
    public let reported: Set<String>
    /// Each submitter's facts by indicator code.
    public let bySubmitter: [String: [String: CurrentFact]]

    public static let cityName = "全市"

    public init(facts: [CurrentFact], index: FormIndex) {
        self.index = index
        self.facts = facts
        var totals: [String: Decimal] = [:]
        var reported = Set<String>()
        var bySubmitter: [String: [String: CurrentFact]] = [:]
        for f in facts { bySubmitter[f.submitter, default: [:]][f.code] = f }
        self.bySubmitter = bySubmitter
        for f in facts where index[code: f.code]?.isAdditive ?? false {
            reported.insert(f.code)
            if let v = f.value { totals[f.code, default: 0] += v }
        }
        self.totals = totals
        self.reported = reported
    }

    public func value(_ code: String) -> Decimal { totals[code] ?? 0 }

    public func fact(_ submitter: String, _ code: String) -> CurrentFact? { bySubmitter[submitter]?[code] }

    public func contributions(_ code: String) -> [CurrentFact] {
        facts.filter { $0.code == code }.sorted { ($0.value ?? 0, $1.submitter) > ($1.value ?? 0, $0.submitter) }
    }

    /// The figures each submitter is compared on, year over year (the appendix table's columns).
    public var headlineCodes: [String] {
        ([index.form.categories?.total] + ["v2014.apply.received", "sx.consult.total", "v2014.review.total", "v2014.litigation.total", "sx.spend.total"])
            .compactMap { $0 }.filter { index[code: $0] != nil }
    }

    /// How far a figure moved against the previous year, as a fraction, when both years have it.
    public func movement(_ submitter: String, _ code: String, previous: Consolidation) -> Decimal? {
        guard let before = previous.fact(submitter, code)?.value, before != 0, let now = fact(submitter, code)?.value else { return nil }
        return (now - before) / before
    }

    /// A warning for each submitter figure that moved by more than half against the previous year.
    public func movements(previous: Consolidation) -> [Finding] {
        var out: [Finding] = []
        for name in bySubmitter.keys.sorted() {
            for code in headlineCodes {
                guard let m = movement(name, code, previous: previous), abs(NSDecimalNumber(decimal: m).doubleValue) > 0.5,
                      let now = fact(name, code), let before = previous.fact(name, code)?.value else { continue }
                var pct = m * 100, rounded = Decimal()
                NSDecimalRound(&rounded, &pct, 1, .plain)
                let label = index[code: code]?.label ?? code
                out.append(Finding(.yearOverYear, submitter: Self.cityName, file: now.file, line: now.line,
                    message: "\(name)的“\(label)”上年为 \(Amount.text(before))，今年为 \(Amount.text(now.value ?? 0))（\(rounded > 0 ? "+" : "")\(Amount.text(rounded))%），变动超过一半：请与该单位核实是否填错。",
                    expected: Amount.text(before), actual: Amount.text(now.value ?? 0)))
            }
        }
        return out
    }

    /// The identities rechecked on the city's totals, and the registered submitters with nothing in the inbox.
    public func findings(registry: Registry, submitted: Set<String>) -> [Finding] {
        var values: [String: Decimal?] = [:]
        for code in reported { values[code] = totals[code] }
        var out = Reconciler(index: index).check(values, submitter: Self.cityName)
        let missing = registry.submitters.map(\.name).filter { !submitted.contains($0) }
        if !missing.isEmpty {
            out.append(Finding(.submitterMissing, submitter: Self.cityName,
                message: "\(missing.count) 个登记的报送单位收件箱中没有任何文件：\(missing.joined(separator: "、"))。请催报，或确认其不需报送。",
                expected: "\(registry.submitters.count)", actual: "\(registry.submitters.count - missing.count)"))
        }
        return out
    }
}
