import Foundation
import TestSupport
import Testing
@testable import Core
@testable import Extract

/// The PDF reader on PDFs exported by LibreOffice from reports laid out like the official
/// template (Fixtures/pdf/, made by Fixtures/make_pdf_fixtures.py), and on hostile ones; the
/// worker is this build's `disclosure`, found beside the test runner.
struct PDFReaderTests {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func read(_ path: String, limits: PDFLayout.Limits = PDFLayout.Limits(), environment: [String: String] = [:]) throws -> StagedFile {
        let bytes = Array(try Data(contentsOf: repo.appendingPathComponent(path)))
        var staged = StagedFile(submitter: "城区", file: path, sha256: "", size: bytes.count)
        PDFReader.read(bytes, year: 2022, limits: limits, environment: environment, into: &staged)
        return staged
    }

    static func cells(_ staged: StagedFile, table: String) -> [String: String] {
        var out: [String: String] = [:]
        for v in staged.values where v.table == table { out[v.label + " | " + (v.columnLabel ?? "")] = v.value }
        return out
    }

    @Test func aMachineWithoutThePDFLibraryReadsNoPDFAndSaysTheFileIsNotAtFault() throws {
        // poppler is loaded by the worker when it starts; here it is looked for where it is not.
        let staged = try Self.read("Fixtures/pdf/2022/城区/城区人民政府2022年政府信息公开工作年度报告.pdf",
                                   environment: [PDFLayout.libraryVariable: "/nonexistent/libpoppler-glib.so.8"])
        #expect(staged.quarantined)
        #expect(staged.values.isEmpty)
        let finding = try #require(staged.findings.first)
        #expect(finding.rule == .fileUnreadable)
        #expect(finding.message.contains("缺少读取 PDF 的组件"))
        #expect(finding.message.contains("文件本身没有问题"))
        #expect(finding.actual.contains("/nonexistent/libpoppler-glib.so.8"))
    }

    @Test func readsTheThreeTablesOfAReportWhoseTable3RunsOverAPageBreak() throws {
        let staged = try Self.read("Fixtures/pdf/2022/城区/城区人民政府2022年政府信息公开工作年度报告.pdf")
        #expect(!staged.quarantined && staged.findings.isEmpty, "\(staged.findings.map(\.message))")
        #expect(staged.family == .pdf)
        let t3 = Self.cells(staged, table: "t3")
        // 25 rows of 7 columns: the header repeated on page 2 read once, the page number and the
        // running head left out.
        #expect(t3.count == 25 * 7, "\(t3.count)")
        #expect(t3["一、本年新收政府信息公开申请数量 | 自然人"] == "38")
        #expect(t3["一、本年新收政府信息公开申请数量 | 总计"] == "47")
        // A label wrapped over two lines inside its cell, its figures on a line of their own.
        #expect(t3["（二）部分公开（区分处理的，只计这一情形，不计其他情形） | 自然人"] == "25")
        // The merged （三） beside its eight rows heads them; a row on page 2 under （四）.
        #expect(t3["（三）不予公开/4.保护第三方合法权益 | 总计"] == "4")
        #expect(t3["（四）无法提供/1.本机关不掌握相关政府信息 | 法人或其他组织/商业企业"] == "4")
        #expect(t3["四、结转下年度继续办理 | 法人或其他组织/商业企业"] == "2")
        let t4 = Self.cells(staged, table: "t4")
        #expect(t4.count == 15 && t4[" | 行政复议/结果维持"] == "2" && t4[" | 行政诉讼/复议后起诉/总计"] == "0", "\(t4)")
        let t2 = staged.values.filter { $0.table == "t2" }
        #expect(t2.contains { $0.label == "行政规范性文件" && $0.columnLabel == "现行有效件数" && $0.value == "38" })
        #expect(t2.contains { $0.label == "行政事业性收费" && $0.value == "1.50" && $0.context?.contains("第二十条第（八）项") == true })
        // Each value says where it is printed: page, table, row and column.
        let partial = staged.values.first { $0.label.hasPrefix("（二）") && $0.columnLabel == "自然人" }
        #expect(partial?.line == 1 && partial?.element?.hasPrefix("第 1 页 表三 （二）部分公开") == true)
        let page2 = staged.values.first { $0.label.hasPrefix("（四）无法提供/1.") && $0.columnLabel == "自然人" }
        #expect(page2?.element == "第 2 页 表三 （四）无法提供 1.本机关不掌握相关政府信息 自然人", "\(page2?.element ?? "")")
    }

    @Test func readsTopAlignedCellsAVerticalLabelAndATable3WhoseHeaderIsNotRepeated() throws {
        let staged = try Self.read("Fixtures/pdf/2022/郊区/郊区人民政府2022年政府信息公开工作年度报告.pdf")
        #expect(!staged.quarantined)
        let t3 = Self.cells(staged, table: "t3")
        #expect(t3.count == 25 * 7)
        // Labels as printed (the resolver reads them as the form's rows).
        #expect(t3.keys.contains { $0.hasPrefix("（六）其他处理/1、申请人无正当理由逾期不补正，行政机关不再处理其政府信息公开申请") })
        #expect(t3.keys.contains { $0.hasPrefix("（三）不予公开/2.其他法律行政止公开") })
    }

    @Test func takesARowOfDashesAsDataAndNeverTheLineUnderTheTable() throws {
        let staged = try Self.read("Fixtures/pdf/2022/市教育局/市教育局2022年政府信息公开工作年度报告.pdf")
        let t4 = staged.values.filter { $0.table == "t4" }
        #expect(t4.count == 15 && t4.allSatisfy { $0.value == "—" }, "\(t4.map(\.value))")
        #expect(!staged.values.contains { $0.value.contains("0353") || $0.label.contains("填表人") })
    }

    @Test func refusesAnEncryptedADamagedATruncatedAndAScannedPDFEachWithItsOwnAdvice() throws {
        let cases = [("加密.pdf", "密码"), ("损坏.pdf", "已损坏"), ("截断.pdf", "不完整"), ("扫描件.pdf", "没有文字层")]
        for (name, says) in cases {
            let staged = try Self.read("Fixtures/pdf/hostile/" + name)
            #expect(staged.quarantined && staged.values.isEmpty, "\(name)")
            #expect(staged.findings.count == 1 && staged.findings[0].rule == .fileWrongFormat && staged.findings[0].message.contains(says),
                    "\(name): \(staged.findings.map(\.message))")
        }
    }

    /// A worker that stands in for one poppler crashed or hung in.
    static func fakeWorker(_ script: String) throws -> String {
        let url = Scratch.directory.appendingPathComponent("worker-\(UUID().uuidString).sh")
        try Data(("#!/bin/sh\n" + script + "\n").utf8).write(to: url)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
        return url.path
    }

    @Test func aWorkerThatCrashesOrHangsBecomesAFindingAndTheReadGoesOn() throws {
        let pdf = "Fixtures/pdf/2022/城区/城区人民政府2022年政府信息公开工作年度报告.pdf"
        let crashing = try Self.fakeWorker("cat > /dev/null; kill -SEGV $$")
        let crashed = try Self.read(pdf, environment: ["DISCLOSURE_PDF_WORKER": crashing])
        #expect(crashed.quarantined && crashed.findings.first?.message.contains("异常退出") == true, "\(crashed.findings.map(\.message))")
        let hanging = try Self.fakeWorker("cat > /dev/null; exec sleep 30")
        let started = Date()
        var limits = PDFLayout.Limits()
        limits.seconds = 1
        let hung = try Self.read(pdf, limits: limits, environment: ["DISCLOSURE_PDF_WORKER": hanging])
        #expect(Date().timeIntervalSince(started) < 10, "stopped at its time limit")
        #expect(hung.quarantined && hung.findings.first?.message.contains("超过 1 秒") == true, "\(hung.findings.map(\.message))")
        let lying = try Self.fakeWorker("cat > /dev/null; printf '%%DISCLOSURE-PDF-LAYOUT 1\\npage 595 842 0 3\\n4e00 1 1 2 2\\n'")
        let cut = try Self.read(pdf, environment: ["DISCLOSURE_PDF_WORKER": lying])
        #expect(cut.quarantined, "an output cut short is no layout")
    }

    @Test func theLayoutFormatRoundTripsAndRefusesAnythingElse() throws {
        let layout = PDFLayout(pages: [PDFLayout.Page(width: 595.3, height: 841.89, images: 1, glyphs: [
            PDFLayout.Glyph("三", x1: 94.25, y1: 607, x2: 103.5, y2: 618.75), PDFLayout.Glyph("0", x1: 1, y1: 2, x2: 3, y2: 4)])])
        #expect(try PDFLayout.decode(layout.encoded()) == layout)
        let refused = PDFLayout(refusal: .encrypted, detail: "Document is encrypted")
        #expect(try PDFLayout.decode(refused.encoded()) == refused)
        let bytes = layout.encoded()
        #expect(throws: PDFLayout.DecodingError.truncated) { try PDFLayout.decode(Array(bytes.dropLast(5))) }
        #expect(throws: PDFLayout.DecodingError.self) { try PDFLayout.decode(Array("%DISCLOSURE-PDF-LAYOUT 1\nrm -rf /\nend\n".utf8)) }
        #expect(PDFLayout.Limits(arguments: PDFLayout.Limits(memoryBytes: 5, seconds: 6, pages: 7, inputBytes: 8).arguments)
                == PDFLayout.Limits(memoryBytes: 5, seconds: 6, pages: 7, inputBytes: 8))
    }

    @Test func aWordPrintedOneCharacterALineIsOneWordButAColumnOfZerosIsNot() {
        var glyphs: [PDFLayout.Glyph] = []
        for (k, c) in "三、本年度办理结果".unicodeScalars.enumerated() {
            glyphs.append(PDFLayout.Glyph(c, x1: 94, y1: 600 + Double(k) * 12.5, x2: 103, y2: 611 + Double(k) * 12.5))
            glyphs.append(PDFLayout.Glyph("0", x1: 307, y1: 600 + Double(k) * 12.5, x2: 312, y2: 611 + Double(k) * 12.5))
        }
        let lines = PDFLines(PDFLayout(pages: [PDFLayout.Page(width: 595, height: 842, images: 0, glyphs: glyphs)])).lines
        let chunks = lines.flatMap(\.chunks)
        #expect(chunks.contains { $0.text == "三、本年度办理结果" })
        #expect(chunks.filter { $0.text == "0" }.count == 9)
    }

    @Test func aHeaderSetInSpacedOutLettersIsOneWordButFiguresInNeighbouringColumnsAreNot() {
        var glyphs: [PDFLayout.Glyph] = []
        for (k, c) in "申请人情况".unicodeScalars.enumerated() {
            glyphs.append(PDFLayout.Glyph(c, x1: 300 + Double(k) * 30, y1: 100, x2: 309 + Double(k) * 30, y2: 111))
        }
        for k in 0..<7 { glyphs.append(PDFLayout.Glyph("0", x1: 300 + Double(k) * 30, y1: 130, x2: 305 + Double(k) * 30, y2: 141)) }
        let lines = PDFLines(PDFLayout(pages: [PDFLayout.Page(width: 595, height: 842, images: 0, glyphs: glyphs)])).lines
        #expect(lines.first?.chunks.map(\.text) == ["申请人情况"])
        #expect(lines.last?.chunks.count == 7)
    }

    @Test func pageNumbersAreToldApartFromFigures() {
        #expect(PDFLines.isPageNumber("- 4 -") && PDFLines.isPageNumber("第 4 页") && PDFLines.isPageNumber("4/12") && PDFLines.isPageNumber("—4—"))
        #expect(!PDFLines.isPageNumber("（一）予以公开") && !PDFLines.isPageNumber("行政许可"))
    }
}
