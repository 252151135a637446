import Core
import Foundation
import GRDB
import Store
import Transform

/// One submitter's figure in the current data.
public struct CurrentFact: Sendable, Hashable {
    public var submitter: String
    public var code: String
    public var value: Decimal?
    public var derived: Bool
    public var file: String
    public var line: Int?
    public var raw: String
    /// How it was matched or derived (Fact.via): "items" and "sum" are derived figures.
    public var via: String
    /// The cell's column in its file, for a matrix table.
    public var column: Int?
}

extension CurrentFact {
    /// The figure as the cross-year rules see it.
    public var figure: ReportedFigure {
        ReportedFigure(submitter: submitter, code: code, value: value, file: file, line: line, column: column)
    }

    /// What the `derived` column of the exports says: how the figure was derived, if it was.
    public var derivation: String {
        guard derived else { return "" }
        return via == Fact.viaSum ? "分项合计" : "目录统计"
    }
}

/// One received version of a submission.
public struct SubmissionVersion: Sendable, Hashable {
    public var id: Int64
    public var submitter: String
    public var contentHash: String
    public var received: String
    public var files: [FileState]
    public var current: Bool
}

extension Dataset {
    public func currentFacts(year: Int) throws -> [CurrentFact] {
        try queue.read { db in try Self.currentFacts(db, year: year) }
    }

    static func currentFacts(_ db: GRDB.Database, year: Int) throws -> [CurrentFact] {
        var out: [CurrentFact] = []
        try eachSubmittersFacts(db, year: year) { _, facts in out += facts }
        return out
    }

    /// Every submitter's current facts, a submitter at a time in name order, so that a caller
    /// that renders and lets go of them holds one submitter's rows, not a province's.
    public func eachSubmittersFacts(year: Int, _ body: (String, [CurrentFact]) throws -> Void) throws {
        try queue.read { db in try Self.eachSubmittersFacts(db, year: year, body) }
    }

    static func eachSubmittersFacts(_ db: GRDB.Database, year: Int, _ body: (String, [CurrentFact]) throws -> Void) throws {
        // A cursor over reused rows, columns by position: the province's 10,000 facts in milliseconds.
        let rows = try Row.fetchCursor(db, sql: """
            SELECT \(CurrentFact.columns) FROM fact f
            JOIN submission s ON s.id = f.submission
            WHERE s.year = ? AND s.supersededBy IS NULL ORDER BY s.submitter, f.code
            """, arguments: [year])
        var group: [CurrentFact] = []
        var submitter = ""
        while let row = try rows.next() {
            var fact = CurrentFact(row: row)
            if fact.submitter != submitter {
                if !group.isEmpty { try body(submitter, group) }
                group.removeAll(keepingCapacity: true)
                submitter = fact.submitter
            } else {
                fact.submitter = submitter  // one shared string per submitter
            }
            group.append(fact)
        }
        if !group.isEmpty { try body(submitter, group) }
    }

    /// The current facts of the named submitters only.
    public func currentFacts(year: Int, of names: Set<String>) throws -> [CurrentFact] {
        try queue.read { db in
            let statement = try db.cachedStatement(sql: """
                SELECT \(CurrentFact.columns) FROM fact f
                JOIN submission s ON s.id = f.submission
                WHERE s.year = ? AND s.submitter = ? AND s.supersededBy IS NULL ORDER BY f.code
                """)
            return try names.sorted().flatMap { try CurrentFact.fetchAll(statement, arguments: [year, $0]) }
        }
    }

    /// Every submitter's current fact of one code (what `explain` lists), in name order.
    public func currentFacts(year: Int, code: String) throws -> [CurrentFact] {
        try queue.read { db in
            try CurrentFact.fetchAll(db, sql: """
                SELECT \(CurrentFact.columns) FROM fact f
                JOIN submission s ON s.id = f.submission
                WHERE s.year = ? AND s.supersededBy IS NULL AND f.code = ? ORDER BY s.submitter
                """, arguments: [year, code])
        }
    }

    /// Each named submitter's current headline figures (last year's, for the year-over-year columns).
    public func headlineFacts(year: Int, codes: [String], of names: Set<String>?) throws -> [String: [String: CurrentFact]] {
        try queue.read { db in try Self.headlineFacts(db, year: year, codes: codes, of: names) }
    }

    public func facts(submission: Int64) throws -> [CurrentFact] {
        try queue.read { db in
            try CurrentFact.fetchAll(db, sql: """
                SELECT \(CurrentFact.columns) FROM fact f
                JOIN submission s ON s.id = f.submission WHERE s.id = ? ORDER BY f.code
                """, arguments: [submission])
        }
    }

    public func findingCounts(year: Int) throws -> [Severity: Int] {
        try queue.read { db in
            var out: [Severity: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT severity, count(*) AS n FROM finding WHERE year = ? GROUP BY severity", arguments: [year]) {
                if let s = Severity(rawValue: row["severity"]) { out[s] = row["n"] }
            }
            return out
        }
    }

    public func findings(year: Int, severity: Severity? = nil) throws -> [Finding] {
        try queue.read { db in
            let sql = "SELECT \(StoredFinding.columns) FROM finding WHERE year = ?" + (severity == nil ? "" : " AND severity = ?")
            let args: StatementArguments = severity.map { [year, $0.rawValue] } ?? [year]
            return try StoredFinding.fetchAll(db, sql: sql, arguments: args).compactMap(\.finding).sorted()
        }
    }

    /// The findings of the named submitters, each list in the order of every findings list.
    public func findings(year: Int, of names: Set<String>) throws -> [String: [Finding]] {
        try queue.read { db in
            let statement = try db.cachedStatement(sql: "SELECT \(StoredFinding.columns) FROM finding WHERE year = ? AND submitter = ?")
            var out: [String: [Finding]] = [:]
            for name in names { out[name] = try StoredFinding.fetchAll(statement, arguments: [year, name]).compactMap(\.finding).sorted() }
            return out
        }
    }

    /// Every version of every submitter of the year, newest first within a submitter.
    public func versions(year: Int, submitter: String? = nil) throws -> [SubmissionVersion] {
        try queue.read { db in
            var sql = "SELECT * FROM submission WHERE year = ?"
            var args: StatementArguments = [year]
            if let submitter { sql += " AND submitter = ?"; args += [submitter] }
            return try SubmissionVersion.fetchAll(db, sql: sql + " ORDER BY submitter, id DESC", arguments: args)
        }
    }

    /// Submitters with a current version, whether or not any of its files could be read.
    static func submittersWithCurrentVersion(_ db: GRDB.Database, year: Int) throws -> Set<ByteString> {
        var out = Set<ByteString>()
        let names = try String.fetchCursor(db, sql: "SELECT submitter FROM submission WHERE year = ? AND supersededBy IS NULL", arguments: [year])
        while let name = try names.next() { out.insert(ByteString(name)) }
        return out
    }

    /// The submitters whose current version has files and none that could be read, with those
    /// files: of the named submitters, or of all when nil.
    static func submittersWithNothingRead(_ db: GRDB.Database, year: Int, of names: Set<String>?) throws -> [String: [FileState]] {
        var out: [String: [FileState]] = [:]
        let rows = try SubmissionVersion.fetchCursor(db, sql: """
            SELECT * FROM submission WHERE year = ? AND supersededBy IS NULL AND NOT live
            """, arguments: [year])
        while let version = try rows.next() {
            guard names?.contains(version.submitter) ?? true, !version.files.isEmpty else { continue }
            out[version.submitter] = version.files
        }
        return out
    }

    /// Submitters whose current version has at least one usable (not quarantined) file.
    static func submittersWithCurrentData(_ db: GRDB.Database, year: Int) throws -> Set<ByteString> {
        var out = Set<ByteString>()
        let names = try String.fetchCursor(db, sql: "SELECT submitter FROM submission WHERE year = ? AND supersededBy IS NULL AND live",
                                           arguments: [year])
        while let name = try names.next() { out.insert(ByteString(name)) }
        return out
    }

    /// Each submitter's current version as (content hash, result digest).
    public func currentVersions(year: Int) throws -> [String: Loaded] {
        try queue.read { db in
            var out: [String: Loaded] = [:]
            let sql = "SELECT \(VersionDigest.columns) FROM submission WHERE year = ? AND supersededBy IS NULL"
            for row in try VersionDigest.fetchAll(db, sql: sql, arguments: [year]) {
                out[row.submitter] = Loaded(contentHash: row.contentHash, digest: row.resultHash)
            }
            return out
        }
    }

    /// Each submitter's current result digest, with its digest of the year before (empty when it
    /// had none), in the order of the names' UTF-8 bytes.
    public func currentDigests(year: Int) throws -> [(name: String, digest: String, before: String)] {
        try queue.read { db in
            // Both years in the names' byte order (SQLite's BINARY collation), merged in one pass:
            // cheaper than a join's look-up a row.
            let sql = "SELECT submitter, resultHash FROM submission WHERE year = ? AND supersededBy IS NULL ORDER BY submitter"
            let rows = try Row.fetchCursor(db, sql: sql, arguments: [year])
            let last = try Row.fetchCursor(db, sql: sql, arguments: [year - 1])
            var pending: (name: ByteString, digest: String)?
            func next() throws -> (name: ByteString, digest: String)? {
                try last.next().map { (ByteString($0[0] as String), $0[1]) }
            }
            pending = try next()
            var out: [(name: String, digest: String, before: String)] = []
            while let row = try rows.next() {
                let name: String = row[0]
                var before = ""
                if pending != nil {
                    let key = ByteString(name)
                    while let p = pending, p.name < key { pending = try next() }
                    if let p = pending, p.name == key { before = p.digest }
                }
                out.append((name, row[1], before))
            }
            return out
        }
    }

    /// Identifies the current versions of this year and the last (for year-over-year figures):
    /// changes whenever a submission of either year is added, replaced, superseded or withdrawn.
    static func versionKey(_ db: GRDB.Database, year: Int) throws -> String {
        var key = try meta(db, "dataset-id") ?? ""
        let rows = try Row.fetchCursor(db.cachedStatement(sql: "SELECT year, tick FROM version_clock WHERE year IN (?, ?) ORDER BY year"),
                                       arguments: [year - 1, year])
        while let row = try rows.next() {
            let y: Int = row[0], tick: Int64 = row[1]
            key += ":\(y)=\(tick)"
        }
        return key
    }

    public func meta(_ name: String) throws -> String? {
        try queue.read { db in try Self.meta(db, name) }
    }

    public func setMeta(_ name: String, _ value: String) throws {
        try queue.write { db in try Self.setMeta(db, name, value) }
    }

    static func setMeta(_ db: GRDB.Database, _ name: String, _ value: String) throws {
        try db.execute(sql: "INSERT INTO meta(name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value",
                       arguments: [name, value])
    }

    /// True when the city's findings and totals were computed from the current versions and the same `salt`.
    public func cityFindingsAreCurrent(year: Int, salt: String) throws -> Bool {
        // Totals never built (a dataset from before they existed) count as stale too: a load builds them.
        try queue.read { db in try Self.cityIsCurrent(db, year: year, salt: salt) }
    }

    /// Changes whenever anything the year's outputs are made of changes: the current versions of
    /// this year and the last (year-over-year figures), and the city's own findings.
    public func reportKey(year: Int) throws -> String {
        try queue.read { db in
            var h = SHA256()
            h.update(Array(try Self.versionKey(db, year: year).utf8))
            let city = try String.fetchCursor(db, sql: "SELECT rule || '|' || file || '|' || message || '|' || expected || '|' || actual AS line FROM finding WHERE year = ? AND submitter = ? ORDER BY line",
                                              arguments: [year, Consolidation.cityName])
            while let line = try city.next() { h.update(Array(line.utf8)) }
            return h.finalize()
        }
    }

    /// True when the last run recorded never finished (it was killed): it may have left temporary files.
    public func lastRunWasCut() throws -> Bool {
        try queue.read { db in
            try Row.fetchOne(db, sql: "SELECT finished FROM run ORDER BY id DESC LIMIT 1").map { ($0[0] as String?) == nil } ?? false
        }
    }

    public func beginRun(year: Int, command: String, submitter: String?) throws -> Int64 {
        try queue.write { db in
            try db.execute(sql: "INSERT INTO run(year, command, submitter, started) VALUES (?, ?, ?, ?)",
                           arguments: [year, command, submitter, Timestamp.now()])
            return db.lastInsertedRowID
        }
    }

    public func finishRun(_ id: Int64, exitCode: Int32, summary: String) throws {
        try queue.write { db in
            try db.execute(sql: "UPDATE run SET finished = ?, exitCode = ?, summary = ? WHERE id = ?",
                           arguments: [Timestamp.now(), exitCode, summary, id])
        }
    }
}
