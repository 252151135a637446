import Core
import Foundation
import Store
import Transform

/// The city's figures: each additive indicator summed over the current submissions. Kept in the
/// dataset's `total` table, brought up to date by every load, so a report never needs every fact.
public struct CityFigures: Sendable {
    public let index: FormIndex
    /// Summed values of the indicators at least one submitter reported as a number.
    public let totals: [String: Decimal]
    /// Indicators reported, even if only as blank.
    public let reported: Set<String>
    /// How many submitters reported each indicator as a number (a blank is not counted).
    public let reporting: [String: Int]

    public init(index: FormIndex, totals: [String: Decimal], reported: Set<String>, reporting: [String: Int]) {
        self.index = index
        self.totals = totals.filter { index[code: $0.key]?.isAdditive ?? false }
        self.reported = reported.filter { index[code: $0]?.isAdditive ?? false }
        self.reporting = reporting.filter { index[code: $0.key]?.isAdditive ?? false }
    }

    public func value(_ code: String) -> Decimal { totals[code] ?? 0 }

    /// The city's figure, or nil where no submitter reported it as a number (blank everywhere).
    public func reportedValue(_ code: String) -> Decimal? { totals[code] }

    /// The identities rechecked on the city's totals, and the registered submitters with nothing in the inbox.
    public func findings(registry: Registry, year: Int, submitted: Set<ByteString>) -> [Finding] {
        var values: [String: Decimal?] = [:]
        for code in reported { values[code] = totals[code] }
        // A sum over submitters is complete only where as many reported each part as the total.
        var out = Reconciler(index: index).check(values, submitter: Consolidation.cityName, coverage: reporting)
        // The bodies that exist in the year: a body merged away in 2019 is not missing in 2022.
        let expected = registry.submitters(in: year)
        let missing = expected.map(\.name).filter { !submitted.contains(ByteString($0)) }
        if !missing.isEmpty {
            out.append(Finding(.submitterMissing, submitter: Consolidation.cityName,
                message: "\(missing.count) 个登记的报送单位收件箱中没有任何文件：\(missing.joined(separator: "、"))。请催报，或确认其不需报送。",
                expected: "\(expected.count)", actual: "\(expected.count - missing.count)"))
        }
        return out
    }
}

extension FormIndex {
    /// The figures each submitter is compared on, year over year (the appendix table's columns).
    public var headlineCodes: [String] {
        if form.isNational {
            return ["t3.new.total", "t3.res.granted.total", "t3.res.total.total", "t4.review.total", "t4.lit_direct.total", "t2.licensing.decisions"]
                .map { "\(versionPrefix)." + $0 }.filter { self[code: $0] != nil }
        }
        return ([form.categories?.total] + ["v2014.apply.received", "sx.consult.total", "v2014.review.total", "v2014.litigation.total", "sx.spend.total"])
            .compactMap { $0 }.filter { self[code: $0] != nil }
    }

    /// The version prefix of the form's codes: "v2021", "v2019", "v2014".
    public var versionPrefix: String { indicators.first.map { String($0.code.prefix { $0 != "." }) } ?? "" }

    /// A national-format code without its version prefix ("v2021.t3.new.total" → "t3.new.total"), or
    /// nil for a code of the 2014 table or a Shanxi row (compared as they are).
    static func versionless(_ code: String) -> String? {
        guard code.hasPrefix("v20"), let dot = code.firstIndex(of: "."), code.distance(from: code.startIndex, to: dot) == 5,
              !code.hasPrefix("v2014.") else { return nil }
        return String(code[code.index(after: dot)...])
    }

    /// How far a figure moved against the previous year, as a fraction, when both years have it.
    package static func movement(now: Decimal?, before: Decimal?) -> Decimal? {
        guard let before, before != 0, let now else { return nil }
        return (now - before) / before
    }

    package static func movedMuch(_ m: Decimal) -> Bool { abs(NSDecimalNumber(decimal: m).doubleValue) > 0.5 }

    /// A warning for each of one submitter's headline figures that moved by more than half
    /// against the previous year (the taxonomy's soft identity), filed under that submitter (its feedback carries it).
    public func movements(of name: String, now: [String: CurrentFact], before: [String: CurrentFact]) -> [Finding] {
        var out: [Finding] = []
        for code in headlineCodes {
            guard let fact = now[code], let b = before[code]?.value, let m = Self.movement(now: fact.value, before: b),
                  Self.movedMuch(m) else { continue }
            var pct = m * 100, rounded = Decimal()
            NSDecimalRound(&rounded, &pct, 1, .plain)
            let label = self[code: code]?.label ?? code
            out.append(Finding(.yearOverYear, submitter: name, file: fact.file, line: fact.line,
                message: "\(name)的“\(label)”上年为 \(Amount.text(b))，今年为 \(Amount.text(fact.value ?? 0))（\(rounded > 0 ? "+" : "")\(Amount.text(rounded))%），变动超过一半：请与该单位核实是否填错。",
                expected: Amount.text(b), actual: Amount.text(fact.value ?? 0)))
        }
        return out
    }
}
