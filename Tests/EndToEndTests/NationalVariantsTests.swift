import Foundation
import Testing

/// The national template as bodies write it, in every text family (Fixtures/variants/, made by
/// Fixtures/make_variant_fixtures.py): punctuation, numbering and quotes of any kind, a row with
/// characters dropped, table 4 all "—" with the 填表人 line under it. Each consolidates to the
/// figures of the body's plain file.
@Suite(.serialized)
struct NationalVariantsTests {
    static func tables34(_ ws: URL) throws -> [String: String] {
        try PDFReportTests.totals(ws).filter { $0.key.contains(".t3.") || $0.key.contains(".t4.") }
    }

    @Test(arguments: [("市教育局", "Fixtures/variants/2022"), ("城区", "Fixtures/variants/2022"), ("郊区", "Fixtures/variants/2022"),
                      ("市教育局", "Fixtures/variants/2022-page")])
    func everyVariantOfTheTemplateGivesTheFiguresOfThePlainFile(body: String, folder: String) throws {
        let (plainRun, plain) = try PDFReportTests.run(body, try PDFReportTests.fixtures("Fixtures/2022/\(body)"))
        let (run, ws) = try PDFReportTests.run(body, try PDFReportTests.fixtures("\(folder)/\(body)"))
        #expect(plainRun.status == 0 && run.status == 0, "\(run.stderr)")
        let expected = try Self.tables34(plain), got = try Self.tables34(ws)
        let differ = expected.keys.sorted().filter { expected[$0] != got[$0] }
        #expect(differ.isEmpty, "\(differ.prefix(5).map { "\($0): \(expected[$0]!) ≠ \(got[$0] ?? "–")" })")
        let findings = try RuleCatalogTests.findings(ws.appendingPathComponent("out/2022/findings.csv"))
        #expect(!findings.contains { $0["rule"] == "L001" || $0["rule"] == "C002" || $0["severity"] == "错误" }, "\(findings.filter { $0["severity"] == "错误" })")
        // Only the row with characters dropped is worth a warning; punctuation and numbering are not.
        let structural = findings.filter { $0["rule"] == "L004" }
        #expect(structural.count == 1 && structural[0]["message"]!.contains("其他法律行政止公开"), "\(structural)")
    }

    @Test func aTable4OfDashesIsReportedZerosNotBlanks() throws {
        let (run, ws) = try PDFReportTests.run("市教育局", try PDFReportTests.fixtures("Fixtures/variants/2022/市教育局"))
        #expect(run.status == 0)
        let rows = try Harness.rows(ws.appendingPathComponent("out/2022/by_submitter.csv"))["市教育局"] ?? []
        let t4 = rows.filter { $0.contains("v2021.t4.") }
        // The value column of by_submitter.csv: "0", never empty (未填).
        #expect(t4.count == 15 && t4.allSatisfy { $0.split(separator: ",", omittingEmptySubsequences: false)[5] == "0" }, "\(t4.prefix(3))")
        #expect(t4.allSatisfy { $0.contains("inbox/2022/市教育局/表四.csv") })
    }
}
