import Core
import Foundation
import Store
import Transform

/// What the city's own findings are computed with, besides the facts.
public struct CityRules: Sendable {
    public var index: FormIndex
    public var registry: Registry
    /// What else they depend on (registry, form): recorded with the versions they were computed from.
    public var salt: String

    public init(index: FormIndex, registry: Registry, salt: String) {
        self.index = index
        self.registry = registry
        self.salt = salt
    }
}

/// Sums to add to the `total` table: exact decimals, with how many numbers and facts they count.
struct TotalsDelta {
    /// One code's changes: its sum, and how many numbers and facts it counts.
    private struct Tally {
        var sum: Decimal = 0
        var numbers = 0
        var facts = 0

        mutating func count(_ figure: Decimal?, sign: Int) {
            facts += sign
            guard let figure else { return }
            numbers += sign
            sum += sign > 0 ? figure : -figure
        }
    }

    /// By code: one look-up a fact (a province's load adds a million).
    private var tallies: [String: Tally] = [:]

    mutating func add(_ values: [(String, String?)], sign: Int = 1) {
        for (code, text) in values {
            tallies[code, default: Tally()].count(text.flatMap(Amount.decimal), sign: sign)
        }
    }

    mutating func subtract(_ values: [(String, String?)]) { add(values, sign: -1) }

    /// Adds the differences to the stored totals of the year. A code whose facts were taken out
    /// and put back unchanged (a resubmission changes a few of a body's figures) is left alone.
    func apply(_ db: any SQLSession, year: Int) throws {
        for code in tallies.keys.sorted() {
            let tally = tallies[code]!
            guard tally.facts != 0 || tally.numbers != 0 || tally.sum != 0 else { continue }
            let row = try db.one("SELECT value, numbers, facts FROM total WHERE year = ? AND code = ?", [.of(year), .text(code)]) {
                (value: Amount.decimal($0.text(0)), numbers: $0.int(1) ?? 0, facts: $0.int(2) ?? 0)
            }
            let value = (row?.value ?? 0) + tally.sum
            try Dataset.storeTotal(db, year: year, code: code, value: value,
                                   numbers: (row?.numbers ?? 0) + tally.numbers, facts: (row?.facts ?? 0) + tally.facts)
        }
    }
}

extension Dataset {
    /// Bumped whenever what the `total` table holds changes meaning: the tables are rebuilt.
    static let totalsFormat = "totals-2"
    static func totalsMark(_ year: Int) -> String { "totals:\(year)" }
    static func cityMark(_ year: Int) -> String { "city-findings:\(year)" }

    static func meta(_ db: any SQLSession, _ name: String) throws -> String? {
        try db.one("SELECT value FROM meta WHERE name = ?", [.text(name)]) { $0.text(0) }
    }

    static func storeTotal(_ db: any SQLSession, year: Int, code: String, value: Decimal, numbers: Int, facts: Int) throws {
        if facts <= 0 {
            try db.execute("DELETE FROM total WHERE year = ? AND code = ?", [.of(year), .text(code)])
            return
        }
        try db.execute("""
            INSERT INTO total(year, code, value, numbers, facts) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT(year, code) DO UPDATE SET value = excluded.value, numbers = excluded.numbers, facts = excluded.facts
            """, [.of(year), .text(code), .text(Amount.text(numbers > 0 ? value : 0)), .of(numbers), .of(facts)])
    }

    /// Sums every current fact of the year again.
    /// - Parameter sums: every current fact of the year, summed already (a first load's own);
    ///   nil: summed here from the dataset.
    static func rebuildTotals(_ db: any SQLSession, year: Int, from sums: TotalsDelta? = nil) throws {
        var delta = sums ?? TotalsDelta()
        if sums == nil {
            var batch: [(String, String?)] = []
            try db.stream("""
                SELECT \(FactValue.columns) FROM fact f JOIN submission s ON s.id = f.submission WHERE s.year = ? AND s.supersededBy IS NULL
                """, [.of(year)]) { row in
                let fact = FactValue(row)
                batch.append((fact.code, fact.value))
            }
            delta.add(batch)
        }
        try db.execute("DELETE FROM total WHERE year = ?", [.of(year)])
        try delta.apply(db, year: year)
        try setMeta(db, totalsMark(year), totalsFormat)
    }

    /// The city's totals as stored, or nil when the year's table was never built.
    static func cityFigures(_ db: any SQLSession, year: Int, index: FormIndex) throws -> CityFigures? {
        guard try meta(db, totalsMark(year)) == totalsFormat else { return nil }
        var totals: [String: Decimal] = [:]
        var reported = Set<String>()
        var reporting: [String: Int] = [:]
        for row in try db.all("SELECT \(StoredTotal.columns) FROM total WHERE year = ?", [.of(year)], StoredTotal.init) {
            reported.insert(row.code)
            guard row.numbers > 0 else { continue }
            totals[row.code] = Amount.decimal(row.value) ?? 0
            reporting[row.code] = row.numbers
        }
        return CityFigures(index: index, totals: totals, reported: reported, reporting: reporting)
    }

    /// The city's figures for the year: from the running totals, or summed from every fact when
    /// they were never built (a dataset written before they existed).
    public func cityFigures(year: Int, index: FormIndex) throws -> CityFigures {
        if let stored = try engine.read({ db in try Self.cityFigures(db, year: year, index: index) }) { return stored }
        return Consolidation(facts: try currentFacts(year: year), index: index).figures
    }

    /// True when the year has a current submission.
    public func hasCurrentData(year: Int) throws -> Bool {
        try engine.read { db in try Self.hasCurrentData(db, year: year) }
    }

    static func hasCurrentData(_ db: any SQLSession, year: Int) throws -> Bool {
        try db.one("SELECT EXISTS(SELECT 1 FROM submission WHERE year = ? AND supersededBy IS NULL)", [.of(year)]) { $0.boolean(0) } ?? false
    }

    /// True when the running totals exist and the city's findings were computed from the current
    /// versions and the same `salt`: a load may then bring both up to date by difference.
    static func cityIsCurrent(_ db: any SQLSession, year: Int, salt: String) throws -> Bool {
        guard try meta(db, totalsMark(year)) == totalsFormat else { return false }
        return try meta(db, cityMark(year)) == versionKey(db, year: year) + ":" + salt
    }

    /// The city's findings again: the identities on its totals and the missing submitters always;
    /// the year-over-year warnings of the `touched` submitters only, or of all when nil (those are
    /// filed under the submitter they are about).
    static func recheckCity(_ db: any SQLSession, year: Int, city: CityRules, touched: Set<String>?) throws {
        let name = Consolidation.cityName
        guard let figures = try cityFigures(db, year: year, index: city.index) else { return }
        // A body that sent files, none of them readable, is not missing: it is told so itself.
        let submitted = try submittersWithCurrentVersion(db, year: year)
        try db.execute("DELETE FROM finding WHERE year = ? AND submitter = ? AND about IS NULL", [.of(year), .text(name)])
        try insertFindings(db, year: year, figures.findings(registry: city.registry, year: year, submitted: submitted))
        // The cross-year findings about a submitter are filed under it (its feedback carries them),
        // marked by whom they are about: replaced here, never with its own findings.
        if let touched {
            // Filed under whom they are about: found through the year and submitter's index, not
            // by a pass over the year's findings (a province's thousands, for one body's rerun).
            for who in touched {
                try db.execute("DELETE FROM finding WHERE year = ? AND submitter = ? AND about = ?", [.of(year), .text(who), .text(who)])
            }
        } else {
            try db.execute("DELETE FROM finding WHERE year = ? AND about IS NOT NULL", [.of(year)])
        }
        for (who, files) in try submittersWithNothingRead(db, year: year, of: touched).sorted(by: { $0.key < $1.key }) {
            try insertFindings(db, year: year, [CrossYearRules.nothingRead(who, files: files.map(\.path))], about: who)
        }
        if try hasCurrentData(db, year: year - 1) {
            for (who, findings) in try carryOverFindings(db, year: year, city: city, of: touched) {
                try insertFindings(db, year: year, findings, about: who)
            }
            for (who, findings) in try inForceFindings(db, year: year, of: touched) {
                try insertFindings(db, year: year, findings, about: who)
            }
            let texts = try narratives(db, year: year, of: touched), lastTexts = try narratives(db, year: year - 1, of: touched)
            for (who, findings) in CrossYearRules.copiedNarrative(now: texts, before: lastTexts, year: year) {
                try insertFindings(db, year: year, findings, about: who)
            }
            let codes = city.index.headlineCodes
            let now = try headlineFacts(db, year: year, codes: codes, of: touched)
            let before = try headlineFacts(db, year: year - 1, codes: codes, of: touched)
            for who in now.keys.sorted() {
                try insertFindings(db, year: year, CrossYearRules.movements(
                    of: who, index: city.index, now: now[who]!.mapValues(\.figure), before: (before[who] ?? [:]).mapValues(\.figure)), about: who)
            }
        }
        try setMeta(db, cityMark(year), try versionKey(db, year: year) + ":" + city.salt)
    }

    /// The report texts of the current versions, by submitter: of the named ones, or of all when nil.
    static func narratives(_ db: any SQLSession, year: Int, of names: Set<String>?) throws -> [String: String] {
        var out: [String: String] = [:]
        let sql = "SELECT \(StoredNarrative.columns) FROM submission WHERE year = ? AND supersededBy IS NULL AND narrative IS NOT NULL"
        try db.stream(sql, [.of(year)]) { row in
            let stored = StoredNarrative(row)
            guard names?.contains(stored.submitter) ?? true, let text = stored.narrative else { return }
            out[stored.submitter] = text
        }
        return out
    }

    /// The current facts of the given codes, by submitter: of the named submitters, or of all when nil.
    /// A year of another form version gives its facts under the requested codes: the national
    /// formats share their codes but for the version prefix (v2019.t3.new.total ≡ v2021.t3.new.total).
    static func headlineFacts(_ db: any SQLSession, year: Int, codes: [String], of names: Set<String>?) throws -> [String: [String: CurrentFact]] {
        let wanted = Set(codes)
        let byKey = Dictionary(codes.compactMap { c in FormIndex.versionless(c).map { ($0, c) } }) { a, _ in a }
        var out: [String: [String: CurrentFact]] = [:]
        let sql = """
            SELECT \(CurrentFact.columns) FROM fact f JOIN submission s ON s.id = f.submission
            WHERE s.year = ? AND s.supersededBy IS NULL
            """
        func collect(_ row: any SQLRow) {
            var code = row.text(1)
            if !wanted.contains(code) {
                guard !byKey.isEmpty, let key = FormIndex.versionless(code), let asked = byKey[key] else { return }
                code = asked
            }
            var fact = CurrentFact(row)
            fact.code = code
            out[fact.submitter, default: [:]][code] = fact
        }
        if let names {
            for name in names.sorted() { try db.each(sql + " AND s.submitter = ?", [.of(year), .text(name)], collect) }
        } else {
            try db.stream(sql, [.of(year)], collect)
        }
        return out
    }
}
