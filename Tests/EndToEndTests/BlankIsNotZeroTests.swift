import Foundation
import Testing

/// Blank cells are not reported, "—" and "0" are reported zeros: the built binary on the 2016
/// fixtures (市教育局 sends its list and a table whose category block is blank) and on the files of
/// Fixtures/blank/ put beside them.
struct BlankIsNotZeroTests {
    static let blank = Harness.repo.appendingPathComponent("Fixtures/blank")

    /// Copies a file of Fixtures/blank/ into the workspace's 2016 inbox, `later` seconds newer than now.
    @discardableResult
    static func add(_ relative: String, to ws: URL, later: Double = 60) throws -> URL {
        let target = ws.appendingPathComponent("inbox/2016").appendingPathComponent(relative)
        try FileManager.default.copyItem(at: blank.appendingPathComponent(relative), to: target)
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(later)], ofItemAtPath: target.path)
        return target
    }

    static func totals(_ ws: URL) throws -> [String: String] {
        let text = try String(contentsOf: ws.appendingPathComponent("out/2016/totals.csv"), encoding: .utf8)
        var out: [String: String] = [:]
        for line in text.split(separator: "\r\n").dropFirst() {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false)
            out[String(cells[0])] = String(cells.last!)
        }
        return out
    }

    /// (submitter, code) → (value, derived) from by_submitter.csv.
    static func bySubmitter(_ ws: URL) throws -> [String: [String: (value: String, derived: String)]] {
        var out: [String: [String: (value: String, derived: String)]] = [:]
        for (name, lines) in try Harness.rows(ws.appendingPathComponent("out/2016/by_submitter.csv")) {
            for line in lines {
                let c = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                out[name, default: [:]][c[1]] = (c[4], c[5])
            }
        }
        return out
    }

    static func findings(_ ws: URL) throws -> [String] {
        try String(contentsOf: ws.appendingPathComponent("out/2016/findings.csv"), encoding: .utf8)
            .split(separator: "\r\n").dropFirst().map(String.init)
    }

    @Test func aDepartmentsBlankCategoriesTakeItsListsCountsInEitherOrderOfArrival() throws {
        var outputs: [[String]] = []
        for listFirst in [true, false] {
            let ws = try Harness.workspace()
            let folder = ws.appendingPathComponent("inbox/2016/市教育局")
            let (older, newer) = listFirst ? ("公开目录导出.csv", "2016年统计表.csv") : ("2016年统计表.csv", "公开目录导出.csv")
            try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_484_000_000)],
                                                  ofItemAtPath: folder.appendingPathComponent(older).path)
            try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_484_100_000)],
                                                  ofItemAtPath: folder.appendingPathComponent(newer).path)
            let run = try Harness.disclosure(["run", "--workspace", ws.path, "--year", "2016"])
            #expect(run.status == 0, "\(run.stderr)")
            let findings = try Self.findings(ws).filter { $0.contains(",市教育局,") }
            #expect(!findings.contains { $0.hasPrefix("错误") }, "\(findings)")
            #expect(findings.contains { $0.contains(",R005,") && $0.contains("按公开目录统计为 55 条") })
            let mine = try Self.bySubmitter(ws)["市教育局"]!
            #expect(mine["v2014.proactive.total"]! == ("55", "目录统计"))
            #expect(mine["sx.proactive.by_category.work_dynamics"]! == ("30", "目录统计"))
            // The table's own figures stand beside the list's counts; its blanks stay blank.
            #expect(mine["v2014.proactive.channel.website"]!.value == "55")
            #expect(mine["v2014.proactive.channel.wechat"]!.value == "0", "“—” is a reported zero")
            #expect(mine["sx.consult.total"]!.value == "", "a blank cell is shown empty, not 0")
            let totals = try Self.totals(ws)
            #expect(totals["v2014.proactive.total"] == "55655")
            #expect(totals["sx.proactive.by_category.work_dynamics"] == "34813")
            let explain = try Harness.disclosure(["explain", "--workspace", ws.path, "--year", "2016", "sx.consult.total"])
            #expect(explain.stdout.contains("市教育局\t未填"), "\(explain.stdout)")
            outputs.append(try ["totals.csv", "by_submitter.csv", "findings.csv", "report.md"].map {
                try String(contentsOf: ws.appendingPathComponent("out/2016/\($0)"), encoding: .utf8)
            })
        }
        #expect(outputs[0] == outputs[1], "the order in which the table and the list arrived changes nothing")
    }

    @Test func aResubmissionThatDeclaresTheCategoriesIsCheckedAgainstTheList() throws {
        let ws = try Harness.workspace()
        #expect(try Harness.disclosure(["run", "--workspace", ws.path, "--year", "2016"]).status == 0)
        // 决策类 6 and 其他类 5 where the list has 5 and 7.
        try Self.add("市教育局/2016年统计表（更正）.csv", to: ws)
        let disagreeing = try Harness.disclosure(["run", "--workspace", ws.path, "--year", "2016", "--submitter", "市教育局"])
        #expect(disagreeing.status == 1, "\(disagreeing.stderr)")
        let r004 = try Self.findings(ws).filter { $0.contains(",R004,") }
        #expect(r004.count == 1)
        #expect(r004.first?.contains("决策类 填报 6、目录 5") == true && r004.first?.contains("其他类 填报 5、目录 7") == true)
        #expect(r004.first?.contains("工作动态类") == false, "categories that agree are not listed")
        let declared = try Self.bySubmitter(ws)["市教育局"]!
        #expect(declared["sx.proactive.by_category.decision"]! == ("6", ""), "the declaration stands, not the list")
        #expect(declared["v2014.proactive.total"]! == ("54", ""))
        let diff = try Harness.disclosure(["diff", "--workspace", ws.path, "--year", "2016", "--submitter", "市教育局"])
        #expect(diff.stdout.contains("决策类：5 → 6"), "\(diff.stdout)")
        // Corrected again, now agreeing with the list in every category.
        try Self.add("市教育局/2016年统计表（再次更正）.csv", to: ws, later: 120)
        let agreeing = try Harness.disclosure(["run", "--workspace", ws.path, "--year", "2016", "--submitter", "市教育局"])
        #expect(agreeing.status == 0, "\(agreeing.stderr)")
        #expect(try !Self.findings(ws).contains { $0.contains(",R004,") || $0.hasPrefix("错误") })
        #expect(try Self.totals(ws)["v2014.proactive.total"] == "55655")
    }

    @Test func emptyAndMissingPlatformElementsAreNotReportedAndTotalsFollowTheirParts() throws {
        let ws = try Harness.workspace()
        try Self.add("市民政局/2016年报送.xml", to: ws)
        try Self.add("市审计局/审计局报送.xml", to: ws)
        let run = try Harness.disclosure(["run", "--workspace", ws.path, "--year", "2016"])
        #expect(run.status == 0, "\(run.stderr)")
        let findings = try Self.findings(ws)
        #expect(!findings.contains { $0.hasPrefix("错误") }, "\(findings.filter { $0.hasPrefix("错误") })")
        #expect(findings.contains { $0.contains(",市民政局,") && $0.contains(",R008,") && $0.contains("“收到申请数”未填报") && $0.contains("计为 3 件") })
        #expect(findings.contains { $0.contains(",市审计局,") && $0.contains(",R008,") && $0.contains("“行政复议数量”未填报") })
        let rows = try Self.bySubmitter(ws)
        // Empty elements (民政局) and missing ones (审计局) alike: the lists' counts stand.
        #expect(rows["市民政局"]!["v2014.proactive.total"]! == ("30", "目录统计"))
        #expect(rows["市审计局"]!["v2014.proactive.total"]! == ("17", "目录统计"))
        #expect(rows["市民政局"]!["v2014.apply.received"]! == ("3", "分项合计"))
        #expect(rows["市民政局"]!["v2014.apply.answered.denied"]! == ("0", "分项合计"))
        #expect(rows["市民政局"]!["v2014.proactive.channel.gazette"]!.value == "", "an empty element is not reported")
        #expect(rows["市审计局"]!["v2014.review.total"]! == ("2", "分项合计"))
        let totals = try Self.totals(ws)
        #expect(totals["v2014.proactive.total"] == "55655")
        #expect(totals["v2014.apply.received"] == "17")
        #expect(totals["v2014.review.total"] == "4")
        #expect(!findings.contains { $0.contains(",全市,") && ($0.contains(",R001,") || $0.contains(",R002,")) })
    }

    @Test func theCitysFiguresAreTheSumOfWhatWasReported() throws {
        let ws = try Harness.workspace()
        try Self.add("市民政局/2016年报送.xml", to: ws)
        try Self.add("市审计局/审计局报送.xml", to: ws)
        #expect(try Harness.disclosure(["run", "--workspace", ws.path, "--year", "2016"]).status == 0)
        var sums: [String: Decimal] = [:]
        for (_, facts) in try Self.bySubmitter(ws) {
            for (code, fact) in facts where !fact.value.isEmpty { sums[code, default: 0] += Decimal(string: fact.value)! }
        }
        let totals = try Self.totals(ws)
        #expect(!totals.isEmpty)
        for (code, value) in totals {
            if let sum = sums[code] {
                #expect(Decimal(string: value) == sum, "\(code): totals.csv \(value), submitters \(sum)")
            } else {
                #expect(value == "", "\(code): nobody reported it, so the city's cell is empty, not 0")
            }
        }
        #expect(totals["v2014.complaints"] != nil)
    }
}
