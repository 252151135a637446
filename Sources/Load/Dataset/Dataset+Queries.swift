import Core
import Foundation
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
        try engine.read { db in try Self.currentFacts(db, year: year) }
    }

    static func currentFacts(_ db: any SQLSession, year: Int) throws -> [CurrentFact] {
        var out: [CurrentFact] = []
        try eachSubmittersFacts(db, year: year) { _, facts in out += facts }
        return out
    }

    /// Every submitter's current facts, a submitter at a time in name order, so that a caller
    /// that renders and lets go of them holds one submitter's rows, not a province's.
    public func eachSubmittersFacts(year: Int, _ body: (String, [CurrentFact]) throws -> Void) throws {
        try engine.read { db in try Self.eachSubmittersFacts(db, year: year, body) }
    }

    static func eachSubmittersFacts(_ db: any SQLSession, year: Int, _ body: (String, [CurrentFact]) throws -> Void) throws {
        // A cursor over reused rows, columns by position: the province's 10,000 facts in milliseconds.
        var group: [CurrentFact] = []
        var submitter = ""
        func hand() throws {
            guard !group.isEmpty else { return }
            // By code, as SQLite compares text (bytes). A submission's facts come in that order
            // from its primary key, so asking SQL to sort them made a temporary tree of every row.
            if group.indices.dropFirst().contains(where: { !group[$0 - 1].code.bytesPrecede(group[$0].code) }) {
                group.sort { $0.code.bytesPrecede($1.code) }
            }
            try body(submitter, group)
        }
        try db.stream("""
            SELECT \(CurrentFact.columns) FROM fact f
            JOIN submission s ON s.id = f.submission
            WHERE s.year = ? AND s.supersededBy IS NULL ORDER BY s.submitter
            """, [.of(year)]) { row in
            var fact = CurrentFact(row, after: group.last)
            if fact.submitter != submitter {
                try hand()
                group.removeAll(keepingCapacity: true)
                submitter = fact.submitter
            } else {
                fact.submitter = submitter  // one shared string per submitter
            }
            group.append(fact)
        }
        try hand()
    }

    /// The current facts of the named submitters only.
    public func currentFacts(year: Int, of names: Set<String>) throws -> [CurrentFact] {
        try engine.read { db in
            let sql = """
                SELECT \(CurrentFact.columns) FROM fact f
                JOIN submission s ON s.id = f.submission
                WHERE s.year = ? AND s.submitter = ? AND s.supersededBy IS NULL ORDER BY f.code
                """
            return try names.sorted().flatMap { try db.all(sql, [.of(year), .text($0)]) { CurrentFact($0) } }
        }
    }

    /// Every submitter's current fact of one code (what `explain` lists), in name order.
    public func currentFacts(year: Int, code: String) throws -> [CurrentFact] {
        try engine.read { db in
            try db.all("""
                SELECT \(CurrentFact.columns) FROM fact f
                JOIN submission s ON s.id = f.submission
                WHERE s.year = ? AND s.supersededBy IS NULL AND f.code = ? ORDER BY s.submitter
                """, [.of(year), .text(code)]) { CurrentFact($0) }
        }
    }

    /// Each named submitter's current headline figures (last year's, for the year-over-year columns).
    public func headlineFacts(year: Int, codes: [String], of names: Set<String>?) throws -> [String: [String: CurrentFact]] {
        try engine.read { db in try Self.headlineFacts(db, year: year, codes: codes, of: names) }
    }

    public func facts(submission: Int64) throws -> [CurrentFact] {
        try engine.read { db in
            try db.all("""
                SELECT \(CurrentFact.columns) FROM fact f
                JOIN submission s ON s.id = f.submission WHERE s.id = ? ORDER BY f.code
                """, [.integer(submission)]) { CurrentFact($0) }
        }
    }

    public func findingCounts(year: Int) throws -> [Severity: Int] {
        try engine.read { db in
            var out: [Severity: Int] = [:]
            try db.each("SELECT severity, count(*) AS n FROM finding WHERE year = ? GROUP BY severity", [.of(year)]) { row in
                if let s = Severity(rawValue: row.text(0)) { out[s] = row.int(1) ?? 0 }
            }
            return out
        }
    }

    public func findings(year: Int, severity: Severity? = nil) throws -> [Finding] {
        try engine.read { db in
            let sql = "SELECT \(StoredFinding.columns) FROM finding WHERE year = ?" + (severity == nil ? "" : " AND severity = ?")
            let args: [SQLValue] = severity.map { [.of(year), .text($0.rawValue)] } ?? [.of(year)]
            return try db.all(sql, args, StoredFinding.init).compactMap(\.finding).sorted()
        }
    }

    /// The findings of the named submitters, each list in the order of every findings list.
    public func findings(year: Int, of names: Set<String>) throws -> [String: [Finding]] {
        try engine.read { db in
            let sql = "SELECT \(StoredFinding.columns) FROM finding WHERE year = ? AND submitter = ?"
            var out: [String: [Finding]] = [:]
            for name in names { out[name] = try db.all(sql, [.of(year), .text(name)], StoredFinding.init).compactMap(\.finding).sorted() }
            return out
        }
    }

    /// Every version of every submitter of the year, newest first within a submitter.
    public func versions(year: Int, submitter: String? = nil) throws -> [SubmissionVersion] {
        try engine.read { db in
            var sql = "SELECT \(SubmissionVersion.columns) FROM submission WHERE year = ?"
            var args: [SQLValue] = [.of(year)]
            if let submitter { sql += " AND submitter = ?"; args.append(.text(submitter)) }
            return try db.all(sql + " ORDER BY submitter, id DESC", args, SubmissionVersion.init)
        }
    }

    /// Submitters with a current version, whether or not any of its files could be read.
    static func submittersWithCurrentVersion(_ db: any SQLSession, year: Int) throws -> Set<ByteString> {
        var out = Set<ByteString>()
        try db.each("SELECT submitter FROM submission WHERE year = ? AND supersededBy IS NULL", [.of(year)]) { out.insert(ByteString($0.text(0))) }
        return out
    }

    /// The submitters whose current version has files and none that could be read, with those
    /// files: of the named submitters, or of all when nil.
    static func submittersWithNothingRead(_ db: any SQLSession, year: Int, of names: Set<String>?) throws -> [String: [FileState]] {
        var out: [String: [FileState]] = [:]
        let sql = "SELECT \(SubmissionVersion.columns) FROM submission WHERE year = ? AND supersededBy IS NULL AND NOT live"
        let take = { (row: any SQLRow) in
            let version = SubmissionVersion(row)
            if !version.files.isEmpty { out[version.submitter] = version.files }
        }
        // The named ones through the year and submitter's index: a rerun's one body, not the year's every version.
        if let names {
            for name in names.sorted() { try db.each(sql + " AND submitter = ?", [.of(year), .text(name)], take) }
        } else {
            try db.each(sql, [.of(year)], take)
        }
        return out
    }

    /// Submitters whose current version has at least one usable (not quarantined) file.
    static func submittersWithCurrentData(_ db: any SQLSession, year: Int) throws -> Set<ByteString> {
        var out = Set<ByteString>()
        try db.each("SELECT submitter FROM submission WHERE year = ? AND supersededBy IS NULL AND live", [.of(year)]) { out.insert(ByteString($0.text(0))) }
        return out
    }

    /// Each submitter's current version as (content hash, result digest).
    public func currentVersions(year: Int) throws -> [String: Loaded] {
        try engine.read { db in
            var out: [String: Loaded] = [:]
            let sql = "SELECT \(VersionDigest.columns) FROM submission WHERE year = ? AND supersededBy IS NULL"
            try db.each(sql, [.of(year)]) { row in
                let version = VersionDigest(row)
                out[version.submitter] = Loaded(contentHash: version.contentHash, digest: version.resultHash)
            }
            return out
        }
    }

    /// Each submitter's current result digest, with its digest of the year before (empty when it
    /// had none), in the order of the names' UTF-8 bytes.
    public func currentDigests(year: Int) throws -> [(name: String, digest: String, before: String)] {
        try engine.read { db in
            // Both years in the names' byte order (SQLite's BINARY collation, PostgreSQL's "C"),
            // merged in one pass: cheaper than a join's look-up a row.
            let sql = "SELECT submitter, resultHash FROM submission WHERE year = ? AND supersededBy IS NULL ORDER BY submitter"
            let last = try db.all(sql, [.of(year - 1)]) { (name: ByteString($0.text(0)), digest: $0.text(1)) }
            var at = last.startIndex
            var out: [(name: String, digest: String, before: String)] = []
            try db.each(sql, [.of(year)]) { row in
                let name = row.text(0)
                var before = ""
                if at < last.endIndex {
                    let key = ByteString(name)
                    while at < last.endIndex, last[at].name < key { at += 1 }
                    if at < last.endIndex, last[at].name == key { before = last[at].digest }
                }
                out.append((name, row.text(1), before))
            }
            return out
        }
    }

    /// Identifies the current versions of this year and the last (for year-over-year figures):
    /// changes whenever a submission of either year is added, replaced, superseded or withdrawn.
    static func versionKey(_ db: any SQLSession, year: Int) throws -> String {
        var key = try meta(db, "dataset-id") ?? ""
        try db.each("SELECT year, tick FROM version_clock WHERE year IN (?, ?) ORDER BY year", [.of(year - 1), .of(year)]) { row in
            key += ":\(row.integer(0) ?? 0)=\(row.integer(1) ?? 0)"
        }
        return key
    }

    public func meta(_ name: String) throws -> String? {
        try engine.read { db in try Self.meta(db, name) }
    }

    public func setMeta(_ name: String, _ value: String) throws {
        try engine.write { db in try Self.setMeta(db, name, value) }
    }

    static func setMeta(_ db: any SQLSession, _ name: String, _ value: String) throws {
        try db.execute("INSERT INTO meta(name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value",
                       [.text(name), .text(value)])
    }

    /// True when the city's findings and totals were computed from the current versions and the same `salt`.
    public func cityFindingsAreCurrent(year: Int, salt: String) throws -> Bool {
        // Totals never built (a dataset from before they existed) count as stale too: a load builds them.
        try engine.read { db in try Self.cityIsCurrent(db, year: year, salt: salt) }
    }

    /// Changes whenever anything the year's outputs are made of changes: the current versions of
    /// this year and the last (year-over-year figures), and the city's own findings.
    public func reportKey(year: Int) throws -> String {
        try engine.read { db in
            var h = SHA256()
            h.update(Array(try Self.versionKey(db, year: year).utf8))
            try db.each("SELECT rule || '|' || file || '|' || message || '|' || expected || '|' || actual AS line FROM finding WHERE year = ? AND submitter = ? ORDER BY line",
                        [.of(year), .text(Consolidation.cityName)]) { h.update(Array($0.text(0).utf8)) }
            return h.finalize()
        }
    }

    /// True when no submission of any year was ever loaded.
    public func isEmpty() throws -> Bool {
        try engine.read { db in try db.one("SELECT NOT EXISTS(SELECT 1 FROM submission)", []) { $0.boolean(0) } ?? true }
    }

    /// True when the last run recorded never finished (it was killed): it may have left temporary files.
    public func lastRunWasCut() throws -> Bool {
        try engine.read { db in
            try db.one("SELECT finished FROM run ORDER BY id DESC LIMIT 1", []) { $0.string(0) == nil } ?? false
        }
    }

    public func beginRun(year: Int, command: String, submitter: String?) throws -> Int64 {
        try engine.write { db in
            try db.insert("INSERT INTO run(year, command, submitter, started) VALUES (?, ?, ?, ?)",
                          [.of(year), .text(command), .of(submitter), .text(Timestamp.now())])
        }
    }

    public func finishRun(_ id: Int64, exitCode: Int32, summary: String) throws {
        try engine.write { db in
            try db.execute("UPDATE run SET finished = ?, exitCode = ?, summary = ? WHERE id = ?",
                           [.text(Timestamp.now()), .of(Int(exitCode)), .text(summary), .integer(id)])
        }
    }
}
