import Foundation
import Transform

/// Every current fact of a year in memory, with the city's figures summed from them: what
/// `explain` and `diff` show, and what the dataset's totals are rebuilt from.
public struct Consolidation: Sendable {
    public let index: FormIndex
    public let facts: [CurrentFact]
    public let figures: CityFigures

    public static let cityName = "全市"

    public init(facts: [CurrentFact], index: FormIndex) {
        self.index = index
        self.facts = facts
        var totals: [String: Decimal] = [:]
        var reported = Set<String>()
        var reporting: [String: Int] = [:]
        for f in facts where index[code: f.code]?.isAdditive ?? false {
            reported.insert(f.code)
            guard let v = f.value else { continue }
            totals[f.code, default: 0] += v
            reporting[f.code, default: 0] += 1
        }
        figures = CityFigures(index: index, totals: totals, reported: reported, reporting: reporting)
    }

    public func value(_ code: String) -> Decimal { figures.value(code) }

    public func contributions(_ code: String) -> [CurrentFact] {
        facts.filter { $0.code == code }.sorted { ($0.value ?? 0, $1.submitter) > ($1.value ?? 0, $0.submitter) }
    }
}
