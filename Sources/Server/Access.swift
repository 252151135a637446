import CCrypto
import Core
import Foundation
import Store

/// The `serve` page's password: PBKDF2-HMAC-SHA256 with a random salt, kept in
/// `state/serve-password` as "pbkdf2-sha256$<iterations>$<salt hex>$<hash hex>". The password
/// itself is never written anywhere.
public struct PasswordHash: Sendable, Equatable {
    var iterations: Int
    var salt: [UInt8]
    var hash: [UInt8]

    public static let defaultIterations = 200_000

    /// A new hash of `password` with a fresh salt.
    public init(password: String, iterations: Int = Self.defaultIterations) {
        var rng = SystemRandomNumberGenerator()
        salt = (0 ..< 16).map { _ in UInt8.random(in: 0 ... 255, using: &rng) }
        self.iterations = iterations
        hash = Self.derive(password, salt: salt, iterations: iterations)
    }

    /// Reads the stored form; nil when it is not one.
    public init?(stored: String) {
        let parts = stored.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "$").map(String.init)
        guard parts.count == 4, parts[0] == "pbkdf2-sha256", let n = Int(parts[1]), n >= 1000, n <= 10_000_000,
              let salt = Self.bytes(hex: parts[2]), let hash = Self.bytes(hex: parts[3]), hash.count == 32 else { return nil }
        iterations = n
        self.salt = salt
        self.hash = hash
    }

    public var stored: String {
        "pbkdf2-sha256$\(iterations)$\(hexText(salt))$\(hexText(hash))\n"
    }

    /// True when `password` is the one hashed; compared in constant time.
    public func verifies(_ password: String) -> Bool {
        let other = Self.derive(password, salt: salt, iterations: iterations)
        return zip(other, hash).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    private static func derive(_ password: String, salt: [UInt8], iterations: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        let pass = Array(password.utf8)
        _ = pass.withUnsafeBufferPointer { p in
            p.withMemoryRebound(to: CChar.self) { chars in
                PKCS5_PBKDF2_HMAC(chars.baseAddress, Int32(pass.count), salt, Int32(salt.count), Int32(iterations), EVP_sha256(), 32, &out)
            }
        }
        return out
    }

    private static func bytes(hex: String) -> [UInt8]? {
        let digits = Array(hex.utf8)
        guard digits.count % 2 == 0, !digits.isEmpty else { return nil }
        var out: [UInt8] = []
        for i in stride(from: 0, to: digits.count, by: 2) {
            guard let b = UInt8(String(decoding: digits[i ..< i + 2], as: UTF8.self), radix: 16) else { return nil }
            out.append(b)
        }
        return out
    }

    /// The workspace's password, when one is set.
    public static func load(_ layout: WorkspaceLayout) throws -> PasswordHash? {
        guard FileIO.status(layout.servePassword) != nil else { return nil }
        let text = String(decoding: try FileIO.read(layout.servePassword), as: UTF8.self)
        guard let hash = PasswordHash(stored: text) else {
            throw UsageError("state/serve-password 已损坏：请用 disclosure serve --set-password 重新设置密码")
        }
        return hash
    }

    public func save(_ layout: WorkspaceLayout) throws {
        try FileIO.makeDirectories(layout.state)
        try FileIO.write(Array(stored.utf8), to: layout.servePassword)
    }
}

/// Random tokens for sessions and forms: 32 bytes from the system's generator, as hex.
enum Token {
    static func make() -> String {
        var rng = SystemRandomNumberGenerator()
        return hexText((0 ..< 32).map { _ in UInt8.random(in: 0 ... 255, using: &rng) })
    }

    /// Equal, compared in time that does not depend on where they differ.
    static func same(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count, !x.isEmpty else { return false }
        return zip(x, y).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

/// Who is signed in: each session a cookie's token, the name its clerk gave and the token every
/// form of the session carries. Kept in memory: a restart of the server signs everyone out.
actor Sessions {
    struct Session: Sendable {
        var name: String
        var csrf: String
        var expires: Date
    }

    private var sessions: [String: Session] = [:]
    /// Lifetime of a session without use.
    let idle: TimeInterval = 12 * 3600

    func open(name: String) -> (token: String, session: Session) {
        let token = Token.make()
        let session = Session(name: name, csrf: Token.make(), expires: Date().addingTimeInterval(idle))
        sessions[token] = session
        if sessions.count > 10_000 { sessions = sessions.filter { $0.value.expires > Date() } }
        return (token, session)
    }

    func find(_ token: String) -> Session? {
        guard var s = sessions[token], s.expires > Date() else {
            sessions[token] = nil
            return nil
        }
        s.expires = Date().addingTimeInterval(idle)
        sessions[token] = s
        return s
    }

    func close(_ token: String) { sessions[token] = nil }
}

/// Bytes as lowercase hexadecimal digits.
func hexText(_ bytes: [UInt8]) -> String {
    let digits = Array("0123456789abcdef".utf8)
    return String(decoding: bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0x0F)]] }, as: UTF8.self)
}
