import Foundation
import Load
import TestSupport
import Testing

/// The cron contract: resubmissions, one-submitter reruns, the lock, a killed load, and the
/// query commands a clerk uses.
@Suite(.serialized)
struct OperationsTests {
    @Test func aResubmissionReplacesExactlyOneSubmittersFacts() throws {
        let ws = try Harness.workspace()
        #expect(try Harness.disclosure(["run", "--workspace", ws.path, "--year", "2016"]).status == 0)
        let bySubmitter = ws.appendingPathComponent("out/2016/by_submitter.csv")
        let before = try Harness.rows(bySubmitter)
        _ = try Harness.resubmit盂县(ws)
        let run = try Harness.disclosure(["run", "--workspace", ws.path, "--year", "2016", "--submitter", "盂县"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("新读取 1") && run.stderr.contains("1 个单位有更新"))
        let after = try Harness.rows(bySubmitter)
        #expect(Set(before.keys).subtracting(["盂县"]) == Set(after.keys).subtracting(["盂县"]))
        for name in before.keys where name != "盂县" { #expect(before[name] == after[name], "\(name) untouched") }
        #expect(before["盂县"] != after["盂县"])
        #expect(after["盂县"]!.contains { $0.contains("v2014.proactive.total") && $0.contains(",600,") })

        // Both versions stay in the history; the older file is superseded, not deleted.
        let dataset = try Dataset(path: ws.appendingPathComponent("state/disclosure.sqlite").path)
        let versions = try dataset.versions(year: 2016, submitter: "盂县")
        #expect(versions.count == 2 && versions[0].current && !versions[1].current)
        #expect(FileManager.default.fileExists(atPath: ws.appendingPathComponent("inbox/2016/盂县").path))
        let findings = try String(contentsOf: ws.appendingPathComponent("out/2016/feedback/盂县.md"), encoding: .utf8)
        #expect(findings.contains("已被同一单位较新的文件"))

        // diff: figure by figure, and what it does to the city's totals.
        let diff = try Harness.disclosure(["diff", "--workspace", ws.path, "--year", "2016", "--submitter", "盂县"])
        #expect(diff.status == 0)
        let proactive = diff.stdout.split(separator: "\n").first { $0.contains("主动公开政府信息数") }
        #expect(proactive != nil, "\(diff.stdout)")
        #expect(proactive?.contains("→ 600") == true && proactive?.contains("全市合计") == true)
    }

    @Test func aSubmitterRerunTouchesOnlyThatSubmittersFiles() throws {
        let ws = try Harness.workspace()
        #expect(try Harness.disclosure(["run", "--workspace", ws.path, "--year", "2016"]).status == 0)
        _ = try Harness.resubmit盂县(ws)
        // Another county's file changes too, but the rerun is for 盂县 only.
        let other = ws.appendingPathComponent("inbox/2016/开发区")
        let otherFile = try FileManager.default.contentsOfDirectory(atPath: other.path).first!
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(120)],
                                              ofItemAtPath: other.appendingPathComponent(otherFile).path)
        let run = try Harness.disclosure(["run", "--workspace", ws.path, "--year", "2016", "--submitter", "盂县"])
        #expect(run.stderr.contains("新读取 1，"), "\(run.stderr)")
        let full = try Harness.disclosure(["run", "--workspace", ws.path, "--year", "2016"])
        #expect(full.stderr.contains("新读取 1"), "the other county's file is read by the next full run: \(full.stderr)")
    }

    @Test func aLoadKilledHalfWayLeavesThePreviousStateAndTheNextRunCompletes() throws {
        let ws = try Harness.workspace()
        #expect(try Harness.disclosure(["run", "--workspace", ws.path, "--year", "2016"]).status == 0)
        let db = ws.appendingPathComponent("state/disclosure.sqlite").path
        let before = try Dataset(path: db).currentFacts(year: 2016)
        _ = try Harness.resubmit盂县(ws)
        let (killed, reason) = try Harness.killMidLoad(ws)
        #expect(killed.status == SIGKILL && reason == .uncaughtSignal)

        let dataset = try Dataset(path: db)
        #expect(try dataset.currentFacts(year: 2016) == before, "the half-done load left no trace")
        #expect(try dataset.versions(year: 2016, submitter: "盂县").count == 1)
        let next = try Harness.disclosure(["run", "--workspace", ws.path, "--year", "2016"])
        #expect(next.status == 0, "\(next.stderr)")
        #expect(try dataset.versions(year: 2016, submitter: "盂县").count == 2)
        let totals = try String(contentsOf: ws.appendingPathComponent("out/2016/by_submitter.csv"), encoding: .utf8)
        #expect(totals.contains("盂县,v2014.proactive.total,主动公开政府信息数,条,600,"))
    }

    @Test func aSecondRunWaitsOrStepsAsideWhileTheFirstHoldsTheWorkspace() throws {
        let ws = try Harness.workspace()
        #expect(try Harness.disclosure(["run", "--workspace", ws.path, "--year", "2016"]).status == 0)
        _ = try Harness.resubmit盂县(ws)
        let ready = Scratch.directory.appendingPathComponent("ready-\(UUID().uuidString)").path
        let first = try Harness.Running(["run", "--workspace", ws.path, "--year", "2016"],
                                        environment: ["DISCLOSURE_FAULT": "pause-in-load:3", "DISCLOSURE_FAULT_READY": ready])
        #expect(Harness.waitFor(ready))
        let started = Date()
        let second = try Harness.disclosure(["run", "--workspace", ws.path, "--year", "2016"])
        #expect(second.status == 3, "\(second.stderr)")
        #expect(Date().timeIntervalSince(started) < 2.5, "exits at once rather than waiting")
        #expect(second.stderr.contains("--wait"))
        let waiting = try Harness.Running(["run", "--workspace", ws.path, "--year", "2016", "--wait"])
        let firstOut = first.wait()
        let waitedOut = waiting.wait()
        #expect(firstOut.status == 0, "\(firstOut.stderr)")
        #expect(waitedOut.status == 0, "\(waitedOut.stderr)")
        #expect(waitedOut.stderr.contains("新读取 0"), "the waiting run starts after the first finished: \(waitedOut.stderr)")
    }

    @Test func aNarrativeSavedInAnotherEncodingIsNamedAsAConfigurationProblem() throws {
        let ws = try Harness.workspace()
        // 概述 in GB18030, as Notepad on a Chinese Windows saves it by default.
        try Data([0xB8, 0xC5, 0xCA, 0xF6, 0x0A]).write(to: ws.appendingPathComponent("config/report/2016/overview.md"))
        let run = try Harness.disclosure(["run", "--workspace", ws.path, "--year", "2016"])
        #expect(run.status == 2, "\(run.stderr)")
        #expect(run.stderr.contains("report/2016/overview.md") && run.stderr.contains("UTF-8"), "\(run.stderr)")
    }

    @Test func statusListsEveryRegisteredSubmitter() throws {
        let ws = try Harness.workspace()
        #expect(try Harness.disclosure(["run", "--workspace", ws.path, "--year", "2016"]).status == 0)
        let status = try Harness.disclosure(["status", "--workspace", ws.path, "--year", "2016"])
        #expect(status.status == 0)
        let lines = status.stdout.split(separator: "\n")
        let registry = try String(contentsOf: ws.appendingPathComponent("config/submitters.csv"), encoding: .utf8)
        // The bodies that exist in 2016 (the from column empty or not after it); those formed in 2019 are not listed.
        let rows = registry.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let names = rows.filter { $0.count < 5 || $0[4].isEmpty || Int($0[4])! <= 2016 }.map { $0[0] }
        for name in names { #expect(lines.contains { $0.hasPrefix(name + "\t") }, "\(name) listed") }
        #expect(!lines.contains { $0.hasPrefix("市市场监督管理局\t") }, "formed in 2019: not expected in 2016")
        #expect(lines.filter { $0.contains("\t已报送\t") }.count == 13)
        #expect(lines.contains { $0.hasPrefix("市民政局\t已报送\tv1") && $0.contains("[D:当前]") })
        #expect(lines.filter { $0.contains("\t未报送\t") }.count == names.count - 13)
    }

    @Test func explainShowsWhoContributedToAFigure() throws {
        let ws = try Harness.workspace()
        #expect(try Harness.disclosure(["run", "--workspace", ws.path, "--year", "2016"]).status == 0)
        let explain = try Harness.disclosure(["explain", "--workspace", ws.path, "--year", "2016", "工作动态类"])
        #expect(explain.status == 0)
        let lines = explain.stdout.split(separator: "\n")
        #expect(lines.first?.contains("全市合计：34813") == true, "\(explain.stdout)")
        let contributions = lines.dropFirst().compactMap { line -> Int? in
            let cells = line.split(separator: "\t")
            return cells.count > 1 ? Int(cells[1]) : nil
        }
        #expect(contributions.reduce(0, +) == 34813)
        #expect(lines.dropFirst().allSatisfy { $0.contains("inbox/2016/") })
        #expect(try Harness.disclosure(["explain", "--workspace", ws.path, "--year", "2016", "不存在的指标"]).status == 2)
        // A label the form uses twice asks for the code rather than guessing.
        let ambiguous = try Harness.disclosure(["explain", "--workspace", ws.path, "--year", "2016", "被依法纠错数"])
        #expect(ambiguous.status == 2 && ambiguous.stderr.contains("v2014.review.corrected") && ambiguous.stderr.contains("v2014.litigation.corrected"))
    }
}

extension OperationsTests {
    /// A file rewritten in the same moment it was read keeps its size and time; the content decides.
    @Test func aRewriteThatKeepsSizeAndTimeIsStillSeen() throws {
        let ws = Scratch.directory.appendingPathComponent("racy-\(UUID().uuidString)")
        #expect(try Harness.initialize(ws) == 0)
        let folder = ws.appendingPathComponent("inbox/2016/城区")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("统计表.csv")
        try Data("统计指标,单位,统计数\r\n收到申请数,件,3\r\n".utf8).write(to: file)
        var st = stat()
        #expect(stat(file.path, &st) == 0)
        #expect(try Harness.disclosure(["run", "--workspace", ws.path, "--year", "2016"]).status <= 1)
        // Same length, same time to the nanosecond, other content.
        try Data("统计指标,单位,统计数\r\n收到申请数,件,7\r\n".utf8).write(to: file)
        var times = [st.st_atim, st.st_mtim]
        #expect(utimensat(AT_FDCWD, file.path, &times, 0) == 0)
        let again = try Harness.disclosure(["run", "--workspace", ws.path, "--year", "2016"])
        #expect(again.stderr.contains("新读取 1"), "\(again.stderr)")
        let rows = try Harness.rows(ws.appendingPathComponent("out/2016/by_submitter.csv"))
        #expect(rows["城区"]?.contains { $0.contains("v2014.apply.received,") && $0.contains(",7,") } == true)
        // Unchanged and long settled: neither read nor hashed again.
        let third = try Harness.disclosure(["run", "--workspace", ws.path, "--year", "2016"])
        #expect(third.stderr.contains("新读取 0"))
    }

    @Test func aFolderThatIsNotAWorkspaceIsRefusedAndNeverCreated() throws {
        let missing = Scratch.directory.appendingPathComponent("none-\(UUID().uuidString)/ws")
        for args in [["run", "--workspace", missing.path, "--year", "2016"], ["status", "--workspace", missing.path, "--year", "2016"]] {
            let r = try Harness.disclosure(args)
            #expect(r.status == 2 && r.stderr.contains("请先运行 disclosure init"), "\(r.stderr)")
        }
        let viaEnvironment = try Harness.disclosure(["run", "--year", "2016"], environment: ["DISCLOSURE_WORKSPACE": missing.path])
        #expect(viaEnvironment.status == 2)
        #expect(!FileManager.default.fileExists(atPath: missing.deletingLastPathComponent().path), "nothing is created")
        let empty = Scratch.directory.appendingPathComponent("empty-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        #expect(try Harness.disclosure(["run", "--workspace", empty.path, "--year", "2016"]).status == 2)
        #expect(try FileManager.default.contentsOfDirectory(atPath: empty.path).isEmpty)
        // A file where the workspace's state/ should be is named as such, not taken for a held lock.
        let ws = try Harness.workspace()
        try FileManager.default.removeItem(at: ws.appendingPathComponent("state"))
        try Data("x".utf8).write(to: ws.appendingPathComponent("state"))
        let r = try Harness.disclosure(["run", "--workspace", ws.path, "--year", "2016"])
        #expect(r.status == 2 && r.stderr.contains("state 是一个文件"), "\(r.stderr)")
    }

    @Test func temporaryFilesAKilledRunLeftAreRemovedByTheNext() throws {
        let ws = try Harness.workspace()
        #expect(try Harness.disclosure(["run", "--workspace", ws.path, "--year", "2016"]).status == 0)
        // A run killed in the middle of its load: it never records its end.
        _ = try Harness.resubmit盂县(ws)
        _ = try Harness.killMidLoad(ws)
        let leftovers = ["state/spare/out%2016%by_submitter.csv.tmp-99999", "state/report/2016.tsv.tmp-99999", "out/2016/report.md.tmp-99999"]
        for path in leftovers {
            let url = ws.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            #expect(FileManager.default.createFile(atPath: url.path, contents: Data("half".utf8)))
        }
        #expect(try Harness.disclosure(["run", "--workspace", ws.path, "--year", "2016"]).status == 0)
        for path in leftovers { #expect(!FileManager.default.fileExists(atPath: ws.appendingPathComponent(path).path), "\(path)") }
    }

    @Test func aConfigFileSavedWrongIsNamedWithWhatIsWrong() throws {
        let ws = try Harness.workspace()
        let registry = ws.appendingPathComponent("config/submitters.csv")
        try Data("name,aliases,code,level\n\"城区,x,1,county\n盂县,,2,county\n".utf8).write(to: registry)
        let quote = try Harness.disclosure(["run", "--workspace", ws.path, "--year", "2016"])
        #expect(quote.status == 2 && quote.stderr.contains("第 2 行") && quote.stderr.contains("引号没有闭合"), "\(quote.stderr)")
        try FileManager.default.removeItem(at: registry)
        try FileManager.default.copyItem(at: Harness.repo.appendingPathComponent("Sources/Pipeline/Defaults/config/submitters.csv"), to: registry)
        // settings.json and a template saved as GBK, as Notepad's "ANSI" does.
        for relative in ["config/report/2016/settings.json", "config/templates/report.md.mustache"] {
            let url = ws.appendingPathComponent(relative)
            let original = try Data(contentsOf: url)
            try String(decoding: original, as: UTF8.self).data(using: .init(rawValue: 0x8000_0632))!.write(to: url)
            let run = try Harness.disclosure(["run", "--workspace", ws.path, "--year", "2016"])
            #expect(run.status == 2 && run.stderr.contains(relative) && run.stderr.contains("不是 UTF-8 编码"), "\(run.stderr)")
            try original.write(to: url)
        }
        #expect(try Harness.disclosure(["run", "--workspace", ws.path, "--year", "2016"]).status == 0)
    }

    @Test func aSubmitterNameTooLongForAFileNameStillGetsItsFeedback() throws {
        let ws = try Harness.workspace()
        let long = String(repeating: "很", count: 85)  // 255 bytes: the folder fits, "<name>.md" would not
        let registry = ws.appendingPathComponent("config/submitters.csv")
        try (try String(contentsOf: registry, encoding: .utf8) + "\(long),,,department\n").data(using: .utf8)!.write(to: registry)
        let folder = ws.appendingPathComponent("inbox/2016/\(long)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data("序号,统计指标,单位,统计数\r\n1,收到申请数,件,abc\r\n".utf8).write(to: folder.appendingPathComponent("表.csv"))
        let run = try Harness.disclosure(["run", "--workspace", ws.path, "--year", "2016"])
        #expect(run.status == 1, "an error finding, not a failed write: \(run.stderr)")
        let names = try FileManager.default.contentsOfDirectory(atPath: ws.appendingPathComponent("out/2016/feedback").path)
        let mine = names.filter { $0.hasPrefix("很很很") }
        #expect(mine.count == 1 && mine[0].utf8.count <= 200 && mine[0].contains("～"), "\(mine)")
        let again = try Harness.disclosure(["run", "--workspace", ws.path, "--year", "2016"])
        #expect(again.status == 1 && again.stderr.contains("0 个输出文件有变化"), "the same name every run")
    }

    @Test func aCompressedFileNamedXMLIsNotDecompressedButReported() throws {
        let ws = try Harness.workspace()
        let xml = try Data(contentsOf: Harness.repo.appendingPathComponent("Fixtures/2016/郊区/xxgk2016.xml"))
        // A gzip member header, then bytes: libxml2 would inflate it behind the .xml name.
        try (Data([0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0, 0, 0x03]) + xml).write(to: ws.appendingPathComponent("inbox/2016/郊区/压缩.xml"))
        let run = try Harness.disclosure(["run", "--workspace", ws.path, "--year", "2016"])
        #expect(run.status == 1)
        let findings = try RuleCatalogTests.findings(ws.appendingPathComponent("out/2016/findings.csv"))
        #expect(findings.contains { $0["rule"] == "F003" && $0["file"] == "inbox/2016/郊区/压缩.xml" && $0["message"]!.contains("请解压后") })
        let totals = try String(contentsOf: ws.appendingPathComponent("out/2016/totals.csv"), encoding: .utf8)
        #expect(totals.contains("v2014.proactive.total,主动公开政府信息数,条,55655"), "the others' data still loads, nothing counted twice")
    }
}
