import Foundation
import TestSupport
import Testing

/// Every finding code, each raised by the kind of file that raises it in real life, read back
/// from findings.csv as the clerk sees it: code, severity, submitter, file, line, message.
@Suite(.serialized)
struct RuleCatalogTests {
    struct Expectation {
        var code: String
        var severity: String
        var submitter: String
        var file: String?
        var line: String?
        var says: [String]
    }

    static let cases = ["F002", "F003", "F006", "F007", "F008", "F009", "F010", "F012", "C005", "X004", "E001", "C001", "C002", "C004", "I001", "I",
                        "X001", "X002", "X003", "L001", "L002", "L003", "V", "R001", "R002", "R003", "R004", "R005", "R006", "R007", "R008"]

    static func table(_ rows: [(String, String, String)], declared: String? = nil) -> [UInt8] {
        var text = "2016年政府信息公开工作情况统计表\r\n"
        if let declared { text += "填报单位：\(declared)\r\n" }
        text += "统计指标,单位,统计数\r\n" + rows.map { "\($0.0),\($0.1),\($0.2)\r\n" }.joined()
        return Array(text.utf8)
    }

    static let header = "索引号,信息名称,生成日期,信息类别\r\n"

    /// Writes the case files; returns what findings.csv must then hold.
    static func prepare(_ ws: URL) throws -> [Expectation] {
        let registry = "name,aliases,code,level\n" + cases.map { "案例\($0),,,county" }.joined(separator: "\n") + "\n"
        try Data(registry.utf8).write(to: ws.appendingPathComponent("config/submitters.csv"))
        func put(_ folder: String, _ name: String, _ bytes: [UInt8], age: Double = 0) throws {
            let dir = ws.appendingPathComponent("inbox/2016/\(folder)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            let url = dir.appendingPathComponent(name)
            try Data(bytes).write(to: url)
            try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_484_000_000 + age)], ofItemAtPath: url.path)
        }
        let categories = [("主动公开政府信息数", "条", "607"), ("工作动态类", "条", "300"), ("行政职权类", "条", "60"), ("政策法规类", "条", "50"),
                          ("决策类", "条", "80"), ("机构职能类", "条", "42"), ("其他类", "条", "40")]
        try put("案例F002", "统计表.csv", [])
        try put("案例F008/.备份", "统计表.csv", table([("收到申请数", "件", "1")]))
        // A folder named in GBK, as a Windows archive unpacked on Linux leaves it.
        let gbk: [UInt8] = Array("inbox/2016/".utf8) + [0xB0, 0xB8, 0xC0, 0xFD] + Array("F009".utf8)
        let folder = Array(ws.path.utf8) + [0x2F] + gbk
        #expect((folder + [0]).withUnsafeBufferPointer { $0.withMemoryRebound(to: CChar.self) { mkdir($0.baseAddress!, 0o755) } } == 0)
        let file = folder + Array("/统计表.csv".utf8) + [0]
        let fd = file.withUnsafeBufferPointer { $0.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_WRONLY | O_CREAT, 0o644) } }
        let bytes = table([("收到申请数", "件", "1"), ("当面申请数", "件", "1")])
        #expect(bytes.withUnsafeBytes { write(fd, $0.baseAddress!, $0.count) } == bytes.count)
        close(fd)
        // The workspace's limit is 1 MB here (set in the test below).
        try put("案例F010", "统计表.csv", table([("收到申请数", "件", "1")]) + Array(repeating: 0x20, count: 1_600_000))
        try put("案例C005", "统计表.csv", Array((Array(repeating: "0", count: 2000).joined(separator: ",") + "\r\n").utf8))
        try put("案例X004", "报送.xml", Array(("<?xml version=\"1.0\"?>\n<GovInfoDisclosureReport "
            + (0..<300).map { "a\($0)=\"1\"" }.joined(separator: " ") + "/>\n").utf8))
        // An Excel 97–2003 workbook renamed .csv (the compound-file signature, then its streams).
        try put("案例F003", "统计表.csv", [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + Array(repeating: 0, count: 504))
        try put("案例F012", "外部链接.xlsx", Array(try Data(contentsOf: Harness.repo.appendingPathComponent("Fixtures/hostile/外部链接.xlsx"))))
        try put("不认识的单位", "统计表.csv", table([("收到申请数", "件", "1")]))
        try put("案例F006", "第一次.csv", table([("收到申请数", "件", "1")]), age: 0)
        try put("案例F006", "更正.csv", table([("收到申请数", "件", "2")]), age: 3600)
        try put("案例F007", "统计表.csv", table([("收到申请数", "件", "1")], declared: "案例R001"))
        try put("案例E001", "统计表.csv", Array("统计指标,单位,统计数\r\n收到申请数,件,".utf8) + [0xFF, 0xFE, 0x80, 0x0D, 0x0A])
        try put("案例C001", "目录.csv", Array((header + "A-1,通知,2016-03-05,工作动态\r\nA-2,\"未闭合的标题,2016-03-06,工作动态\r\nA-3,通知,2016-03-07,工作动态\r\n").utf8))
        try put("案例C002", "名单.csv", Array("甲,乙\r\n丙,丁\r\n".utf8))
        try put("案例C004", "统计表.csv", table([("合计", "件", "5"), ("收到申请数", "件", "5")]))
        try put("案例I001", "目录.csv", Array("信息名称,发布日期,发布机构\r\n通知,2016-03-05,办公室\r\n".utf8))
        try put("案例I", "目录.csv", Array((header
            + "I-1,通知,2016-13-45,工作动态\r\n"      // line 2: no such date
            + "I-2,通知,2015-12-31,工作动态\r\n"      // line 3: last year
            + "I-3,通知,2016-03-05,工作动态\r\n"
            + "I-3,通知,2016-03-05,工作动态\r\n"      // line 5: repeated 索引号
            + "I-4,通知,2016-03-06,神秘栏目\r\n"      // line 6: not in the category map
            + "I-5,通知,2016-03-07,\r\n").utf8))      // line 7: no category
        try put("案例X001", "报送.xml", Array("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<GovInfoDisclosureReport year=\"2016\">\n<Indicators>\n<Indicator name=\"收到申请数\" unit=\"件\">3</Indi".utf8))
        try put("案例X002", "报送.xml", Array("<?xml version=\"1.0\"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<GovInfoDisclosureReport>&x;</GovInfoDisclosureReport>\n".utf8))
        try put("案例X003", "导出.xml", Array("<?xml version=\"1.0\"?>\n<dataset><row/></dataset>\n".utf8))
        try put("案例L001", "统计表.csv", table([("火星指标数", "件", "3")]))
        try put("案例L002", "统计表.csv", table([("被依法纠错数", "件", "1")]))
        try put("案例L003", "统计表.csv", table([("收到申请数", "件", "3"), ("收到申请数", "件", "4")]))
        try put("案例V", "统计表.csv", table([("收到申请数", "件", "abc"), ("当面申请数", "件", "12.5"), ("网络申请数", "件", "-3"),
                                             ("政府信息公开工作支出", "万元", "145100元"), ("接受公众咨询数", "人次", "１，２３４")]))
        try put("案例R001", "统计表.csv", table(categories))
        try put("案例R002", "统计表.csv", table([("申请答复数", "件", "9"), ("属于已主动公开范围数", "件", "4"), ("同意公开答复数", "件", "")]))
        try put("案例R008", "统计表.csv", table([("行政复议数量", "件", ""), ("维持具体行政行为数", "件", "1"), ("被依法纠错数", "件", "—"), ("其他情形数", "件", "2")]))
        try put("案例R003", "统计表.csv", table([("主动公开政府信息数", "条", "10"), ("其中：主动公开规范性文件数", "条", "20")]))
        try put("案例R004", "统计表.csv", table([("主动公开政府信息数", "条", "3"), ("工作动态类", "条", "2"), ("行政职权类", "条", "1"),
                                              ("政策法规类", "条", "0"), ("决策类", "条", "0"), ("机构职能类", "条", "0"), ("其他类", "条", "0")]))
        try put("案例R004", "目录.csv", Array((header + "R-1,通知,2016-03-05,工作动态\r\nR-2,许可,2016-03-06,行政许可\r\nR-3,许可,2016-03-07,行政许可\r\n").utf8))
        try put("案例R007", "统计表.csv", table([("收到申请数", "件", "5"), ("网络申请数", "件", "5")]))
        let lastYear = ws.appendingPathComponent("inbox/2015/案例R007")
        try FileManager.default.createDirectory(at: lastYear, withIntermediateDirectories: true)
        try Data(table([("收到申请数", "件", "2"), ("网络申请数", "件", "2")])).write(to: lastYear.appendingPathComponent("统计表.csv"))
        try put("案例R005", "目录.csv", Array((header + "D-1,通知,2016-03-05,政务公开>工作动态\r\nD-2,规划,2016/3/6,计划规划\r\n").utf8))

        let f = "inbox/2016/"
        return [
            Expectation(code: "F002", severity: "错误", submitter: "案例F002", file: f + "案例F002/统计表.csv", says: ["文件为空"]),
            Expectation(code: "F008", severity: "警告", submitter: "案例F008", file: f + "案例F008/.备份", says: ["隐藏文件夹", "未读取"]),
            Expectation(code: "F009", severity: "提示", submitter: "案例F009", file: f + "案例F009/统计表.csv", says: ["不是 UTF-8", "GB18030", "案例F009"]),
            Expectation(code: "F010", severity: "错误", submitter: "案例F010", file: f + "案例F010/统计表.csv", says: ["超过单个文件 1 MB", "maxFileMB"]),
            Expectation(code: "C005", severity: "错误", submitter: "案例C005", file: f + "案例C005/统计表.csv", line: "1", says: ["2000 列"]),
            Expectation(code: "X004", severity: "错误", submitter: "案例X004", file: f + "案例X004/报送.xml", line: "2", says: ["第 2 行", "属性"]),
            Expectation(code: "F003", severity: "错误", submitter: "案例F003", file: f + "案例F003/统计表.csv", line: "1", says: ["Excel 97–2003", "另存为"]),
            Expectation(code: "F012", severity: "提示", submitter: "案例F012", file: f + "案例F012/外部链接.xlsx", says: ["外部的链接", "未打开"]),
            Expectation(code: "F004", severity: "错误", submitter: "不认识的单位", file: f + "不认识的单位/统计表.csv", says: ["不是登记的报送单位"]),
            Expectation(code: "F006", severity: "提示", submitter: "案例F006", file: f + "案例F006/第一次.csv", says: ["已被同一单位较新的文件", "更正.csv"]),
            Expectation(code: "F007", severity: "警告", submitter: "案例F007", file: f + "案例F007/统计表.csv", says: ["填报单位是“案例R001”", "文件夹"]),
            Expectation(code: "E001", severity: "错误", submitter: "案例E001", file: f + "案例E001/统计表.csv", line: "2", says: ["UTF-8", "GB18030", "FF FE 80"]),
            Expectation(code: "C001", severity: "错误", submitter: "案例C001", file: f + "案例C001/目录.csv", line: "3", says: ["引号没有闭合"]),
            Expectation(code: "C002", severity: "错误", submitter: "案例C002", file: f + "案例C002/名单.csv", says: ["找不到表头或数值列"]),
            Expectation(code: "C004", severity: "警告", submitter: "案例C004", file: f + "案例C004/统计表.csv", line: "3", says: ["合计", "跳过"]),
            Expectation(code: "I001", severity: "错误", submitter: "案例I001", file: f + "案例I001/目录.csv", line: "1", says: ["缺少必需的列", "类别"]),
            Expectation(code: "I002", severity: "警告", submitter: "案例I", file: f + "案例I/目录.csv", line: "2", says: ["日期无法识别", "2016-13-45"]),
            Expectation(code: "I003", severity: "警告", submitter: "案例I", file: f + "案例I/目录.csv", line: "3", says: ["不在 2016 年"]),
            Expectation(code: "I004", severity: "警告", submitter: "案例I", file: f + "案例I/目录.csv", line: "5", says: ["重复"]),
            Expectation(code: "I005", severity: "错误", submitter: "案例I", file: f + "案例I/目录.csv", line: "6", says: ["神秘栏目", "category-map.csv"]),
            Expectation(code: "I006", severity: "警告", submitter: "案例I", file: f + "案例I/目录.csv", line: "7", says: ["没有填写信息类别"]),
            Expectation(code: "X001", severity: "错误", submitter: "案例X001", file: f + "案例X001/报送.xml", line: "4", says: ["第 4 行", "开始标签和结束标签不一致", "重新导出"]),
            Expectation(code: "X002", severity: "错误", submitter: "案例X002", file: f + "案例X002/报送.xml", line: "2", says: ["实体“x”", "安全"]),
            Expectation(code: "X003", severity: "错误", submitter: "案例X003", file: f + "案例X003/导出.xml", says: ["dataset"]),
            Expectation(code: "L001", severity: "错误", submitter: "案例L001", file: f + "案例L001/统计表.csv", line: "3", says: ["火星指标数", "aliases.csv"]),
            Expectation(code: "L002", severity: "错误", submitter: "案例L002", file: f + "案例L002/统计表.csv", line: "3", says: ["行政复议", "行政诉讼"]),
            Expectation(code: "L003", severity: "警告", submitter: "案例L003", file: f + "案例L003/统计表.csv", line: "4", says: ["已填报过"]),
            Expectation(code: "V001", severity: "错误", submitter: "案例V", file: f + "案例V/统计表.csv", line: "3", says: ["无法识别"]),
            Expectation(code: "V002", severity: "错误", submitter: "案例V", file: f + "案例V/统计表.csv", line: "4", says: ["12.5", "整数"]),
            Expectation(code: "V003", severity: "错误", submitter: "案例V", file: f + "案例V/统计表.csv", line: "5", says: ["负数"]),
            Expectation(code: "V004", severity: "提示", submitter: "案例V", file: f + "案例V/统计表.csv", line: "6", says: ["14.51"]),
            Expectation(code: "V005", severity: "提示", submitter: "案例V", file: f + "案例V/统计表.csv", line: "7", says: ["1234"]),
            Expectation(code: "R001", severity: "错误", submitter: "案例R001", file: f + "案例R001/统计表.csv", says: ["607", "572"]),
            Expectation(code: "R002", severity: "警告", submitter: "案例R002", file: f + "案例R002/统计表.csv", says: ["同意公开", "未填"]),
            Expectation(code: "R003", severity: "警告", submitter: "案例R003", file: f + "案例R003/统计表.csv", says: ["不应大于总数"]),
            Expectation(code: "R004", severity: "错误", submitter: "案例R004", file: f + "案例R004/目录.csv", says: ["行政职权类 填报 1、目录 2"]),
            Expectation(code: "R005", severity: "提示", submitter: "案例R005", file: f + "案例R005/目录.csv", says: ["按公开目录统计为 2 条"]),
            Expectation(code: "R006", severity: "警告", submitter: "全市", says: ["案例R006"]),
            Expectation(code: "R008", severity: "提示", submitter: "案例R008", file: f + "案例R008/统计表.csv", line: "3", says: ["行政复议数量", "计为 3 件"]),
            Expectation(code: "R007", severity: "警告", submitter: "案例R007", file: f + "案例R007/统计表.csv", line: "3", says: ["案例R007", "收到申请数", "上年为 2", "今年为 5", "+150%"]),
        ]
    }

    @Test func everyFindingCodeReachesTheClerkWithItsLocationAndWhatToDo() throws {
        let ws = Scratch.directory.appendingPathComponent("rules-\(UUID().uuidString)")
        #expect(try Harness.initialize(ws) == 0)
        let settings = ws.appendingPathComponent("config/workspace.json")
        try Data(#"{"city":"阳泉市","inbox":{"maxFileMB":1,"settleSeconds":0}}"#.utf8).write(to: settings)
        let expectations = try Self.prepare(ws)
        let inboxBefore = try Self.snapshot(ws.appendingPathComponent("inbox"))
        for stage in ["extract", "transform", "load"] {
            #expect(try Harness.disclosure([stage, "--workspace", ws.path, "--year", "2015"]).status <= 1)
        }
        let run = try Harness.disclosure(["run", "--workspace", ws.path, "--year", "2016"])
        #expect(run.status == 1, "errors make the exit status 1: \(run.stderr)")
        #expect(try Self.snapshot(ws.appendingPathComponent("inbox")) == inboxBefore, "the inbox is never touched")
        let findings = try Self.findings(ws.appendingPathComponent("out/2016/findings.csv"))
        for e in expectations {
            let match = findings.first { f in
                f["rule"] == e.code && f["submitter"] == e.submitter && (e.file == nil || f["file"] == e.file)
                    && (e.line == nil || f["line"] == e.line) && e.says.allSatisfy { f["message"]!.contains($0) }
            }
            #expect(match != nil, "\(e.code) for \(e.submitter) at \(e.file ?? "—"):\(e.line ?? "—"); found \(findings.filter { $0["rule"] == e.code || $0["submitter"] == e.submitter }.map { "\($0["rule"]!)@\($0["line"]!): \($0["message"]!)" })")
            #expect(match?["severity"] == e.severity, "\(e.code) is a \(e.severity)")
        }
        let codes = Set(expectations.map(\.code))
        let catalog = try String(contentsOf: Harness.repo.appendingPathComponent("Sources/Core/Rule.swift"), encoding: .utf8)
        let declared = Set(catalog.matches(of: /= "([A-Z][0-9]{3})"/).map { String($0.output.1) })
        // F001 (a file gone between the scan and the read) is ExtractorTests' to raise; R009 (the
        // national format's cross-year carry-over) NationalFormatTests'; F011 (a file still being
        // copied in) HostileInboxTests'; L004 and L005 (a national row read by its structure, the
        // 2019 （六） row in a 2021 table) NationalVariantsTests'; N001–N003 (a report's text against
        // its tables) NarrativeTests'.
        #expect(declared == codes.union(["F001", "R009", "F011", "L004", "L005", "N001", "N002", "N003", "N004"]), "every declared code has a case here, and only declared codes")
        // The same finding, ready to send back, in the submitter's feedback file.
        let feedback = try String(contentsOf: ws.appendingPathComponent("out/2016/feedback/案例R001.md"), encoding: .utf8)
        #expect(feedback.contains("R001") && feedback.contains("607"))
        // A year-over-year warning about one body's figures is that body's: its feedback carries it.
        let moved = try String(contentsOf: ws.appendingPathComponent("out/2016/feedback/案例R007.md"), encoding: .utf8)
        #expect(moved.contains("R007") && moved.contains("+150%"))
    }

    static func snapshot(_ dir: URL) throws -> [String: Data] {
        var out: [String: Data] = [:]
        for path in try FileManager.default.subpathsOfDirectory(atPath: dir.path) {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: dir.appendingPathComponent(path).path, isDirectory: &isDir), !isDir.boolValue {
                out[path] = try Data(contentsOf: dir.appendingPathComponent(path))
            }
        }
        return out
    }

    /// findings.csv parsed as RFC 4180 (messages hold commas and quotes).
    static func findings(_ url: URL) throws -> [[String: String]] {
        let text = try String(contentsOf: url, encoding: .utf8).replacing("\u{FEFF}", with: "")
        var rows: [[String]] = [], row: [String] = [], field = "", quoted = false
        var it = Array(text).makeIterator()
        var pending: Character? = nil
        while let c = pending ?? it.next() {
            pending = nil
            if quoted {
                if c == "\"" {
                    if let n = it.next() { if n == "\"" { field.append("\"") } else { quoted = false; pending = n } } else { quoted = false }
                } else { field.append(c) }
            } else if c == "\"" { quoted = true }
            else if c == "," { row.append(field); field = "" }
            else if c == "\r\n" || c == "\n" { row.append(field); rows.append(row); row = []; field = "" }
            else { field.append(c) }
        }
        let header = rows.removeFirst()
        return rows.map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
    }
}
