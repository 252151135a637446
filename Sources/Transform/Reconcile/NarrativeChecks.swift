import Core
import Foundation

/// What a reviewer checks in a body's published report besides its tables: the figures its text
/// states against the same body's tables (N001), its fifth part (N002), and what it says of fees
/// against table 2 (N003). Only what the text states plainly is compared, in every way the field
/// words it that could mean the table's figure; a sentence that agrees with any reading raises nothing.
public struct NarrativeChecks: Sendable {
    public let index: FormIndex

    public init(index: FormIndex) { self.index = index }

    /// A figure the text may state, and the table cells it means (any of the readings agrees).
    struct Claim {
        var name: String
        var table: String
        var pattern: Regex<(Substring, Substring)>
        /// Sums of cells (codes without the version prefix), each a reading that agrees.
        var readings: [[String]]
    }

    static let number = #"([0-9０-９][0-9０-９,，]*|[零〇一二两三四五六七八九十百千万]+)"#

    static func regex(_ pattern: String) -> Regex<(Substring, Substring)> {
        // Patterns are this file's constants: a broken one is a bug caught by the tests.
        try! Regex(pattern.replacingOccurrences(of: "NUM", with: number))
    }

    /// Read-only after it is built (a Regex is not Sendable, though nothing ever changes it).
    nonisolated(unsafe) static let claims: [Claim] = [
        Claim(name: "上年结转的申请", table: "表三", pattern: regex(#"上年结转[^，。；,;]{0,12}?NUM件"#), readings: [["t3.carried_in.total"]]),
        Claim(name: "结转下年度继续办理的申请", table: "表三", pattern: regex(#"结转(?:至|到)?下(?:一)?年度?[^，。；,;]{0,10}?NUM件"#),
              readings: [["t3.carry_out.total"]]),
        Claim(name: "新收的申请", table: "表三", pattern: regex(#"(?:新收|收到|受理|接收|接到)[^，。；,;结转]{0,20}?申请[^，。；,;0-9０-９结转]{0,8}?NUM件"#),
              readings: [["t3.new.total"], ["t3.new.total", "t3.carried_in.total"]]),
        Claim(name: "办结的申请", table: "表三", pattern: regex(#"办结[^，。；,;结转]{0,10}?NUM件"#),
              readings: [["t3.res.total.total"], ["t3.res.total.total", "t3.carry_out.total"]]),
        Claim(name: "行政复议", table: "表四", pattern: regex(#"行政复议[^，。；,;维持纠正其他审结结果诉讼]{0,10}?NUM[件起]"#),
              readings: [["t4.review.total"]]),
        Claim(name: "行政诉讼", table: "表四", pattern: regex(#"行政诉讼[^，。；,;维持纠正其他审结结果复议]{0,10}?NUM[件起]"#),
              readings: [["t4.lit_direct.total", "t4.lit_after_review.total"], ["t4.lit_direct.total"], ["t4.lit_after_review.total"]]),
    ]

    /// Outcomes, stated in a sentence about reviews alone or lawsuits alone (a sentence about both
    /// cannot say whose 维持 it counts).
    nonisolated(unsafe) static let outcomes: [(about: String, not: String, claim: Claim)] = [
        ("复议", "诉讼", Claim(name: "行政复议结果维持", table: "表四", pattern: regex(#"维持[^，。；,;纠正]{0,4}?NUM[件起]"#), readings: [["t4.review.upheld"]])),
        ("复议", "诉讼", Claim(name: "行政复议结果纠正", table: "表四", pattern: regex(#"纠正[^，。；,;维持]{0,4}?NUM[件起]"#), readings: [["t4.review.corrected"]])),
        ("诉讼", "复议", Claim(name: "行政诉讼结果维持", table: "表四", pattern: regex(#"维持[^，。；,;纠正]{0,4}?NUM[件起]"#),
                             readings: [["t4.lit_direct.upheld", "t4.lit_after_review.upheld"]])),
        ("诉讼", "复议", Claim(name: "行政诉讼结果纠正", table: "表四", pattern: regex(#"纠正[^，。；,;维持]{0,4}?NUM[件起]"#),
                             readings: [["t4.lit_direct.corrected", "t4.lit_after_review.corrected"]])),
    ]

    /// The findings on one report's text, given the body's figures (by code; nil where left blank).
    public func check(_ narrative: [String], values: [String: Decimal?], submitter: String, file: String) -> [Finding] {
        guard index.form.isNational, !narrative.isEmpty else { return [] }
        let prefix = index.versionPrefix
        func table(_ codes: [String]) -> Decimal? {
            var sum = Decimal(0)
            for code in codes {
                guard let value = values[prefix + "." + code] ?? nil else { return nil }
                sum += value
            }
            return sum
        }
        var out: [Finding] = []
        // Paragraphs apart; inside one, white space out (a PDF spaces the digits: "申请 17 件").
        let sentences = Self.sentences(narrative.joined(separator: "\n")).map(TextFold.compact)
        var said = Set<String>()
        for sentence in sentences {
            let claims = Self.claims + Self.outcomes.filter { sentence.contains($0.about) && !sentence.contains($0.not) }.map(\.claim)
            for claim in claims {
                for match in sentence.matches(of: claim.pattern) {
                    guard let stated = Self.value(String(match.output.1)) else { continue }
                    let readings = claim.readings.compactMap(table)
                    guard let first = readings.first, !readings.contains(Decimal(stated)) else { continue }
                    let key = claim.name + "|\(stated)"
                    guard said.insert(key).inserted else { continue }
                    out.append(Finding(.narrativeDisagrees, submitter: submitter, file: file,
                        message: "报告文字“\(Self.quoted(sentence))”中\(claim.name)为 \(stated) 件，而本单位\(claim.table)中为 \(Amount.text(first)) 件：请核对，更正报告文字或统计表后重新报送。",
                        expected: Amount.text(first), actual: "\(stated)"))
                }
            }
        }
        out += fifthPart(narrative, submitter: submitter, file: file)
        out += fees(sentences, values: values, submitter: submitter, file: file)
        return out
    }

    /// N002: a report (its text has 一、总体情况) without its fifth part, or with one shorter than a sentence.
    func fifthPart(_ narrative: [String], submitter: String, file: String) -> [Finding] {
        let compact = narrative.map(TextFold.compact)
        guard compact.contains(where: { $0.hasPrefix("一、") && $0.contains("总体情况") }) else { return [] }
        guard let start = compact.firstIndex(where: { $0.hasPrefix("五、") && ($0.contains("问题") || $0.contains("改进")) }) else {
            return [Finding(.narrativeIncomplete, submitter: submitter, file: file,
                message: "报告中没有第五部分“存在的主要问题及改进情况”：请按年度报告格式补写后重新报送。")]
        }
        var body = ""
        for line in compact[(start + 1)...] {
            if line.hasPrefix("六、") { break }
            body += line
        }
        // The heading itself may carry the text after it on one line.
        let heading = compact[start]
        if let colon = heading.firstIndex(where: { $0 == "：" || $0 == ":" }) {
            body = String(heading[heading.index(after: colon)...]) + body
        } else if let end = heading.range(of: "改进情况") ?? heading.range(of: "主要问题") {
            body = String(heading[end.upperBound...]) + body
        }
        guard body.count < 20 else { return [] }
        return [Finding(.narrativeIncomplete, submitter: submitter, file: file,
            message: "报告第五部分“存在的主要问题及改进情况”\(body.isEmpty ? "是空的" : "只有“\(body)”")，不足一句话：请写明本年度存在的问题和改进措施后重新报送。",
            actual: body)]
    }

    /// N003: fees in table 2 against what the text says of them.
    func fees(_ sentences: [String], values: [String: Decimal?], submitter: String, file: String) -> [Finding] {
        let prefix = index.versionPrefix
        guard let charged = values[prefix + ".t2.fees.amount_wan"] ?? nil else { return [] }
        var out: [Finding] = []
        for sentence in sentences {
            let c = TextFold.compact(sentence)
            // "未收取信息处理费" is about another fee: only a sentence about fees in general or 行政事业性收费 counts.
            let none = c.contains("没有收取任何费用") || c.contains("未收取任何费用") || c.contains("未收取费用") || c.contains("不收取任何费用")
                || (c.contains("行政事业性收费") && (c.contains("未收取") || c.contains("没有收取") || c.contains("为零") || c.contains("为0")))
            if none && charged > 0 {
                out.append(Finding(.narrativeFees, submitter: submitter, file: file,
                    message: "报告文字“\(Self.quoted(sentence))”说没有收费，而本单位表二“行政事业性收费”的本年收费金额为 \(Amount.text(charged)) 万元：请核对后更正。",
                    expected: Amount.text(charged), actual: "0"))
            }
            if c.contains("行政事业性收费"), let match = c.firstMatch(of: Self.regex(#"行政事业性收费[^，。；,;]{0,10}?NUM万元"#)),
               let stated = Self.decimal(String(match.output.1)), stated != charged, !none {
                out.append(Finding(.narrativeFees, submitter: submitter, file: file,
                    message: "报告文字“\(Self.quoted(sentence))”中行政事业性收费为 \(Amount.text(stated)) 万元，而本单位表二中为 \(Amount.text(charged)) 万元：请核对后更正。",
                    expected: Amount.text(charged), actual: Amount.text(stated)))
            }
        }
        return out
    }

    /// The text cut into sentences (。；！？ and their ASCII forms).
    static func sentences(_ text: String) -> [String] {
        text.split(whereSeparator: { "。；;！!？?\n".contains($0) }).map { TextFold.trimmed(String($0)) }.filter { !$0.isEmpty }
    }

    static func quoted(_ sentence: String) -> String {
        sentence.count <= 80 ? sentence : String(sentence.prefix(78)) + "……"
    }

    static func decimal(_ raw: String) -> Decimal? {
        Decimal(string: TextFold.compact(raw).replacingOccurrences(of: ",", with: ""))
    }

    /// A count as written: Arabic (with separators, full width) or Chinese numerals (一百二十三, 两千零五).
    static func value(_ raw: String) -> Int? {
        let c = TextFold.compact(raw).replacingOccurrences(of: ",", with: "")
        if let n = Int(c) { return n }
        let digits: [Character: Int] = ["零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9]
        let units: [Character: Int] = ["十": 10, "百": 100, "千": 1000]
        var total = 0, section = 0, digit = -1
        for ch in c {
            if let d = digits[ch] {
                digit = d
            } else if let u = units[ch] {
                section += (digit < 0 ? 1 : digit) * u
                digit = -1
            } else if ch == "万" {
                section += max(digit, 0)
                total += section * 10_000
                section = 0
                digit = -1
            } else {
                return nil
            }
        }
        return total + section + max(digit, 0)
    }
}
