import Foundation
import Load
import NIOCore
@testable import PostgresDataset
import TestSupport
import Testing

/// The dataset address, the password's sources and when TLS is required: without a server.
struct PostgresLocationTests {
    @Test func anAddressGivesItsUserHostPortAndDatabase() throws {
        let tcp = try PostgresLocation("postgresql://disclosure@db.province.example:6543/shanxi", defaultUser: "clerk")
        #expect(tcp.user == "disclosure" && tcp.host == "db.province.example" && tcp.port == 6543 && tcp.database == "shanxi")
        #expect(tcp.socketPath == nil && !tcp.isLocal)
        let plain = try PostgresLocation("postgres://10.1.2.3/", defaultUser: "clerk")
        #expect(plain.user == "clerk" && plain.port == 5432 && plain.database == "clerk", "libpq's defaults: the login name, 5432")
    }

    @Test func aUnixSocketIsWrittenEitherWayLibpqAccepts() throws {
        let encoded = try PostgresLocation("postgresql://disclosure@%2Fvar%2Frun%2Fpostgresql/province", defaultUser: "x")
        let query = try PostgresLocation("postgresql:///province?host=/var/run/postgresql&port=5433", defaultUser: "disclosure")
        #expect(encoded.socketPath == "/var/run/postgresql/.s.PGSQL.5432" && encoded.isLocal)
        #expect(query.socketPath == "/var/run/postgresql/.s.PGSQL.5433" && query.database == "province" && query.user == "disclosure")
    }

    @Test func tlsIsRequiredForEveryHostThatIsNotThisMachine() throws {
        for local in ["127.0.0.1", "127.0.1.1", "localhost", "[::1]"] {
            #expect(try PostgresLocation("postgresql://u@\(local):5432/d", defaultUser: "u").isLocal, "\(local)")
        }
        for remote in ["192.0.2.2", "db.example", "[fd00::2]", "localhost.example.com"] {
            #expect(try !PostgresLocation("postgresql://u@\(remote):5432/d", defaultUser: "u").isLocal, "\(remote)")
        }
    }

    @Test func aPasswordInTheAddressIsRefusedAndNeverRepeated() {
        #expect {
            _ = try PostgresLocation("postgresql://disclosure:hunter2@db:5432/p", defaultUser: "x")
        } throws: { error in
            guard case DatasetError.setting(let message) = error else { return false }
            return message.contains("PGPASSWORD") && !message.contains("hunter2")
        }
        #expect(PostgresLocation.redacted("postgresql://u:secret@h/d") == "postgresql://u:***@h/d")
    }

    @Test func aMalformedAddressSaysWhatIsWrong() {
        // (Every message ends with the address's shape, which names 端口 and 数据库: the cause is asked for.)
        for (setting, words) in [("postgresql://u@h:70000/d", "端口 70000 不是"), ("postgresql://u@h/d?sslmode=require", "不支持参数 sslmode"),
                                 ("postgresql://u@h/a/b", "数据库名不能含 /")] {
            #expect {
                _ = try PostgresLocation(setting, defaultUser: "x")
            } throws: { error in
                guard case DatasetError.setting(let message) = error else { return false }
                return message.contains(words)
            }
        }
    }

    @Test func thePasswordComesFromTheEnvironmentThenAPassFileOnlyItsOwnerReads() throws {
        let location = try PostgresLocation("postgresql://disclosure@db.example:5432/province", defaultUser: "x")
        let file = Scratch.directory.appendingPathComponent("pgpass-\(UUID().uuidString)")
        try Data("""
            # host:port:database:user:password
            other.example:*:*:*:wrong
            db.example:5432:province:disclosure:pa\\:ss\\\\word
            *:*:*:*:fallback

            """.utf8).write(to: file)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
        #expect(location.password(environment: ["PGPASSFILE": file.path]) == "pa:ss\\word")
        #expect(location.password(environment: ["PGPASSFILE": file.path, "PGPASSWORD": "given"]) == "given")
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file.path)
        #expect(location.password(environment: ["PGPASSFILE": file.path]) == nil, "a pass file others can read is ignored")
    }

    @Test func aScriptIsSplitIntoStatementsButAFunctionBodyStaysWhole() {
        let statements = PostgresSchema.statements(PostgresSchema.migrations(schema: "city_0123456789abcdef")[0].sql)
        let function = statements.filter { $0.hasPrefix("CREATE FUNCTION") }
        #expect(function.count == 1 && function[0].contains("UPDATE version_clock") && function[0].hasSuffix("END $$"))
        #expect(statements.allSatisfy { !$0.hasSuffix(";") || $0.contains("$$") })
        #expect(statements.count > 10)
    }

    @Test func placeholdersAreNumberedOutsideQuotesOnly() throws {
        let query = try PostgresSession.query("SELECT '?' || rule FROM finding WHERE year = ? AND submitter = ?", [.integer(2022), .text("城区")])
        #expect(query.sql == "SELECT '?' || rule FROM finding WHERE year = $1 AND submitter = $2")
        #expect(query.binds.count == 2)
    }

    @Test func copyFieldsEscapeWhatTheTextFormatReservesAndMarkNull() {
        var buffer: [UInt8] = []
        PostgresSession.field("a\tb\\c\nd\re", into: &buffer)
        PostgresSession.field(nil, into: &buffer)
        PostgresSession.field("城区", into: &buffer)
        PostgresSession.field("", into: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == "\ta\\tb\\\\c\\nd\\re\t\\N\t城区\t")
    }
}
