import Core
import Dispatch
import Foundation
import HTTPTypes
import Hummingbird
import Load
import Logging
import Pipeline
import Report
import Store

/// `disclosure serve`: the workspace's season as pages, a thin router over the pipeline. Every
/// name in a request is resolved through the registry (a body) or the outputs' own listing (a
/// download), never used as a path; every POST carries the page's CSRF token; with a password
/// set, every page asks for a signed-in session.
public struct SeasonServer: Sendable {
    public let root: URL
    public let host: String
    public let port: Int
    let layout: WorkspaceLayout
    let password: PasswordHash?
    let sessions = Sessions()
    /// The CSRF token of the pages when nobody signs in (loopback without a password), and of the login form.
    let pageToken = Token.make()
    /// Uploads and reviews one at a time (and each under the workspace lock, as the commands).
    let writes = DispatchQueue(label: "disclosure.serve.writes")
    /// Reads of the state, off Swift's cooperative threads (the pipeline's calls block). A queue
    /// of its own gets threads of its own: the shared pool's may all be busy in a run.
    let reads = DispatchQueue(label: "disclosure.serve.reads", attributes: .concurrent)
    let logger: Logger

    public static let defaultPort = 8600

    /// - Throws: ``UsageError`` for an address other than loopback without a password set.
    public init(root: URL, host: String = "127.0.0.1", port: Int = Self.defaultPort, logger: Logger = Logger(label: "disclosure.serve")) throws {
        self.root = root
        self.host = host
        self.port = port
        self.logger = logger
        layout = WorkspaceLayout(root: root.path)
        password = try PasswordHash.load(layout)
        if password == nil && !Self.isLoopback(host) {
            throw UsageError("在 \(host) 上提供页面需要先设置密码：disclosure serve --set-password（否则只能在本机 127.0.0.1 上使用）")
        }
    }

    static func isLoopback(_ host: String) -> Bool {
        host == "127.0.0.1" || host == "::1" || host == "localhost" || host.hasPrefix("127.")
    }

    /// The application, for `run` and for tests (HummingbirdTesting's router framework).
    public func application() -> some ApplicationProtocol {
        Application(router: router(), configuration: .init(address: .hostname(host, port: port), serverName: nil), logger: logger)
    }

    public func run() async throws {
        try await application().runService()
    }

    // MARK: Routes

    func router() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: Guard(server: self))
        router.get("/static/season.css") { _, _ in Self.text(Frame.style, type: "text/css; charset=utf-8") }
        router.get("/static/season.js") { _, _ in Self.text(Frame.script, type: "text/javascript; charset=utf-8") }
        router.get("/login") { _, _ in Self.html(Pages.login(token: pageToken, failed: false)) }
        router.post("/login") { request, _ in try await login(request) }
        router.post("/logout") { request, _ in
            if let token = Self.cookie(request, Self.sessionCookie) { await sessions.close(token) }
            var response = Self.redirect("/login")
            response.headers[.setCookie] = "\(Self.sessionCookie)=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"
            return response
        }
        router.get("/") { request, _ in
            let viewer = try await viewer(request)
            return Self.html(Pages.years(Pipeline.years(layout), viewer: viewer))
        }
        router.get("/api/:year/status") { _, context in try await statusJSON(try year(context)) }
        router.get("/:year") { request, context in
            let y = try year(context)
            let viewer = try await viewer(request)
            let view = try await query(y) { try $0.yearView() }
            return Self.html(Pages.year(y, view, message: request.uri.queryParameters.get("done").flatMap(Self.done), viewer: viewer))
        }
        router.get("/:year/issues.csv") { _, context in try await issues(try year(context)) }
        router.get("/:year/out/:file") { _, context in
            let y = try year(context), name = try segment(context, "file")
            guard let bytes = try await query(y, { try $0.output(name) }) else { throw Refusal.notFound("\(y) 年的输出中没有“\(name)”") }
            return Self.download(bytes, name: name)
        }
        router.get("/:year/figure/:code") { request, context in
            let y = try year(context), code = try segment(context, "code")
            let viewer = try await viewer(request)
            let x = try await query(y) { try $0.explain(code) }
            return Self.html(Pages.figure(y, x, viewer: viewer))
        }
        router.get("/:year/:submitter") { request, context in
            let y = try year(context)
            let viewer = try await viewer(request)
            let name = try segment(context, "submitter")
            let said = request.uri.queryParameters.get("done").flatMap { Self.done($0) }
            let (body, feedback) = try await query(y) { p in
                guard let b = try p.body(name) else { throw Refusal.notFound("“\(name)”不是登记的报送单位") }
                return (b, try p.feedback(of: b.name).map { String(decoding: $0.bytes, as: UTF8.self) })
            }
            return Self.html(Pages.body(y, body, feedback: feedback, message: said, viewer: viewer))
        }
        router.get("/:year/:submitter/feedback") { _, context in
            let y = try year(context), name = try segment(context, "submitter")
            guard let file = try await query(y, { try $0.feedback(of: name) }) else { throw Refusal.notFound("“\(name)”没有审核意见书") }
            return Self.download(file.bytes, name: file.name)
        }
        router.post("/:year/:submitter/upload") { request, context in try await upload(request, context) }
        router.post("/:year/:submitter/review") { request, context in try await review(request, context) }
        router.post("/:year/review") { request, context in try await review(request, context) }
        return router
    }

    /// A refusal the page words: 404 for a name nobody resolves, 400 for a request that cannot be
    /// done as sent, 403 for a missing token or session.
    enum Refusal: Error {
        case notFound(String)
        case bad(String)
        case forbidden(String)
        case busy(String)
    }

    func year(_ context: BasicRequestContext) throws -> Int {
        guard let text = context.parameters.get("year"), text.count == 4, let y = Int(text), y >= 2000, y <= 2100 else {
            throw Refusal.notFound("没有这个年度")
        }
        return y
    }

    func segment(_ context: BasicRequestContext, _ name: String) throws -> String {
        guard let raw = context.parameters.get(name), let text = raw.removingPercentEncoding, !text.isEmpty else {
            throw Refusal.notFound("地址不完整")
        }
        return text
    }

    // MARK: Work

    /// A read of the year's state, on a worker thread (the pipeline's calls block).
    func query<T: Sendable>(_ year: Int, _ body: @escaping @Sendable (Pipeline) throws -> T) async throws -> T {
        let root = root
        return try await withCheckedThrowingContinuation { c in
            reads.async {
                c.resume(with: Result { try Pipeline(workspace: Workspace(root: root, year: year)).query(body).value })
            }
        }
    }

    /// A change (an upload and its rerun, a review), one at a time on the write queue.
    func change<T: Sendable>(_ year: Int, _ body: @escaping @Sendable (Pipeline) throws -> T) async throws -> T {
        let root = root
        return try await withCheckedThrowingContinuation { c in
            writes.async { c.resume(with: Result { try body(Pipeline(workspace: Workspace(root: root, year: year))) }) }
        }
    }

    func statusJSON(_ year: Int) async throws -> Response {
        let status = try await query(year) { try $0.status() }
        var json = JSONWriter()
        json.beginObject()
        json.field("year", year)
        json.key("bodies")
        json.beginArray()
        for r in status.rows {
            json.beginObject()
            json.field("name", r.name)
            json.field("state", r.season.rawValue)
            json.key("files")
            json.beginArray()
            for f in r.files where f.status != .superseded { json.value(f.path) }
            json.endArray()
            json.field("errors", r.errors)
            json.field("warnings", r.warnings)
            json.field("reviewed", r.reviewed)
            json.endObject()
        }
        json.endArray()
        json.field("draft", status.draft)
        json.endObject()
        return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(bytes: json.bytes)))
    }

    /// The open findings (errors and warnings nobody marked) as a CSV Excel opens.
    func issues(_ year: Int) async throws -> Response {
        let (findings, reviews) = try await query(year) { p in (try p.workspace.dataset().findings(year: year), try p.reviews()) }
        return Self.download(IssueList.csv(findings, reviews: reviews), name: "\(year)年待处理问题清单.csv")
    }

    func upload(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let y = try year(context), name = try segment(context, "submitter")
        try await checkToken(request, form: nil)
        // Hummingbird has decoded the query already: a name with "%" in it stays as sent.
        let sent = request.uri.queryParameters.get("name") ?? ""
        let limit = try await query(y) { try $0.uploadLimit() }
        var request = request
        let buffer: ByteBuffer
        let tooLarge = Self.json(413, "文件超过收件箱的上限 \(limit >> 20) MB（config/workspace.json 的 inbox.maxFileMB），未保存")
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit { return tooLarge }
        do { buffer = try await request.collectBody(upTo: limit) } catch let e as any HTTPResponseError where e.status == .contentTooLarge {
            return tooLarge
        } catch {
            return Self.json(400, "文件没有传完整（连接中断），未保存：请重新上传")
        }
        if let length = request.headers[.contentLength].flatMap(Int.init), length != buffer.readableBytes {
            return Self.json(400, "文件没有传完整（收到 \(buffer.readableBytes) 字节，应为 \(length) 字节），未保存：请重新上传")
        }
        let bytes = Array(buffer.readableBytesView)
        do {
            let (received, result) = try await change(y) { p -> (Pipeline.Received, Pipeline.SessionResult) in
                guard let who = try p.workspace.registry().resolve(name)?.name else { throw Refusal.notFound("“\(name)”不是登记的报送单位") }
                let received = try p.receive(bytes, named: sent, for: who)
                return (received, try p.rerun(who, received: [received.path]))
            }
            logger.info("upload \(y) \(name): \(received.path), \(received.bytes) bytes, exit \(result.status)")
            let renamed = received.renamedFrom.map { "（原名“\($0)”）" } ?? ""
            return Self.json(200, "已保存为 \(received.path)\(renamed)，并已重新处理：\(result.summary.split(separator: "\n").first ?? "")")
        } catch let Refusal.notFound(message) {
            return Self.json(404, message)
        } catch let e as UsageError {
            return Self.json(400, e.description)
        }
    }

    func review(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let y = try year(context)
        // A body's page, or the year's for the city's own findings.
        let body = context.parameters.get("submitter") != nil ? try segment(context, "submitter") : Consolidation.cityName
        let back = body == Consolidation.cityName ? "/\(y)" : "/\(y)/\(HTML.segment(body))"
        let viewer = try await viewer(request)
        var request = request
        let form = Self.form(try await request.collectBody(upTo: 64 << 10))
        try await checkToken(request, form: form)
        guard let fingerprint = form["fingerprint"], fingerprint.count == 32, fingerprint.allSatisfy(\.isHexDigit) else {
            throw Refusal.bad("请求不完整：缺少要审核的意见")
        }
        let state: ReviewState? = switch form["state"] {
        case "verified": .verified
        case "ignored": .ignored
        case "open": nil
        default: throw Refusal.bad("请求不完整：请选择“已核实”或“忽略”")
        }
        let by = viewer.user ?? form["by"] ?? ""
        if state != nil && by.trimmingCharacters(in: .whitespaces).isEmpty { throw Refusal.bad("请填写审核人姓名") }
        let note = form["note"] ?? ""
        let (finding, _) = try await change(y) { try $0.review(fingerprint, state: state, note: note, by: by, body: body) }
        logger.info("review \(y) \(finding.submitter) \(finding.rule.rawValue): \(state?.rawValue ?? "open") by \(by)")
        return Self.redirect(back + "?done=" + (state?.rawValue ?? "open"))
    }

    func login(_ request: Request) async throws -> Response {
        var request = request
        let form = Self.form(try await request.collectBody(upTo: 16 << 10))
        guard let sent = form["csrf"], Token.same(sent, pageToken) else { throw Refusal.forbidden("登录表单已过期，请刷新页面后重新登录") }
        guard let password else { return Self.redirect("/") }
        let name = Pipeline.clean(form["name"] ?? "", limit: 40)
        guard !name.isEmpty, let given = form["password"], password.verifies(given) else {
            logger.notice("serve: a sign-in with a wrong password")
            // A wrong password costs a second, so guessing over the network is slow.
            try await Task.sleep(for: .seconds(1))
            return Self.html(Pages.login(token: pageToken, failed: true), status: .unauthorized)
        }
        let (token, _) = await sessions.open(name: name)
        var response = Self.redirect("/")
        response.headers[.setCookie] = "\(Self.sessionCookie)=\(token); Path=/; HttpOnly; SameSite=Strict"
        return response
    }

    /// What the page says after a review (a fixed text: nothing of the address is shown).
    static func done(_ code: String) -> String? {
        switch code {
        case "verified": "已标记为“已核实”，汇总输出（findings.csv、审核意见书、报告的草稿清单）已更新。"
        case "ignored": "已标记为“忽略”，汇总输出已更新。"
        case "open": "已撤销审核，该意见重新列为待处理。"
        default: nil
        }
    }

    // MARK: Access

    static let sessionCookie = "disclosure_session"

    /// Who asks: with a password, the signed-in clerk (else ``Refusal/forbidden(_:)``, which the
    /// guard turns into the login page); without one, the person at this machine.
    func viewer(_ request: Request) async throws -> Pages.Viewer {
        guard password != nil else { return Pages.Viewer(user: nil, csrf: pageToken) }
        guard let token = Self.cookie(request, Self.sessionCookie), let s = await sessions.find(token) else {
            throw Refusal.forbidden("请先登录")
        }
        return Pages.Viewer(user: s.name, csrf: s.csrf)
    }

    /// The page's token, sent as the form's `csrf` field or the `X-CSRF-Token` header.
    func checkToken(_ request: Request, form: [String: String]?) async throws {
        let expected = try await viewer(request).csrf
        let sent = form?["csrf"] ?? request.headers[HTTPField.Name("X-CSRF-Token")!]
        guard let sent, Token.same(sent, expected) else { throw Refusal.forbidden("请求缺少有效的页面令牌（CSRF），未执行：请刷新页面后重试") }
    }

    static func cookie(_ request: Request, _ name: String) -> String? {
        for header in request.headers[values: .cookie] {
            for part in header.split(separator: ";") {
                let kv = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                if kv.count == 2 && kv[0] == name { return kv[1] }
            }
        }
        return nil
    }

    /// An `application/x-www-form-urlencoded` body.
    static func form(_ buffer: ByteBuffer) -> [String: String] {
        var out: [String: String] = [:]
        for pair in String(buffer: buffer).split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1).map { $0.replacing("+", with: " ").removingPercentEncoding ?? "" }
            if kv.count == 2 { out[kv[0]] = kv[1] } else if kv.count == 1 { out[kv[0]] = "" }
        }
        return out
    }

    // MARK: Responses

    static func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func text(_ text: String, type: String) -> Response {
        Response(status: .ok, headers: [.contentType: type], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func json(_ status: Int, _ message: String) -> Response {
        var json = JSONWriter()
        json.beginObject()
        json.field("ok", status == 200)
        json.field("message", message)
        json.endObject()
        return Response(status: .init(code: status), headers: [.contentType: "application/json; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(bytes: json.bytes)))
    }

    static func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }

    static func download(_ bytes: [UInt8], name: String) -> Response {
        let type = switch name.split(separator: ".").last.map({ $0.lowercased() }) {
        case "md": "text/markdown; charset=utf-8"
        case "html": "text/html; charset=utf-8"
        case "csv": "text/csv; charset=utf-8"
        case "xml": "application/xml"
        case "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        case "json": "application/json"
        default: "application/octet-stream"
        }
        let encoded = name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "download"
        return Response(status: .ok, headers: [.contentType: type, .contentDisposition: "attachment; filename=\"download\"; filename*=UTF-8''\(encoded)"],
                        body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
