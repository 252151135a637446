import Core
import Foundation
import Load
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO
import Transform

/// The dataset in PostgreSQL: a city's schema in a database that a province's cities share.
///
/// One connection, used by one transaction at a time. The connection's `search_path` is the
/// city's schema, so the dataset's queries run as they are written; a load's facts go to the
/// server by `COPY`. Every call blocks its thread until the server answers: the pipeline's
/// stages are synchronous, and never run on Swift's cooperative threads.
public final class PostgresEngine: DatasetEngine, @unchecked Sendable {
    /// Which city this workspace is, in the province's database.
    public struct City: Sendable {
        /// The key rows are kept under: the workspace's `cityCode`, else its `city`.
        public var key: String
        public var name: String
        public var province: String

        public init(key: String, name: String, province: String) {
            self.key = key
            self.name = name
            self.province = province
        }
    }

    let location: PostgresLocation
    let city: City
    let schema: String
    private let password: String?
    private let logger: Logger
    /// Guards the mutable state below (why the class is `@unchecked Sendable`): one transaction at
    /// a time on the one connection.
    private let lock = NSRecursiveLock()
    private var connection: PostgresConnection?
    private var watch: ConnectionWatch?
    private var depth = 0
    private var held = false

    /// Connects, makes the city's schema (or brings it up to date) and registers the city.
    public init(location: PostgresLocation, city: City, environment: [String: String] = ProcessInfo.processInfo.environment,
                logger: Logger = Logger(label: "disclosure.postgres", factory: { _ in SwiftLogNoOpLogHandler() })) throws {
        self.location = location
        self.city = city
        schema = PostgresSchema.name(city: city.key)
        password = location.password(environment: environment)
        self.logger = logger
        _ = try connected()
        try migrate()
    }

    deinit {
        try? connection?.close().wait()
    }

    // MARK: DatasetEngine

    public func read<T>(_ body: (any SQLSession) throws -> T) throws -> T {
        try transaction(begin: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", body)
    }

    public func write<T>(_ body: (any SQLSession) throws -> T) throws -> T {
        try transaction(begin: "BEGIN", body)
    }

    /// The server keeps its own pages whole (checksums, its write-ahead log): what is checked
    /// here is that the city's schema is there and answers.
    public func verify() throws {
        _ = try read { db in try db.one("SELECT count(*) FROM meta", []) { _ in true } }
    }

    /// `ANALYZE` of the tables a large load filled, from a small sample (the setting lasts to the
    /// commit): measured on the 5,000-body corpus, the report's read of a million facts sorted
    /// them on disk (1.26 s) under the empty tables' statistics, and takes 0.62 s with these; the
    /// analysis costs 30 ms. The server's own autovacuum refines them later.
    public func refreshStatistics(_ db: any SQLSession) throws {
        try db.execute("SET LOCAL default_statistics_target = 10")
        try db.execute("ANALYZE submission")
        try db.execute("ANALYZE fact")
    }

    /// `pg_advisory_lock` on the city's key, held by this connection until released: a second
    /// run of the same city, on any machine, waits or is refused; other cities never wait.
    public func holdCity(wait: Bool) throws -> Bool {
        lock.lock()
        defer { lock.unlock() }
        let session = try self.session()
        let key = SQLValue.integer(Self.lockKey(city.key))
        let got = try guarded {
            if wait {
                try session.execute("SELECT pg_advisory_lock(?)", [key])
                return true
            }
            return try session.one("SELECT pg_try_advisory_lock(?)", [key]) { $0.boolean(0) } ?? false
        }
        held = got
        return got
    }

    public func releaseCity() throws {
        lock.lock()
        defer { lock.unlock() }
        guard held, let connection, !connection.isClosed else { return }
        held = false
        let session = try self.session()
        try guarded { try session.execute("SELECT pg_advisory_unlock(?)", [.integer(Self.lockKey(city.key))]) }
    }

    /// A 64-bit advisory lock key for a city: the first eight bytes of its key's SHA-256.
    static func lockKey(_ key: String) -> Int64 {
        let hex = SHA256.hex(Array(("disclosure:" + key).utf8))
        return Int64(bitPattern: UInt64(hex.prefix(16), radix: 16) ?? 0)
    }

    // MARK: Transactions

    private func transaction<T>(begin: String, _ body: (any SQLSession) throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        let session = try self.session()
        // A read inside a write (or a read) is part of it.
        if depth > 0 { return try guarded { try body(session) } }
        depth += 1
        defer { depth -= 1 }
        return try guarded {
            try session.execute(begin)
            session.pipelined = begin == "BEGIN"
            do {
                let value = try body(session)
                try session.flush()
                session.pipelined = false
                try session.execute("COMMIT")
                return value
            } catch {
                try? session.drain()
                session.pipelined = false
                if let connection, !connection.isClosed { try? session.execute("ROLLBACK") }
                throw error
            }
        }
    }

    private func session() throws -> PostgresSession {
        let connection = try connected()
        return PostgresSession(connection: connection, watch: watch!, logger: logger)
    }

    /// The open connection, made again when the last one was lost (a server restarted between
    /// two runs of `serve`'s): the city's hold does not survive that, and is taken again by the next run.
    private func connected() throws -> PostgresConnection {
        if let connection, !connection.isClosed { return connection }
        held = false
        let configuration = try configuration()
        let made = try guarded {
            try PostgresConnection.connect(on: MultiThreadedEventLoopGroup.singleton.any(), configuration: configuration,
                                           id: 1, logger: logger).wait()
        }
        connection = made
        watch = ConnectionWatch(made)
        try guarded { try session().execute("SET search_path TO \(schema)") }
        return made
    }

    private func configuration() throws -> PostgresConnection.Configuration {
        var configuration: PostgresConnection.Configuration
        if let socket = location.socketPath {
            configuration = .init(unixSocketPath: socket, username: location.user, password: password, database: location.database)
        } else {
            configuration = .init(host: location.host ?? "localhost", port: location.port, username: location.user, password: password,
                                  database: location.database, tls: try tls())
        }
        configuration.options.connectTimeout = .seconds(15)
        return configuration
    }

    /// TLS with a verified certificate for any host off this machine; none on loopback or a socket.
    private func tls() throws -> PostgresConnection.Configuration.TLS {
        guard !location.isLocal else { return .disable }
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.certificateVerification = .fullVerification
        if let file = location.rootCertificate {
            guard FileManager.default.isReadableFile(atPath: file) else {
                throw DatasetError.setting("数据集地址的 sslrootcert 指向的证书文件 \(file) 不存在或不可读")
            }
            tls.trustRoots = .file(file)
        }
        do {
            return .require(try NIOSSLContext(configuration: tls))
        } catch {
            throw DatasetError.setting("无法建立与 \(location.display) 的 TLS 设置（\(error)）：请检查 sslrootcert 证书文件")
        }
    }

    // MARK: The city's schema

    /// Brings the city's schema up to date and registers the city, in one transaction under a
    /// database-wide lock (two cities' first runs could race on CREATE); a schema already current
    /// and registered as this city costs one read.
    private func migrate() throws {
        let migrations = PostgresSchema.migrations(schema: schema)
        let current = try read { db -> Bool in
            guard try db.one("SELECT to_regclass('disclosure.city') IS NOT NULL AND to_regclass(?) IS NOT NULL",
                             [.text(schema + ".migration")]) { $0.boolean(0) } == true else { return false }
            let applied = Set(try db.all("SELECT name FROM \(schema).migration", []) { $0.text(0) })
            let known = try db.one("SELECT name, province FROM disclosure.city WHERE key = ?", [.text(city.key)]) { [$0.text(0), $0.text(1)] }
            return migrations.allSatisfy { applied.contains($0.name) } && known == [city.name, city.province]
        }
        guard !current else { return }
        try write { db in
            try db.execute("SELECT pg_advisory_xact_lock(?)", [.integer(Self.lockKey("\u{0}schema"))])
            for statement in PostgresSchema.statements(PostgresSchema.registry) { try db.execute(statement) }
            try db.execute("CREATE SCHEMA IF NOT EXISTS \(schema)")
            try db.execute("CREATE TABLE IF NOT EXISTS \(schema).migration(name text PRIMARY KEY, applied timestamptz NOT NULL DEFAULT now())")
            let applied = Set(try db.all("SELECT name FROM \(schema).migration", []) { $0.text(0) })
            for (name, sql) in migrations where !applied.contains(name) {
                for statement in PostgresSchema.statements(sql) { try db.execute(statement) }
                try db.execute("INSERT INTO \(schema).migration(name) VALUES (?)", [.text(name)])
            }
            try db.execute("""
                INSERT INTO disclosure.city(key, name, province, schema) VALUES (?, ?, ?, ?)
                ON CONFLICT (key) DO UPDATE SET name = excluded.name, province = excluded.province
                """, [.text(city.key), .text(city.name), .text(city.province), .text(schema)])
            let schemas = try db.all("""
                SELECT c.schema FROM disclosure.city c JOIN pg_namespace n ON n.nspname = c.schema ORDER BY c.schema
                """, []) { $0.text(0) }
            for statement in PostgresSchema.statements(PostgresSchema.views(schemas: schemas)) { try db.execute(statement) }
        }
    }

    // MARK: Errors

    /// Runs `body`, turning the driver's and the server's errors into the words the staff read.
    private func guarded<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DatasetError {
            throw error
        } catch is ConnectionWatch.Lost {
            throw DatasetError.unreachable("与 PostgreSQL 服务器 \(location.display) 的连接在运行中断开（服务器停止或网络中断）：本次装载未提交，数据集保持上一版本。服务器恢复后重新运行即可")
        } catch let error as PSQLError {
            throw translate(error)
        } catch let error as NIOSSLError {
            throw DatasetError.refused("与 \(location.display) 的 TLS 握手失败（\(error)）：服务器证书无法验证，已拒绝连接。请确认证书由受信任的机构签发，或用 sslrootcert 指明机构证书")
        } catch let error as ChannelError {
            throw DatasetError.unreachable("无法连接 PostgreSQL 服务器 \(location.display)（\(Self.cause("\(error)"))）：请确认服务器已启动、地址和端口正确")
        } catch let error as IOError {
            throw DatasetError.unreachable("无法连接 PostgreSQL 服务器 \(location.display)（\(Self.cause(error.description))）：请确认服务器已启动、地址和端口正确")
        }
    }

    /// The network's reason in the staff's words, with the system's own text kept after it.
    static func cause(_ detail: String) -> String {
        let words: [(String, String)] = [
            ("Connection refused", "连接被拒绝：该地址和端口上没有服务器在监听"),
            ("connectTimeout", "连接超时"), ("timed out", "连接超时"),
            ("No such file", "找不到服务器的套接字文件"),
            ("Name or service not known", "无法解析主机名"), ("resolution", "无法解析主机名"),
            ("Network is unreachable", "网络不可达"), ("No route to host", "没有通往该主机的路由"),
        ]
        guard let said = words.first(where: { detail.contains($0.0) })?.1 else { return detail.isEmpty ? "连接失败" : detail }
        return said
    }

    private func translate(_ error: PSQLError) -> DatasetError {
        let state = error.serverInfo?[.sqlState] ?? ""
        let said = error.serverInfo?[.message] ?? ""
        switch error.code {
        case .server:
            switch state {
            case "28P01", "28000":
                return .refused("PostgreSQL 服务器 \(location.display) 拒绝了用户 \(location.user) 的登录（\(said)）：请检查 PGPASSWORD 或 ~/.pgpass 中的密码，以及服务器 pg_hba.conf 的设置")
            case "3D000":
                return .refused("PostgreSQL 服务器上没有数据库 \(location.database)（\(said)）：请先建立该数据库，或改正数据集地址")
            case "42501":
                return .refused("用户 \(location.user) 在数据库 \(location.database) 中没有所需的权限（\(said)）：请数据库管理员授予建立模式和表的权限")
            case "53100":
                return .writeFailed("PostgreSQL 服务器磁盘已满（\(said)）：本次装载未提交，数据集保持上一版本。请服务器管理员腾出空间后重新运行")
            case "25006":
                return .writeFailed("PostgreSQL 服务器只读（\(said)）：本次装载未提交。请连接可写的主服务器")
            case let s where s.hasPrefix("57P") || s.hasPrefix("08"):
                return .unreachable("PostgreSQL 服务器 \(location.display) 在运行中停止或断开（\(said)）：本次装载未提交，数据集保持上一版本。服务器恢复后重新运行即可")
            case let s where s.hasPrefix("53"):
                return .writeFailed("PostgreSQL 服务器资源不足（\(said)）：本次装载未提交，数据集保持上一版本")
            default:
                return .writeFailed("PostgreSQL 服务器报错 \(state)（\(said)）：本次装载未提交，数据集保持上一版本")
            }
        case .sslUnsupported:
            return .refused("PostgreSQL 服务器 \(location.display) 不支持 TLS，而连接非本机服务器必须加密：请在服务器上启用 ssl")
        case .authMechanismRequiresPassword:
            return .refused("PostgreSQL 服务器 \(location.display) 要求用户 \(location.user) 提供密码：请设置 PGPASSWORD 或在 ~/.pgpass 中写入密码")
        case .unsupportedAuthMechanism:
            return .refused("PostgreSQL 服务器 \(location.display) 要求的登录方式不受支持：请改用 scram-sha-256 或 md5")
        case .serverClosedConnection, .uncleanShutdown, .clientClosedConnection:
            return .unreachable("与 PostgreSQL 服务器 \(location.display) 的连接中断：本次装载未提交，数据集保持上一版本。服务器恢复后重新运行即可")
        case .connectionError:
            if let ssl = error.underlying as? NIOSSLError {
                return .refused("与 \(location.display) 的 TLS 握手失败（\(ssl)）：服务器证书无法验证，已拒绝连接。请确认证书由受信任的机构签发，或用 sslrootcert 指明机构证书")
            }
            let why = Self.cause(error.underlying.map { "\($0)" } ?? "")
            return .unreachable("无法连接 PostgreSQL 服务器 \(location.display)（\(why)）：请确认服务器已启动、地址和端口正确")
        default:
            return .unreachable("PostgreSQL 服务器 \(location.display) 的通信出错（\(error.code)）：本次装载未提交，数据集保持上一版本")
        }
    }
}

/// A transaction's statements on the connection: `?` numbered as PostgreSQL's `$n`, the values
/// bound in binary, a large result read through a cursor, facts buffered for `COPY`.
final class PostgresSession: SQLSession {
    let connection: PostgresConnection
    let watch: ConnectionWatch
    let logger: Logger
    /// Facts waiting for `COPY`, in its text format: sent before any statement that names the
    /// `fact` table, and at the end of the transaction. Bytes appended in place (a `ByteBuffer`
    /// write cost some two hundred instructions a field), handed to the driver a piece at a time.
    private var pending: [UInt8] = []
    private var cursors = 0
    /// In a write, a statement whose result is not read is sent without waiting for the server's
    /// answer (a body's upsert, its findings' deletes and inserts: one round trip each, before):
    /// the answers are taken, and the first failure thrown, before anything that reads a result,
    /// before `COPY` and before `COMMIT`.
    var pipelined = false
    private var inFlight: [EventLoopFuture<PostgresQueryResult>] = []

    init(connection: PostgresConnection, watch: ConnectionWatch, logger: Logger) {
        self.connection = connection
        self.watch = watch
        self.logger = logger
    }

    private func run(_ query: PostgresQuery) throws -> PostgresQueryResult {
        try watch.wait(connection.query(query, logger: logger))
    }

    func execute(_ sql: String, _ arguments: [SQLValue]) throws {
        try flushIfNamed(sql)
        let query = try Self.query(sql, arguments)
        guard pipelined else {
            _ = try run(query)
            return
        }
        inFlight.append(connection.query(query, logger: logger))
        if inFlight.count >= 512 { try drain() }
    }

    /// Takes the answers of the statements sent without waiting; throws the first failure (the
    /// cause: those after it fail only because the transaction is aborted).
    func drain() throws {
        let waiting = inFlight
        inFlight = []
        var first: (any Error)?
        for future in waiting {
            do { _ = try watch.wait(future) } catch { if first == nil { first = error } }
        }
        if let first { throw first }
    }

    func each(_ sql: String, _ arguments: [SQLValue], _ body: (any SQLRow) throws -> Void) throws {
        try before(sql)
        let result = try run(try Self.query(sql, arguments))
        for row in result.rows { try body(PostgresResultRow(row.makeRandomAccess())) }
    }

    /// Rows a cursor's fetch takes.
    static let fetchRows = 20_000

    /// Through a cursor, `fetchRows` a fetch: a province's facts are never all in memory at once.
    /// The next fetch is asked for before a batch is handed over, so that the server reads the
    /// rows and the driver decodes them while the caller works through the batch before.
    func stream(_ sql: String, _ arguments: [SQLValue], _ body: (any SQLRow) throws -> Void) throws {
        try before(sql)
        cursors += 1
        let name = "rows_\(cursors)"
        _ = try run(try Self.query("DECLARE \(name) NO SCROLL CURSOR FOR " + sql, arguments))
        let fetch = PostgresQuery(unsafeSQL: "FETCH FORWARD \(Self.fetchRows) FROM \(name)")
        var next: EventLoopFuture<PostgresQueryResult>? = connection.query(fetch, logger: logger)
        // A batch that fails the caller leaves no fetch unanswered on the connection.
        defer { if let next { _ = try? watch.wait(next) } }
        while let asked = next {
            next = nil
            let batch = try watch.wait(asked)
            if batch.rows.count == Self.fetchRows { next = connection.query(fetch, logger: logger) }
            for row in batch.rows { try body(PostgresResultRow(row.makeRandomAccess())) }
        }
        _ = try run(PostgresQuery(unsafeSQL: "CLOSE \(name)"))
    }

    /// Ids taken from a table's identity sequence ahead of its inserts, by table, and how many
    /// the next round trip takes: 1, 2, 4… up to 256, so that a body's rerun takes its one id
    /// (the versions keep their numbers without gaps) and a province's load a round trip per
    /// 256 submissions instead of one each.
    private var reserved: [String: (ids: ArraySlice<Int64>, next: Int)] = [:]

    func nextID(in table: String) throws -> Int64? {
        var entry = reserved[table] ?? ([], 1)
        if entry.ids.isEmpty {
            entry.ids = try all("SELECT nextval(pg_get_serial_sequence(?, 'id')) FROM generate_series(1, \(entry.next))",
                                [.text(table)]) { $0.integer(0) }.compactMap { $0 }[...]
            entry.next = min(entry.next * 2, 256)
        }
        let id = entry.ids.popFirst()
        reserved[table] = entry
        return id
    }

    func insert(_ sql: String, _ arguments: [SQLValue]) throws -> Int64 {
        let id = try one(sql + " RETURNING id", arguments) { $0.integer(0) }
        return (id ?? nil) ?? 0
    }

    func insertFacts(submission: Int64, _ facts: [Fact]) throws {
        var id: [UInt8] = []
        id.appendDecimal(Int(submission))
        func number(_ n: Int?) {
            pending.append(UInt8(ascii: "\t"))
            if let n { pending.appendDecimal(n) } else { pending += Self.null }
        }
        for f in facts {
            pending += id
            Self.field(f.code, into: &pending)
            Self.field(f.amount, into: &pending)
            Self.field(f.unit, into: &pending)
            pending += f.derived ? Self.yes : Self.no
            Self.field(f.file, into: &pending)
            number(f.line)
            number(f.column)
            Self.field(f.raw, into: &pending)
            Self.field(f.via, into: &pending)
            pending.append(UInt8(ascii: "\n"))
        }
        // A province's load is sent in pieces of a few megabytes, not held whole.
        if pending.count > 4 << 20 { try flush() }
    }

    /// Sends the buffered facts with one `COPY fact FROM STDIN`.
    func flush() throws {
        try drain()
        guard !pending.isEmpty else { return }
        let data = ByteBuffer(bytes: pending)
        pending.removeAll(keepingCapacity: true)
        let connection = self.connection, logger = self.logger
        let promise = connection.eventLoop.makePromise(of: Void.self)
        promise.completeWithTask {
            try await connection.copyFrom(table: "fact", columns: ["submission", "code", "value", "unit", "derived", "file", "line", "col", "raw", "via"],
                                          logger: logger) { writer in
                try await writer.write(data)
            }
        }
        try watch.wait(promise.futureResult)
    }

    /// Before a statement whose result is read: every answer outstanding taken, and the facts
    /// sent if it names their table.
    private func before(_ sql: String) throws {
        try drain()
        try flushIfNamed(sql)
    }

    /// The buffered facts sent first when `sql` names their table (it may read or delete them).
    private func flushIfNamed(_ sql: String) throws {
        if !pending.isEmpty, sql.contains("fact") { try flush() }
    }

    /// COPY's NULL, and a boolean field, tab first.
    private static let null = Array("\\N".utf8), yes = Array("\tt".utf8), no = Array("\tf".utf8)

    /// One text-format field, tab first; NULL as `\N`, and the format's escapes for `\`, tab and
    /// line ends (the workspace's state files use the same: `appendTabEscaped`).
    static func field(_ value: String?, into buffer: inout [UInt8]) {
        buffer.append(UInt8(ascii: "\t"))
        guard let value else {
            buffer += null
            return
        }
        buffer.appendTabEscaped(value)
    }

    /// The statement with `?` numbered `$1, $2…` (outside quotes) and its values bound.
    static func query(_ sql: String, _ arguments: [SQLValue]) throws -> PostgresQuery {
        var text = ""
        text.reserveCapacity(sql.utf8.count + 8)
        var number = 0
        var quoted = false
        for c in sql {
            if c == "'" { quoted.toggle() }
            if c == "?" && !quoted {
                number += 1
                text += "$\(number)"
            } else {
                text.append(c)
            }
        }
        var binds = PostgresBindings(capacity: arguments.count)
        for value in arguments {
            switch value {
            case .null: binds.appendNull()
            case .integer(let i): binds.append(i)
            case .text(let s): binds.append(s)
            case .boolean(let b): binds.append(b)
            }
        }
        return PostgresQuery(unsafeSQL: text, binds: binds)
    }
}

/// A row of a result, decoded by position.
struct PostgresResultRow: SQLRow {
    let row: PostgresRandomAccessRow

    init(_ row: PostgresRandomAccessRow) { self.row = row }

    func string(_ column: Int) -> String? {
        let cell = row[column]
        guard let bytes = cell.bytes else { return nil }
        // A text column's bytes are its UTF-8, as the driver's own decoding reads them.
        if Self.isText(cell.dataType) { return String(buffer: bytes) }
        return try? cell.decode(String.self)
    }

    private static func isText(_ type: PostgresDataType) -> Bool {
        switch type {
        case .text, .varchar, .name, .bpchar: true
        default: false
        }
    }

    func integer(_ column: Int) -> Int64? {
        let cell = row[column]
        guard cell.bytes != nil else { return nil }
        return try? cell.decode(Int64.self)
    }

    func boolean(_ column: Int) -> Bool {
        let cell = row[column]
        guard cell.bytes != nil else { return false }
        return (try? cell.decode(Bool.self)) ?? false
    }

    /// A text column's bytes are its UTF-8 in either format: compared where they lie.
    func holds(_ column: Int, _ text: String) -> Bool {
        let cell = row[column]
        guard let bytes = cell.bytes else { return false }
        guard Self.isText(cell.dataType) else { return string(column).map { $0.sameBytes(as: text) } ?? false }
        return bytes.withUnsafeReadableBytes { stored in
            var text = text
            return text.withUTF8 { ByteString.same(stored, UnsafeRawBufferPointer($0)) }
        }
    }
}

/// Waits on the calling thread for the driver's answers, and fails every wait at once when the
/// connection closes (the server stopped, the network went): a query written to a closed
/// connection would otherwise never be answered, and the run would hang instead of exiting 4.
final class ConnectionWatch: @unchecked Sendable {
    struct Lost: Error {}

    private let lock = NSLock()
    private var waiting: [Int: @Sendable () -> Void] = [:]
    private var next = 0
    private var closed = false

    init(_ connection: PostgresConnection) {
        connection.closeFuture.whenComplete { [self] _ in
            let failing = lock.withLock {
                closed = true
                defer { waiting = [:] }
                return waiting.values
            }
            for fail in failing { fail() }
        }
    }

    func wait<T: Sendable>(_ future: EventLoopFuture<T>) throws -> T {
        let promise = future.eventLoop.makePromise(of: T.self)
        let (id, isClosed) = lock.withLock {
            next += 1
            waiting[next] = { promise.fail(Lost()) }
            return (next, closed)
        }
        defer { _ = lock.withLock { waiting.removeValue(forKey: id) } }
        if isClosed { promise.fail(Lost()) }
        future.cascade(to: promise)
        return try promise.futureResult.wait()
    }
}
