import Foundation
import TestSupport
import Testing

/// What a reviewer checks in a published report besides its tables: the figures its text states
/// (N001), its fifth part (N002), what it says of fees (N003). Reports whose text agrees with
/// their tables raise none.
@Suite(.serialized)
struct NarrativeTests {
    static func narrativeFindings(_ ws: URL) throws -> [[String: String]] {
        try RuleCatalogTests.findings(ws.appendingPathComponent("out/2022/findings.csv")).filter { $0["rule"]!.hasPrefix("N") }
    }

    @Test(arguments: ["Fixtures/pdf/2022-narrative", "Fixtures/pdf/2022-narrative-docx"])
    func aReportWhoseTextSays17AgainstATableOf47IsTold(folder: String) throws {
        let (run, ws) = try PDFReportTests.run("城区", try PDFReportTests.fixtures("\(folder)/城区"))
        #expect(run.status == 0, "warnings only: \(run.stderr)")
        let found = try Self.narrativeFindings(ws)
        let n001 = found.filter { $0["rule"] == "N001" }
        #expect(n001.count == 1, "\(found)")
        #expect(n001.first?["actual"] == "17" && n001.first?["expected"] == "47")
        #expect(n001.first?["message"]?.contains("全年共受理政府信息公开申请17件") == true && n001.first?["message"]?.contains("表三") == true)
        #expect(n001.first?["severity"] == "警告" && n001.first?["submitter"] == "城区")
        #expect(found.contains { $0["rule"] == "N002" && $0["message"]!.contains("第五部分") })
        #expect(found.contains { $0["rule"] == "N003" && $0["message"]!.contains("没有收取任何费用") && $0["expected"] == "1.5" })
        let feedback = try String(contentsOf: ws.appendingPathComponent("out/2022/feedback/城区.md"), encoding: .utf8)
        #expect(feedback.contains("N001") && feedback.contains("17"))
    }

    @Test(arguments: ["城区", "郊区", "市教育局", "市政府办公厅"])
    func aReportWhoseTextAgreesWithItsTablesRaisesNothing(body: String) throws {
        let (run, ws) = try PDFReportTests.run(body, try PDFReportTests.fixtures("Fixtures/pdf/2022/\(body)"))
        #expect(run.status == 0)
        let found = try Self.narrativeFindings(ws)
        #expect(found.isEmpty, "\(found)")
    }

    @Test func theReportSentencesMapOntoTable4() throws {
        let (run, ws) = try PDFReportTests.run("城区", try PDFReportTests.fixtures("Fixtures/2022/城区"))
        #expect(run.status == 0)
        let report = try String(contentsOf: ws.appendingPathComponent("out/2022/report.md"), encoding: .utf8)
        #expect(report.contains("被申请行政复议2件，其中结果维持2件、结果纠正0件、其他结果0件、尚未审结0件；被提起行政诉讼0件，其中未经复议直接起诉0件、复议后起诉0件；行政诉讼结果维持0件"), "\(report.split(separator: "\n").filter { $0.contains("行政复议") })")
    }

    @Test func aReportCopiedFromTheYearBeforeIsNamed() throws {
        let ws = Scratch.directory.appendingPathComponent("copied-\(UUID().uuidString)")
        #expect(try Harness.initialize(ws) == 0)
        let pdf = try PDFReportTests.fixtures("Fixtures/pdf/2022/城区")[0]
        for year in ["2021", "2022"] {
            let folder = ws.appendingPathComponent("inbox/\(year)/城区")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: Harness.repo.appendingPathComponent(pdf), to: folder.appendingPathComponent("年度报告.pdf"))
        }
        #expect(try Harness.disclosure(["run", "--workspace", ws.path, "--year", "2021"]).status == 0)
        let first = try RuleCatalogTests.findings(ws.appendingPathComponent("out/2021/findings.csv")).filter { $0["rule"] == "N004" }
        #expect(first.isEmpty, "no year before to copy from")
        #expect(try Harness.disclosure(["run", "--workspace", ws.path, "--year", "2022"]).status == 0)
        let copied = try RuleCatalogTests.findings(ws.appendingPathComponent("out/2022/findings.csv")).filter { $0["rule"] == "N004" }
        #expect(copied.count == 1 && copied[0]["submitter"] == "城区" && copied[0]["actual"] == "100%", "\(copied)")
        #expect(copied.first?["message"]?.contains("2021 年的报告有 100% 相同") == true)
    }
}
