import Foundation
import Load

/// Where a PostgreSQL dataset lives, read from the `dataset` setting:
/// `postgresql://USER@HOST:PORT/DB`, or a unix socket as `postgresql://USER@%2Fvar%2Frun%2Fpostgresql/DB`
/// or `postgresql:///DB?host=/var/run/postgresql` (libpq's two spellings). `sslrootcert=FILE` names
/// the certificate authority a server's certificate must be signed by (else the system's).
///
/// The password is never part of it: it comes from `PGPASSWORD` or `~/.pgpass` (``password(environment:)``).
public struct PostgresLocation: Sendable, Equatable {
    public var user: String
    /// A host name or address; nil for a unix socket.
    public var host: String?
    public var port: Int
    /// The socket's folder (libpq's convention: the socket is `<folder>/.s.PGSQL.<port>`).
    public var socketFolder: String?
    public var database: String
    public var rootCertificate: String?

    /// True for a setting that names PostgreSQL (whether or not it is well formed).
    public static func names(_ setting: String) -> Bool {
        setting.hasPrefix("postgresql:") || setting.hasPrefix("postgres:")
    }

    /// Parses the setting; `defaultUser` stands in for a URL without one (libpq takes the login name).
    public init(_ setting: String, defaultUser: String) throws(DatasetError) {
        func bad(_ why: String) -> DatasetError {
            .setting("数据集地址 \(PostgresLocation.redacted(setting)) 无法识别：\(why)。应写成 postgresql://用户名@主机:端口/数据库")
        }
        guard Self.names(setting), let url = URLComponents(string: setting) else { throw bad("不是有效的 URL") }
        if url.password != nil {
            throw .setting("数据集地址中不能写密码：请删去地址中的密码，改用环境变量 PGPASSWORD 或 ~/.pgpass 文件（只有本机用户可读）")
        }
        let query = Dictionary((url.queryItems ?? []).map { ($0.name, $0.value ?? "") }) { _, last in last }
        for name in query.keys where !["host", "port", "sslrootcert", "user", "dbname"].contains(name) {
            throw bad("不支持参数 \(name)")
        }
        user = url.user ?? query["user"] ?? defaultUser
        if let text = query["port"] ?? url.port.map(String.init) {
            guard let number = Int(text), (1...65535).contains(number) else { throw bad("端口 \(text) 不是 1–65535 的数") }
            port = number
        } else {
            port = 5432
        }
        var database = url.path
        if database.hasPrefix("/") { database.removeFirst() }
        if database.isEmpty { database = query["dbname"] ?? user }
        guard !database.contains("/") else { throw bad("数据库名不能含 /") }
        self.database = database
        let named = query["host"] ?? url.percentEncodedHost.flatMap { $0.removingPercentEncoding }
        if let named, named.hasPrefix("/") {
            host = nil
            socketFolder = named
        } else if let named, !named.isEmpty {
            host = named
            socketFolder = nil
        } else {
            host = nil
            socketFolder = "/var/run/postgresql"
        }
        rootCertificate = query["sslrootcert"]
        guard !user.isEmpty else { throw bad("没有用户名") }
    }

    /// The socket file itself.
    public var socketPath: String? { socketFolder.map { "\($0)/.s.PGSQL.\(port)" } }

    /// A host on this machine: the connection never leaves it, so TLS is not asked for.
    public var isLocal: Bool {
        guard let host else { return true }
        let h = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        return h == "localhost" || h == "::1" || h.hasPrefix("127.")
    }

    /// What messages name: the address without anything secret (it never holds a password).
    public var display: String {
        if let host { return "\(user)@\(host):\(port)/\(database)" }
        return "\(user)@\(socketFolder ?? "")/\(database)"
    }

    /// The setting with any password replaced, for a message about a setting that did not parse.
    static func redacted(_ setting: String) -> String {
        guard let at = setting.lastIndex(of: "@"), let scheme = setting.range(of: "://"), scheme.upperBound < at else { return setting }
        let credentials = setting[scheme.upperBound..<at]
        guard let colon = credentials.firstIndex(of: ":") else { return setting }
        return String(setting[..<colon]) + ":***" + String(setting[at...])
    }

    /// The password: `PGPASSWORD`, else the first matching line of `PGPASSFILE` or `~/.pgpass`
    /// (`host:port:database:user:password`, `*` matching anything, `\` escaping `:` and `\`).
    /// libpq's rule is kept: a pass file others can read is ignored.
    public func password(environment: [String: String]) -> String? {
        if let given = environment["PGPASSWORD"], !given.isEmpty { return given }
        let file = environment["PGPASSFILE"] ?? environment["HOME"].map { $0 + "/.pgpass" }
        guard let file, let attributes = try? FileManager.default.attributesOfItem(atPath: file),
              let mode = attributes[.posixPermissions] as? Int, mode & 0o077 == 0,
              let text = try? String(contentsOfFile: file, encoding: .utf8) else { return nil }
        let hostField = host ?? "localhost"
        for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            let fields = Self.passFields(String(line))
            guard fields.count == 5 else { continue }
            let wanted = [hostField, String(port), database, user]
            if zip(fields, wanted).allSatisfy({ $0 == "*" || $0 == $1 }) { return fields[4] }
        }
        return nil
    }

    static func passFields(_ line: String) -> [String] {
        var fields: [String] = [], field = "", escaped = false
        for c in line {
            if escaped { field.append(c); escaped = false }
            else if c == "\\" { escaped = true }
            else if c == ":" && fields.count < 4 { fields.append(field); field = "" }
            else { field.append(c) }
        }
        fields.append(field)
        return fields
    }
}
