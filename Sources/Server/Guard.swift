import Core
import Load
import Pipeline
import Foundation
import HTTPTypes
import Hummingbird
import Store

/// What every request passes: the Host it names (a page on loopback answers only to a loopback
/// name, so a web site cannot reach it through a rebound DNS name), the Origin of a POST, and
/// the one place an error becomes a page (or JSON for the API and uploads). Every response
/// carries headers that keep the page to its own scripts and out of frames.
struct Guard: RouterMiddleware {
    typealias Context = BasicRequestContext
    let server: SeasonServer

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        if let refusal = refuse(request) {
            response = SeasonServer.html(Pages.error(403, refusal, viewer: .init(user: nil, csrf: "")), status: .forbidden)
        } else {
            do {
                // With a password, nothing but the sign-in page and its style is served to a stranger.
                let path = request.uri.path
                if server.password != nil && path != "/login" && !path.hasPrefix("/static/") { _ = try await server.viewer(request) }
                response = try await next(request, context)
            } catch {
                response = await page(for: error, request)
            }
        }
        response.headers[.contentSecurityPolicy] = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
        response.headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        response.headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
        response.headers[.cacheControl] = "no-store"
        return response
    }

    /// A Host or Origin this server does not answer to.
    func refuse(_ request: Request) -> String? {
        let host = request.head.authority
        if let host, SeasonServer.isLoopback(server.host) {
            let name = host.hasPrefix("[") ? String(host.prefix { $0 != "]" }.dropFirst()) : String(host.split(separator: ":").first ?? "")
            guard SeasonServer.isLoopback(name) else { return "本页面只在本机（127.0.0.1）上提供" }
        }
        if request.method == .post, let origin = request.headers[.origin], let host {
            guard origin == "http://" + host || origin == "https://" + host else { return "不接受来自其他网站的提交" }
        }
        return nil
    }

    func page(for error: any Error, _ request: Request) async -> Response {
        let api = request.uri.path.hasPrefix("/api/") || request.uri.path.hasSuffix("/upload")
        let (status, message): (Int, String) = switch error {
        case SeasonServer.Refusal.notFound(let m): (404, m)
        case SeasonServer.Refusal.bad(let m): (400, m)
        case SeasonServer.Refusal.forbidden(let m): (403, m)
        case SeasonServer.Refusal.busy(let m): (503, m)
        case let e as UsageError: (400, e.description)
        case let e as ConfigError: (500, "配置错误：\(e)")
        case let e as FileError: (500, "无法写入 \(e.path)：\(e.reason)")
        case let e as DatasetError: (503, "数据集暂不可用：\(e)")
        case LockError.held, LockError.cityHeld: (503, "另一个 disclosure 进程正在处理本市的数据，请稍后再试")
        case let e as HTTPError: (Int(e.status.code), e.body ?? "请求无法处理")
        default: (500, "内部错误：\(error)")
        }
        if status == 403 && server.password != nil && request.method == .get && !api {
            // Not signed in: the login page, then back.
            return SeasonServer.redirect("/login")
        }
        if status >= 500 { server.logger.error("serve \(request.uri.path): \(error)") }
        if api { return SeasonServer.json(status, message) }
        let viewer = (try? await server.viewer(request)) ?? .init(user: nil, csrf: "")
        return SeasonServer.html(Pages.error(status, message, viewer: viewer), status: .init(code: status))
    }
}
