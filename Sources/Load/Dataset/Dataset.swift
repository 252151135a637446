import Core
import Foundation
import GRDB
import Store
import Transform

/// The consolidated dataset, `state/disclosure.sqlite`: submitters, every received version of
/// each submission, the facts of each version, the current findings, and the runs.
///
/// Loading a submitter is one transaction: a process killed half-way leaves the previous state.
public final class Dataset: Sendable {
    let queue: DatabaseQueue

    public init(path: String) throws {
        var config = Configuration()
        config.busyMode = .timeout(30)
        config.prepareDatabase { db in try db.execute(sql: "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL") }
        queue = try DatabaseQueue(path: path, configuration: config)
        try Self.migrator.migrate(queue)
    }

    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE submitter(name TEXT PRIMARY KEY, code TEXT NOT NULL, level TEXT NOT NULL);
                CREATE TABLE submission(
                    id INTEGER PRIMARY KEY, year INTEGER NOT NULL, submitter TEXT NOT NULL,
                    contentHash TEXT NOT NULL, resultHash TEXT NOT NULL, files TEXT NOT NULL,
                    received TEXT NOT NULL, supersededBy INTEGER REFERENCES submission(id));
                CREATE INDEX submission_current ON submission(year, submitter, supersededBy);
                CREATE TABLE fact(
                    submission INTEGER NOT NULL REFERENCES submission(id) ON DELETE CASCADE, code TEXT NOT NULL,
                    value TEXT, derived INTEGER NOT NULL, file TEXT NOT NULL, line INTEGER, raw TEXT NOT NULL, via TEXT NOT NULL,
                    PRIMARY KEY(submission, code));
                CREATE TABLE finding(
                    year INTEGER NOT NULL, submitter TEXT NOT NULL, severity TEXT NOT NULL, rule TEXT NOT NULL,
                    file TEXT NOT NULL, line INTEGER, col INTEGER, message TEXT NOT NULL, expected TEXT NOT NULL, actual TEXT NOT NULL);
                CREATE INDEX finding_year ON finding(year, submitter);
                CREATE TABLE run(id INTEGER PRIMARY KEY, year INTEGER NOT NULL, command TEXT NOT NULL, submitter TEXT,
                    started TEXT NOT NULL, finished TEXT, exitCode INTEGER, summary TEXT);
                """)
        }
        m.registerMigration("v2") { db in
            try db.execute(sql: "CREATE TABLE meta(name TEXT PRIMARY KEY, value TEXT NOT NULL)")
        }
        m.registerMigration("v3") { db in
            try db.execute(sql: "ALTER TABLE fact ADD COLUMN unit TEXT")
        }
        m.registerMigration("v4") { db in
            // The city's running totals, and the submitter a city finding is about (year-over-year
            // warnings are recomputed for the submitters a load touches).
            try db.execute(sql: """
                CREATE TABLE total(year INTEGER NOT NULL, code TEXT NOT NULL, value TEXT NOT NULL,
                    numbers INTEGER NOT NULL, facts INTEGER NOT NULL, PRIMARY KEY(year, code));
                ALTER TABLE finding ADD COLUMN about TEXT;
                UPDATE submission SET supersededBy = id WHERE supersededBy = 0;
                """)
        }
        m.registerMigration("v5") { db in
            // A clock per year that every change to its submissions moves to a fresh random value
            // (triggers, so no write path can forget it), and this database's own identity: the
            // version key of a year is two lookups instead of a pass over every submission, and a
            // database recreated or restored from a backup never repeats a key it had before.
            try db.execute(sql: """
                CREATE TABLE version_clock(year INTEGER PRIMARY KEY, tick INTEGER NOT NULL);
                INSERT INTO version_clock(year, tick) SELECT year, random() FROM (SELECT DISTINCT year FROM submission);
                INSERT INTO meta(name, value) VALUES ('dataset-id', lower(hex(randomblob(16))))
                    ON CONFLICT(name) DO UPDATE SET value = excluded.value;
                CREATE TRIGGER submission_inserted AFTER INSERT ON submission BEGIN
                    INSERT OR IGNORE INTO version_clock(year, tick) VALUES (NEW.year, 0);
                    UPDATE version_clock SET tick = random() WHERE year = NEW.year;
                END;
                CREATE TRIGGER submission_updated AFTER UPDATE ON submission BEGIN
                    INSERT OR IGNORE INTO version_clock(year, tick) VALUES (NEW.year, 0);
                    UPDATE version_clock SET tick = random() WHERE year IN (NEW.year, OLD.year);
                END;
                CREATE TRIGGER submission_deleted AFTER DELETE ON submission BEGIN
                    UPDATE version_clock SET tick = random() WHERE year = OLD.year;
                END;
                """)
        }
        m.registerMigration("v6") { db in
            // Every run counts the year's findings by severity and lists its errors.
            try db.execute(sql: "CREATE INDEX finding_severity ON finding(year, severity)")
        }
        m.registerMigration("v7") { db in
            // Whether a version has a usable file, kept beside its file list: every load asks it
            // of every submitter (who is missing), which was a text search through each list.
            try db.execute(sql: """
                ALTER TABLE submission ADD COLUMN live INTEGER NOT NULL DEFAULT 0;
                UPDATE submission SET live = (files LIKE '%"status":"current"%');
                """)
        }
        m.registerMigration("v8") { db in
            // The column of a matrix table's cell, beside its line (explain names both).
            try db.execute(sql: "ALTER TABLE fact ADD COLUMN col INTEGER")
        }
        m.registerMigration("v9") { db in
            // The text of a body's published report, compared with the year before's.
            try db.execute(sql: "ALTER TABLE submission ADD COLUMN narrative TEXT")
        }
        return m
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
    public func apply(_ results: [SubmitterResult], year: Int, present: Set<String>?, among: Set<String>? = nil, city: CityRules,
                      marks: [String: String] = [:]) throws -> [LoadOutcome] {
        let prepared = parallelMap(results, Prepared.init)
        return try queue.write { db in
            let incremental = try Self.cityIsCurrent(db, year: year, salt: city.salt)
            var delta = TotalsDelta()
            var touched = Set<String>()
            var outcomes: [LoadOutcome] = []
            for p in prepared {
                let (outcome, superseded) = try Self.load(p, year: year, db)
                outcomes.append(outcome)
                guard outcome != .unchanged else { continue }
                touched.insert(p.result.submitter)
                // A rebuild sums every current fact at the end: no running difference to keep.
                guard incremental else { continue }
                delta.subtract(superseded)
                delta.add(p.result.facts.map { ($0.code, $0.amount) })
            }
            FaultInjection.pauseIfAsked(at: "load")
            if let present {
                for (name, withdrawn) in try Self.withdraw(db, year: year, keeping: present, among: among) {
                    touched.insert(name)
                    delta.subtract(withdrawn)
                }
            }
            if incremental { try delta.apply(db, year: year) } else { try Self.rebuildTotals(db, year: year) }
            try Self.recheckCity(db, year: year, city: city, touched: incremental ? touched : nil)
            for (name, value) in marks { try Self.setMeta(db, name, value) }
            return outcomes
        }
    }

    struct Prepared {
        var result: SubmitterResult
        var resultHash: String
        var files: String
        var received: String
        /// At least one file is usable (not superseded or quarantined).
        var live: Bool

        init(_ result: SubmitterResult) {
            self.result = result
            resultHash = result.digest
            var json = JSONWriter(capacity: 512)
            json.writeArray(result.files)
            files = String(decoding: json.bytes, as: UTF8.self)
            let latest = result.files.filter { $0.status == .current }.map(\.received).max() ?? 0
            received = Timestamp.iso(latest)
            live = result.files.contains { $0.status == .current }
        }
    }

    /// Loads one result; returns what happened and the facts (code, value) it took out of the current data.
    private static func load(_ p: Prepared, year: Int, _ db: GRDB.Database) throws -> (LoadOutcome, [(String, String?)]) {
        let result = p.result
        try db.cachedStatement(sql: "INSERT INTO submitter(name, code, level) VALUES (?, ?, ?) ON CONFLICT(name) DO UPDATE SET code = excluded.code, level = excluded.level")
            .execute(arguments: [result.submitter, result.code, result.level?.rawValue ?? ""])
        let current = try Row.fetchOne(db.cachedStatement(sql: "SELECT id, contentHash, resultHash FROM submission WHERE year = ? AND submitter = ? AND supersededBy IS NULL"),
                                       arguments: [year, result.submitter])
        let outcome: LoadOutcome
        let id: Int64
        var superseded: [(String, String?)] = []
        let contentHash = result.contentHash
        if let current, current["contentHash"] as String == contentHash {
            if current["resultHash"] as String == p.resultHash { return (.unchanged, []) }
            id = current["id"]
            superseded = try factValues(db, submission: id)
            try db.execute(sql: "DELETE FROM fact WHERE submission = ?", arguments: [id])
            try db.execute(sql: "UPDATE submission SET resultHash = ?, files = ?, live = ?, narrative = ? WHERE id = ?",
                           arguments: [p.resultHash, p.files, p.live, result.narrative, id])
            outcome = .replaced
        } else {
            try db.cachedStatement(sql: "INSERT INTO submission(year, submitter, contentHash, resultHash, files, received, live, narrative) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
                .execute(arguments: [year, result.submitter, contentHash, p.resultHash, p.files, p.received, p.live, result.narrative])
            id = db.lastInsertedRowID
            if let current {
                superseded = try factValues(db, submission: current["id"])
                try db.execute(sql: "UPDATE submission SET supersededBy = ? WHERE id = ?", arguments: [id, current["id"] as Int64])
            }
            outcome = current == nil ? .first : .newVersion
        }
        try insertFacts(db, submission: id, result.facts)
        try replaceFindings(db, year: year, submitter: result.submitter, result.findings)
        return (outcome, superseded)
    }

    /// Rows a fact insert statement carries: one statement a chunk, not one a cell.
    static let factsPerStatement = 64

    /// The insert statement's text for 1…`factsPerStatement` rows (at index count - 1), made once.
    static let factInsertSQL: [String] = (1...factsPerStatement).map { count in
        "INSERT INTO fact(submission, code, value, unit, derived, file, line, col, raw, via) VALUES "
            + repeatElement("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", count: count).joined(separator: ", ")
    }

    /// Inserts a submission's facts, `factsPerStatement` rows a statement, each value bound
    /// straight to the statement: a national body is about 190 cells, and arguments built as
    /// boxed values a cell cost more than SQLite's own work.
    static func insertFacts(_ db: GRDB.Database, submission id: Int64, _ facts: [Fact]) throws {
        var start = facts.startIndex
        while start < facts.endIndex {
            let end = min(start + factsPerStatement, facts.endIndex)
            let statement = try db.cachedStatement(sql: factInsertSQL[end - start - 1])
            // Marks the statement's arguments as set (none yet) so that execute() keeps the bindings below.
            statement.setUncheckedArguments(StatementArguments())
            let handle = statement.sqliteStatement
            var index: CInt = 0
            func bind(_ value: some StatementBinding) throws {
                index += 1
                let code = value.bind(to: handle, at: index)
                guard code == 0 else { throw DatabaseError(resultCode: ResultCode(rawValue: code), message: "binding fact value \(index)") }
            }
            func bind(_ value: (some StatementBinding)?) throws {
                if let value { try bind(value) } else { try bind(DatabaseValue.null) }
            }
            for f in facts[start..<end] {
                try bind(id)
                try bind(f.code)
                try bind(f.amount)
                try bind(f.unit)
                try bind(Int64(f.derived ? 1 : 0))
                try bind(f.file)
                try bind(f.line.map(Int64.init))
                try bind(f.column.map(Int64.init))
                try bind(f.raw)
                try bind(f.via)
            }
            try statement.execute()
            start = end
        }
    }

    static func factValues(_ db: GRDB.Database, submission: Int64) throws -> [(String, String?)] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT code, value FROM fact WHERE submission = ?"), arguments: [submission])
            .map { ($0[0], $0[1]) }
    }

    /// Drops each submitter whose files have all left the inbox from the current data (history
    /// stays: its version is marked as superseded by itself). Returns the facts each one took out.
    static func withdraw(_ db: GRDB.Database, year: Int, keeping present: Set<String>, among: Set<String>?) throws -> [(String, [(String, String?)])] {
        let rows: [CurrentSubmission]
        let sql = "SELECT \(CurrentSubmission.columns) FROM submission WHERE year = ? AND supersededBy IS NULL"
        if let among {
            let one = try db.cachedStatement(sql: sql + " AND submitter = ?")
            rows = try among.sorted().flatMap { try CurrentSubmission.fetchAll(one, arguments: [year, $0]) }
        } else {
            rows = try CurrentSubmission.fetchAll(db, sql: sql, arguments: [year])
        }
        var out: [(String, [(String, String?)])] = []
        for row in rows where !present.contains(row.submitter) {
            let id = row.id, name = row.submitter
            out.append((name, try factValues(db, submission: id)))
            try db.execute(sql: "UPDATE submission SET supersededBy = id WHERE id = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM finding WHERE year = ? AND submitter = ?", arguments: [year, name])
        }
        return out
    }

    static func replaceFindings(_ db: GRDB.Database, year: Int, submitter: String, _ findings: [Finding]) throws {
        try db.cachedStatement(sql: "DELETE FROM finding WHERE year = ? AND submitter = ?").execute(arguments: [year, submitter])
        try insertFindings(db, year: year, findings)
    }

    static func insertFindings(_ db: GRDB.Database, year: Int, _ findings: [Finding], about: String? = nil) throws {
        let insert = try db.cachedStatement(sql: "INSERT INTO finding(year, submitter, severity, rule, file, line, col, message, expected, actual, about) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        for f in findings {
            try insert.execute(arguments: [year, f.submitter, f.severity.rawValue, f.rule.rawValue, f.file, f.line, f.column, f.message, f.expected, f.actual, about])
        }
    }
}
