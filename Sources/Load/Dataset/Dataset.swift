import Core
import Foundation
import Store
import Transform

/// The consolidated dataset (`state/disclosure.sqlite`, or a city's schema in PostgreSQL): submitters, every received version of
/// each submission, the facts of each version, the current findings, and the runs.
///
/// Loading a submitter is one transaction: a process killed half-way leaves the previous state.
public final class Dataset: Sendable {
    let engine: any DatasetEngine

    /// The embedded dataset at `path` (SQLite).
    public convenience init(path: String) throws {
        self.init(engine: try SQLiteEngine(path: path))
    }

    /// The dataset an engine keeps (PostgreSQL's is in its own module).
    public init(engine: any DatasetEngine) {
        self.engine = engine
    }

    public enum LoadOutcome: String, Sendable { case unchanged, replaced, newVersion, first }

    /// One load in one transaction: the submitters' results, the withdrawal of submitters with
    /// nothing left in the inbox (when `present` is given), the city's totals brought up to date
    /// and its own findings recomputed. A process killed half-way leaves the previous state.
    ///
    /// When the totals and the city's findings were current before this load, only what it
    /// changed is recomputed (the totals by difference, the year-over-year warnings of the
    /// submitters it touched); otherwise both are rebuilt from every current fact.
    /// - Parameter marks: meta entries to record in the same transaction (what this load covered).
    /// - Parameter among: when given, only these submitters may be withdrawn (a scoped run knows
    ///   only its own submitter's files).
    /// - Parameter digests: results' ``SubmitterResult/digest`` by submitter, where the caller has them.
    ///
    /// Each result's facts are let go once they are written (a caller that keeps its own copy of
    /// `results` keeps them alive): a province's facts do not all stay in memory to the commit.
    public func apply(_ results: consuming [SubmitterResult], digests: [String: String] = [:], year: Int, present: Set<String>?,
                      among: Set<String>? = nil, city: CityRules, marks: [String: String] = [:]) throws -> [LoadOutcome] {
        var prepared = parallelMap(results) { Prepared($0, digest: digests[$0.submitter]) }
        results = []
        return try engine.write { db in
            var load = try Transaction(db, year: year, city: city)
            var outcomes: [LoadOutcome] = []
            for i in prepared.indices { outcomes.append(try load.add(&prepared[i], db)) }
            try load.finish(db, present: present, among: among, marks: marks, engine: engine)
            return outcomes
        }
    }

    /// One load inside its transaction, from the first result to the city's totals and findings:
    /// the one implementation behind ``apply(_:year:present:among:city:marks:)`` and ``Session``.
    struct Transaction {
        let year: Int
        let city: CityRules
        /// The city's totals and findings were current before this load: only what it changes is recomputed.
        let incremental: Bool
        /// A year with nothing current yet (a first run): its totals are the sum of this load's
        /// facts, kept as they go by instead of read back from the dataset at the end.
        let first: Bool
        private var delta = TotalsDelta()
        private var touched = Set<String>()
        /// The submitters this load has written a version of.
        private var written = Set<String>()

        init(_ db: any SQLSession, year: Int, city: CityRules) throws {
            self.year = year
            self.city = city
            incremental = try Dataset.cityIsCurrent(db, year: year, salt: city.salt)
            first = try !incremental && !Dataset.hasCurrentData(db, year: year)
        }

        /// Loads one result; its facts and findings are let go once written.
        mutating func add(_ p: inout Prepared, _ db: any SQLSession) throws -> LoadOutcome {
            let (outcome, superseded) = try Dataset.load(p, year: year, fresh: first && !written.contains(p.result.submitter), db)
            defer { p.result.facts = []; p.result.findings = [] }
            written.insert(p.result.submitter)
            guard outcome != .unchanged else { return outcome }
            touched.insert(p.result.submitter)
            // A rebuild sums every current fact at the end: no running difference to keep.
            guard incremental || first else { return outcome }
            delta.subtract(superseded)
            delta.add(p.result.facts.map { ($0.code, $0.amount) })
            return outcome
        }

        /// Withdraws the submitters no longer present, brings the totals and the city's findings
        /// up to date and records `marks`.
        mutating func finish(_ db: any SQLSession, present: Set<String>?, among: Set<String>?, marks: [String: String],
                             engine: any DatasetEngine) throws {
            FaultInjection.pauseIfAsked(at: "load")
            if let present {
                for (name, withdrawn) in try Dataset.withdraw(db, year: year, keeping: present, among: among) {
                    touched.insert(name)
                    delta.subtract(withdrawn)
                }
            }
            if incremental { try delta.apply(db, year: year) } else { try Dataset.rebuildTotals(db, year: year, from: first ? delta : nil) }
            try Dataset.recheckCity(db, year: year, city: city, touched: incremental ? touched : nil)
            for (name, value) in marks { try Dataset.setMeta(db, name, value) }
            if touched.count >= Dataset.manyBodies { try engine.refreshStatistics(db) }
            try Dataset.recordLabels(db, index: city.index, salt: city.salt)
        }
    }

    /// A load that changes this many bodies refreshes the engine's statistics.
    static let manyBodies = 256

    struct Prepared {
        var result: SubmitterResult
        var resultHash: String
        var files: String
        var received: String
        /// At least one file is usable (not superseded or quarantined).
        var live: Bool

        init(_ result: SubmitterResult, digest: String? = nil) {
            self.result = result
            resultHash = digest ?? result.digest
            var json = JSONWriter(capacity: 512)
            json.writeArray(result.files)
            files = String(decoding: json.bytes, as: UTF8.self)
            let latest = result.files.filter { $0.status == .current }.map(\.received).max() ?? 0
            received = Timestamp.iso(latest)
            live = result.files.contains { $0.status == .current }
        }
    }

    /// Loads one result; returns what happened and the facts (code, value) it took out of the current data.
    /// - Parameter fresh: the year holds no current version of this submitter (known without
    ///   asking: a first load, each submitter once), so none is looked for.
    fileprivate static func load(_ p: Prepared, year: Int, fresh: Bool, _ db: any SQLSession) throws -> (LoadOutcome, [(String, String?)]) {
        let result = p.result
        try db.execute("INSERT INTO submitter(name, code, level) VALUES (?, ?, ?) ON CONFLICT(name) DO UPDATE SET code = excluded.code, level = excluded.level",
                       [.text(result.submitter), .text(result.code), .text(result.level?.rawValue ?? "")])
        let current = fresh ? nil : try db.one("SELECT \(VersionDigest.columns), id FROM submission WHERE year = ? AND submitter = ? AND supersededBy IS NULL",
                                               [.of(year), .text(result.submitter)]) { (digest: VersionDigest($0), id: $0.integer(3) ?? 0) }
        let outcome: LoadOutcome
        let id: Int64
        var superseded: [(String, String?)] = []
        let contentHash = result.contentHash
        if let current, current.digest.contentHash == contentHash {
            if current.digest.resultHash == p.resultHash { return (.unchanged, []) }
            id = current.id
            superseded = try factValues(db, submission: id)
            try db.execute("DELETE FROM fact WHERE submission = ?", [.integer(id)])
            try db.execute("UPDATE submission SET resultHash = ?, files = ?, live = ?, narrative = ? WHERE id = ?",
                           [.text(p.resultHash), .text(p.files), .boolean(p.live), .of(result.narrative), .integer(id)])
            outcome = .replaced
        } else {
            let columns = "year, submitter, contentHash, resultHash, files, received, live, narrative"
            let values: [SQLValue] = [.of(year), .text(result.submitter), .text(contentHash), .text(p.resultHash), .text(p.files), .text(p.received),
                                      .boolean(p.live), .of(result.narrative)]
            if let given = try db.nextID(in: "submission") {
                try db.execute("INSERT INTO submission(id, \(columns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", [.integer(given)] + values)
                id = given
            } else {
                id = try db.insert("INSERT INTO submission(\(columns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", values)
            }
            if let current {
                superseded = try factValues(db, submission: current.id)
                try db.execute("UPDATE submission SET supersededBy = ? WHERE id = ?", [.integer(id), .integer(current.id)])
            }
            outcome = current == nil ? .first : .newVersion
        }
        try db.insertFacts(submission: id, result.facts)
        try replaceFindings(db, year: year, submitter: result.submitter, result.findings)
        return (outcome, superseded)
    }

    static func factValues(_ db: any SQLSession, submission: Int64) throws -> [(String, String?)] {
        try db.all("SELECT code, value FROM fact WHERE submission = ?", [.integer(submission)]) { ($0.text(0), $0.string(1)) }
    }

    /// Drops each submitter whose files have all left the inbox from the current data (history
    /// stays: its version is marked as superseded by itself). Returns the facts each one took out.
    static func withdraw(_ db: any SQLSession, year: Int, keeping present: Set<String>, among: Set<String>?) throws -> [(String, [(String, String?)])] {
        let rows: [CurrentSubmission]
        let sql = "SELECT \(CurrentSubmission.columns) FROM submission WHERE year = ? AND supersededBy IS NULL"
        if let among {
            rows = try among.sorted().flatMap { try db.all(sql + " AND submitter = ?", [.of(year), .text($0)], CurrentSubmission.init) }
        } else {
            rows = try db.all(sql, [.of(year)], CurrentSubmission.init)
        }
        var out: [(String, [(String, String?)])] = []
        for row in rows where !present.contains(row.submitter) {
            let id = row.id, name = row.submitter
            out.append((name, try factValues(db, submission: id)))
            try db.execute("UPDATE submission SET supersededBy = id WHERE id = ?", [.integer(id)])
            try db.execute("DELETE FROM finding WHERE year = ? AND submitter = ?", [.of(year), .text(name)])
        }
        return out
    }

    /// What each code of the form is called (`form_label`: a cell's row label and its column
    /// apart, as totals.csv gives them), for whoever reads the dataset without the workspace's
    /// form: written again when the form or registry changed.
    static func recordLabels(_ db: any SQLSession, index: FormIndex, salt: String) throws {
        let mark = "form-labels:" + index.form.id
        guard try meta(db, mark) != salt else { return }
        for indicator in index.indicators {
            try db.execute("""
                INSERT INTO form_label(code, label, col) VALUES (?, ?, ?)
                ON CONFLICT(code) DO UPDATE SET label = excluded.label, col = excluded.col
                """, [.text(indicator.code), .text(index.row(of: indicator.code)?.label ?? indicator.label), .text(indicator.column?.path ?? "")])
        }
        try setMeta(db, mark, salt)
    }

    static func replaceFindings(_ db: any SQLSession, year: Int, submitter: String, _ findings: [Finding]) throws {
        try db.execute("DELETE FROM finding WHERE year = ? AND submitter = ?", [.of(year), .text(submitter)])
        try insertFindings(db, year: year, findings)
    }

    static func insertFindings(_ db: any SQLSession, year: Int, _ findings: [Finding], about: String? = nil) throws {
        let sql = "INSERT INTO finding(year, submitter, severity, rule, file, line, col, message, expected, actual, about) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        for f in findings {
            try db.execute(sql, [.of(year), .text(f.submitter), .text(f.severity.rawValue), .text(f.rule.rawValue), .text(f.file), .of(f.line),
                                 .of(f.column), .text(f.message), .text(f.expected), .text(f.actual), .of(about)])
        }
    }
}
