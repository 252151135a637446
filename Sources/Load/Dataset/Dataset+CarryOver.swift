import Core
import Foundation
import Transform

/// The figures the national format's cross-year rules compare (``CrossYearRules``), read from the dataset.
extension Dataset {
    static let carriedIn = ".t3.carried_in."
    static let carryOut = ".t3.carry_out."

    /// R009 on 上年结转, by the submitter it is about: of the named submitters, or of all when nil.
    static func carryOverFindings(_ db: any SQLSession, year: Int, city: CityRules, of names: Set<String>?) throws -> [String: [Finding]] {
        let now = try cells(db, year: year, part: carriedIn, of: names)
        guard !now.isEmpty else { return [:] }
        var wanted: Set<String>? = nil
        if let names {
            wanted = Set(names.flatMap { [$0] + (city.registry.resolve($0)?.predecessors ?? []) })
        }
        let before = try cells(db, year: year - 1, part: carryOut, of: wanted)
        guard !before.isEmpty else { return [:] }
        return CrossYearRules.carryOver(year: year, index: city.index, registry: city.registry, carriedIn: now, carriedOut: before)
    }

    /// R009 on 现行有效, by the submitter it is about.
    static func inForceFindings(_ db: any SQLSession, year: Int, of names: Set<String>?) throws -> [String: [Finding]] {
        let now = try cells(db, year: year, part: ".t2.", of: names)
        guard !now.isEmpty else { return [:] }
        return CrossYearRules.inForce(now: now, before: try cells(db, year: year - 1, part: ".t2.", of: names))
    }

    /// The current facts of one row of table 3, by submitter and column code, whatever the form's prefix.
    private static func cells(_ db: any SQLSession, year: Int, part: String, of names: Set<String>?) throws -> [String: [String: ReportedFigure]] {
        var out: [String: [String: ReportedFigure]] = [:]
        let sql = """
            SELECT \(CurrentFact.columns) FROM fact f JOIN submission s ON s.id = f.submission
            WHERE s.year = ? AND s.supersededBy IS NULL AND f.code LIKE ?
            """
        func collect(_ row: any SQLRow) {
            let fact = CurrentFact(row)
            guard let range = fact.code.range(of: part) else { return }
            out[fact.submitter, default: [:]][String(fact.code[range.upperBound...])] = fact.figure
        }
        let pattern = SQLValue.text("%" + part + "%")
        if let names {
            for name in names.sorted() { try db.each(sql + " AND s.submitter = ?", [.of(year), pattern, .text(name)], collect) }
        } else {
            try db.stream(sql, [.of(year), pattern], collect)
        }
        return out
    }
}
