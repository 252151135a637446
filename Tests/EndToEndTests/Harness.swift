import Foundation
import TestSupport
import Testing

/// Runs the built `disclosure` binary against fresh workspaces made from the shipped fixtures.
enum Harness {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var executable: URL {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("disclosure")
        if !beside.path.contains(".xctest"), FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
        return repo.appendingPathComponent(".build/debug/disclosure")
    }

    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// A started process whose output goes to temporary files (no pipe can fill and block it).
    final class Running {
        let process = Process()
        let out: URL
        let err: URL

        init(_ args: [String], environment: [String: String] = [:]) throws {
            let tmp = Scratch.directory
            out = tmp.appendingPathComponent("out-\(UUID().uuidString)")
            err = tmp.appendingPathComponent("err-\(UUID().uuidString)")
            FileManager.default.createFile(atPath: out.path, contents: nil)
            FileManager.default.createFile(atPath: err.path, contents: nil)
            process.executableURL = Harness.executable
            process.arguments = args
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
            process.standardOutput = try FileHandle(forWritingTo: out)
            process.standardError = try FileHandle(forWritingTo: err)
            try process.run()
        }

        func wait() -> Output {
            process.waitUntilExit()
            return Output(status: process.terminationStatus,
                          stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
                          stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "")
        }
    }

    @discardableResult
    static func disclosure(_ args: [String], environment: [String: String] = [:]) throws -> Output {
        try Running(args, environment: environment).wait()
    }

    /// `disclosure init`, then no settle window: a test writes each file whole before it runs
    /// (the window itself is tested on its own).
    static func initialize(_ ws: URL, settleSeconds: Double = 0) throws -> Int32 {
        let status = try disclosure(["init", ws.path]).status
        if status == 0 {
            // Set in the JSON itself, so that a reformatted default cannot leave the window as it was.
            let settings = ws.appendingPathComponent("config/workspace.json")
            var json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: settings)) as? [String: Any])
            var inbox = json["inbox"] as? [String: Any] ?? [:]
            inbox["settleSeconds"] = settleSeconds
            json["inbox"] = inbox
            try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys]).write(to: settings)
        }
        return status
    }

    static func workspace() throws -> URL {
        let ws = Scratch.directory.appendingPathComponent("e2e-\(UUID().uuidString)")
        #expect(try initialize(ws) == 0)
        try FileManager.default.copyItem(at: repo.appendingPathComponent("Fixtures/2016"), to: ws.appendingPathComponent("inbox/2016"))
        return ws
    }

    /// A 2016 run killed with SIGKILL in the middle of its load (paused there by DISCLOSURE_FAULT).
    static func killMidLoad(_ ws: URL) throws -> (Output, Process.TerminationReason) {
        let ready = Scratch.directory.appendingPathComponent("ready-\(UUID().uuidString)").path
        let victim = try Running(["run", "--workspace", ws.path, "--year", "2016"],
                                 environment: ["DISCLOSURE_FAULT": "pause-in-load:60", "DISCLOSURE_FAULT_READY": ready])
        #expect(waitFor(ready), "the run reached the middle of its load")
        kill(victim.process.processIdentifier, SIGKILL)
        let output = victim.wait()
        return (output, victim.process.terminationReason)
    }

    /// Runs a shell command (as the test's user): its exit status.
    @discardableResult
    static func shell(_ command: String) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Waits up to `seconds` for a file to appear.
    static func waitFor(_ path: String, seconds: Double = 60) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if FileManager.default.fileExists(atPath: path) { return true }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return false
    }

    /// The rows of a CSV export by submitter (BOM and header dropped).
    static func rows(_ url: URL) throws -> [String: [String]] {
        let text = try String(contentsOf: url, encoding: .utf8).replacing("\u{FEFF}", with: "")
        var out: [String: [String]] = [:]
        for line in text.split(separator: "\r\n").dropFirst() {
            out[String(line.prefix { $0 != "," }), default: []].append(String(line))
        }
        return out
    }

    /// A resubmitted table for 盂县, consistent, with a different total than the first version.
    static func resubmit盂县(_ ws: URL, total: Int = 600) throws -> URL {
        let parts = [300, 60, 50, 80, 60, total - 550]
        let table = "序号,统计指标,单位,统计数\r\n（一）,主动公开政府信息数,条,\(total)\r\n"
            + zip(["工作动态类", "行政职权类", "政策法规类", "决策类", "机构职能类", "其他类"], parts).enumerated()
                .map { "\($0.offset + 1).,\($0.element.0),条,\($0.element.1)\r\n" }.joined()
        let url = ws.appendingPathComponent("inbox/2016/盂县/盂县2016年更正.csv")
        try Data(table.utf8).write(to: url)
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(60)], ofItemAtPath: url.path)
        return url
    }
}
