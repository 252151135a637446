import Foundation
import TestSupport
import Testing

/// What bodies actually send: a workbook, a Word report, a saved web page (Fixtures/office/,
/// made from the CSV fixtures by Fixtures/make_office_fixtures.py), and the hostile ones.
@Suite(.serialized)
struct OfficeFormatsTests {
    /// The year's fixtures run as CSV, then with the office files in place of the submitters'
    /// CSV files: both totals.csv, and the workspace.
    static func swapped(_ year: Int) throws -> (csv: Data, office: Data, URL) {
        let ws = Scratch.directory.appendingPathComponent("office-\(UUID().uuidString)")
        #expect(try Harness.initialize(ws) == 0)
        let inbox = ws.appendingPathComponent("inbox/\(year)")
        try FileManager.default.copyItem(at: Harness.repo.appendingPathComponent("Fixtures/\(year)"), to: inbox)
        let run = { try Harness.disclosure(["run", "--workspace", ws.path, "--year", "\(year)"]) }
        #expect(try run().status == 0)
        let csv = try Data(contentsOf: ws.appendingPathComponent("out/\(year)/totals.csv"))
        let office = Harness.repo.appendingPathComponent("Fixtures/office/\(year)")
        for name in try FileManager.default.contentsOfDirectory(atPath: office.path) {
            try FileManager.default.removeItem(at: inbox.appendingPathComponent(name))
            try FileManager.default.copyItem(at: office.appendingPathComponent(name), to: inbox.appendingPathComponent(name))
        }
        let second = try run()
        #expect(second.status == 0, "\(second.stderr)")
        return (csv, try Data(contentsOf: ws.appendingPathComponent("out/\(year)/totals.csv")), ws)
    }

    @Test func aWorkbookWithTheTableAndItsListOnTwoSheetsGivesTheFiguresOfTheCSVFiles() throws {
        let (csv, office, ws) = try Self.swapped(2016)
        #expect(office == csv, "every city figure the same")
        let rows = try Harness.rows(ws.appendingPathComponent("out/2016/by_submitter.csv"))["市统计局"] ?? []
        #expect(rows.count == 66 && rows.allSatisfy { $0.contains("inbox/2016/市统计局/2016年统计数据.xlsx") })
        let findings = try HostileInboxTests.findings(ws).filter { $0["submitter"] == "市统计局" }
        #expect(findings.contains { $0["rule"] == "F012" && $0["message"]!.contains("工作表“填表说明”是隐藏的") })
        #expect(findings.contains { $0["rule"] == "F012" && $0["message"]!.contains("工作表“统计表”的第 2 行是隐藏行") })
        #expect(!findings.contains { $0["rule"] == "R004" || $0["severity"] == "错误" }, "the list on its own sheet agrees with the table")
        #expect(try String(contentsOf: ws.appendingPathComponent("out/2016/report.md"), encoding: .utf8).contains("55655"))
    }

    @Test func aTemplateWorkbookAWordReportAndASavedPageGiveTheFiguresOfTheCSVFiles() throws {
        let (csv, office, ws) = try Self.swapped(2022)
        #expect(office == csv, "every cell of tables 2–4 the same")
        let status = try Harness.disclosure(["status", "--workspace", ws.path, "--year", "2022"]).stdout
        #expect(status.contains("2022年报统计表.xlsx[E:当前]"))
        #expect(status.contains("2022年政府信息公开工作年度报告.docx[F:当前]"))
        #expect(status.contains("2022年度报告.htm[G:当前]"))
        // The page's saved resources are part of it, not submissions.
        #expect(!status.contains("filelist.xml") && !status.contains("image001.png"))
        let by = try Harness.rows(ws.appendingPathComponent("out/2022/by_submitter.csv"))
        #expect((by["郊区"]?.count ?? 0) > 100 && (by["市政府办公厅"]?.count ?? 0) > 100)
    }

    @Test func aCellThatIsWrongIsNamedBySheetAndCell() throws {
        let ws = try Harness.workspace()
        let folder = ws.appendingPathComponent("inbox/2016/市统计局")
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) { try FileManager.default.removeItem(at: folder.appendingPathComponent(name)) }
        // The fixture workbook with one label misspelt, rewritten in its sharedStrings part.
        let source = Harness.repo.appendingPathComponent("Fixtures/office/2016/市统计局/2016年统计数据.xlsx")
        let target = folder.appendingPathComponent("2016年统计数据.xlsx")
        #expect(try Harness.shell("""
            set -e; d=$(mktemp -d); trap 'rm -rf "$d"' EXIT; cd "$d"; python3 - '\(source.path)' '\(target.path)' <<'EOF'
            import sys, zipfile
            src, dst = sys.argv[1], sys.argv[2]
            with zipfile.ZipFile(src) as a, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as b:
                for info in a.infolist():
                    data = a.read(info)
                    if info.filename == "xl/sharedStrings.xml":
                        data = data.replace("网络申请数".encode(), "网路申请数".encode())
                    b.writestr(info, data)
            EOF
            """) == 0)
        let run = try Harness.disclosure(["run", "--workspace", ws.path, "--year", "2016"])
        #expect(run.status == 1)
        let l001 = try HostileInboxTests.findings(ws).first { $0["rule"] == "L001" && $0["submitter"] == "市统计局" }
        #expect(l001?["message"]?.contains("网路申请数") == true)
        #expect(l001?["message"]?.range(of: #"（统计表![A-Z]+[0-9]+）"#, options: .regularExpression) != nil, "\(l001?["message"] ?? "none")")
    }

    @Test func hostileOfficeFilesAreNamedWithWhatToDoAndNothingBlowsMemory() throws {
        let ws = try Harness.workspace()
        let folder = ws.appendingPathComponent("inbox/2016/矿区")
        let hostile = Harness.repo.appendingPathComponent("Fixtures/hostile")
        for name in try FileManager.default.contentsOfDirectory(atPath: hostile.path) {
            try FileManager.default.copyItem(at: hostile.appendingPathComponent(name), to: folder.appendingPathComponent(name))
        }
        let (run, seconds) = try HostileInboxTests.run(ws)
        #expect(run.status == 1)
        #expect(seconds < 30)
        #expect(HostileInboxTests.childPeakMemory() < 1 << 30)
        let findings = try HostileInboxTests.findings(ws).filter { $0["submitter"] == "矿区" }
        func says(_ file: String, _ rule: String, _ words: [String]) {
            let f = findings.first { $0["file"] == "inbox/2016/矿区/" + file && $0["rule"] == rule }
            #expect(f != nil && words.allSatisfy { f!["message"]!.contains($0) }, "\(file): \(f?["message"] ?? "no \(rule)")")
        }
        says("炸弹.xlsx", "F003", ["xl/worksheets/sheet1.xml", "压缩比", "压缩炸弹"])
        says("声明2GB.xlsx", "F003", ["xl/worksheets/sheet1.xml", "2048 MB"])
        says("伪造大小.xlsx", "F003", ["xl/worksheets/sheet1.xml", "已损坏"])
        says("截断.xlsx", "F003", ["截断"])
        says("旧格式.xlsx", "F003", [".xls", "另存为"])
        says("加密.xlsx", "F003", ["密码"])
        says("统计表.et", "F003", ["WPS", ".xlsx"])
        says("截图报告.docx", "C002", ["图片", "Word 表格"])
        says("外部链接.xlsx", "F012", ["外部的链接", "fileserver"])
        // Sheets no spreadsheet writes: each named, none a crash, none a blank figure.
        says("越界单元格.xlsx", "F003", ["xl/worksheets/sheet1.xml", "AAAAAAAAAAAAAAAAAAAA2", "XFD", "重新保存"])
        says("行号溢出.xlsx", "F003", ["9223372036854775807", "1–1048576"])
        says("缺共享字符串.xlsx", "F003", ["共享字符串", "-1"])
        says("稀疏巨表.xlsx", "F003", ["4000000", "上限"])
        // Spans that multiply to millions of cells: the tables are not held, and said so.
        says("合并巨表.htm", "C005", ["colspan", "4000000"])
        says("合并巨表.docx", "F003", ["word/document.xml", "4000000"])
        // A Word cell spanning two billion columns spans the table's width: the file is read, in the time and memory above.
        #expect(findings.contains { $0["file"] == "inbox/2016/矿区/跨列无数.docx" }, "\(findings.map { $0["file"] ?? "" })")
        // No entry name became a path: nothing new beside the inbox or in the workspace's folders.
        #expect(try FileManager.default.contentsOfDirectory(atPath: ws.path).sorted() == ["config", "inbox", "out", "state"])
    }
}
