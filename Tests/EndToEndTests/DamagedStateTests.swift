import Foundation
import TestSupport
import Testing

/// A damaged database and writes that fail: the data comes back with its history, and out/ is
/// always all the old outputs or all the new ones.
@Suite(.serialized)
struct DamagedStateTests {
    /// A workspace whose 盂县 has two versions, and its outputs as they then stand.
    static func twoVersions() throws -> (URL, [String: Data]) {
        let ws = try Harness.workspace()
        #expect(try Harness.disclosure(["run", "--workspace", ws.path, "--year", "2016"]).status == 0)
        _ = try Harness.resubmit盂县(ws)
        #expect(try Harness.disclosure(["run", "--workspace", ws.path, "--year", "2016"]).status == 0)
        #expect(try status(ws).contains("v2·"))
        return (ws, try RuleCatalogTests.snapshot(ws.appendingPathComponent("out")))
    }

    static func status(_ ws: URL) throws -> String {
        try Harness.disclosure(["status", "--workspace", ws.path, "--year", "2016"]).stdout
    }

    enum Damage: CaseIterable {
        case garbage, truncated, emptied, deleted
    }

    @Test(arguments: Damage.allCases)
    func aDamagedDatasetIsMovedAsideAndRebuiltWithItsVersionHistory(_ damage: Damage) throws {
        let (ws, outputs) = try Self.twoVersions()
        let db = ws.appendingPathComponent("state/disclosure.sqlite").path
        let size = try FileManager.default.attributesOfItem(atPath: db)[.size] as! Int
        switch damage {
        case .garbage:
            let handle = FileHandle(forUpdatingAtPath: db)!
            try handle.seek(toOffset: UInt64(size / 2))
            handle.write(Data((0..<8192).map { UInt8(truncatingIfNeeded: $0 &* 7919 &+ 13) }))
            try handle.close()
        case .truncated: #expect(truncate(db, off_t(size / 3)) == 0)
        case .emptied: #expect(truncate(db, 0) == 0)
        case .deleted: try FileManager.default.removeItem(atPath: db)
        }
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: db + suffix) }
        // The first command to open it finds out, whichever it is.
        let status = try Harness.disclosure(["status", "--workspace", ws.path, "--year", "2016"])
        #expect(status.status == 0, "\(status.stderr)")
        #expect(status.stderr.contains("重建数据库"), "the notice on stderr, the table alone on stdout")
        #expect(status.stdout.hasPrefix("单位\t状态"))
        #expect(status.stdout.split(separator: "\n").contains { $0.hasPrefix("盂县\t已报送\tv2·") }, "盂县 keeps its two versions")
        let damaged = (try? FileManager.default.contentsOfDirectory(atPath: ws.appendingPathComponent("state/damaged").path)) ?? []
        #expect(damaged.contains { $0.hasSuffix(".sqlite") } == (damage != .deleted), "the damaged file is kept")
        let run = try Harness.disclosure(["run", "--workspace", ws.path, "--year", "2016"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try RuleCatalogTests.snapshot(ws.appendingPathComponent("out")) == outputs, "the same outputs")
        let diff = try Harness.disclosure(["diff", "--workspace", ws.path, "--year", "2016", "--submitter", "盂县"])
        #expect(diff.status == 0 && diff.stdout.contains("主动公开政府信息数：4210 → 600"), "the two versions compared: \(diff.stdout)")
    }

    @Test(.enabled(if: getuid() == 0, "chattr and mount need root (CI runs as root)"))
    func anOutputThatCannotBeReplacedInPlaceStillLeavesTheYearWhole() throws {
        let ws = try Harness.workspace()
        #expect(try Harness.disclosure(["run", "--workspace", ws.path, "--year", "2016"]).status == 0)
        let totals = ws.appendingPathComponent("out/2016/totals.csv").path
        let chattr = try Harness.shell("chattr +i '\(totals)'")
        try #require(chattr == 0, "the file system takes the immutable flag")
        // Wherever the run left it (the year's folder set aside whole when it could not be emptied).
        defer { _ = try? Harness.shell("chattr -R -i '\(ws.path)/out' 2>/dev/null") }
        _ = try Harness.resubmit盂县(ws, total: 640)
        let run = try Harness.disclosure(["run", "--workspace", ws.path, "--year", "2016"])
        #expect(run.status == 0, "\(run.stderr)")
        // All new: the report and totals agree on 盂县's resubmission.
        let rows = try Harness.rows(ws.appendingPathComponent("out/2016/by_submitter.csv"))["盂县"] ?? []
        #expect(rows.contains { $0.contains("v2014.proactive.total") && $0.contains(",640,") })
        let city = try HostileInboxTests.cityTotal(ws)
        let report = try String(contentsOf: ws.appendingPathComponent("out/2016/report.md"), encoding: .utf8)
        #expect(city != "55655" && report.contains("共主动公开政府信息\(city!)条"), "report.md gives the new city total \(city ?? "")")
    }

    /// The 2016 fixtures run, then the workspace's `folder` moved onto a tmpfs of `size` (a shell
    /// expression, `{saved}` the copy of the folder), and 盂县's resubmission run there: the
    /// workspace, the folder, its copy, the outputs before, and what the run said.
    static func runOnSmallDisk(_ folder: String, size: String, fill: Bool = false) throws
        -> (URL, String, String, [String: Data], Harness.Output) {
        let ws = try Harness.workspace()
        #expect(try Harness.disclosure(["run", "--workspace", ws.path, "--year", "2016"]).status == 0)
        let path = ws.appendingPathComponent(folder).path
        let saved = Scratch.directory.appendingPathComponent("\(folder)-\(UUID().uuidString)").path
        let sized = size.replacingOccurrences(of: "{saved}", with: saved)
        #expect(try Harness.shell("cp -a '\(path)' '\(saved)' && rm -rf '\(path)'/* && mount -t tmpfs -o size=\(sized) tmpfs '\(path)' && cp -a '\(saved)'/. '\(path)'/"
            + (fill ? " && { dd if=/dev/zero of='\(path)'/fill bs=64k 2>/dev/null; true; }" : "")) == 0)
        let before = try RuleCatalogTests.snapshot(ws.appendingPathComponent("out"))
        _ = try Harness.resubmit盂县(ws, total: 640)
        return (ws, path, saved, before, try Harness.disclosure(["run", "--workspace", ws.path, "--year", "2016"]))
    }

    @Test(.enabled(if: getuid() == 0, "mount needs root (CI runs as root)"))
    func aFullDiskUnderOutLeavesEveryOldOutputAndExitsFour() throws {
        // A tmpfs with room for the old outputs and little more.
        let (ws, out, saved, before, run) = try Self.runOnSmallDisk("out", size: "$(( $(du -sk '{saved}' | cut -f1) + 48 ))k")
        defer { _ = try? Harness.shell("umount '\(out)'") }
        #expect(run.status == 4, "\(run.stderr)")
        #expect(run.stderr.contains("磁盘空间不足") && run.stderr.contains("out/2016/"), "\(run.stderr)")
        #expect(try RuleCatalogTests.snapshot(ws.appendingPathComponent("out")) == before, "all the old outputs")
        #expect(try Harness.shell("umount '\(out)' && cp -a '\(saved)'/. '\(out)'/") == 0)
        let again = try Harness.disclosure(["run", "--workspace", ws.path, "--year", "2016"])
        #expect(again.status == 0, "with room again, the next run writes them: \(again.stderr)")
        #expect(try HostileInboxTests.cityTotal(ws) != "55655")
    }

    @Test(.enabled(if: getuid() == 0, "mount needs root (CI runs as root)"))
    func aFullDiskUnderStateIsAWriteFailureNotABug() throws {
        // An 8 MB tmpfs, filled up once the state is back on it.
        let (ws, state, _, before, run) = try Self.runOnSmallDisk("state", size: "8m", fill: true)
        defer { _ = try? Harness.shell("umount '\(state)'") }
        #expect(run.status == 4, "\(run.stderr)")
        #expect(run.stderr.contains("无法写入") && run.stderr.contains("state/"), "\(run.stderr)")
        #expect(try RuleCatalogTests.snapshot(ws.appendingPathComponent("out")) == before)
    }
}
