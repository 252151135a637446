import Foundation
import TestSupport
import Testing
@testable import Core
@testable import Extract

/// report.docx as the centre publishes it: LibreOffice opens it without a repair and prints it,
/// its pages showing the parts, the official tables and the chart.
@Suite(.serialized)
struct WordReportTests {
    static var soffice: String? {
        ["/usr/bin/soffice", "/usr/bin/libreoffice", "/usr/lib/libreoffice/program/soffice"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Converts report.docx to PDF with LibreOffice, the first pages to PNG beside it (in
    /// .build/screenshots/, to look at), and returns the PDF's text and page count.
    static func printed(_ docx: URL, as name: String) throws -> (text: String, pages: Int) {
        let shots = Harness.repo.appendingPathComponent(".build/screenshots")
        try FileManager.default.createDirectory(at: shots, withIntermediateDirectories: true)
        let profile = Scratch.directory.appendingPathComponent("lo-\(UUID().uuidString)")
        let out = Scratch.directory.appendingPathComponent("pdf-\(UUID().uuidString)")
        let status = try Harness.shell("'\(soffice!)' -env:UserInstallation=file://\(profile.path) --headless --convert-to pdf --outdir '\(out.path)' '\(docx.path)' >/dev/null 2>&1")
        #expect(status == 0, "LibreOffice converts it")
        let pdf = out.appendingPathComponent("report.pdf")
        try? FileManager.default.removeItem(at: shots.appendingPathComponent(name + ".pdf"))
        try FileManager.default.copyItem(at: pdf, to: shots.appendingPathComponent(name + ".pdf"))
        #expect(try Harness.shell("pdftoppm -png -r 70 -f 1 -l 3 '\(pdf.path)' '\(shots.path)/\(name)'") == 0)
        let textFile = out.appendingPathComponent("report.txt")
        #expect(try Harness.shell("pdftotext -layout '\(pdf.path)' '\(textFile.path)'") == 0)
        let info = out.appendingPathComponent("info.txt")
        _ = try Harness.shell("pdfinfo '\(pdf.path)' > '\(info.path)'")
        let pages = (try String(contentsOf: info, encoding: .utf8)).split(separator: "\n")
            .first { $0.hasPrefix("Pages:") }.flatMap { Int($0.split(separator: " ").last ?? "") } ?? 0
        let size = (try String(contentsOf: info, encoding: .utf8)).split(separator: "\n").first { $0.hasPrefix("Page size:") } ?? ""
        #expect(size.contains("595") && size.contains("841"), "A4: \(size)")
        return (try String(contentsOf: textFile, encoding: .utf8), pages)
    }

    @Test(.enabled(if: soffice != nil, "LibreOffice is missing: run `make test-deps` (libreoffice-writer-nogui, poppler-utils)"))
    func theNationalReportOpensInLibreOfficeWithItsTablesAndChart() throws {
        let ws = Scratch.directory.appendingPathComponent("docx-\(UUID().uuidString)")
        #expect(try Harness.initialize(ws) == 0)
        try FileManager.default.copyItem(at: Harness.repo.appendingPathComponent("Fixtures/2022"), to: ws.appendingPathComponent("inbox/2022"))
        #expect(try Harness.disclosure(["run", "--workspace", ws.path, "--year", "2022"]).status == 0)
        let docx = ws.appendingPathComponent("out/2022/report.docx")
        let first = try Data(contentsOf: docx)
        let (text, pages) = try Self.printed(docx, as: "report-2022-docx")
        #expect(pages >= 3, "\(pages) pages")
        let flat = text.replacingOccurrences(of: " ", with: "")
        for words in ["阳泉市2022年政府信息公开工作年度报告", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                      "申请人情况", "法人或其他组织", "行政复议", "政府信息公开申请办理结果"] {
            #expect(flat.contains(words), "\(words) on the pages")
        }
        // Figures of the tables, as totals.csv gives them.
        let totals = try String(contentsOf: ws.appendingPathComponent("out/2022/totals.csv"), encoding: .utf8)
        let granted = totals.split(separator: "\r\n").first { $0.hasPrefix("v2021.t3.res.granted.total,") }?.split(separator: ",").last
        #expect(granted != nil && text.contains(String(granted!)), "予以公开 总计 \(granted ?? "?") in table 3")
        // The same inputs, the same bytes.
        FileManager.default.createFile(atPath: ws.appendingPathComponent("state/report/2022.tsv").path, contents: Data())
        #expect(try Harness.disclosure(["report", "--workspace", ws.path, "--year", "2022"]).status <= 1)
        #expect(try Data(contentsOf: docx) == first)
    }

    @Test(.enabled(if: soffice != nil, "LibreOffice is missing: run `make test-deps` (libreoffice-writer-nogui, poppler-utils)"))
    func theSX2016ReportOpensInLibreOfficeWithItsPartsAndStatisticalTable() throws {
        let ws = try Harness.workspace()
        #expect(try Harness.disclosure(["run", "--workspace", ws.path, "--year", "2016"]).status == 0)
        let (text, pages) = try Self.printed(ws.appendingPathComponent("out/2016/report.docx"), as: "report-2016-docx")
        #expect(pages >= 3)
        let flat = text.replacingOccurrences(of: " ", with: "")
        for words in ["一、概述", "二、主动公开政府信息情况", "八、存在的主要问题和改进措施", "55655", "62.55%", "主动公开政府信息分类", "附表", "统计表"] {
            #expect(flat.contains(words), "\(words) on the pages")
        }
    }

    /// report.docx printed to PDF by LibreOffice, read back by this program's own PDF reader.
    static func printedTables(_ docx: URL) throws -> (PDFLines, PDFTables, String) {
        let profile = Scratch.directory.appendingPathComponent("lo-\(UUID().uuidString)")
        let out = Scratch.directory.appendingPathComponent("pdf-\(UUID().uuidString)")
        #expect(try Harness.shell("'\(soffice!)' -env:UserInstallation=file://\(profile.path) --headless --convert-to pdf --outdir '\(out.path)' '\(docx.path)' >/dev/null 2>&1") == 0)
        let pdf = out.appendingPathComponent("report.pdf"), layout = out.appendingPathComponent("layout.txt")
        #expect(try Harness.shell("'\(Harness.executable.path)' __pdf-layout < '\(pdf.path)' > '\(layout.path)'") == 0)
        let decoded = try PDFLayout.decode(Array(try Data(contentsOf: layout)))
        let lines = PDFLines(decoded)
        let text = out.appendingPathComponent("report.txt")
        #expect(try Harness.shell("pdftotext '\(pdf.path)' '\(text.path)'") == 0)
        return (lines, PDFTables(lines.lines), try String(contentsOf: text, encoding: .utf8))
    }

    @Test(.enabled(if: soffice != nil, "LibreOffice is missing: run `make test-deps` (libreoffice-writer-nogui, poppler-utils)"))
    func theWordReportIsLaidOutAsTheOfficialTemplateLaysItsTables() throws {
        let ws = Scratch.directory.appendingPathComponent("docx-\(UUID().uuidString)")
        #expect(try Harness.initialize(ws) == 0)
        try FileManager.default.copyItem(at: Harness.repo.appendingPathComponent("Fixtures/2022"), to: ws.appendingPathComponent("inbox/2022"))
        #expect(try Harness.disclosure(["run", "--workspace", ws.path, "--year", "2022"]).status == 0)
        let (lines, tables, text) = try Self.printedTables(ws.appendingPathComponent("out/2022/report.docx"))
        // Every row label of table 3 on one to three lines (the template's column widths).
        let t3Labels = tables.labelLines.filter { PDFTables.level(TextFold.compact($0.key)) != nil }
        #expect(t3Labels.count == 25, "every row of table 3 read back: \(tables.labelLines)")
        let tall = tables.labelLines.filter { $0.value > 3 }
        #expect(tall.isEmpty, "labels over more than three lines: \(tall)")
        #expect(tables.labelLines.first { $0.key.hasPrefix("1.申请人无正当理由") }.map { $0.value <= 3 } == true)
        // Each page that prints rows of table 3 prints its header too.
        let pages = Set(tables.cells.filter { $0.table == "t3" }.map(\.page))
        #expect(pages.count >= 1 && pages.isSubset(of: tables.headerPages["t3"] ?? []), "rows on \(pages.sorted()), header on \(tables.headerPages["t3"]?.sorted() ?? [])")
        // The figures read back from the printed page are the city's.
        let totals = try String(contentsOf: ws.appendingPathComponent("out/2022/totals.csv"), encoding: .utf8)
        let granted = totals.split(separator: "\r\n").first { $0.hasPrefix("v2021.t3.res.granted.total,") }?.split(separator: ",").last.map(String.init)
        #expect(tables.cells.contains { $0.table == "t3" && $0.row.contains("予以公开") && $0.column == "总计" && $0.value == granted })
        // The chart names its categories and prints its figures (drawn by the word processor: text on the page).
        let flat = text.replacingOccurrences(of: " ", with: "")
        for name in ["予以公开", "部分公开", "不予公开", "无法提供", "不予处理", "其他处理"] { #expect(flat.contains(name)) }
        #expect(lines.lines.contains { $0.chunks.contains { $0.compact == "予以公开" } && $0.chunks.contains { CellText.isFigure($0.compact) } })
        // Its alt text carries the figures for a reader that cannot see it.
        let docx = try Data(contentsOf: ws.appendingPathComponent("out/2022/report.docx"))
        #expect(docx.range(of: Data("descr=\"政府信息公开申请办理结果：予以公开".utf8)) != nil)
        #expect(docx.range(of: Data("word/charts/chart1.xml".utf8)) != nil)
    }
}
