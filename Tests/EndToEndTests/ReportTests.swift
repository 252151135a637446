import Foundation
import TestSupport
import Testing

/// The report as the centre publishes it: opened in a real browser, read back by the pipeline
/// itself, and compared with the year before.
struct ReportTests {
    static func chromium() -> String? {
        ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static func browse(_ args: [String]) throws -> Harness.Output {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: chromium()!)
        p.arguments = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
                       "--user-data-dir=" + Scratch.directory.appendingPathComponent("chromium-\(UUID().uuidString)").path] + args
        let out = Scratch.directory.appendingPathComponent("dom-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        p.standardOutput = try FileHandle(forWritingTo: out)
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        return Harness.Output(status: p.terminationStatus, stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "", stderr: "")
    }

    @Test func theHTMLReportRendersInAHeadlessBrowserAndPrintsOnA4() throws {
        guard Self.chromium() != nil else {
            Issue.record("Chromium is missing: run `make deps` (it installs chromium and fonts-noto-cjk from apt)")
            return
        }
        let ws = try Harness.workspace()
        #expect(try Harness.disclosure(["run", "--workspace", ws.path, "--year", "2016"]).status == 0)
        let html = ws.appendingPathComponent("out/2016/report.html")
        let dom = try Self.browse(["--dump-dom", html.absoluteString])
        #expect(dom.status == 0)
        for figure in ["55655", "34813", "62.55%", "9.2%", "631", "14.51", "二0一七年二月七日"] {
            #expect(dom.stdout.contains(figure), "\(figure) in the rendered page")
        }
        #expect(dom.stdout.contains("<svg") && !dom.stdout.contains("草稿"))

        let shots = Harness.repo.appendingPathComponent(".build/screenshots")
        try FileManager.default.createDirectory(at: shots, withIntermediateDirectories: true)
        let png = shots.appendingPathComponent("report-2016.png")
        try? FileManager.default.removeItem(at: png)
        #expect(try Self.browse(["--screenshot=" + png.path, "--window-size=1240,1754", html.absoluteString]).status == 0)
        let image = try Data(contentsOf: png)
        #expect(Array(image.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        #expect(image.count > 30_000, "a page with text and a chart, not a blank one (\(image.count) bytes)")

        let pdf = shots.appendingPathComponent("report-2016.pdf")
        try? FileManager.default.removeItem(at: pdf)
        #expect(try Self.browse(["--print-to-pdf=" + pdf.path, "--no-pdf-header-footer", html.absoluteString]).status == 0)
        let text = String(decoding: try Data(contentsOf: pdf), as: UTF8.self)
        // A4 is 595 × 842 points.
        #expect(text.contains("/MediaBox [0 0 595") || text.contains("/MediaBox [0 0 594.9"), "printed on A4")
    }

    @Test func theConsolidatedPlatformXMLReadsBackAsOneSubmitterWithTheSameFigures() throws {
        let ws = try Harness.workspace()
        #expect(try Harness.disclosure(["run", "--workspace", ws.path, "--year", "2016"]).status == 0)
        let province = Scratch.directory.appendingPathComponent("province-\(UUID().uuidString)")
        #expect(try Harness.initialize(province) == 0)
        try Data("name,aliases,code,level\n阳泉市,阳泉,140300,county\n".utf8).write(to: province.appendingPathComponent("config/submitters.csv"))
        let folder = province.appendingPathComponent("inbox/2016/阳泉市")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: ws.appendingPathComponent("out/2016/consolidated.xml"), to: folder.appendingPathComponent("阳泉市2016.xml"))
        let run = try Harness.disclosure(["run", "--workspace", province.path, "--year", "2016"])
        #expect(run.status == 0, "\(run.stderr)")
        func values(_ root: URL) throws -> [String: String] {
            let text = try String(contentsOf: root.appendingPathComponent("out/2016/totals.csv"), encoding: .utf8)
            var out: [String: String] = [:]
            for line in text.split(separator: "\r\n").dropFirst() {
                let cells = line.split(separator: ",", omittingEmptySubsequences: false)
                out[String(cells[0])] = String(cells.last!)
            }
            return out
        }
        let city = try values(ws), again = try values(province)
        #expect(city.count > 60)
        #expect(city.filter { !$0.value.isEmpty }.count > 20)
        for (code, value) in city { #expect(again[code] == value, "\(code): \(value) → \(again[code] ?? "nil")") }
    }

    @Test func theHeadlineSaysHowTheYearComparesAndFlagsSubmittersThatMovedByHalf() throws {
        let ws = try Harness.workspace()
        #expect(try Harness.disclosure(["run", "--workspace", ws.path, "--year", "2016"]).status == 0)
        let rows = try Harness.rows(ws.appendingPathComponent("out/2016/by_submitter.csv"))
        func total(_ name: String) -> Int {
            Int(rows[name]!.first { $0.contains(",v2014.proactive.total,") }!.split(separator: ",")[4])!
        }
        // 2015: 城区 published a third of its 2016 figure, 矿区 the same as in 2016.
        let before城区 = total("城区") / 3, before矿区 = total("矿区")
        for (name, n) in [("城区", before城区), ("矿区", before矿区)] {
            let folder = ws.appendingPathComponent("inbox/2015/\(name)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data("统计指标,单位,统计数\r\n主动公开政府信息数,条,\(n)\r\n".utf8).write(to: folder.appendingPathComponent("2015年统计表.csv"))
        }
        for stage in ["extract", "transform", "load"] {
            #expect(try Harness.disclosure([stage, "--workspace", ws.path, "--year", "2015"]).status <= 1)
        }
        // Nothing new in 2016's inbox, but the year before changed: the city's findings and the report follow.
        let rerun = try Harness.disclosure(["run", "--workspace", ws.path, "--year", "2016"])
        #expect(rerun.status == 0 && rerun.stderr.contains("新读取 0"), "\(rerun.stderr)")
        let findings = try String(contentsOf: ws.appendingPathComponent("out/2016/findings.csv"), encoding: .utf8)
        #expect(findings.split(separator: "\r\n").contains { $0.contains("R007") && $0.contains("城区的“主动公开政府信息数”上年为 \(before城区)") })
        #expect(!findings.split(separator: "\r\n").contains { $0.contains("R007") && $0.contains("矿区的") })
        let report = try String(contentsOf: ws.appendingPathComponent("out/2016/report.md"), encoding: .utf8)
        let before = Decimal(before城区 + before矿区), now = Decimal(55655)
        var change = (now - before) / before * 100, rounded = Decimal()
        NSDecimalRound(&rounded, &change, 2, .plain)
        let expected = NSDecimalNumber(decimal: rounded).stringValue
        #expect(report.contains("共主动公开政府信息55655条，同比增长\(expected)%"), "\(expected)% in: \(report.prefix(600))")

        let html = try String(contentsOf: ws.appendingPathComponent("out/2016/report.html"), encoding: .utf8)
        let tableRows = html.components(separatedBy: "<tr")
        #expect(tableRows.contains { $0.hasPrefix(" class=\"moved\"><td>城区</td>") && $0.contains("▲") })
        #expect(tableRows.contains { $0.hasPrefix("><td>矿区</td>") && !$0.contains("▲") })
    }

    @Test func sharesThatDoNotAddUpToAHundredGetANote() throws {
        let ws = Scratch.directory.appendingPathComponent("shares-\(UUID().uuidString)")
        #expect(try Harness.initialize(ws) == 0)
        let folder = ws.appendingPathComponent("inbox/2016/城区")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let table = "统计指标,单位,统计数\r\n主动公开政府信息数,条,3\r\n工作动态类,条,1\r\n行政职权类,条,1\r\n政策法规类,条,1\r\n决策类,条,0\r\n机构职能类,条,0\r\n其他类,条,0\r\n"
        try Data(table.utf8).write(to: folder.appendingPathComponent("统计表.csv"))
        #expect(try Harness.disclosure(["run", "--workspace", ws.path, "--year", "2016"]).status <= 1)
        let report = try String(contentsOf: ws.appendingPathComponent("out/2016/report.md"), encoding: .utf8)
        #expect(report.contains("工作动态类1条，占33.33%"))
        #expect(report.contains("合计为99.99%"))
    }

    @Test func aSubmitterNameWithASlashStillGetsItsFeedbackFile() throws {
        let ws = Scratch.directory.appendingPathComponent("slash-\(UUID().uuidString)")
        #expect(try Harness.initialize(ws) == 0)
        try Data("name,aliases,code,level\n市人社局/市社保中心,市人社局,,department\n".utf8).write(to: ws.appendingPathComponent("config/submitters.csv"))
        let folder = ws.appendingPathComponent("inbox/2016/市人社局")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data("统计指标,单位,统计数\r\n收到申请数,件,2\r\n网络申请数,件,3\r\n".utf8).write(to: folder.appendingPathComponent("表.csv"))
        let run = try Harness.disclosure(["run", "--workspace", ws.path, "--year", "2016"])
        #expect(run.status == 1, "\(run.stderr)")
        let feedback = try String(contentsOf: ws.appendingPathComponent("out/2016/feedback/市人社局／市社保中心.md"), encoding: .utf8)
        #expect(feedback.hasPrefix("# 市人社局/市社保中心") && feedback.contains("R001"))
    }
}
