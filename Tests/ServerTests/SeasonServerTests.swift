import Core
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Pipeline
import Server
import TestSupport
import Testing

/// A workspace with the 2016 fixtures run once, served in process.
struct Season {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let root: URL

    init(maxFileMB: Int = 256) throws {
        root = Scratch.directory.appendingPathComponent("serve-\(UUID().uuidString)")
        try Workspace.create(at: root)
        // Files are written whole here: no settle window (a run waits for files still being copied).
        let settings = root.appendingPathComponent("config/workspace.json")
        var json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: settings)) as? [String: Any])
        json["inbox"] = ["settleSeconds": 0, "maxFileMB": maxFileMB]
        try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys]).write(to: settings)
        try FileManager.default.copyItem(at: Self.repo.appendingPathComponent("Fixtures/2016"), to: root.appendingPathComponent("inbox/2016"))
        try run()
    }

    func pipeline(_ year: Int = 2016) -> Pipeline { Pipeline(workspace: Workspace(root: root, year: year)) }

    /// `disclosure run --year 2016`, as cron runs it.
    @discardableResult
    func run() throws -> Int32 {
        try pipeline().session("run", submitter: nil, wait: true) { p, who in
            _ = try p.run(submitter: who)
            return ""
        }.status
    }

    func files(_ body: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("inbox/2016/\(body)").path).sorted()
    }

    func text(_ relative: String) throws -> String { try String(contentsOf: root.appendingPathComponent(relative), encoding: .utf8) }

    func server(host: String = "127.0.0.1") throws -> SeasonServer { try SeasonServer(root: root, host: host, port: 0) }
}

extension TestResponse {
    var text: String { String(buffer: body) }
}

func path(_ segment: String) -> String { segment.addingPercentEncoding(withAllowedCharacters: .alphanumerics)! }

/// The page's CSRF token, as its pages carry it.
func token(_ client: some TestClientProtocol, cookie: String? = nil) async throws -> String {
    var headers: HTTPFields = [:]
    if let cookie { headers[.cookie] = cookie }
    let page = try await client.execute(uri: "/", method: .get, headers: headers).text
    let marker = "name=\"csrf-token\" content=\""
    let start = try #require(page.range(of: marker)).upperBound
    return String(page[start...].prefix { $0 != "\"" })
}

func upload(_ client: some TestClientProtocol, body: String, name: String, bytes: [UInt8], token: String?, cookie: String? = nil) async throws -> TestResponse {
    var headers: HTTPFields = [.contentType: "application/octet-stream"]
    if let token { headers[HTTPField.Name("X-CSRF-Token")!] = token }
    if let cookie { headers[.cookie] = cookie }
    return try await client.execute(uri: "/2016/\(path(body))/upload?name=\(path(name))", method: .post, headers: headers,
                                    body: ByteBuffer(bytes: bytes))
}

@Suite("serve: the season's pages")
struct SeasonPageTests {
    @Test func theYearListsEveryRegisteredBodyWithItsStateAndLinksEachFigureToItsSources() async throws {
        let season = try Season()
        try await season.server().application().test(.router) { client in
            let page = try await client.execute(uri: "/2016", method: .get)
            #expect(page.status == .ok)
            let registry = try season.pipeline().workspace.registry().submitters(in: 2016)
            for body in registry { #expect(page.text.contains(">\(HTMLText.escape(body.name))</a>"), "\(body.name)") }
            #expect(page.text.contains("data-state=\"missing\""))
            #expect(page.text.contains("data-state=\"warnings\" data-name=\"市教育局\""))
            // A figure of the city's table, followed to the files and lines it comes from.
            let link = try #require(page.text.firstMatch(of: /href="(\/2016\/figure\/[^"]+)"/)).1
            let figure = try await client.execute(uri: String(link), method: .get)
            #expect(figure.status == .ok)
            #expect(figure.text.contains("inbox/2016/"))
            #expect(figure.text.contains("第 "))
        }
    }

    @Test func statusAsJSONGivesEveryBodysState() async throws {
        let season = try Season()
        try await season.server().application().test(.router) { client in
            let response = try await client.execute(uri: "/api/2016/status", method: .get)
            let json = try #require(try JSONSerialization.jsonObject(with: Data(response.text.utf8)) as? [String: Any])
            #expect(json["year"] as? Int == 2016)
            #expect(json["draft"] as? Bool == false)
            let bodies = try #require(json["bodies"] as? [[String: Any]])
            let states = Dictionary(uniqueKeysWithValues: bodies.map { ($0["name"] as! String, $0["state"] as! String) })
            #expect(states["市教育局"] == "warnings")
            #expect(states["城区"] == "submitted")
            #expect(states["市发展和改革委员会"] == "missing")
            #expect(Set(states.values).isSubset(of: ["missing", "submitted", "errors", "warnings", "reviewed"]))
        }
    }

    @Test func downloadsAreOnlyTheOutputsByName() async throws {
        let season = try Season()
        try await season.server().application().test(.router) { client in
            let report = try await client.execute(uri: "/2016/out/report.md", method: .get)
            #expect(report.status == .ok)
            #expect(report.text == (try season.text("out/2016/report.md")))
            #expect(report.headers[.contentDisposition]?.contains("attachment") == true)
            for hostile in ["/2016/out/..%2F..%2Fconfig%2Fsubmitters.csv", "/2016/out/%2Fetc%2Fpasswd", "/2016/out/feedback",
                            "/2016/..%2F..%2Fconfig", "/2016/%2E%2E", "/1999/out/report.md", "/abcd", "/2016/out/.2016.prev"] {
                let r = try await client.execute(uri: hostile, method: .get)
                #expect(r.status == .notFound, "\(hostile)")
                #expect(!r.text.contains("name,aliases,code,level"))
            }
            let feedback = try await client.execute(uri: "/2016/\(path("市教育局"))/feedback", method: .get)
            #expect(feedback.status == .ok)
            #expect(feedback.text.contains("市教育局"))
            let issues = try await client.execute(uri: "/2016/issues.csv", method: .get)
            #expect(issues.text.hasPrefix("\u{FEFF}级别,单位"))
            #expect(issues.text.contains("警告,市教育局"))
        }
    }

    @Test func aSubmittersNameIsEscapedOnEveryPage() async throws {
        let season = try Season()
        // A file name a submitter chose, with markup in it.
        let hostile = "<img src=x onerror=alert(1)>\"'&.csv"
        try FileManager.default.copyItem(at: season.root.appendingPathComponent("inbox/2016/城区/\(try season.files("城区")[0])"),
                                         to: season.root.appendingPathComponent("inbox/2016/矿区/\(hostile)"))
        try season.run()
        try await season.server().application().test(.router) { client in
            for uri in ["/2016", "/2016/\(path("矿区"))"] {
                let page = try await client.execute(uri: uri, method: .get).text
                #expect(!page.contains("<img src=x"), "\(uri)")
                #expect(page.contains("&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;.csv"), "\(uri)")
            }
        }
    }
}

@Suite("serve: uploads")
struct UploadTests {
    @Test func aResubmissionIsStoredAsSentAndTheBodyIsRerun() async throws {
        let season = try Season()
        let csv = Array(try Data(contentsOf: season.root.appendingPathComponent("inbox/2016/平定县/平定县统计表.txt")))
        try await season.server().application().test(.router) { client in
            let token = try await token(client)
            let r = try await upload(client, body: "市发展和改革委员会", name: "统计表.csv", bytes: csv, token: token)
            #expect(r.status == .ok, "\(r.text)")
            #expect(r.text.contains("已保存为 inbox/2016/市发展和改革委员会/统计表.csv"))
            #expect(try season.files("市发展和改革委员会") == ["统计表.csv"])
            let stored = try Data(contentsOf: season.root.appendingPathComponent("inbox/2016/市发展和改革委员会/统计表.csv"))
            #expect(Array(stored) == csv)
            #expect(try await state(client, "市发展和改革委员会") != "missing")
        }
    }

    @Test func anUploadNeverReplacesAnEarlierFileAndItsNameCannotLeaveTheFolder() async throws {
        let season = try Season()
        let before = try season.files("城区")
        try await season.server().application().test(.router) { client in
            let token = try await token(client)
            let first = try await upload(client, body: "城区", name: "../../../config/submitters.csv", bytes: Array("a,b\n1,2\n".utf8), token: token)
            #expect(first.status == .ok)
            let second = try await upload(client, body: "城区", name: "..\\..\\submitters.csv", bytes: Array("c,d\n".utf8), token: token)
            #expect(second.status == .ok)
            let hidden = try await upload(client, body: "城区", name: "/.profile", bytes: Array("x\n".utf8), token: token)
            #expect(hidden.status == .ok)
            // A "%" in a name is the name's own, not an escape.
            let percent = try await upload(client, body: "城区", name: "完成率100%.csv", bytes: Array("y\n".utf8), token: token)
            #expect(percent.status == .ok)
        }
        #expect(try season.files("城区") == (before + ["profile", "submitters.csv", "submitters（2）.csv", "完成率100%.csv"]).sorted())
        #expect(try season.text("inbox/2016/城区/submitters.csv") == "a,b\n1,2\n")
        #expect(try season.text("config/submitters.csv").hasPrefix("name,aliases,code,level"))
    }

    @Test func anUploadWithoutThePagesTokenIsRefusedAndNothingIsStored() async throws {
        let season = try Season()
        let before = try season.files("城区")
        try await season.server().application().test(.router) { client in
            let none = try await upload(client, body: "城区", name: "x.csv", bytes: Array("a\n".utf8), token: nil)
            #expect(none.status == .forbidden)
            let wrong = try await upload(client, body: "城区", name: "x.csv", bytes: Array("a\n".utf8), token: String(repeating: "0", count: 64))
            #expect(wrong.status == .forbidden)
            // From another site's page: its Origin is refused whatever the token.
            let token = try await token(client)
            let r = try await client.execute(uri: "/2016/\(path("城区"))/upload?name=x.csv", method: .post,
                                             headers: [HTTPField.Name("X-CSRF-Token")!: token, .origin: "http://evil.example"],
                                             body: ByteBuffer(string: "a\n"))
            #expect(r.status == .forbidden)
        }
        #expect(try season.files("城区") == before)
    }

    @Test func anUploadOverTheInboxLimitOrEmptyOrForAnUnknownBodyIsRefused() async throws {
        let season = try Season(maxFileMB: 1)
        try await season.server().application().test(.router) { client in
            let token = try await token(client)
            let big = try await upload(client, body: "城区", name: "big.csv", bytes: [UInt8](repeating: 0x41, count: (1 << 20) + 10), token: token)
            #expect(big.status == .contentTooLarge)
            #expect(big.text.contains("上限 1 MB"))
            let empty = try await upload(client, body: "城区", name: "empty.csv", bytes: [], token: token)
            #expect(empty.status == .badRequest)
            let unknown = try await upload(client, body: "../城区", name: "x.csv", bytes: Array("a\n".utf8), token: token)
            #expect(unknown.status == .notFound)
        }
        #expect(!(try season.files("城区")).contains { $0.hasPrefix("big") || $0.hasPrefix("empty") || $0 == "x.csv" })
    }

    @Test func twoUploadsAtOnceAreBothStoredAndRun() async throws {
        let season = try Season()
        let csv = Array(try Data(contentsOf: season.root.appendingPathComponent("inbox/2016/平定县/平定县统计表.txt")))
        try await season.server().application().test(.router) { client in
            let token = try await token(client)
            async let a = upload(client, body: "市经济和信息化委员会", name: "统计表.csv", bytes: csv, token: token)
            async let b = upload(client, body: "市国土资源局", name: "统计表.csv", bytes: csv, token: token)
            let (ra, rb) = try await (a, b)
            #expect(ra.status == .ok)
            #expect(rb.status == .ok)
            #expect(try await state(client, "市经济和信息化委员会") != "missing")
            #expect(try await state(client, "市国土资源局") != "missing")
        }
    }

    @Test func anUploadCutShortIsNotStored() async throws {
        let season = try Season()
        let before = try season.files("城区")
        try await season.server().application().test(.live) { client in
            let port = try #require(client.port)
            let token = try await token(client)
            // Says 1,000 bytes, sends 10, and closes: the server must not store the 10.
            _ = try await raw(port: port, "POST /2016/\(path("城区"))/upload?name=cut.csv HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nX-CSRF-Token: \(token)\r\nContent-Length: 1000\r\n\r\n0123456789")
            try await Task.sleep(for: .milliseconds(300))
        }
        #expect(try season.files("城区") == before)
    }
}

@Suite("serve: reviews")
struct ReviewTests {
    func fingerprint(_ page: String, severity: String) throws -> String {
        String(try #require(page.firstMatch(of: try Regex("data-fingerprint=\"([0-9a-f]{32})\"><td class=\"sev-\(severity)\""))).output[1].substring!)
    }

    @Test func aMarkSurvivesARerunShowsInTheOutputsAndLapsesWhenTheFindingChanges() async throws {
        let season = try Season()
        let server = try season.server()
        let body = "/2016/\(path("市教育局"))"
        let fp = try await server.application().test(.router) { client in
            let token = try await token(client)
            let fp = try fingerprint(try await client.execute(uri: body, method: .get).text, severity: "warning")
            let r = try await client.execute(uri: body + "/review", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                             body: ByteBuffer(string: "csrf=\(token)&fingerprint=\(fp)&state=verified&by=\(path("张三"))&note=\(path("已与原件核对"))"))
            #expect(r.status == .seeOther)
            #expect(r.headers[.location] == body + "?done=verified")
            return fp
        }
        #expect(try season.text("out/2016/findings.csv").contains(",已核实（张三：已与原件核对）\r\n") || season.text("out/2016/findings.csv").contains(",已核实（张三：已与原件核对）\n"))
        #expect(try season.text("out/2016/feedback/市教育局.md").contains("审核情况：已核实（张三：已与原件核对）"))
        // cron runs again with nothing new: the mark holds.
        #expect(try season.run() == 0)
        var status = try season.pipeline().status()
        #expect(status.rows.first { $0.name == "市教育局" }?.reviewed == 1)
        // The body resubmits its item list with every item twice: the warning now names other figures.
        let list = season.root.appendingPathComponent("inbox/2016/市教育局/公开目录导出.csv")
        let text = try String(contentsOf: list, encoding: .utf8)
        let records = text[text.index(after: try #require(text.firstIndex(of: "\n")))...]
        try (text + (text.hasSuffix("\n") ? "" : "\n") + records).write(to: list, atomically: true, encoding: .utf8)
        #expect(try season.run() == 0)
        status = try season.pipeline().status()
        #expect(status.rows.first { $0.name == "市教育局" }?.reviewed == 0)
        #expect(try season.pipeline().reviews().marks[fp] == nil)
        #expect(!(try season.text("out/2016/findings.csv")).contains("已核实"))
    }

    @Test func aReviewedErrorIsListedAsReviewedInTheDraftAndTheReportStaysADraft() throws {
        let season = try Season()
        // A statistical table beside the body's own item list: the two disagree, an error.
        try FileManager.default.copyItem(at: season.root.appendingPathComponent("inbox/2016/平定县/平定县统计表.txt"),
                                         to: season.root.appendingPathComponent("inbox/2016/市民政局/统计表.txt"))
        #expect(try season.run() == 1)
        let error = try #require(try season.pipeline().workspace.dataset().findings(year: 2016).first { $0.severity == .error && $0.submitter == "市民政局" })
        let (marked, result) = try season.pipeline().review(error.fingerprint, state: .verified, note: "该局确认按目录计数", by: "王五")
        #expect(marked == error)
        // Still an error in the data: the report stays a draft and the run's status says so.
        #expect(result.status == 1)
        let report = try season.text("out/2016/report.md")
        #expect(report.contains("【已核实（王五：该局确认按目录计数）】"))
        #expect(try season.text("out/2016/findings.csv").contains(",已核实（王五：该局确认按目录计数）"))
        let status = try season.pipeline().status()
        #expect(status.reviewedErrors == 1)
        #expect(status.rows.first { $0.name == "市民政局" }?.openErrors == 0)
        // Taken back: open again, and the draft list says nothing of it.
        _ = try season.pipeline().review(error.fingerprint, state: nil, note: "", by: "王五")
        let after = try season.text("out/2016/report.md")
        #expect(!after.contains("已核实"))
        #expect(!after.contains("【"), "an unmarked error has no review brackets")
    }

    @Test func aReviewWithoutTheTokenOrForAFindingThatIsGoneChangesNothing() async throws {
        let season = try Season()
        let body = "/2016/\(path("市教育局"))"
        try await season.server().application().test(.router) { client in
            let fp = try fingerprint(try await client.execute(uri: body, method: .get).text, severity: "warning")
            let forged = try await client.execute(uri: body + "/review", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                                  body: ByteBuffer(string: "fingerprint=\(fp)&state=ignored&by=x"))
            #expect(forged.status == .forbidden)
            let token = try await token(client)
            let gone = try await client.execute(uri: body + "/review", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                                body: ByteBuffer(string: "csrf=\(token)&fingerprint=\(String(repeating: "a", count: 32))&state=ignored&by=x"))
            #expect(gone.status == .badRequest)
            #expect(gone.text.contains("已不存在"))
            // A finding of 市教育局 posted on 城区's page is not marked.
            let elsewhere = try await client.execute(uri: "/2016/\(path("城区"))/review", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                                     body: ByteBuffer(string: "csrf=\(token)&fingerprint=\(fp)&state=ignored&by=x"))
            #expect(elsewhere.status == .badRequest)
        }
        #expect(try season.pipeline().reviews().isEmpty)
    }
}

@Suite("serve: access")
struct AccessTests {
    @Test func anyAddressButLoopbackNeedsAPassword() throws {
        let season = try Season()
        #expect(throws: UsageError.self) { try season.server(host: "0.0.0.0") }
        try PasswordHash(password: "办公室密码2027", iterations: 2000).save(season.pipeline().workspace.layout)
        _ = try season.server(host: "0.0.0.0")
    }

    @Test func withAPasswordEveryPageAsksToSignInAndAWrongPasswordIsRefused() async throws {
        let season = try Season()
        try PasswordHash(password: "办公室密码2027", iterations: 2000).save(season.pipeline().workspace.layout)
        try await season.server(host: "0.0.0.0").application().test(.router) { client in
            let page = try await client.execute(uri: "/2016", method: .get)
            #expect(page.status == .seeOther)
            #expect(page.headers[.location] == "/login")
            let api = try await client.execute(uri: "/api/2016/status", method: .get)
            #expect(api.status == .forbidden)
            let login = try await client.execute(uri: "/login", method: .get).text
            let start = try #require(login.range(of: "name=\"csrf\" value=\"")).upperBound
            let formToken = String(login[start...].prefix { $0 != "\"" })
            let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
            let wrong = try await client.execute(uri: "/login", method: .post, headers: form,
                                                 body: ByteBuffer(string: "csrf=\(formToken)&name=\(path("李四"))&password=guess"))
            #expect(wrong.status == .unauthorized)
            #expect(wrong.headers[.setCookie] == nil)
            let right = try await client.execute(uri: "/login", method: .post, headers: form,
                                                 body: ByteBuffer(string: "csrf=\(formToken)&name=\(path("李四"))&password=\(path("办公室密码2027"))"))
            #expect(right.status == .seeOther)
            let setCookie = try #require(right.headers[.setCookie])
            #expect(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict"))
            let cookie = String(setCookie.split(separator: ";")[0])
            let signedIn = try await client.execute(uri: "/2016", method: .get, headers: [.cookie: cookie])
            #expect(signedIn.status == .ok)
            #expect(signedIn.text.contains("李四"))
            // The session's own token, not the login form's, authorises its POSTs.
            let csrf = try await token(client, cookie: cookie)
            #expect(csrf != formToken)
            let bad = try await upload(client, body: "城区", name: "x.csv", bytes: Array("a\n".utf8), token: formToken, cookie: cookie)
            #expect(bad.status == .forbidden)
        }
        #expect(!(try String(contentsOf: season.root.appendingPathComponent("state/serve-password"), encoding: .utf8)).contains("办公室密码2027"))
    }

    @Test func onLoopbackAPageAnswersOnlyToALoopbackName() async throws {
        let season = try Season()
        try await season.server().application().test(.live) { client in
            let port = try #require(client.port)
            let rebound = try await raw(port: port, "GET /2016 HTTP/1.1\r\nHost: evil.example:\(port)\r\nConnection: close\r\n\r\n")
            #expect(rebound.hasPrefix("HTTP/1.1 403"))
            let local = try await raw(port: port, "GET /2016 HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n\r\n")
            #expect(local.hasPrefix("HTTP/1.1 200"))
            #expect(local.contains("default-src 'self'"))
        }
    }
}

/// The pages' escaping, as the tests expect to find it.
enum HTMLText {
    static func escape(_ s: String) -> String {
        s.replacing("&", with: "&amp;").replacing("<", with: "&lt;").replacing(">", with: "&gt;").replacing("\"", with: "&quot;").replacing("'", with: "&#39;")
    }
}

/// Sends `request` as written on a new connection (then closes the sending side) and returns what
/// came back, on a thread of its own: the server's handlers run on Swift's cooperative threads,
/// which a blocking receive must not hold.
func raw(port: Int, _ request: String) async throws -> String {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { try rawBlocking(port: port, request) }) }
        thread.start()
    }
}

private func rawBlocking(port: Int, _ request: String) throws -> String {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    try #require(connected == 0)
    // Never wait forever: a server that keeps the connection open past 20 s fails the test.
    var timeout = timeval(tv_sec: 20, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    _ = Array(request.utf8).withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
    shutdown(fd, Int32(SHUT_WR))
    var out: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = recv(fd, &buffer, buffer.count, 0)
        if n <= 0 { break }
        out += buffer[..<n]
    }
    return String(decoding: out, as: UTF8.self)
}

/// A body's state as `/api/<year>/status` gives it.
func state(_ client: some TestClientProtocol, _ name: String) async throws -> String? {
    let text = try await client.execute(uri: "/api/2016/status", method: .get).text
    let json = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    return (json["bodies"] as? [[String: Any]])?.first { $0["name"] as? String == name }?["state"] as? String
}
