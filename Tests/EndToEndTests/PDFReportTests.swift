import Foundation
import TestSupport
import Testing

/// Bodies that answer with their published report as a PDF (Fixtures/pdf/, exported by
/// LibreOffice from Word reports laid out like the official template): each consolidates to the
/// figures of the CSV template it replaces.
@Suite(.serialized)
struct PDFReportTests {
    /// A 2022 workspace holding `files` (fixture paths) in `body`'s folder; the run's output.
    static func run(_ body: String, _ files: [String]) throws -> (Harness.Output, URL) {
        let ws = Scratch.directory.appendingPathComponent("pdf-\(UUID().uuidString)")
        #expect(try Harness.initialize(ws) == 0)
        let folder = ws.appendingPathComponent("inbox/2022/\(body)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for file in files {
            let source = Harness.repo.appendingPathComponent(file)
            try FileManager.default.copyItem(at: source, to: folder.appendingPathComponent(source.lastPathComponent))
        }
        return (try Harness.disclosure(["run", "--workspace", ws.path, "--year", "2022"]), ws)
    }

    static func fixtures(_ folder: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: Harness.repo.appendingPathComponent(folder).path).sorted().map { folder + "/" + $0 }
    }

    static func totals(_ ws: URL) throws -> [String: String] {
        var out: [String: String] = [:]
        for line in try String(contentsOf: ws.appendingPathComponent("out/2022/totals.csv"), encoding: .utf8).split(separator: "\r\n").dropFirst() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            out[String(fields[0])] = String(fields.last!)
        }
        return out
    }

    @Test(arguments: ["城区", "郊区", "市教育局"])
    func aPDFReportGivesTheFiguresOfItsCSVTemplate(body: String) throws {
        let (csvRun, csv) = try Self.run(body, try Self.fixtures("Fixtures/2022/\(body)"))
        let (pdfRun, pdf) = try Self.run(body, try Self.fixtures("Fixtures/pdf/2022/\(body)"))
        #expect(csvRun.status == 0 && pdfRun.status == 0, "\(pdfRun.stderr)")
        let expected = try Self.totals(csv), got = try Self.totals(pdf)
        #expect(got.count == expected.count)
        let differ = expected.keys.sorted().filter { expected[$0] != got[$0] }
        #expect(differ.isEmpty, "\(differ.prefix(5).map { "\($0): \(expected[$0]!) ≠ \(got[$0] ?? "–")" })")
        let findings = try RuleCatalogTests.findings(pdf.appendingPathComponent("out/2022/findings.csv")).filter { $0["submitter"] == body }
        #expect(!findings.contains { $0["severity"] == "错误" }, "\(findings)")
        // The report the PDF came from is the body's current file.
        let rows = try Harness.rows(pdf.appendingPathComponent("out/2022/by_submitter.csv"))[body] ?? []
        #expect(!rows.isEmpty && rows.allSatisfy { $0.contains(".pdf") })
    }

    @Test func labelsAsRealReportsPrintThemAreReadAndTheOneWithCharactersDroppedIsNamed() throws {
        let (run, ws) = try Self.run("郊区", try Self.fixtures("Fixtures/pdf/2022/郊区"))
        #expect(run.status == 0)
        let warned = try RuleCatalogTests.findings(ws.appendingPathComponent("out/2022/findings.csv")).filter { $0["rule"] == "L004" }
        #expect(warned.count == 1, "one warning a row, not one a cell: \(warned)")
        #expect(warned.first?["message"]?.contains("2.其他法律行政止公开") == true && warned.first?["expected"] == "其他法律行政法规禁止公开")
        #expect(warned.first?["message"]?.hasPrefix("（第 1 页 表三 ") == true, "the place on the page: \(warned.first?["message"] ?? "")")
        #expect(warned.first?["severity"] == "警告" && warned.first?["submitter"] == "郊区")
    }

    @Test func aSingle2019OtherRowInA2021TableCountsInTheTotalsAndIsNamed() throws {
        let (csvRun, csv) = try Self.run("城区", try Self.fixtures("Fixtures/2022/城区"))
        let (run, ws) = try Self.run("城区", try Self.fixtures("Fixtures/pdf/2022-undivided/城区"))
        #expect(csvRun.status == 0 && run.status == 0, "\(run.stderr)")
        let expected = try Self.totals(csv), got = try Self.totals(ws)
        // （七）总计 and the rest of table 3 as the CSV states them; the three （六） rows not reported.
        for code in expected.keys where !code.contains(".res.other.") {
            #expect(expected[code] == got[code], "\(code)")
        }
        #expect(got["v2021.t3.res.other.undivided.total"] == "3" && got["v2021.t3.res.other.other.total"] == "")
        let report = try String(contentsOf: ws.appendingPathComponent("out/2022/report.md"), encoding: .utf8)
        #expect(report.contains("其他处理3件") && report.contains("合计办结51件"))
        #expect(report.contains("（六）其他处理（未分项）"), "drawn where a body reported it")
        let csvReport = try String(contentsOf: csv.appendingPathComponent("out/2022/report.md"), encoding: .utf8)
        #expect(!csvReport.contains("未分项"), "and only there")
        let legacy = try RuleCatalogTests.findings(ws.appendingPathComponent("out/2022/findings.csv")).filter { $0["rule"] == "L005" }
        #expect(legacy.count == 1 && legacy[0]["submitter"] == "城区" && legacy[0]["message"]!.contains("NAT-2019"), "\(legacy)")
        let feedback = try String(contentsOf: ws.appendingPathComponent("out/2022/feedback/城区.md"), encoding: .utf8)
        #expect(feedback.contains("L005"))
    }

    @Test func aBodyWhosePDFsCannotBeReadIsToldSoAndTheOthersStillLoad() throws {
        let ws = Scratch.directory.appendingPathComponent("pdf-\(UUID().uuidString)")
        #expect(try Harness.initialize(ws) == 0)
        let inbox = ws.appendingPathComponent("inbox/2022")
        try FileManager.default.copyItem(at: Harness.repo.appendingPathComponent("Fixtures/2022"), to: inbox)
        let bodies = ["加密.pdf": "城区", "损坏.pdf": "矿区", "截断.pdf": "郊区", "扫描件.pdf": "平定县"]
        for (file, body) in bodies {
            let folder = inbox.appendingPathComponent(body)
            try FileManager.default.removeItem(at: folder)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: Harness.repo.appendingPathComponent("Fixtures/pdf/hostile/" + file), to: folder.appendingPathComponent(file))
        }
        let before = try RuleCatalogTests.snapshot(inbox)
        let run = try Harness.disclosure(["run", "--workspace", ws.path, "--year", "2022"])
        #expect(run.status == 1, "\(run.stderr)")
        #expect(try RuleCatalogTests.snapshot(inbox) == before, "the inbox is never touched")
        let findings = try RuleCatalogTests.findings(ws.appendingPathComponent("out/2022/findings.csv"))
        for (file, body) in bodies {
            #expect(findings.contains { $0["rule"] == "F003" && $0["submitter"] == body && $0["file"] == "inbox/2022/\(body)/\(file)" }, "\(body)")
            // Told it sent something unreadable, not that it sent nothing.
            #expect(findings.contains { $0["rule"] == "R006" && $0["submitter"] == body && $0["message"]!.contains(file) }, "\(body)")
        }
        let missing = findings.first { $0["rule"] == "R006" && $0["submitter"] == "全市" }?["message"] ?? ""
        #expect(!bodies.values.contains { missing.contains($0 + "、") || missing.hasSuffix($0 + "。") }, "\(missing)")
        // The readable bodies still load: 盂县's table 3 is in the city's.
        let rows = try Harness.rows(ws.appendingPathComponent("out/2022/by_submitter.csv"))
        #expect(rows["盂县"]?.isEmpty == false && rows["城区"] == nil)
    }
}
