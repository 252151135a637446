import Foundation
import Testing
@testable import Core
@testable import Extract
@testable import Transform

/// Forms are data: the one whose years cover the report year is chosen, and a form of another
/// shape (the 2021 template's applicant-column matrix) loads and resolves without code changes.
struct FormCatalogTests {
    static let shipped = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/Pipeline/Defaults/config/forms/SX-2016.json")

    /// A slice of the 2021 national template: table 3 as rows × applicant columns.
    static let national2021 = """
    {"id": "GB-2021", "name": "政府信息公开工作年度报告格式（2021）", "years": {"from": 2021, "to": 2099},
     "tables": [{"id": "t3", "title": "收到和处理政府信息公开申请情况",
       "columns": [{"code": "natural", "label": "自然人"}, {"code": "business", "label": "商业企业"}, {"code": "total", "label": "总计"}],
       "rows": [{"code": "v2021.apply", "label": "收到和处理政府信息公开申请情况", "row": "三"},
                {"code": "v2021.apply.new", "label": "本年新收政府信息公开申请数量", "row": "一", "unit": "件", "parent": "v2021.apply"},
                {"code": "v2021.apply.carried", "label": "上年结转政府信息公开申请数量", "row": "二", "unit": "件", "parent": "v2021.apply"}]}],
     "identities": [{"id": "t3-total", "kind": "sum", "total": "v2021.apply.new.total",
                     "parts": ["v2021.apply.new.natural", "v2021.apply.new.business"], "severity": "error"}]}
    """

    /// The forms of config/forms/ as the workspace reads them.
    func catalog(_ files: [String: String]) throws -> [ConfigDocument] {
        files.sorted { $0.key < $1.key }.map { ConfigDocument(name: "forms/" + $0.key, bytes: Array($0.value.utf8)) }
    }

    @Test func choosesTheFormWhoseYearsCoverTheReportYear() throws {
        let dir = try catalog(["SX-2016.json": try String(contentsOf: Self.shipped, encoding: .utf8), "GB-2021.json": Self.national2021])
        #expect(try FormCatalog.form(for: 2016, in: dir).id == "SX-2016")
        #expect(try FormCatalog.form(for: 2025, in: dir).id == "GB-2021")
        #expect(throws: ConfigError.self) { try FormCatalog.form(for: 2019, in: dir) }
    }

    @Test func aMatrixFormGivesOneIndicatorPerCellAndChecksItsIdentities() throws {
        let dir = try catalog(["GB-2021.json": Self.national2021])
        let index = FormIndex(try FormCatalog.form(for: 2021, in: dir))
        #expect(index[code: "v2021.apply.new.business"]?.label == "本年新收政府信息公开申请数量（商业企业）")
        #expect(index.indicators.filter { !$0.isHeading }.count == 6)
        let f = Reconciler(index: index).check(["v2021.apply.new.natural": 3, "v2021.apply.new.business": 1, "v2021.apply.new.total": 5],
                                               submitter: "某区", file: "x.csv")
        #expect(f.map(\.rule) == [.sumInconsistent])
        #expect(f.first?.expected == "5" && f.first?.actual == "4")
    }

    /// Only the form whose years cover the report year is read whole: a mistake in another
    /// year's form is reported by the runs of its own years, naming its file, and stops no other.
    @Test func aMistakeInAnotherYearsFormIsReportedForItsOwnYearsOnly() throws {
        let broken = try String(contentsOf: Self.shipped, encoding: .utf8).replacing("\"tables\"", with: "\"tables\": 7, \"unused\"")
        let dir = try catalog(["SX-2016.json": broken, "GB-2021.json": Self.national2021])
        #expect(try FormCatalog.form(for: 2025, in: dir).id == "GB-2021")
        #expect(throws: ConfigError.self) { try FormCatalog.form(for: 2016, in: dir) }
        do {
            _ = try FormCatalog.form(for: 2016, in: dir)
        } catch {
            #expect(error.file == "forms/SX-2016.json" && error.message.hasPrefix("无法读取表单定义"), "\(error)")
        }
        let unreadable = try catalog(["SX-2016.json": "{\"years\": ", "GB-2021.json": Self.national2021])
        #expect(throws: ConfigError.self, "a file that is not JSON at all stops every year: which form it is cannot be told") {
            try FormCatalog.form(for: 2025, in: unreadable)
        }
    }

    @Test func yearsThatEndBeforeTheyBeginAreAConfigurationProblemNotACrash() throws {
        let reversed = Self.national2021.replacing("\"from\": 2021, \"to\": 2099", with: "\"from\": 2099, \"to\": 2021")
        #expect(reversed != Self.national2021)
        let dir = try catalog(["GB-2021.json": reversed])
        do {
            _ = try FormCatalog.form(for: 2025, in: dir)
            Issue.record("a form whose years end before they begin was taken")
        } catch {
            #expect(error.file == "forms/GB-2021.json" && error.message.contains("2099") && error.message.contains("2021"), "\(error)")
        }
    }

    @Test func overlappingFormsAreAConfigurationProblem() throws {
        let overlapping = Self.national2021.replacing("\"from\": 2021", with: "\"from\": 2016")
        let dir = try catalog(["SX-2016.json": try String(contentsOf: Self.shipped, encoding: .utf8), "GB-2021.json": overlapping])
        #expect(throws: ConfigError.self) { try FormCatalog.form(for: 2016, in: dir) }
    }
}
