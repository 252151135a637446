import Foundation
import Testing

/// The built `disclosure` binary on a fresh workspace holding Fixtures/2016.
struct Consolidation2016Tests {
    /// Each figure of the published 2016 report: (code, label as the report writes it, value).
    static let figures: [(String, String, String)] = [
        ("v2014.proactive.total", "主动公开政府信息", "55655"),
        ("sx.proactive.by_category.work_dynamics", "工作动态类", "34813"),
        ("sx.proactive.by_category.admin_power", "行政职权类", "2231"),
        ("sx.proactive.by_category.policy_regulation", "政策法规类", "2176"),
        ("sx.proactive.by_category.decision", "决策类", "5120"),
        ("sx.proactive.by_category.org_function", "机构职能类", "2282"),
        ("sx.proactive.by_category.other", "其他类", "9033"),
        ("v2014.apply.received", "收到政府信息公开申请", "14"),
        ("v2014.apply.received.online", "网络申请", "12"),
        ("v2014.apply.received.letter", "信函申请", "2"),
        ("v2014.apply.answered.already_public", "属于已主动公开范围", "4"),
        ("v2014.apply.answered.granted", "同意公开", "8"),
        ("v2014.apply.answered.other_route", "告知通过其他途径办理", "2"),
        ("sx.consult.total", "接受公众咨询", "631"),
        ("v2014.review.total", "行政复议", "2"),
        ("v2014.review.upheld", "维持具体行政行为", "1"),
        ("v2014.review.other", "其他情形", "1"),
        ("v2014.litigation.total", "行政诉讼", "4"),
        ("v2014.litigation.upheld", "维持具体行政行为或者驳回原告诉讼请求", "3"),
        ("v2014.litigation.other", "其他情形", "1"),
        ("sx.spend.total", "工作支出", "14.51"),
    ]

    @Test func reproducesEveryFigureOfThePublishedReport() throws {
        let ws = try Harness.workspace()
        let run = try Harness.disclosure(["run", "--workspace", ws.path, "--year", "2016"])
        #expect(run.status == 0, "\(run.stderr)")
        let totals = try String(contentsOf: ws.appendingPathComponent("out/2016/totals.csv"), encoding: .utf8)
        let raw = try Data(contentsOf: ws.appendingPathComponent("out/2016/totals.csv"))
        #expect(Array(raw.prefix(3)) == [0xEF, 0xBB, 0xBF], "CSV starts with a UTF-8 BOM for Excel")
        #expect(totals.replacing("\u{FEFF}", with: "").hasPrefix("code,label,unit,value"))
        var byCode: [String: String] = [:]
        for line in totals.split(separator: "\r\n").dropFirst() {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false)
            byCode[String(cells[0])] = String(cells.last!)
        }
        let report = try String(contentsOf: ws.appendingPathComponent("out/2016/report.md"), encoding: .utf8)
        for (code, label, value) in Self.figures {
            #expect(byCode[code] == value, "\(code) in totals.csv")
            // The figure stands right after its label (a few characters such as 的/数/共 between).
            let pattern = try Regex(label + "[^0-9。；]{0,6}" + value.replacing(".", with: "\\.") + "(?![0-9.])")
            #expect(report.contains(pattern), "\(label) \(value) in report.md")
        }
        for share in ["62.55%", "4.01%", "3.91%", "9.2%", "4.1%", "16.23%"] { #expect(report.contains("占" + share)) }
        #expect(report.contains("没有任何收费"))
        #expect(report.contains("1403") && report.contains("436"))
        #expect(report.contains("二0一七年二月七日"))
        #expect(!report.contains("草稿"))
        let html = try String(contentsOf: ws.appendingPathComponent("out/2016/report.html"), encoding: .utf8)
        #expect(html.contains("<svg") && html.contains("34813") && !html.contains("<link") && !html.contains("<script src"))
    }

    @Test func aSecondRunDoesNoWorkAndChangesNoOutput() throws {
        let ws = try Harness.workspace()
        #expect(try Harness.disclosure(["run", "--workspace", ws.path, "--year", "2016"]).status == 0)
        let out = ws.appendingPathComponent("out/2016")
        func snapshot() throws -> [String: Data] {
            var s: [String: Data] = [:]
            for name in try FileManager.default.subpathsOfDirectory(atPath: out.path) {
                var dir: ObjCBool = false
                if FileManager.default.fileExists(atPath: out.appendingPathComponent(name).path, isDirectory: &dir), !dir.boolValue {
                    s[name] = try Data(contentsOf: out.appendingPathComponent(name))
                }
            }
            return s
        }
        let before = try snapshot()
        let second = try Harness.disclosure(["run", "--workspace", ws.path, "--year", "2016"])
        #expect(second.status == 0)
        #expect(second.stderr.contains("新读取 0"))
        #expect(second.stderr.contains("0 个输出文件有变化"))
        #expect(try snapshot() == before)
        #expect(before.keys.contains("findings.csv") && before.keys.contains("by_submitter.csv") && before.keys.contains("consolidated.xml"))
    }

    @Test func twoWorkspacesWithTheSameInboxWriteTheSameBytes() throws {
        var outputs: [[String: Data]] = []
        for _ in 0..<2 {
            let ws = try Harness.workspace()
            #expect(try Harness.disclosure(["run", "--workspace", ws.path, "--year", "2016"]).status == 0)
            let out = ws.appendingPathComponent("out/2016")
            var files: [String: Data] = [:]
            for name in try FileManager.default.subpathsOfDirectory(atPath: out.path) where name.contains(".") {
                files[name] = try Data(contentsOf: out.appendingPathComponent(name))
            }
            outputs.append(files)
        }
        #expect(outputs[0].count >= 15, "report.md, report.html, four exports, the platform XML, feedback")
        #expect(outputs[0] == outputs[1])
    }

    @Test func anInconsistentResubmissionMakesTheReportADraftAndExitsOne() throws {
        let ws = try Harness.workspace()
        #expect(try Harness.disclosure(["run", "--workspace", ws.path, "--year", "2016"]).status == 0)
        // 盂县 resubmits a table whose categories (572) do not add up to its total (607).
        let table = "序号,统计指标,单位,统计数\r\n（一）,主动公开政府信息数,条,607\r\n1.,工作动态类,条,300\r\n2.,行政职权类,条,60\r\n3.,政策法规类,条,50\r\n4.,决策类,条,80\r\n5.,机构职能类,条,42\r\n6.,其他类,条,40\r\n"
        let url = ws.appendingPathComponent("inbox/2016/盂县/盂县2016年更正.csv")
        try Data(table.utf8).write(to: url)
        try FileManager.default.setAttributes([.modificationDate: Date()], ofItemAtPath: url.path)
        let run = try Harness.disclosure(["run", "--workspace", ws.path, "--year", "2016", "--submitter", "盂县"])
        #expect(run.status == 1)
        #expect(run.stderr.contains("盂县"))
        let report = try String(contentsOf: ws.appendingPathComponent("out/2016/report.md"), encoding: .utf8)
        #expect(report.hasPrefix("> **草稿**"))
        let html = try String(contentsOf: ws.appendingPathComponent("out/2016/report.html"), encoding: .utf8)
        #expect(html.contains("草稿") && html.contains("R001"), "the HTML is marked a draft and lists the findings")
        let findings = try String(contentsOf: ws.appendingPathComponent("out/2016/findings.csv"), encoding: .utf8)
        #expect(findings.contains("R001") && findings.contains("572"))
    }

    @Test func badUsageExitsTwo() throws {
        let ws = try Harness.workspace()
        #expect(try Harness.disclosure(["run", "--workspace", ws.path, "--year", "2016", "--submitter", "不存在的局"]).status == 2)
        #expect(try Harness.disclosure(["run", "--workspace", ws.path]).status == 2)
        // A year with no report settings yet: a configuration problem that says what to copy.
        let noSettings = try Harness.disclosure(["run", "--workspace", ws.path, "--year", "2017"])
        #expect(noSettings.status == 2 && noSettings.stderr.contains("config/report/2017/"), "\(noSettings.stderr)")
        // A year no form covers (the 2014 table is the earliest).
        #expect(try Harness.disclosure(["run", "--workspace", ws.path, "--year", "2010"]).status == 2)
    }
}
