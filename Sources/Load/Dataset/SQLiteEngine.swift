import Core
import Foundation
import GRDB
import GRDBSQLite
import Store
import Transform

/// The embedded dataset, `state/disclosure.sqlite` (the default engine), through GRDB.
public final class SQLiteEngine: DatasetEngine {
    let queue: DatabaseQueue
    /// The write-ahead log's file.
    let logPath: String
    /// A log this large is cut after a transaction.
    let largeLog: Int

    /// - Parameter largeLog: the size from which the write-ahead log is cut once a transaction is committed.
    public init(path: String, largeLog: Int = 64 << 20) throws {
        logPath = path + "-wal"
        self.largeLog = largeLog
        var config = Configuration()
        config.busyMode = .timeout(TimeInterval(Self.busyMilliseconds) / 1000)
        // Temporary storage in memory: a load is one transaction larger than the page cache, and
        // each multi-row insert's statement journal (one statement's pages, some 70 kB) spilled to
        // a temporary file and stayed one, 100 MB of writes a thousand bodies.
        config.prepareDatabase { db in try db.execute(sql: "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA temp_store = MEMORY") }
        queue = try DatabaseQueue(path: path, configuration: config)
        try Self.migrator.migrate(queue)
    }

    public func read<T>(_ body: (any SQLSession) throws -> T) throws -> T {
        try queue.read { db in try body(SQLiteSession(db: db)) }
    }

    public func write<T>(_ body: (any SQLSession) throws -> T) throws -> T {
        let result = try queue.write { db in try body(SQLiteSession(db: db)) }
        cutLargeLog()
        return result
    }

    /// Copies the write-ahead log into the database and cuts it to nothing when a transaction left
    /// it large: after a province's load it is as large as the database (a nation's, 1.2 GB), and
    /// its pages would sit in memory and on disk beside the database's own. A small log (a
    /// county's resubmission) is left for SQLite to reuse. A reader still on an older snapshot (the
    /// season page) makes this give up at once rather than wait: the log is then cut after a later
    /// transaction.
    private func cutLargeLog() {
        guard let size = FileIO.status(logPath)?.size, size >= largeLog else { return }
        try? queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA busy_timeout = 0")
            defer { try? db.execute(sql: "PRAGMA busy_timeout = \(Self.busyMilliseconds)") }
            try db.checkpoint(.truncate)
        }
    }

    /// How long a statement waits for another connection's lock.
    static let busyMilliseconds = 30_000

    /// SQLite's quick integrity check over every page.
    public func verify() throws {
        let report = try queue.read { db in try String.fetchAll(db, sql: "PRAGMA quick_check(5)") }
        if report != ["ok"] { throw DatasetDamage(detail: report.joined(separator: "；")) }
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
        m.registerMigration("v10") { db in
            // What each code is called on the form (the row's label, the column's), for anyone
            // who reads the dataset without the workspace's configuration.
            try db.execute(sql: "CREATE TABLE form_label(code TEXT PRIMARY KEY, label TEXT NOT NULL, col TEXT NOT NULL)")
        }
        m.registerMigration("v11") { db in
            // Facts kept in their key's order, one tree instead of a table and its key's index: a
            // province's million cells are written (and read back by submitter) once, not twice.
            try db.execute(sql: """
                CREATE TABLE fact_by_key(
                    submission INTEGER NOT NULL REFERENCES submission(id) ON DELETE CASCADE, code TEXT NOT NULL,
                    value TEXT, derived INTEGER NOT NULL, file TEXT NOT NULL, line INTEGER, raw TEXT NOT NULL, via TEXT NOT NULL,
                    unit TEXT, col INTEGER,
                    PRIMARY KEY(submission, code)) WITHOUT ROWID;
                INSERT INTO fact_by_key(submission, code, value, derived, file, line, raw, via, unit, col)
                    SELECT submission, code, value, derived, file, line, raw, via, unit, col FROM fact;
                DROP TABLE fact;
                ALTER TABLE fact_by_key RENAME TO fact;
                """)
        }
        return m
    }

}

/// A GRDB connection inside a read or a transaction: every statement cached by its text.
struct SQLiteSession: SQLSession {
    let db: GRDB.Database

    func execute(_ sql: String, _ arguments: [SQLValue]) throws {
        if arguments.isEmpty, !sql.contains("?") {
            try db.execute(sql: sql)
        } else {
            try db.cachedStatement(sql: sql).execute(arguments: Self.arguments(arguments))
        }
    }

    func each(_ sql: String, _ arguments: [SQLValue], _ body: (any SQLRow) throws -> Void) throws {
        let statement = try db.cachedStatement(sql: sql)
        let rows = try Row.fetchCursor(statement, arguments: Self.arguments(arguments))
        while try rows.next() != nil { try body(SQLiteRow(handle: statement.sqliteStatement)) }
    }

    func stream(_ sql: String, _ arguments: [SQLValue], _ body: (any SQLRow) throws -> Void) throws {
        try each(sql, arguments, body)
    }

    func insert(_ sql: String, _ arguments: [SQLValue]) throws -> Int64 {
        try execute(sql, arguments)
        return db.lastInsertedRowID
    }

    static func arguments(_ values: [SQLValue]) -> StatementArguments {
        StatementArguments(values.map { value -> DatabaseValue in
            switch value {
            case .null: return .null
            case .integer(let i): return i.databaseValue
            case .text(let s): return s.databaseValue
            case .boolean(let b): return b.databaseValue
            }
        })
    }

    /// Rows a fact insert statement carries: one statement a chunk, not one a cell.
    static let factsPerStatement = 64

    /// The insert statement's text for 1…`factsPerStatement` rows (at index count - 1), made once.
    static let factInsertSQL: [String] = (1...factsPerStatement).map { count in
        "INSERT INTO fact(submission, code, value, unit, derived, file, line, col, raw, via) VALUES "
            + repeatElement("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", count: count).joined(separator: ", ")
    }

    /// SQLite reads the text where it lies while the statement runs (`SQLITE_STATIC`): the caller
    /// keeps it alive and unchanged until then.
    static let inPlace = unsafeBitCast(0, to: sqlite3_destructor_type.self)
    /// An empty text's bytes: a null pointer would bind NULL, not "".
    static let empty: StaticString = ""

    /// Inserts a submission's facts, `factsPerStatement` rows a statement, each value bound
    /// straight to the statement: a national body is about 190 cells, and arguments built as
    /// boxed values a cell cost more than SQLite's own work. A chunk's texts are laid end to end
    /// in one buffer and bound where they lie: SQLite's own copy of each (a `malloc` and a `free`
    /// a value, five a fact) cost as much as the row's insert.
    func insertFacts(submission id: Int64, _ facts: [Fact]) throws {
        var start = facts.startIndex
        var arena: [UInt8] = []
        var spans: [(offset: Int, count: Int)?] = []
        while start < facts.endIndex {
            let end = min(start + Self.factsPerStatement, facts.endIndex)
            let chunk = facts[start..<end]
            // The texts in the order they are bound, each a span of `arena` (nil: NULL).
            arena.removeAll(keepingCapacity: true)
            spans.removeAll(keepingCapacity: true)
            func lay(_ text: String?) {
                guard let text else { return spans.append(nil) }
                spans.append((arena.count, text.utf8.count))
                arena.append(contentsOf: text.utf8)
            }
            for f in chunk {
                lay(f.code)
                lay(f.amount)
                lay(f.unit)
                lay(f.file)
                lay(f.raw)
                lay(f.via)
            }
            let statement = try db.cachedStatement(sql: Self.factInsertSQL[end - start - 1])
            // Marks the statement's arguments as set (none yet) so that execute() keeps the bindings below.
            statement.setUncheckedArguments(StatementArguments())
            let handle = statement.sqliteStatement
            try arena.withUnsafeBufferPointer { buffer in
                // Once the statement has run (or a binding failed), nothing points into the buffer.
                defer { sqlite3_clear_bindings(handle) }
                var index: CInt = 0
                var next = 0  // the next of `spans`
                func check(_ code: CInt) throws {
                    guard code == SQLITE_OK else { throw DatabaseError(resultCode: ResultCode(rawValue: code), message: "binding fact value \(index)") }
                }
                func bind(_ value: Int64?) throws {
                    index += 1
                    try check(value.map { sqlite3_bind_int64(handle, index, $0) } ?? sqlite3_bind_null(handle, index))
                }
                func bindText() throws {
                    index += 1
                    defer { next += 1 }
                    guard let span = spans[next] else { return try check(sqlite3_bind_null(handle, index)) }
                    let bytes = span.count == 0 ? UnsafeRawPointer(Self.empty.utf8Start) : UnsafeRawPointer(buffer.baseAddress! + span.offset)
                    try check(sqlite3_bind_text(handle, index, bytes.assumingMemoryBound(to: CChar.self), CInt(span.count), Self.inPlace))
                }
                for f in chunk {
                    try bind(id)
                    try bindText()  // code
                    try bindText()  // amount
                    try bindText()  // unit
                    try bind(f.derived ? 1 : 0)
                    try bindText()  // file
                    try bind(f.line.map(Int64.init))
                    try bind(f.column.map(Int64.init))
                    try bindText()  // raw
                    try bindText()  // via
                }
                // While the texts are still where they were bound.
                try statement.execute()
            }
            start = end
        }
    }
}

/// The row a GRDB cursor's statement stands on, read by position from SQLite as GRDB's own
/// decoding reads it (text by `sqlite3_column_text`, numbers by `sqlite3_column_int64`), without
/// its generic path: a province's facts are a million rows of nine columns.
struct SQLiteRow: SQLRow {
    /// The statement the cursor steps.
    let handle: OpaquePointer

    private func isNull(_ index: CInt) -> Bool { sqlite3_column_type(handle, index) == SQLITE_NULL }

    func string(_ column: Int) -> String? {
        let index = CInt(column)
        guard !isNull(index), let text = sqlite3_column_text(handle, index) else { return nil }
        return String(cString: text)
    }

    func integer(_ column: Int) -> Int64? {
        let index = CInt(column)
        return isNull(index) ? nil : sqlite3_column_int64(handle, index)
    }

    func boolean(_ column: Int) -> Bool { integer(column).map { $0 != 0 } ?? false }

    /// Compared where SQLite holds the text, without a string made of it.
    func holds(_ column: Int, _ text: String) -> Bool {
        let index = CInt(column)
        guard sqlite3_column_type(handle, index) == SQLITE_TEXT, let bytes = sqlite3_column_text(handle, index) else { return false }
        let stored = UnsafeRawBufferPointer(start: bytes, count: Int(sqlite3_column_bytes(handle, index)))
        var text = text
        return text.withUTF8 { ByteString.same(stored, UnsafeRawBufferPointer($0)) }
    }
}
