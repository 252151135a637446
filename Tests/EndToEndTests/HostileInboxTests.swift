import Foundation
import TestSupport
import Testing

/// A workspace as a hostile or unlucky one is: link loops, names from Windows archives, huge and
/// degenerate files, files still being copied in. Each case on a fresh workspace with the 2016
/// fixtures; the run answers with findings, quickly, under 1 GB, and leaves the inbox as it was.
@Suite(.serialized)
struct HostileInboxTests {
    /// The peak resident memory of the largest child process so far, in bytes.
    static func childPeakMemory() -> Int {
        var usage = rusage()
        getrusage(RUSAGE_CHILDREN.rawValue, &usage)
        return usage.ru_maxrss * 1024
    }

    static func findings(_ ws: URL) throws -> [[String: String]] {
        try RuleCatalogTests.findings(ws.appendingPathComponent("out/2016/findings.csv"))
    }

    static func cityTotal(_ ws: URL, _ code: String = "v2014.proactive.total") throws -> String? {
        let text = try String(contentsOf: ws.appendingPathComponent("out/2016/totals.csv"), encoding: .utf8)
        return text.split(separator: "\r\n").first { $0.hasPrefix(code + ",") }.map { String($0.split(separator: ",").last!) }
    }

    /// Runs the 2016 job, timed.
    static func run(_ ws: URL) throws -> (Harness.Output, seconds: Double) {
        let start = Date()
        let output = try Harness.disclosure(["run", "--workspace", ws.path, "--year", "2016"])
        return (output, Date().timeIntervalSince(start))
    }

    @Test func linksAreFollowedOnlyInsideTheYearAndNeverRoundALoop() throws {
        let ws = try Harness.workspace()
        let inbox = ws.appendingPathComponent("inbox/2016").path
        let fm = FileManager.default
        for name in ["a", "b", "c"] { try fm.createSymbolicLink(atPath: inbox + "/城区/" + name, withDestinationPath: ".") }
        try fm.createSymbolicLink(atPath: inbox + "/矿区/up", withDestinationPath: "..")
        try fm.createSymbolicLink(atPath: inbox + "/矿区/城区的表", withDestinationPath: "../城区")
        try fm.createSymbolicLink(atPath: inbox + "/etc", withDestinationPath: "/etc")
        try fm.createSymbolicLink(atPath: inbox + "/郊区/etc", withDestinationPath: "/etc")
        try fm.createSymbolicLink(atPath: inbox + "/郊区/断开的链接.csv", withDestinationPath: "/nonexistent/file.csv")
        let before = try RuleCatalogTests.snapshot(ws.appendingPathComponent("inbox"))
        let (output, seconds) = try Self.run(ws)
        #expect(output.status == 0, "refused links are warnings: \(output.stderr)")
        #expect(seconds < 30)
        #expect(try Self.cityTotal(ws) == "55655", "no file is counted twice")
        let refused = try Self.findings(ws).filter { $0["rule"] == "F008" }
        #expect(Set(refused.map { $0["file"]! }) == Set(["城区/a", "城区/b", "城区/c", "矿区/up", "矿区/城区的表", "etc", "郊区/etc", "郊区/断开的链接.csv"]
            .map { "inbox/2016/" + $0 }))
        #expect(refused.first { $0["file"]!.hasSuffix("郊区/etc") }?["message"]?.contains("之外") == true)
        #expect(refused.first { $0["file"]!.hasSuffix("城区/a") }?["message"]?.contains("循环") == true)
        #expect(refused.first { $0["file"]!.hasSuffix("断开的链接.csv") }?["message"]?.contains("不存在") == true)
        // Nothing of /etc reaches an output.
        for name in try fm.contentsOfDirectory(atPath: ws.appendingPathComponent("out/2016").path) where !name.hasSuffix(".docx") && name.contains(".") {
            let text = try String(contentsOf: ws.appendingPathComponent("out/2016/" + name), encoding: .utf8)
            #expect(!text.contains("passwd") && !text.contains("hostname"), "\(name) names no file of /etc")
        }
        #expect(try RuleCatalogTests.snapshot(ws.appendingPathComponent("inbox")) == before)
    }

    @Test func aFolderOfThousandsOfUnregisteredFilesIsOneFinding() throws {
        let ws = try Harness.workspace()
        let folder = ws.appendingPathComponent("inbox/2016/某未登记单位")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for i in 0..<3000 { try Data("x\n".utf8).write(to: folder.appendingPathComponent("导出\(i).csv")) }
        let (output, _) = try Self.run(ws)
        #expect(output.status == 1)
        let f004 = try Self.findings(ws).filter { $0["rule"] == "F004" }
        #expect(f004.count == 1)
        #expect(f004.first?["file"] == "inbox/2016/某未登记单位/")
        #expect(f004.first?["message"]?.contains("共 3000 个文件") == true)
        #expect(f004.first?["message"]?.contains("未读取") == true)
    }

    @Test func namesThatAreNotUTF8AreReadAsGB18030OrShownEscaped() throws {
        let ws = try Harness.workspace()
        let inbox = Array(ws.appendingPathComponent("inbox/2016").path.utf8)
        func path(_ bytes: [UInt8]) -> [CChar] { (bytes + [0]).map { CChar(bitPattern: $0) } }
        // 盂县 as GBK, the way a Windows zip unpacks on Linux.
        let gbk盂县: [UInt8] = [0xD3, 0xDB, 0xCF, 0xD8]
        #expect(rename(path(inbox + Array("/盂县".utf8)), path(inbox + [0x2F] + gbk盂县)) == 0)
        // A file name that no encoding reads, holding a table older than 城区's own (so not current).
        let odd = inbox + Array("/城区/".utf8) + [0xFF, 0xFE, 0x41] + Array(".csv".utf8)
        let fd = open(path(odd), O_WRONLY | O_CREAT, 0o644)
        let table = Array("统计指标,单位,统计数\r\n火星指标数,件,3\r\n".utf8)
        #expect(table.withUnsafeBytes { write(fd, $0.baseAddress!, $0.count) } == table.count)
        var times = [timespec(tv_sec: 946_684_800, tv_nsec: 0), timespec(tv_sec: 946_684_800, tv_nsec: 0)]
        #expect(futimens(fd, &times) == 0)
        close(fd)
        let (output, _) = try Self.run(ws)
        #expect(output.status == 0, "the odd file is superseded by 城区's own table: \(output.stderr)")
        let findings = try Self.findings(ws)
        #expect(try Self.cityTotal(ws) == "55655", "盂县's figures are counted")
        #expect(!findings.contains { $0["rule"] == "R006" && $0["message"]!.contains("盂县") }, "盂县 is not missing")
        #expect(findings.contains { $0["rule"] == "F009" && $0["submitter"] == "盂县" && $0["message"]!.contains("GB18030 读作“盂县”") })
        let escaped = findings.first { $0["rule"] == "F009" && $0["submitter"] == "城区" }
        #expect(escaped?["file"] == "inbox/2016/城区/\\xFF\\xFEA.csv")
        #expect(escaped?["message"]?.contains("FF FE 41") == true)
        #expect(findings.contains { $0["rule"] == "F006" && $0["file"] == "inbox/2016/城区/\\xFF\\xFEA.csv" }, "the file was read")
    }

    @Test func hugeAndDegenerateFilesAreRefusedInSecondsUnderOneGigabyte() throws {
        let ws = try Harness.workspace()
        let inbox = ws.appendingPathComponent("inbox/2016")
        // 2 GB declared, sparse: over the limit, never read.
        let sparse = inbox.appendingPathComponent("盂县/补充.csv").path
        #expect(FileManager.default.createFile(atPath: sparse, contents: nil))
        #expect(truncate(sparse, 2 << 30) == 0)
        // 20 M empty lines; one line of 10 M cells; an element of 500,000 attributes.
        try Data(repeating: 0x0A, count: 20_000_000).write(to: inbox.appendingPathComponent("城区/空行.csv"))
        try Data(Array(repeating: Array("0,".utf8), count: 10_000_000).joined()).write(to: inbox.appendingPathComponent("郊区/宽表.csv"))
        var attributes = Array("<GovInfoDisclosureReport ".utf8)
        for i in 0..<500_000 { attributes += Array("a\(i)=\"1\" ".utf8) }
        try Data(attributes + Array("/>".utf8)).write(to: inbox.appendingPathComponent("矿区/属性.xml"))
        let (output, seconds) = try Self.run(ws)
        #expect(output.status == 1)
        #expect(seconds < 60, "took \(seconds) s")
        #expect(Self.childPeakMemory() < 1 << 30, "peak \(Self.childPeakMemory() >> 20) MB")
        let findings = try Self.findings(ws)
        func rule(of file: String) -> String? { findings.first { $0["file"] == "inbox/2016/" + file && $0["severity"] == "错误" }?["rule"] }
        #expect(rule(of: "盂县/补充.csv") == "F010")
        #expect(rule(of: "郊区/宽表.csv") == "C005")
        #expect(rule(of: "矿区/属性.xml") == "X004")
        #expect(rule(of: "城区/空行.csv") == "C002")
        #expect(try Self.cityTotal(ws) == "55655")
    }

    @Test func aFileJustCopiedInIsWaitedForAndRead() throws {
        let ws = Scratch.directory.appendingPathComponent("e2e-\(UUID().uuidString)")
        #expect(try Harness.initialize(ws, settleSeconds: 2) == 0)
        try FileManager.default.copyItem(at: Harness.repo.appendingPathComponent("Fixtures/2016"), to: ws.appendingPathComponent("inbox/2016"))
        // The clerk copies the inbox in and runs at once: the run waits out the window, then reads.
        let started = Date()
        let (early, _) = try Self.run(ws)
        #expect(early.status == 0, "\(early.stderr)")
        #expect(Date().timeIntervalSince(started) >= 1.5, "it waited for the copies to settle")
        #expect(early.stderr.contains("正在等待") && early.stderr.contains("刚复制进来的文件"), "it says what it waits for: \(early.stderr)")
        #expect(try !Self.findings(ws).contains { $0["rule"] == "F011" })
        #expect(try Self.cityTotal(ws) == "55655")
    }

    @Test func aFileStillChangingPastTheWaitIsAnErrorAndTheOldVersionStays() throws {
        let ws = Scratch.directory.appendingPathComponent("e2e-\(UUID().uuidString)")
        #expect(try Harness.initialize(ws, settleSeconds: 1) == 0)
        let settings = ws.appendingPathComponent("config/workspace.json")
        try Data(#"{"city":"阳泉市","inbox":{"settleSeconds":1,"waitSeconds":2}}"#.utf8).write(to: settings)
        try FileManager.default.copyItem(at: Harness.repo.appendingPathComponent("Fixtures/2016"), to: ws.appendingPathComponent("inbox/2016"))
        #expect(try Self.run(ws).0.status == 0)
        let rows = try Harness.rows(ws.appendingPathComponent("out/2016/by_submitter.csv"))["城区"]!.count
        // 城区's table again under a new name, written a line every 120 ms (about 6 s); the run
        // starts 0.5 s in and waits 2 s at most.
        let source = try FileManager.default.contentsOfDirectory(atPath: ws.appendingPathComponent("inbox/2016/城区").path).first!
        let lines = try Data(contentsOf: ws.appendingPathComponent("inbox/2016/城区/" + source)).split(separator: 0x0A, omittingEmptySubsequences: false)
        let copy = ws.appendingPathComponent("inbox/2016/城区/城区统计表（重新报送）.csv")
        FileManager.default.createFile(atPath: copy.path, contents: nil)
        let writer = Thread {
            let handle = try! FileHandle(forWritingTo: copy)
            for (i, line) in lines.enumerated() {
                handle.write(Data(line) + (i < lines.count - 1 ? Data([0x0A]) : Data()))
                Thread.sleep(forTimeInterval: max(0.12, 6.0 / Double(lines.count)))
            }
            try! handle.close()
        }
        writer.start()
        Thread.sleep(forTimeInterval: 0.5)
        let (during, _) = try Self.run(ws)
        #expect(during.status == 1, "a file left unread is an error the clerk and cron both see: \(during.stderr)")
        #expect(try Harness.rows(ws.appendingPathComponent("out/2016/by_submitter.csv"))["城区"]!.count == rows, "the complete table still counts")
        let waiting = try Self.findings(ws).first { $0["rule"] == "F011" }
        #expect(waiting?["file"] == "inbox/2016/城区/城区统计表（重新报送）.csv")
        #expect(waiting?["severity"] == "错误")
        #expect(waiting?["message"]?.contains("仍在变化") == true || waiting?["message"]?.contains("读取过程中被改动") == true)
        while writer.isExecuting || !writer.isFinished { Thread.sleep(forTimeInterval: 0.05) }
        #expect(try Self.run(ws).0.status == 0)
        #expect(try !Self.findings(ws).contains { $0["rule"] == "F011" }, "read once it settled")
        #expect(try Self.findings(ws).contains { $0["rule"] == "F006" && $0["file"] == "inbox/2016/城区/" + source }, "the copy now supersedes the first table")
    }
}
