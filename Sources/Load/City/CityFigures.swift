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
        if let missing = CrossYearRules.missing(registry.submitters(in: year), submitted: { submitted.contains(ByteString($0)) },
                                                city: Consolidation.cityName) {
            out.append(missing)
        }
        return out
    }
}
