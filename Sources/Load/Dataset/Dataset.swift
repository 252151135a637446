import Extract
import Foundation
import GRDB
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
        return m
    }

    public enum LoadOutcome: String, Sendable { case unchanged, replaced, newVersion, first }

    /// One load in one transaction: the submitters' results, the withdrawal of submitters with
    /// nothing left in the inbox (when `present` is given), and the city's own findings computed
    /// from the facts as they then stand. A process killed half-way leaves the previous state.
    /// - Parameter salt: what else the city's findings depend on (registry, form); recorded with
    ///   the versions they were computed from, see ``cityFindingsAreCurrent(year:salt:)``.
    /// - Parameter marks: meta entries to record in the same transaction (what this load covered).
    public func apply(_ results: [SubmitterResult], year: Int, present: Set<String>?, salt: String = "", marks: [String: String] = [:],
                      cityFindings: (_ facts: [CurrentFact], _ submitted: Set<String>) -> [Finding]) throws -> (outcomes: [LoadOutcome], facts: [CurrentFact]) {
        let dates = ISO8601DateFormatter()
        let prepared = results.map { Prepared($0, dates: dates) }
        return try queue.write { db in
            let outcomes = try prepared.map { try Self.load($0, year: year, db) }
            Tracing.mark?("load.sql")
            FaultInjection.pauseIfAsked(at: "load")
            if let present { try Self.withdraw(db, year: year, keeping: present) }
            let facts = try Self.currentFacts(db, year: year)
            Tracing.mark?("load.facts")
            let submitted = try Self.submittersWithCurrentData(db, year: year)
            try Self.replaceFindings(db, year: year, submitter: Consolidation.cityName, cityFindings(facts, submitted))
            try Self.setMeta(db, "city-findings:\(year)", try Self.versionKey(db, year: year) + ":" + salt)
            for (name, value) in marks { try Self.setMeta(db, name, value) }
            return (outcomes, facts)
        }
    }

    struct Prepared {
        var result: SubmitterResult
        var resultHash: String
        var files: String
        var received: String

        init(_ result: SubmitterResult, dates: ISO8601DateFormatter) {
            self.result = result
            resultHash = result.digest
            var json = JSONWriter(capacity: 512)
            json.writeArray(result.files)
            files = String(decoding: json.bytes, as: UTF8.self)
            let latest = result.files.filter { $0.status == .current }.map(\.received).max() ?? 0
            received = dates.string(from: Date(timeIntervalSince1970: latest))
        }
    }

    private static func load(_ p: Prepared, year: Int, _ db: GRDB.Database) throws -> LoadOutcome {
        let result = p.result
        try db.cachedStatement(sql: "INSERT INTO submitter(name, code, level) VALUES (?, ?, ?) ON CONFLICT(name) DO UPDATE SET code = excluded.code, level = excluded.level")
            .execute(arguments: [result.submitter, result.code, result.level?.rawValue ?? ""])
        let current = try Row.fetchOne(db.cachedStatement(sql: "SELECT id, contentHash, resultHash FROM submission WHERE year = ? AND submitter = ? AND supersededBy IS NULL"),
                                       arguments: [year, result.submitter])
        let outcome: LoadOutcome
        let id: Int64
        let contentHash = result.contentHash
        if let current, current["contentHash"] as String == contentHash {
            if current["resultHash"] as String == p.resultHash { return .unchanged }
            id = current["id"]
            try db.execute(sql: "DELETE FROM fact WHERE submission = ?", arguments: [id])
            try db.execute(sql: "UPDATE submission SET resultHash = ?, files = ? WHERE id = ?", arguments: [p.resultHash, p.files, id])
            outcome = .replaced
        } else {
            try db.cachedStatement(sql: "INSERT INTO submission(year, submitter, contentHash, resultHash, files, received) VALUES (?, ?, ?, ?, ?, ?)")
                .execute(arguments: [year, result.submitter, contentHash, p.resultHash, p.files, p.received])
            id = db.lastInsertedRowID
            if let current {
                try db.execute(sql: "UPDATE submission SET supersededBy = ? WHERE id = ?", arguments: [id, current["id"] as Int64])
            }
            outcome = current == nil ? .first : .newVersion
        }
        let insert = try db.cachedStatement(sql: "INSERT INTO fact(submission, code, value, unit, derived, file, line, raw, via) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
        for f in result.facts {
            try insert.execute(arguments: [id, f.code, f.amount, f.unit, f.derived, f.file, f.line, f.raw, f.via])
        }
        try replaceFindings(db, year: year, submitter: result.submitter, result.findings)
        return outcome
    }

    /// Drops a submitter whose files have all left the inbox from the current data (history stays).
    static func withdraw(_ db: GRDB.Database, year: Int, keeping present: Set<String>) throws {
        let names = try String.fetchAll(db, sql: "SELECT DISTINCT submitter FROM submission WHERE year = ? AND supersededBy IS NULL", arguments: [year])
        for name in names where !present.contains(name) {
            try db.execute(sql: "UPDATE submission SET supersededBy = 0 WHERE year = ? AND submitter = ? AND supersededBy IS NULL", arguments: [year, name])
            try db.execute(sql: "DELETE FROM finding WHERE year = ? AND submitter = ?", arguments: [year, name])
        }
    }

    static func replaceFindings(_ db: GRDB.Database, year: Int, submitter: String, _ findings: [Finding]) throws {
        try db.cachedStatement(sql: "DELETE FROM finding WHERE year = ? AND submitter = ?").execute(arguments: [year, submitter])
        let insert = try db.cachedStatement(sql: "INSERT INTO finding(year, submitter, severity, rule, file, line, col, message, expected, actual) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        for f in findings {
            try insert.execute(arguments: [year, f.submitter, f.severity.rawValue, f.rule.rawValue, f.file, f.line, f.column, f.message, f.expected, f.actual])
        }
    }
}
