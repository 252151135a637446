import Foundation
import TestSupport
import Testing

/// The built binary on Fixtures/2022: twelve bodies' figures in the national format (NAT-2021),
/// as CSV templates (GB18030 and UTF-8, one table a file or all three on one sheet, a 总计 column
/// left blank, a table 4 left blank) and platform XML (full label paths and leaf only).
struct NationalFormatTests {
    static let expected: [String: Int] = {
        let data = try! Data(contentsOf: Harness.repo.appendingPathComponent("Fixtures/2022-expected.json"))
        return try! JSONDecoder().decode([String: Int].self, from: data)
    }()

    static func workspace() throws -> URL {
        let ws = Scratch.directory.appendingPathComponent("nat-\(UUID().uuidString)")
        #expect(try Harness.initialize(ws) == 0)
        try FileManager.default.copyItem(at: Harness.repo.appendingPathComponent("Fixtures/2022"), to: ws.appendingPathComponent("inbox/2022"))
        return ws
    }

    /// totals.csv as code → (label, column, value).
    static func totals(_ ws: URL, year: Int = 2022) throws -> [String: (label: String, column: String, value: String)] {
        let text = try String(contentsOf: ws.appendingPathComponent("out/\(year)/totals.csv"), encoding: .utf8)
        var out: [String: (label: String, column: String, value: String)] = [:]
        for line in text.split(separator: "\r\n").dropFirst() {
            let c = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            out[c[0]] = (c[1], c[2], c[4])
        }
        return out
    }

    @Test func consolidatesEveryCellOfTables3And4AsStated() throws {
        let ws = try Self.workspace()
        // The staff's narrative may hold angle brackets: text, not markup.
        let overview = ws.appendingPathComponent("config/report/NAT-2021/overview.md")
        try (try String(contentsOf: overview, encoding: .utf8) + "见 config/report/<年度>/ 的说明。\n").data(using: .utf8)!.write(to: overview)
        let run = try Harness.disclosure(["run", "--workspace", ws.path, "--year", "2022"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("错误 0"))
        let totals = try Self.totals(ws)
        #expect(Self.expected.count == 190)
        for (code, value) in Self.expected {
            #expect(totals[code]?.value == String(value), "\(code)")
        }
        // The figures the report states, and the codes scripts read them by.
        #expect(totals["v2021.t3.new.total"]?.value == "218" && totals["v2021.t3.new.natural"]?.value == "167")
        #expect(totals["v2021.t3.res.granted.natural"]! == ("予以公开", "自然人", "65"))
        #expect(totals["v2021.t3.new.org.business"]?.column == "法人或其他组织/商业企业")
        #expect(totals["v2021.t4.review.total"]?.value == "14")
        #expect(totals["v2021.t2.normative.in_force"]?.value == "296")
        #expect(totals["v2021.t2.fees.amount_wan"]?.value == "30.05")
        let report = try String(contentsOf: ws.appendingPathComponent("out/2022/report.md"), encoding: .utf8)
        for part in ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况",
                     "五、存在的主要问题及改进情况", "六、其他需要报告的事项"] {
            #expect(report.contains("## " + part), "\(part)")
        }
        #expect(report.contains("共新收政府信息公开申请218件，其中自然人提出167件，法人或其他组织提出51件；上年结转36件"))
        #expect(report.contains("合计办结231件；结转下年度继续办理23件"))
        #expect(report.contains("| 三、本年度办理结果 （一）予以公开 | 65 | 4 | 3 | 10 | 5 | 6 | 93 |"))
        // 市市场监督管理局 left table 4 blank: eleven bodies reported it.
        #expect(report.contains("本表汇总了 11 个行政机关报送的数据"))
        #expect(report.contains("暂用表单 NAT-2021 的默认设置"), "a year without settings runs on the form's defaults, and says so")
        #expect(run.stderr.contains("NAT-2021"))
        let html = try String(contentsOf: ws.appendingPathComponent("out/2022/report.html"), encoding: .utf8)
        #expect(html.contains("<th colspan=\"5\">法人或其他组织</th>") && html.contains("rowspan=\"22\">三、本年度办理结果</td>"))
        #expect(html.contains("<th colspan=\"10\">行政诉讼</th>") && html.contains("<svg"))
        // Every part is a heading of its own: nothing in the narrative swallows what follows.
        #expect(html.components(separatedBy: "<h2>").count == 8 && !html.contains("PLACEHOLDER"), "six parts and the appendix")
        // explain names the bodies, files, lines and columns behind one cell, by label and column or by code.
        let explain = try Harness.disclosure(["explain", "--workspace", ws.path, "--year", "2022", "予以公开", "--column", "自然人"])
        #expect(explain.status == 0 && explain.stdout.hasPrefix("予以公开（自然人）（v2021.t3.res.granted.natural）全市合计：65 件"))
        #expect(explain.stdout.contains("inbox/2022/矿区/表三.csv:7 第 4 列"), "\(explain.stdout)")
        let byCode = try Harness.disclosure(["explain", "--workspace", ws.path, "--year", "2022", "v2021.t4.lit_after_review.upheld"])
        #expect(byCode.stdout.contains("（行政诉讼/复议后起诉/结果维持）"))
    }

    @Test func aResubmissionSupersedesTheFirstFileAndDiffShowsTheCellsItChanged() throws {
        let ws = try Self.workspace()
        #expect(try Harness.disclosure(["run", "--workspace", ws.path, "--year", "2022"]).status == 0)
        let findings = try RuleCatalogTests.findings(ws.appendingPathComponent("out/2022/findings.csv"))
        #expect(findings.contains { $0["rule"] == "F006" && $0["file"] == "inbox/2022/盂县/年报数据.xml" })
        // The history keeps the first version: take the correction away, then put it back.
        let corrected = ws.appendingPathComponent("inbox/2022/盂县/年报数据（更正）.xml")
        let aside = ws.appendingPathComponent("更正.xml")
        try FileManager.default.moveItem(at: corrected, to: aside)
        #expect(try Harness.disclosure(["run", "--workspace", ws.path, "--year", "2022", "--submitter", "盂县"]).status == 0)
        try FileManager.default.moveItem(at: aside, to: corrected)
        #expect(try Harness.disclosure(["run", "--workspace", ws.path, "--year", "2022", "--submitter", "盂县"]).status == 0)
        let diff = try Harness.disclosure(["diff", "--workspace", ws.path, "--year", "2022", "--submitter", "盂县"])
        #expect(diff.stdout.contains("本年新收政府信息公开申请数量（自然人）：") && diff.stdout.contains("（+1）；全市合计 166 → 167"), "\(diff.stdout)")
        #expect(diff.stdout.contains("予以公开（总计）："))
        #expect(!diff.stdout.contains("上年结转"), "cells the resubmission did not change are not listed")
    }

    @Test func the2019Table2ReadsItsOwnColumnsAndASignedDelta() throws {
        let ws = Scratch.directory.appendingPathComponent("nat19-\(UUID().uuidString)")
        #expect(try Harness.initialize(ws) == 0)
        let folder = ws.appendingPathComponent("inbox/2020/盂县")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let csv = "二、主动公开政府信息情况\r\n第二十条第（一）项,,,\r\n信息内容,本年新制作数量,本年新公开数量,对外公开总数量\r\n规章,1,1,10\r\n"
            + "规范性文件,5,5,40\r\n第二十条第（五）项,,,\r\n信息内容,上一年项目数量,本年增/减,处理决定数量\r\n行政许可,100,-3,2000\r\n"
            + "第二十条第（九）项,,,\r\n信息内容,采购项目数量,采购总金额,\r\n政府集中采购,12,345.6,\r\n"
        try csv.data(using: .init(rawValue: 0x8000_0632))!.write(to: folder.appendingPathComponent("表二.csv"))
        let run = try Harness.disclosure(["run", "--workspace", ws.path, "--year", "2020"])
        #expect(run.status == 0, "\(run.stderr)")
        let totals = try Self.totals(ws, year: 2020)
        #expect(totals["v2019.t2.licensing.delta_items"]! == ("行政许可", "本年增/减", "-3"), "a header with a slash, a signed figure")
        #expect(totals["v2019.t2.normative.total_public"]?.value == "40")
        #expect(totals["v2019.t2.procurement.projects"]?.value == "12" && totals["v2019.t2.procurement_amount.amount"]?.value == "345.6")
        // Two rows of one label with different columns: each drawn under its own header.
        let report = try String(contentsOf: ws.appendingPathComponent("out/2020/report.md"), encoding: .utf8)
        #expect(report.contains("| 第二十条第（九）项 | 采购总金额 |\n| --- | --- |\n| 政府集中采购 | 345.6 |"))
    }

    @Test func aBlankTotalColumnIsDerivedAndATableLeftBlankIsNotReported() throws {
        let ws = try Self.workspace()
        #expect(try Harness.disclosure(["run", "--workspace", ws.path, "--year", "2022"]).status == 0)
        let rows = try Harness.rows(ws.appendingPathComponent("out/2022/by_submitter.csv"))
        let pingding = rows["平定县"]!.first { $0.contains(",v2021.t3.new.total,") }!
        #expect(pingding.contains(",12,分项合计,"), "\(pingding)")
        let findings = try String(contentsOf: ws.appendingPathComponent("out/2022/findings.csv"), encoding: .utf8)
        #expect(findings.contains("平定县") && findings.contains("R008") && findings.contains("25 个合计单元格未填报"))
        // 市市场监督管理局 left table 4 wholly blank: it reported nothing there, so no 0 of its own.
        let market = rows["市市场监督管理局"]!.filter { $0.contains(",v2021.t4.") }
        #expect(market.isEmpty, "\(market)")
        let report = try String(contentsOf: ws.appendingPathComponent("out/2022/report.md"), encoding: .utf8)
        #expect(report.contains("本表汇总了 11 个行政机关报送的数据"))
    }

    @Test func anInconsistentBodyIsAnErrorNamingTheColumnAndBothFigures() throws {
        let ws = try Self.workspace()
        let file = ws.appendingPathComponent("inbox/2022/郊区/2022年报统计表.csv")
        let raw = try Data(contentsOf: file)
        let text = String(data: raw, encoding: .init(rawValue: 0x8000_0632))!
        // 一、本年新收 in the 自然人 column one more than the results and carry-over account for.
        var lines = text.components(separatedBy: "\r\n")
        let k = lines.firstIndex { $0.hasPrefix("一、本年新收政府信息公开申请数量") }!
        var cells = lines[k].components(separatedBy: ",")
        cells[3] = String(Int(cells[3])! + 1)
        cells[9] = String(Int(cells[9])! + 1)
        lines[k] = cells.joined(separator: ",")
        try lines.joined(separator: "\r\n").data(using: .init(rawValue: 0x8000_0632))!.write(to: file)
        let run = try Harness.disclosure(["run", "--workspace", ws.path, "--year", "2022"])
        #expect(run.status == 1, "\(run.stderr)")
        let findings = try RuleCatalogTests.findings(ws.appendingPathComponent("out/2022/findings.csv"))
        let natural = findings.first { $0["submitter"] == "郊区" && $0["rule"] == "R001" && $0["message"]!.contains("本年新收政府信息公开申请数量（自然人）") }
        #expect(natural != nil, "\(findings.filter { $0["submitter"] == "郊区" })")
        #expect(natural?["expected"] != natural?["actual"])
        #expect(natural?["message"]?.contains("结转下年度继续办理（自然人）") == true)
        #expect(natural?["line"] == String(k + 1))
    }

    @Test func aLeafThatIsAmbiguousWithoutItsPathIsAFindingNotAGuess() throws {
        let ws = try Self.workspace()
        let xml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <GovInfoDisclosureReport year="2022" form="NAT-2021">
          <Submitter name="阳泉市教育局"/>
          <Table no="4"><Cell row="" col="结果维持">3</Cell></Table>
        </GovInfoDisclosureReport>
        """
        try Data(xml.utf8).write(to: ws.appendingPathComponent("inbox/2022/市教育局/补报.xml"))
        #expect(try Harness.disclosure(["run", "--workspace", ws.path, "--year", "2022"]).status == 1)
        let findings = try RuleCatalogTests.findings(ws.appendingPathComponent("out/2022/findings.csv"))
        let l002 = findings.first { $0["rule"] == "L002" && $0["submitter"] == "市教育局" }
        #expect(l002?["message"]?.contains("行政诉讼/复议后起诉/结果维持") == true, "\(String(describing: l002))")
        #expect(l002?["line"] == "4")
    }

    @Test func theCitysPlatformXMLReadBackAsOneSubmitterGivesTheSameFigures() throws {
        let ws = try Self.workspace()
        #expect(try Harness.disclosure(["run", "--workspace", ws.path, "--year", "2022"]).status == 0)
        let province = Scratch.directory.appendingPathComponent("prov-\(UUID().uuidString)")
        #expect(try Harness.initialize(province) == 0)
        try FileManager.default.createDirectory(at: province.appendingPathComponent("inbox/2022/城区"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: ws.appendingPathComponent("out/2022/consolidated.xml"),
                                         to: province.appendingPathComponent("inbox/2022/城区/consolidated.xml"))
        #expect(try Harness.disclosure(["run", "--workspace", province.path, "--year", "2022"]).status == 0)
        let city = try Self.totals(ws), back = try Self.totals(province)
        #expect(city.count == back.count && city.count >= 200)
        for (code, c) in city { #expect(back[code]?.value == c.value, "\(code)") }
    }

    @Test func theSameWorkspaceStillReproducesThe2016Figures() throws {
        let ws = try Self.workspace()
        try FileManager.default.copyItem(at: Harness.repo.appendingPathComponent("Fixtures/2016"), to: ws.appendingPathComponent("inbox/2016"))
        #expect(try Harness.disclosure(["run", "--workspace", ws.path, "--year", "2022"]).status == 0)
        #expect(try Harness.disclosure(["run", "--workspace", ws.path, "--year", "2016"]).status == 0)
        let totals = try String(contentsOf: ws.appendingPathComponent("out/2016/totals.csv"), encoding: .utf8)
        #expect(totals.contains("v2014.proactive.total,主动公开政府信息数,条,55655"))
        #expect(totals.contains("sx.spend.total,政府信息公开工作支出,万元,14.51"))
        let report = try String(contentsOf: ws.appendingPathComponent("out/2016/report.md"), encoding: .utf8)
        #expect(report.contains("八个部分") && !report.contains("表单默认"))
    }

    /// Fixtures/2020 (NAT-2019), 2021 and 2022 in one workspace, each year run in turn.
    static func threeYears(_ prepare: (URL) throws -> Void = { _ in }) throws -> URL {
        let ws = try workspace()
        for year in ["2020", "2021"] {
            try FileManager.default.copyItem(at: Harness.repo.appendingPathComponent("Fixtures/\(year)"), to: ws.appendingPathComponent("inbox/\(year)"))
        }
        try prepare(ws)
        for year in ["2020", "2021", "2022"] {
            let run = try Harness.disclosure(["run", "--workspace", ws.path, "--year", year])
            #expect(run.status == 0, "\(year): \(run.stderr)")
        }
        return ws
    }

    static func carryOver(_ ws: URL, _ year: Int) throws -> [[String: String]] {
        try RuleCatalogTests.findings(ws.appendingPathComponent("out/\(year)/findings.csv"))
            .filter { $0["rule"] == "R009" && $0["message"]!.contains("上年结转") }
    }

    @Test func whatABodyCarriedInIsWhatItCarriedOutTheYearBeforeAcrossTheChangeOfForm() throws {
        let ws = try Self.threeYears { ws in
            // 城区's 2020 report (the 2019 form) carried one more case out than its 2021 report carried in.
            let file = ws.appendingPathComponent("inbox/2020/城区/2020年报数据.xml")
            var xml = try String(contentsOf: file, encoding: .utf8)
            for row in ["四、结转下年度继续办理", "一、本年新收政府信息公开申请数量"] {
                for col in ["自然人", "总计"] {
                    let cell = "<Cell row=\"\(row)\" col=\"\(col)\">"
                    let start = xml.range(of: cell)!.upperBound
                    let end = xml[start...].firstIndex(of: "<")!
                    xml.replaceSubrange(start..<end, with: String(Int(xml[start..<end])! + 1))
                }
            }
            try Data(xml.utf8).write(to: file)
        }
        // （六）其他处理 is one row in 2020 (NAT-2019) and three in 2021: the comparison sums each in its own form.
        let report2021 = try String(contentsOf: ws.appendingPathComponent("out/2021/report.md"), encoding: .utf8)
        #expect(report2021.contains("其他处理22件（上年4件，增长450%）"), "\(report2021.split(separator: "\n").filter { $0.contains("与上年相比") })")
        let y2021 = try Self.carryOver(ws, 2021)
        #expect(y2021.count == 2 && y2021.allSatisfy { $0["message"]!.hasPrefix("城区2021 年") && $0["message"]!.contains("2020 年报送") }, "\(y2021)")
        #expect(y2021.contains { $0["message"]!.contains("（自然人）") && $0["severity"] == "警告" })
        // Filed under the body whose figures they are about, so that its feedback carries them.
        #expect(y2021.allSatisfy { $0["submitter"] == "城区" }, "\(y2021.map { $0["submitter"]! })")
        let feedback = try String(contentsOf: ws.appendingPathComponent("out/2021/feedback/城区.md"), encoding: .utf8)
        #expect(feedback.contains("R009") && feedback.contains("上年结转"))
        // 市公安局's 2021 结转下年度 (自然人) is one more than its 2022 上年结转: a warning naming both figures.
        let y2022 = try Self.carryOver(ws, 2022)
        #expect(y2022.count == 2 && y2022.allSatisfy { $0["message"]!.hasPrefix("市公安局2022 年") }, "\(y2022)")
        let natural = y2022.first { $0["message"]!.contains("（自然人）") }
        #expect(natural?["actual"] != natural?["expected"] && natural?["file"] == "inbox/2022/市公安局/2022年报统计表.csv")
        // 现行有效 (t) ≈ 现行有效 (t−1) + 制发 − 废止: 市教育局 amended two documents, the others follow on.
        let inForce = try RuleCatalogTests.findings(ws.appendingPathComponent("out/2022/findings.csv"))
            .filter { $0["rule"] == "R009" && $0["message"]!.contains("现行有效") }
        #expect(inForce.count == 1 && inForce[0]["message"]!.hasPrefix("市教育局的行政规范性文件现行有效件数"), "\(inForce)")
        #expect(inForce.first.map { Int($0["expected"]!)! - Int($0["actual"]!)! } == 2)
    }

    @Test func aBodyFormedFromOthersIsComparedWithTheirSum() throws {
        let ws = try Self.threeYears { ws in
            // 市市场监督管理局 formed in 2022 from two bureaus that reported for 2021.
            let registry = ws.appendingPathComponent("config/submitters.csv")
            var text = try String(contentsOf: registry, encoding: .utf8)
            text = text.replacing("市食品药品监督管理局,市药监局;市食药监局,,department,,2018,", with: "市食品药品监督管理局,市药监局;市食药监局,,department,,2021,")
                .replacing("市工商行政管理局,市工商局,,department,,2018,", with: "市工商行政管理局,市工商局,,department,,2021,")
                .replacing("市市场监督管理局,市市场监管局;阳泉市市场监督管理局,,department,2019,", with: "市市场监督管理局,市市场监管局;阳泉市市场监督管理局,,department,2022,")
            try Data(text.utf8).write(to: registry)
            let inbox = ws.appendingPathComponent("inbox/2021")
            try FileManager.default.moveItem(at: inbox.appendingPathComponent("市市场监督管理局"), to: inbox.appendingPathComponent("市食品药品监督管理局"))
            // The other bureau carried one case out (自然人) that the new body did not carry in.
            let zero = NationalFormatTests.zeroXML(name: "阳泉市工商行政管理局", carried: 1)
            try FileManager.default.createDirectory(at: inbox.appendingPathComponent("市工商行政管理局"), withIntermediateDirectories: true)
            try Data(zero.utf8).write(to: inbox.appendingPathComponent("市工商行政管理局/2021.xml"))
        }
        let market = try Self.carryOver(ws, 2022).filter { $0["message"]!.hasPrefix("市市场监督管理局") }
        #expect(market.count == 2, "\(market)")
        #expect(market.allSatisfy { $0["message"]!.contains("其前身市食品药品监督管理局、市工商行政管理局2021 年报送") })
        let natural = market.first { $0["message"]!.contains("（自然人）") }
        #expect(natural.map { Int($0["expected"]!)! == Int($0["actual"]!)! + 1 } == true, "their sum, one more than carried in")
        let status = try Harness.disclosure(["status", "--workspace", ws.path, "--year", "2021"])
        #expect(status.stdout.contains("市食品药品监督管理局\t已报送") && !status.stdout.contains("市市场监督管理局\t"))
    }

    /// A 2021 report of table 3: `natural` new cases of 自然人, all carried out; every other cell 0.
    static func zeroXML(name: String, carried natural: Int) -> String {
        let rows = ["一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量", "三、本年度办理结果/（一）予以公开",
                    "三、本年度办理结果/（七）总计", "四、结转下年度继续办理"]
        let cols = ["自然人", "法人或其他组织/商业企业", "法人或其他组织/科研机构", "法人或其他组织/社会公益组织",
                    "法人或其他组织/法律服务机构", "法人或其他组织/其他", "总计"]
        // 一 and 四 carry `natural` in the 自然人 and 总计 columns, so that 一 + 二 = 七 + 四 still holds.
        let cells = rows.flatMap { r in cols.map { c -> String in
            let v = (r.hasPrefix("一") || r.hasPrefix("四")) && (c == "自然人" || c == "总计") ? natural : 0
            return "<Cell row=\"\(r)\" col=\"\(c)\">\(v)</Cell>"
        } }.joined(separator: "\n")
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<GovInfoDisclosureReport year=\"2021\" form=\"NAT-2021\">\n<Submitter name=\"\(name)\"/>\n<Table no=\"3\">\n\(cells)\n</Table>\n</GovInfoDisclosureReport>\n"
    }
}
