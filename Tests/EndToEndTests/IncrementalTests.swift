import Foundation
import Load
import TestSupport
import Testing

/// A rerun computes only what changed (running totals, stored parts of the outputs, the
/// year-over-year warnings of the submitters it touched): what it writes must be exactly what a
/// fresh workspace writes from the same inbox.
@Suite(.serialized)
struct IncrementalTests {
    /// Last year's figures for two submitters, so that year-over-year warnings and marks appear.
    private func addLastYear(_ ws: URL) throws {
        for (name, n) in [("城区", 3000), ("矿区", 2000)] {
            let folder = ws.appendingPathComponent("inbox/2015/\(name)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data("统计指标,单位,统计数\r\n主动公开政府信息数,条,\(n)\r\n".utf8).write(to: folder.appendingPathComponent("2015年统计表.csv"))
        }
    }

    private func run(_ ws: URL, _ year: String, _ extra: [String] = []) throws {
        let r = try Harness.disclosure(["run", "--workspace", ws.path, "--year", year] + extra)
        #expect(r.status <= 1, "\(r.stderr)")
    }

    /// Last year has no report settings: it is only loaded, as a city does with a past year.
    private func loadLastYear(_ ws: URL) throws {
        for stage in ["extract", "transform", "load"] {
            let r = try Harness.disclosure([stage, "--workspace", ws.path, "--year", "2015"])
            #expect(r.status <= 1, "\(r.stderr)")
        }
    }

    /// Every file under out/<year>/, by relative path.
    private func outputs(_ ws: URL) throws -> [String: Data] {
        let base = ws.appendingPathComponent("out/2016")
        var out: [String: Data] = [:]
        for case let path as String in FileManager.default.enumerator(atPath: base.path)! {
            let url = base.appendingPathComponent(path)
            if (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true { out[path] = try Data(contentsOf: url) }
        }
        return out
    }

    private func expectSame(_ a: [String: Data], _ b: [String: Data]) {
        #expect(a.keys.sorted() == b.keys.sorted())
        for (name, bytes) in a where b[name] != bytes { Issue.record("\(name) differs from a fresh workspace's") }
    }

    @Test func resubmissionsAndWithdrawalsWriteWhatAFreshWorkspaceWrites() throws {
        let ws = try Harness.workspace()
        try addLastYear(ws)
        try loadLastYear(ws)
        try run(ws, "2016")
        let first = try String(contentsOf: ws.appendingPathComponent("out/2016/findings.csv"), encoding: .utf8)
        #expect(first.contains("矿区的“主动公开政府信息数”上年为 2000"))

        // 矿区 resubmits a headline figure close to last year's: its year-over-year warning goes.
        let table = ws.appendingPathComponent("inbox/2016/矿区/统计表.csv")
        let text = try String(contentsOf: table, encoding: .utf8)
        try text.replacing("主动公开政府信息数（不同渠道和方式公开相同信息计1条）,条,6385", with: "主动公开政府信息数（不同渠道和方式公开相同信息计1条）,条,2100")
            .write(to: table, atomically: true, encoding: .utf8)
        try run(ws, "2016", ["--submitter", "矿区"])
        let second = try String(contentsOf: ws.appendingPathComponent("out/2016/findings.csv"), encoding: .utf8)
        #expect(!second.contains("矿区的“主动公开政府信息数”"))
        #expect(try Harness.rows(ws.appendingPathComponent("out/2016/by_submitter.csv"))["矿区"]!.contains { $0.contains("v2014.proactive.total") && $0.contains(",2100,") })

        // 市审计局 takes its whole folder back: it leaves the figures, the exports and its feedback.
        try FileManager.default.removeItem(at: ws.appendingPathComponent("inbox/2016/市审计局"))
        try run(ws, "2016")
        #expect(try Harness.rows(ws.appendingPathComponent("out/2016/by_submitter.csv"))["市审计局"] == nil)
        #expect(!FileManager.default.fileExists(atPath: ws.appendingPathComponent("out/2016/feedback/市审计局.md").path))
        let incremental = try outputs(ws)

        let fresh = try Harness.workspace()
        try FileManager.default.removeItem(at: fresh.appendingPathComponent("inbox"))
        try FileManager.default.copyItem(at: ws.appendingPathComponent("inbox"), to: fresh.appendingPathComponent("inbox"))
        try loadLastYear(fresh)
        try run(fresh, "2016")
        expectSame(incremental, try outputs(fresh))

        // The stored parts are a cache: without them (and without the manifest) the report is the same.
        try FileManager.default.removeItem(at: ws.appendingPathComponent("state/report"))
        let report = try Harness.disclosure(["report", "--workspace", ws.path, "--year", "2016"])
        #expect(report.status <= 1, "\(report.stderr)")
        expectSame(try outputs(ws), incremental)
    }

    /// A first run read in batches loads each batch as it is read, all in one transaction: killed
    /// before it commits, it leaves the dataset empty, and the next run loads what was stored and
    /// writes what a run never interrupted writes.
    @Test func aFirstRunKilledBeforeItsBatchesCommitLeavesNothingAndTheNextRunCompletes() throws {
        let ws = try Harness.workspace()
        let ready = Scratch.directory.appendingPathComponent("ready-\(UUID().uuidString)").path
        let victim = try Harness.Running(["run", "--workspace", ws.path, "--year", "2016"],
                                         environment: ["DISCLOSURE_FAULT": "pause-in-load:60", "DISCLOSURE_FAULT_READY": ready,
                                                       "DISCLOSURE_STREAM_BATCH": "2"])
        #expect(Harness.waitFor(ready), "the run reached the end of its load")
        kill(victim.process.processIdentifier, SIGKILL)
        _ = victim.wait()
        #expect(victim.process.terminationReason == .uncaughtSignal)
        let db = ws.appendingPathComponent("state/disclosure.sqlite").path
        #expect(try Dataset(path: db).currentVersions(year: 2016).isEmpty, "nothing of the killed load committed")

        let next = try Harness.disclosure(["run", "--workspace", ws.path, "--year", "2016"], environment: ["DISCLOSURE_STREAM_BATCH": "2"])
        #expect(next.status <= 1, "\(next.stderr)")
        #expect(next.stderr.contains("13 个单位有更新"), "\(next.stderr)")
        let straight = try Harness.workspace()
        try run(straight, "2016")
        expectSame(try outputs(ws), try outputs(straight))
    }

    /// A large read goes through extract and transform a few staging shards at a time: the
    /// outputs, the dataset's figures and the state it leaves are what the stages run one by one
    /// (each on the whole inbox) give, and a run after it finds nothing to read again.
    @Test func aRunReadInBatchesWritesWhatTheStagesOneByOneWrite() throws {
        let batched = try Harness.workspace()
        let r = try Harness.disclosure(["run", "--workspace", batched.path, "--year", "2016"], environment: ["DISCLOSURE_STREAM_BATCH": "2"])
        #expect(r.status <= 1, "\(r.stderr)")
        let log = try String(contentsOf: batched.appendingPathComponent("state/logs/2016.log"), encoding: .utf8)
        let said = log.split(separator: "\n").first { $0.contains("files read and handed on in") }
        #expect(said != nil, "\(log)")
        // More than one batch, and fewer than one a file: whole shards go together.
        let count = try #require(said.flatMap { Int($0.split(separator: " ").dropLast().last ?? "") })
        #expect(count > 1 && count < 15, "\(log)")

        let staged = try Harness.workspace()
        for stage in ["extract", "transform", "load", "report"] {
            let s = try Harness.disclosure([stage, "--workspace", staged.path, "--year", "2016"])
            #expect(s.status <= 1, "\(s.stderr)")
        }
        expectSame(try outputs(batched), try outputs(staged))
        let again = try Harness.disclosure(["run", "--workspace", batched.path, "--year", "2016"], environment: ["DISCLOSURE_STREAM_BATCH": "2"])
        #expect(again.stderr.contains("新读取 0"), "\(again.stderr)")
        #expect(again.stderr.contains("0 个单位有更新"), "\(again.stderr)")
        // The staged files and results are those of the stages run one by one: `transform` and
        // `load` on their own, from what the batched run stored, change nothing.
        for (stage, unchanged) in [("transform", "0 个报送单位重新处理"), ("load", "0 个有变化"), ("report", "0 个文件有变化")] {
            let s = try Harness.disclosure([stage, "--workspace", batched.path, "--year", "2016"])
            #expect(s.status <= 1, "\(s.stderr)")
            #expect((s.stdout + s.stderr).contains(unchanged), "\(stage): \(s.stdout)\(s.stderr)")
        }
        expectSame(try outputs(batched), try outputs(staged))

        // Resubmissions read in batches into a workspace that already holds the others: the
        // outputs are a fresh workspace's from the same inbox.
        let table = batched.appendingPathComponent("inbox/2016/矿区/统计表.csv")
        let text = try String(contentsOf: table, encoding: .utf8)
        try text.replacing(",条,6385", with: ",条,6390").write(to: table, atomically: true, encoding: .utf8)
        let other = batched.appendingPathComponent("inbox/2016/城区/城区2016年政府信息公开情况统计表.csv")
        try (try Data(contentsOf: other) + Data("\r\n".utf8)).write(to: other)
        try Data("统计指标,单位,统计数\r\n主动公开政府信息数,条,12\r\n".utf8)
            .write(to: batched.appendingPathComponent("inbox/2016/盂县/补充统计表.csv"))
        let rerun = try Harness.disclosure(["run", "--workspace", batched.path, "--year", "2016"], environment: ["DISCLOSURE_STREAM_BATCH": "1"])
        #expect(rerun.status <= 1, "\(rerun.stderr)")
        #expect(rerun.stderr.contains("新读取 3"), "\(rerun.stderr)")
        let batches = try String(contentsOf: batched.appendingPathComponent("state/logs/2016.log"), encoding: .utf8)
            .split(separator: "\n").filter { $0.contains("files read and handed on in") }
        #expect(batches.count == 2, "\(batches)")
        // Copied with their times: 盂县's two files are told apart by which arrived last.
        let fresh = try Harness.workspace()
        try FileManager.default.removeItem(at: fresh.appendingPathComponent("inbox"))
        #expect(try Harness.shell("cp -a '\(batched.appendingPathComponent("inbox").path)' '\(fresh.appendingPathComponent("inbox").path)'") == 0)
        try run(fresh, "2016")
        expectSame(try outputs(batched), try outputs(fresh))
        #expect(try Harness.rows(batched.appendingPathComponent("out/2016/by_submitter.csv"))["矿区"]!.contains { $0.contains(",6390,") })
    }

    /// A scoped run parses and rewrites only its submitter's lines of the state indexes: a full
    /// run right after it finds nothing to read again, and the outputs are a fresh workspace's.
    @Test func aScopedRunLeavesTheStateAFullRunWouldLeave() throws {
        let ws = try Harness.workspace()
        try run(ws, "2016")
        let table = ws.appendingPathComponent("inbox/2016/矿区/统计表.csv")
        let text = try String(contentsOf: table, encoding: .utf8)
        try text.replacing(",条,6385", with: ",条,6390").write(to: table, atomically: true, encoding: .utf8)
        try run(ws, "2016", ["--submitter", "矿区"])
        let full = try Harness.disclosure(["run", "--workspace", ws.path, "--year", "2016"])
        #expect(full.stderr.contains("新读取 0"), "\(full.stderr)")
        #expect(full.stderr.contains("0 个单位有更新"), "\(full.stderr)")

        // A scoped run whose submitter took its folder back withdraws it, and it alone.
        try FileManager.default.removeItem(at: ws.appendingPathComponent("inbox/2016/市审计局"))
        try run(ws, "2016", ["--submitter", "市审计局"])
        let rows = try Harness.rows(ws.appendingPathComponent("out/2016/by_submitter.csv"))
        #expect(rows["市审计局"] == nil)
        #expect(rows["矿区"] != nil && rows["城区"] != nil)
        let incremental = try outputs(ws)

        let fresh = try Harness.workspace()
        try FileManager.default.removeItem(at: fresh.appendingPathComponent("inbox"))
        try FileManager.default.copyItem(at: ws.appendingPathComponent("inbox"), to: fresh.appendingPathComponent("inbox"))
        try run(fresh, "2016")
        expectSame(incremental, try outputs(fresh))
    }

    @Test func aFeedbackFileDeletedByHandIsWrittenAgain() throws {
        let ws = try Harness.workspace()
        try run(ws, "2016")
        let file = ws.appendingPathComponent("out/2016/feedback/城区.md")
        let before = try Data(contentsOf: file)
        try FileManager.default.removeItem(at: file)
        try run(ws, "2016")
        #expect(try Data(contentsOf: file) == before)
    }
}
