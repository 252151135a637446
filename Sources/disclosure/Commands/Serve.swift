import ArgumentParser
import Core
import Foundation
import Pipeline
import Server
import Store

struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "在浏览器中查看和处理报送季：各单位状态、全市汇总表、上传重新报送的文件、审核意见、下载。")
    @Option(help: "工作区目录（默认：DISCLOSURE_WORKSPACE 或当前目录）") var workspace: String?
    @Option(help: "监听的地址和端口，如 0.0.0.0:8600（默认 127.0.0.1:8600；本机以外的地址须先设置密码）") var listen: String?
    @Flag(help: "设置或更换页面的登录密码（从标准输入读取，保存为哈希值）") var setPassword = false

    func run() throws {
        let root = Workspace.locate(workspace)
        try Workspace(root: root, year: 2000).check()
        let layout = WorkspaceLayout(root: root.path)
        if setPassword {
            let password = try Self.readPassword()
            try PasswordHash(password: password).save(layout)
            print("已设置页面密码（以哈希值保存在 state/serve-password）。用 disclosure serve --listen 地址:端口 在办公网上提供页面。")
            return
        }
        let (host, port) = try Self.address(listen)
        let server = try SeasonServer(root: root, host: host, port: port)
        let shown = host.contains(":") ? "[\(host)]" : host
        FileHandle.standardError.write(Data("正在提供 http://\(shown):\(port)/ （工作区 \(root.path)），按 Ctrl+C 停止。\n".utf8))
        let outcome = Locked<String?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task {
            do { try await server.run() } catch { outcome.update { $0 = "\(error)" } }
            done.signal()
        }
        done.wait()
        if let failure = outcome.value {
            throw UsageError("无法在 \(shown):\(port) 上提供页面（\(failure)）：端口可能已被占用，请用 --listen 换一个端口")
        }
    }

    /// "ADDR:PORT", "[::1]:PORT" or ":PORT".
    static func address(_ text: String?) throws -> (String, Int) {
        guard let text else { return ("127.0.0.1", SeasonServer.defaultPort) }
        var host = "127.0.0.1", portText = text
        if let colon = text.lastIndex(of: ":") {
            host = String(text[..<colon])
            portText = String(text[text.index(after: colon)...])
            if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
            if host.isEmpty { host = "127.0.0.1" }
        }
        guard let port = Int(portText), (1 ... 65535).contains(port) else {
            throw UsageError("--listen 应为 地址:端口，如 0.0.0.0:8600 或 127.0.0.1:8600（收到“\(text)”）")
        }
        return (host, port)
    }

    /// Twice at a terminal (not echoed), else the first line of standard input.
    static func readPassword() throws -> String {
        let password: String
        if isatty(0) == 1 {
            guard let first = getpass("新密码："), let typed = String(validatingCString: first) else { throw UsageError("未读到密码") }
            guard let second = getpass("再输入一次："), String(validatingCString: second) == typed else { throw UsageError("两次输入的密码不一致，未设置") }
            password = typed
        } else {
            password = readLine(strippingNewline: true) ?? ""
        }
        guard password.count >= 8 else { throw UsageError("密码至少 8 个字符，未设置") }
        return password
    }
}
