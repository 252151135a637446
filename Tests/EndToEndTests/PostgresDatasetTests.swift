import Foundation
import Load
import PostgresDataset
import TestSupport
import Testing

/// The dataset in a real PostgreSQL server: the throwaway one `make test` starts
/// (`Tools/throwaway-postgres.sh`), named by `DISCLOSURE_TEST_POSTGRES`. One test at a time:
/// one of them stops the server.
@Suite(.serialized, .enabled(if: PostgresServer.url != nil, "needs DISCLOSURE_TEST_POSTGRES (make test starts a server)"))
struct PostgresDatasetTests {
    let server = PostgresServer()

    /// A workspace of the 2016 and 2022 fixtures whose city is its own, its dataset the server's.
    func workspace(city: String = "阳泉市", code: String = UUID().uuidString, inFile: Bool = true) throws -> URL {
        let ws = Scratch.directory.appendingPathComponent("pg-\(UUID().uuidString)")
        #expect(try Harness.initialize(ws) == 0)
        for year in ["2016", "2022"] {
            try FileManager.default.copyItem(at: Harness.repo.appendingPathComponent("Fixtures/\(year)"), to: ws.appendingPathComponent("inbox/\(year)"))
        }
        try server.settings(ws, city: city, code: code, dataset: inFile ? PostgresServer.url : nil)
        return ws
    }

    func run(_ ws: URL, _ year: Int, _ extra: [String] = [], environment: [String: String] = [:]) throws -> Harness.Output {
        try Harness.disclosure(["run", "--workspace", ws.path, "--year", String(year)] + extra, environment: server.environment.merging(environment) { $1 })
    }

    @Test func theFixturesGiveTheSameOutputsAsTheEmbeddedDataset() throws {
        let shared = try workspace()
        let embedded = try Harness.workspace()
        try FileManager.default.copyItem(at: Harness.repo.appendingPathComponent("Fixtures/2022"), to: embedded.appendingPathComponent("inbox/2022"))
        for year in [2016, 2022] {
            let a = try run(shared, year), b = try Harness.disclosure(["run", "--workspace", embedded.path, "--year", String(year)])
            #expect(a.status == b.status && a.status == 0, "\(a.stderr)")
            #expect(a.stdout.replacingOccurrences(of: shared.path, with: "") == b.stdout.replacingOccurrences(of: embedded.path, with: ""))
            let status = try Harness.disclosure(["status", "--workspace", shared.path, "--year", String(year)], environment: server.environment)
            #expect(status.stdout == (try Harness.disclosure(["status", "--workspace", embedded.path, "--year", String(year)])).stdout)
        }
        #expect(!FileManager.default.fileExists(atPath: shared.appendingPathComponent("state/disclosure.sqlite").path), "no SQLite file beside the server's dataset")
        #expect(try Self.expectSameFiles("out", in: shared, as: embedded) > 20)
    }

    /// Expects the same files under `folder` of both workspaces, byte for byte; returns how many entries it holds.
    static func expectSameFiles(_ folder: String, in shared: URL, as embedded: URL) throws -> Int {
        let outputs = try FileManager.default.subpathsOfDirectory(atPath: embedded.appendingPathComponent(folder).path).sorted()
        #expect(try FileManager.default.subpathsOfDirectory(atPath: shared.appendingPathComponent(folder).path).sorted() == outputs)
        for path in outputs {
            let a = shared.appendingPathComponent(folder + "/" + path), b = embedded.appendingPathComponent(folder + "/" + path)
            var directory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: b.path, isDirectory: &directory), !directory.boolValue else { continue }
            #expect(try Data(contentsOf: a) == Data(contentsOf: b), "\(folder)/\(path) differs")
        }
        return outputs.count
    }

    @Test func theAnalystsViewsListTheCurrentFiguresWithTheirLabelsAndBlanks() throws {
        let ws = try workspace(city: "视图市")
        #expect(try run(ws, 2022).status == 0)
        let key = try server.cityKey(ws)
        let figures = try server.psql("""
            SELECT count(*), count(*) FILTER (WHERE reported), count(*) FILTER (WHERE label = '')
            FROM disclosure.current_figures WHERE city_key = '\(key)' AND year = 2022
            """)
        let counts = figures.split(separator: "|").compactMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        let csv = try String(contentsOf: ws.appendingPathComponent("out/2022/by_submitter.csv"), encoding: .utf8)
        let rows = csv.split(separator: "\r\n").dropFirst()
        #expect(counts.count == 3 && counts[0] == rows.count, "every body's figure, as by_submitter.csv lists them: \(figures)")
        #expect(counts.count == 3 && counts[2] == 0, "every figure has its form label")
        let city = try server.psql("""
            SELECT city || '|' || province || '|' || sum(value) FROM disclosure.current_figures
            WHERE city_key = '\(key)' AND year = 2022 AND code = 'v2021.t3.new.total' GROUP BY city, province
            """)
        let total = try String(contentsOf: ws.appendingPathComponent("out/2022/totals.csv"), encoding: .utf8)
            .split(separator: "\r\n").first { $0.hasPrefix("v2021.t3.new.total,") }?.split(separator: ",", omittingEmptySubsequences: false)
        #expect(city.hasPrefix("视图市|山西省|"), "\(city)")
        #expect(total.map { city.hasSuffix("|" + $0[4]) } == true, "the view's sum is the report's total: \(city) / \(String(describing: total))")
        let findings = try server.psql("SELECT count(*) FROM disclosure.findings WHERE city_key = '\(key)' AND year = 2022")
        let listed = try String(contentsOf: ws.appendingPathComponent("out/2022/findings.csv"), encoding: .utf8).split(separator: "\r\n").count - 1
        #expect(Int(findings) == listed, "the findings view lists what findings.csv lists")
    }

    @Test func twoCitiesLoadAtOnceAndTheSameCityTwiceIsExcludedAcrossWorkspaces() throws {
        let first = try workspace(city: "甲市", code: "A-\(UUID().uuidString)")
        let other = try workspace(city: "乙市")
        // The same city's workspace on a second machine: its own folder, so its own lock file.
        let twin = Scratch.directory.appendingPathComponent("pg-twin-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: first, to: twin)
        let ready = Scratch.directory.appendingPathComponent("ready-\(UUID().uuidString)").path
        let paused = try Harness.Running(["run", "--workspace", first.path, "--year", "2016"],
                                         environment: server.environment.merging(["DISCLOSURE_FAULT": "pause-in-load:20", "DISCLOSURE_FAULT_READY": ready]) { $1 })
        #expect(Harness.waitFor(ready), "the first city reached the middle of its load")
        let started = Date()
        let second = try run(other, 2016)
        let elapsed = Date().timeIntervalSince(started)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(elapsed < 15, "the other city did not wait for the first (\(elapsed) s)")
        #expect(paused.process.isRunning, "the first city was still in its load")
        let excluded = try run(twin, 2016)
        #expect(excluded.status == 3 && excluded.stderr.contains("甲市") && excluded.stderr.contains("另一台机器"), "\(excluded.stderr)")
        let done = paused.wait()
        #expect(done.status == 0, "\(done.stderr)")
        #expect(try run(twin, 2016, ["--wait"]).status == 0)
    }

    /// A first run read in batches loads on the server as it reads, in one transaction; the
    /// year's version clock moves once in it, and again with each later change, never without.
    @Test func aFirstRunLoadedAsItIsReadGivesTheEmbeddedOutputsAndEachLaterChangeANewReport() throws {
        let shared = try workspace(), embedded = try Harness.workspace()
        let batched = server.environment.merging(["DISCLOSURE_STREAM_BATCH": "2"]) { $1 }
        #expect(try run(shared, 2016, environment: batched).status == 0)
        #expect(try Harness.disclosure(["run", "--workspace", embedded.path, "--year", "2016"]).status == 0)
        let files = try FileManager.default.subpathsOfDirectory(atPath: embedded.appendingPathComponent("out/2016").path).sorted()
        for path in files where !path.hasSuffix("feedback") {
            #expect(try Data(contentsOf: shared.appendingPathComponent("out/2016/" + path)) == Data(contentsOf: embedded.appendingPathComponent("out/2016/" + path)),
                    "out/2016/\(path) differs")
        }
        let dataset = try server.dataset(shared)
        let first = try dataset.reportKey(year: 2016)
        #expect(try dataset.reportKey(year: 2016) == first, "reading moves nothing")
        _ = try Harness.resubmit盂县(shared)
        let again = try run(shared, 2016)
        #expect(again.stderr.contains("1 个单位有更新"), "\(again.stderr)")
        let second = try dataset.reportKey(year: 2016)
        #expect(second != first, "a new version, a new key")
        #expect(try String(contentsOf: shared.appendingPathComponent("out/2016/by_submitter.csv"), encoding: .utf8)
            .contains("盂县,v2014.proactive.total,主动公开政府信息数,条,600,"))
        let idle = try run(shared, 2016)
        #expect(idle.stderr.contains("0 个输出文件有变化"), "\(idle.stderr)")
        #expect(try dataset.reportKey(year: 2016) == second)
    }

    /// A province whose facts are read back in several fetches of the server's cursor (130
    /// bodies, 26,000 facts: one fetch whole, the next in part), the next asked for while the one
    /// before is rendered: every output byte for byte the embedded dataset's.
    @Test func factsReadInSeveralFetchesGiveTheEmbeddedOutputs() throws {
        let corpus = Scratch.directory.appendingPathComponent("province-\(UUID().uuidString)")
        #expect(try Harness.shell("python3 '\(Harness.repo.path)/Benchmarks/national_corpus.py' --out '\(corpus.path)' --bodies 130 >/dev/null") == 0)
        let shared = Scratch.directory.appendingPathComponent("pg-\(UUID().uuidString)")
        let embedded = Scratch.directory.appendingPathComponent("e2e-\(UUID().uuidString)")
        for ws in [shared, embedded] {
            #expect(try Harness.initialize(ws) == 0)
            try FileManager.default.removeItem(at: ws.appendingPathComponent("config/submitters.csv"))
            try FileManager.default.copyItem(at: corpus.appendingPathComponent("config/submitters.csv"), to: ws.appendingPathComponent("config/submitters.csv"))
            try FileManager.default.copyItem(at: corpus.appendingPathComponent("inbox/2022"), to: ws.appendingPathComponent("inbox/2022"))
        }
        try server.settings(shared, city: "阳泉市", code: UUID().uuidString, dataset: PostgresServer.url)
        let a = try run(shared, 2022), b = try Harness.disclosure(["run", "--workspace", embedded.path, "--year", "2022"])
        #expect(a.status == 0 && b.status == 0, "\(a.stderr)\n\(b.stderr)")
        let rows = try String(contentsOf: embedded.appendingPathComponent("out/2022/by_submitter.csv"), encoding: .utf8).split(separator: "\r\n")
        #expect(rows.count > 25_000, "more facts than one fetch takes: \(rows.count)")
        #expect(try Self.expectSameFiles("out/2022", in: shared, as: embedded) > 5)
    }

    @Test func aRunKilledDuringItsLoadLeavesThePreviousVersionCurrent() throws {
        let ws = try workspace()
        #expect(try run(ws, 2016).status == 0)
        let dataset = try server.dataset(ws)
        let before = try dataset.currentFacts(year: 2016)
        _ = try Harness.resubmit盂县(ws)
        let ready = Scratch.directory.appendingPathComponent("ready-\(UUID().uuidString)").path
        let victim = try Harness.Running(["run", "--workspace", ws.path, "--year", "2016"],
                                         environment: server.environment.merging(["DISCLOSURE_FAULT": "pause-in-load:60", "DISCLOSURE_FAULT_READY": ready]) { $1 })
        #expect(Harness.waitFor(ready))
        kill(victim.process.processIdentifier, SIGKILL)
        #expect(victim.wait().status == SIGKILL)
        #expect(try dataset.currentFacts(year: 2016) == before, "the half-done load left no trace")
        #expect(try dataset.versions(year: 2016, submitter: "盂县").count == 1)
        let next = try run(ws, 2016)
        #expect(next.status == 0, "\(next.stderr)")
        #expect(try dataset.versions(year: 2016, submitter: "盂县").count == 2)
        let totals = try String(contentsOf: ws.appendingPathComponent("out/2016/by_submitter.csv"), encoding: .utf8)
        #expect(totals.contains("盂县,v2014.proactive.total,主动公开政府信息数,条,600,"))
    }

    @Test func aServerStoppedDuringARunIsExit4AndTheNextRunCompletesIt() throws {
        let ws = try workspace()
        #expect(try run(ws, 2016).status == 0)
        _ = try Harness.resubmit盂县(ws)
        let ready = Scratch.directory.appendingPathComponent("ready-\(UUID().uuidString)").path
        let victim = try Harness.Running(["run", "--workspace", ws.path, "--year", "2016"],
                                         environment: server.environment.merging(["DISCLOSURE_FAULT": "pause-in-load:4", "DISCLOSURE_FAULT_READY": ready]) { $1 })
        #expect(Harness.waitFor(ready))
        try server.control("halt")
        let cut = victim.wait()
        let down = try run(ws, 2016)
        try server.control("resume")
        #expect(cut.status == 4 && cut.stderr.contains("连接在运行中断开") && cut.stderr.contains("上一版本"), "\(cut.stderr)")
        #expect(down.status == 4 && down.stderr.contains("无法连接 PostgreSQL 服务器"), "\(down.stderr)")
        let next = try run(ws, 2016)
        #expect(next.status == 0, "\(next.stderr)")
        let totals = try String(contentsOf: ws.appendingPathComponent("out/2016/by_submitter.csv"), encoding: .utf8)
        #expect(totals.contains("盂县,v2014.proactive.total,主动公开政府信息数,条,600,"))
    }

    @Test func aRefusedLoginOrABadAddressIsExit2AndNoPasswordIsShown() throws {
        let ws = try workspace(inFile: false)
        let url = try #require(PostgresServer.url)
        let wrong = try run(ws, 2016, environment: ["DISCLOSURE_DATASET": url, "PGPASSWORD": "not-the-password"])
        #expect(wrong.status == 2 && wrong.stderr.contains("拒绝了用户 disclosure 的登录"), "\(wrong.stderr)")
        #expect(!wrong.stderr.contains("not-the-password"))
        let none = try run(ws, 2016, environment: ["DISCLOSURE_DATASET": url, "PGPASSWORD": "", "PGPASSFILE": "/nonexistent"])
        #expect(none.status == 2 && none.stderr.contains("PGPASSWORD"), "\(none.stderr)")
        // A password written into the setting is refused, never echoed.
        try server.settings(ws, city: "阳泉市", code: "x", dataset: url.replacingOccurrences(of: "disclosure@", with: "disclosure:hunter2@"))
        let written = try run(ws, 2016)
        #expect(written.status == 2 && written.stderr.contains("不能写密码") && !written.stderr.contains("hunter2"), "\(written.stderr)")
        let port = try run(ws, 2016, environment: ["DISCLOSURE_DATASET": "postgresql://disclosure@127.0.0.1:1/province"])
        #expect(port.status == 4 && port.stderr.contains("无法连接"), "\(port.stderr)")
        let garbled = try run(ws, 2016, environment: ["DISCLOSURE_DATASET": "postgresql://disclosure@127.0.0.1:99999/province"])
        #expect(garbled.status == 2 && garbled.stderr.contains("端口 99999 不是"), "\(garbled.stderr)")
        // A pass file read by the owner only is used, as libpq uses it.
        let passfile = Scratch.directory.appendingPathComponent("pgpass-\(UUID().uuidString)")
        try Data("127.0.0.1:*:province:disclosure:\(server.password)\n".utf8).write(to: passfile)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: passfile.path)
        let fromFile = try run(ws, 2016, environment: ["DISCLOSURE_DATASET": url, "PGPASSWORD": "", "PGPASSFILE": passfile.path])
        #expect(fromFile.status == 0, "\(fromFile.stderr)")
    }

    @Test func aCityMovedOntoTheServerTakesItsVersionsWithItAndKeepsItsFile() throws {
        let ws = try workspace(inFile: false)
        #expect(try Harness.disclosure(["run", "--workspace", ws.path, "--year", "2016"]).status == 0)
        _ = try Harness.resubmit盂县(ws)
        #expect(try Harness.disclosure(["run", "--workspace", ws.path, "--year", "2016"]).status == 0)
        let file = ws.appendingPathComponent("state/disclosure.sqlite")
        let embedded = try Dataset(path: file.path)
        let before = try embedded.versions(year: 2016).map { [$0.submitter, $0.contentHash, String($0.current)] }
        #expect(try embedded.versions(year: 2016, submitter: "盂县").count == 2)
        let fileBytes = try Data(contentsOf: file)

        try server.settings(ws, city: "阳泉市", code: try server.cityKey(ws), dataset: PostgresServer.url)
        let moved = try run(ws, 2016)
        #expect(moved.status == 0 && (moved.stdout + moved.stderr).contains("共享数据集（PostgreSQL）中还没有本市的数据"), "\(moved.stdout)\(moved.stderr)")
        let shared = try server.dataset(ws)
        // Rebuilt as every rebuild is, by the order the files arrived: each body's current version
        // the same, and the superseded ones kept (a body whose files came seconds apart may gain one).
        let after = try shared.versions(year: 2016).map { [$0.submitter, $0.contentHash, String($0.current)] }
        #expect(after.filter { $0[2] == "true" } == before.filter { $0[2] == "true" }, "\(before) → \(after)")
        #expect(Set(before).isSubset(of: Set(after)), "every version, superseded ones too: \(before) → \(after)")
        #expect(try shared.versions(year: 2016, submitter: "盂县").count == 2)
        #expect(try Data(contentsOf: file) == fileBytes, "the SQLite file is left as it was")
        let again = try run(ws, 2016)
        #expect(again.status == 0 && !(again.stdout + again.stderr).contains("还没有本市的数据"))
    }

    /// The server's disk fills during a load: exit 4 naming the cause, the previous data current;
    /// once there is room the next run completes. (A database in a tablespace on a small tmpfs.)
    @Test func aFullDiskOnTheServerIsExit4AndNothingHalfLoaded() throws {
        let room = Scratch.directory.appendingPathComponent("pgroom-\(UUID().uuidString)").path
        let database = "full_" + UUID().uuidString.prefix(8).lowercased()
        #expect(system("mkdir -p '\(room)' && mount -t tmpfs -o size=24m tmpfs '\(room)' && chown postgres '\(room)'") == 0)
        defer {
            _ = server.superuser("DROP DATABASE IF EXISTS \(database)")
            _ = server.superuser("DROP TABLESPACE IF EXISTS \(database)")
            _ = system("umount '\(room)'; rmdir '\(room)'")
        }
        #expect(server.superuser("CREATE TABLESPACE \(database) LOCATION '\(room)'") == 0)
        #expect(server.superuser("CREATE DATABASE \(database) OWNER disclosure TABLESPACE \(database)") == 0)
        let url = try #require(PostgresServer.url).replacingOccurrences(of: "/province", with: "/" + database)
        let ws = try workspace(inFile: false)
        let env = ["DISCLOSURE_DATASET": url]
        #expect(try run(ws, 2016, environment: env).status == 0)
        let before = try String(contentsOf: ws.appendingPathComponent("out/2016/by_submitter.csv"), encoding: .utf8)
        // Leave the server a few hundred kilobytes: the 2022 year's facts and indexes need more.
        #expect(system("dd if=/dev/zero of='\(room)/filler' bs=64k 2>/dev/null; truncate -s -320k '\(room)/filler'") == 0)
        let full = try run(ws, 2022, environment: env)
        #expect(full.status == 4 && full.stderr.contains("磁盘已满") && full.stderr.contains("上一版本"), "\(full.stderr)")
        let shared = try server.dataset(ws, url: url)
        #expect(try !shared.hasCurrentData(year: 2022), "nothing of the year half-loaded")
        #expect(try shared.versions(year: 2016).count == 13)
        #expect(system("rm -f '\(room)/filler'") == 0)
        let next = try run(ws, 2022, environment: env)
        #expect(next.status == 0, "\(next.stderr)")
        #expect(try shared.hasCurrentData(year: 2022))
        #expect(try String(contentsOf: ws.appendingPathComponent("out/2016/by_submitter.csv"), encoding: .utf8) == before)
    }

    /// Off this machine the connection is TLS with a verified certificate, or nothing: the
    /// server's certificate (from a throwaway authority) is refused until `sslrootcert` names it.
    @Test(.enabled(if: PostgresServer.tlsURL != nil, "needs an address off loopback (hostname -I)"))
    func aServerOffThisMachineIsReachedOnlyOverVerifiedTLS() throws {
        let ws = try workspace(inFile: false)
        let url = try #require(PostgresServer.tlsURL), authority = try #require(PostgresServer.authority)
        let unverified = try run(ws, 2016, environment: ["DISCLOSURE_DATASET": url])
        #expect(unverified.status == 2 && unverified.stderr.contains("证书无法验证") && unverified.stderr.contains("已拒绝连接"), "\(unverified.stderr)")
        let missing = try run(ws, 2016, environment: ["DISCLOSURE_DATASET": url + "?sslrootcert=/nonexistent/ca.pem"])
        #expect(missing.status == 2 && missing.stderr.contains("/nonexistent/ca.pem"), "\(missing.stderr)")
        // The server takes nothing but TLS on that address (pg_hba: hostnossl … reject): a run that works went encrypted.
        let verified = try run(ws, 2016, environment: ["DISCLOSURE_DATASET": url + "?sslrootcert=" + authority])
        #expect(verified.status == 0, "\(verified.stderr)")
    }
}

/// The throwaway server the tests were given.
struct PostgresServer {
    static let url = ProcessInfo.processInfo.environment["DISCLOSURE_TEST_POSTGRES"]
    /// The same server at this machine's address off loopback (TLS only), and the authority that signed its certificate.
    static let tlsURL = ProcessInfo.processInfo.environment["DISCLOSURE_TEST_POSTGRES_TLS"]
    static let authority = ProcessInfo.processInfo.environment["DISCLOSURE_TEST_POSTGRES_CA"]
    let password = ProcessInfo.processInfo.environment["DISCLOSURE_TEST_PGPASSWORD"] ?? ""
    let folder = ProcessInfo.processInfo.environment["DISCLOSURE_TEST_POSTGRES_DIR"] ?? ""

    /// What a run is given: the password (never the setting itself, which is in workspace.json).
    var environment: [String: String] { ["PGPASSWORD": password] }

    func settings(_ ws: URL, city: String, code: String, dataset: String?) throws {
        let file = ws.appendingPathComponent("config/workspace.json")
        var json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
        json["city"] = city
        json["cityCode"] = code
        json["province"] = "山西省"
        json["dataset"] = dataset
        try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys]).write(to: file)
    }

    func cityKey(_ ws: URL) throws -> String {
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: ws.appendingPathComponent("config/workspace.json"))) as? [String: Any]
        return try #require(json?["cityCode"] as? String)
    }

    /// The workspace's dataset, opened as the pipeline opens it.
    func dataset(_ ws: URL, url: String? = nil) throws -> Dataset {
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: ws.appendingPathComponent("config/workspace.json"))) as? [String: Any]
        let location = try PostgresLocation(try #require(url ?? Self.url), defaultUser: "disclosure")
        let city = PostgresEngine.City(key: try cityKey(ws), name: json?["city"] as? String ?? "", province: "山西省")
        return Dataset(engine: try PostgresEngine(location: location, city: city, environment: environment))
    }

    /// One value (or row, `|`-separated) from psql.
    func psql(_ sql: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/psql")
        process.arguments = [try #require(Self.url), "-At", "-v", "ON_ERROR_STOP=1", "-c", sql]
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "psql: \(sql)")
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Runs SQL as the server's superuser over its socket: psql's exit status.
    func superuser(_ sql: String) -> Int32 {
        let port = (try? String(contentsOfFile: folder + "/port", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        return system("runuser -u postgres -- psql -q -h '\(folder)' -p \(port) -d postgres -v ON_ERROR_STOP=1 -c \"\(sql)\" >/dev/null")
    }

    /// Stops (`halt`) or starts (`resume`) the server, its data kept.
    /// (By `system`, which waits for its own child: Foundation's `Process` was seen never to notice
    /// this one end while another child of the test was running.)
    func control(_ command: String) throws {
        #expect(system("'\(Harness.repo.path)/Tools/throwaway-postgres.sh' \(command) '\(folder)'") == 0)
    }
}
