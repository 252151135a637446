import Core
import Foundation

/// A reported figure as the cross-year and city rules see it: whose, which cell, where it came from.
public struct ReportedFigure: Sendable {
    public var submitter: String
    public var code: String
    public var value: Decimal?
    public var file: String
    public var line: Int?
    public var column: Int?

    public init(submitter: String, code: String, value: Decimal?, file: String, line: Int?, column: Int?) {
        self.submitter = submitter
        self.code = code
        self.value = value
        self.file = file
        self.line = line
        self.column = column
    }
}

/// The rules that look beyond one submission: across years (R009 carry-over and 现行有效, R007
/// a figure that moved by more than half) and across the city (R006 missing or unreadable
/// submitters). They sit with the identities (``Reconciler``); the dataset only hands them the
/// figures. Each finding is filed under the body it is about, so its feedback carries it.
public enum CrossYearRules {
    /// R009 (soft): what a body carried into this year, per applicant column, is what it said it
    /// would carry out of the last one; a body formed in a reorganisation is compared with the sum
    /// of its predecessors, and where only some of them reported last year nothing is compared.
    /// - Parameters:
    ///   - carriedIn: this year's 上年结转 cells, by submitter and column code.
    ///   - carriedOut: last year's 结转下年度 cells, by submitter and column code.
    public static func carryOver(year: Int, index: FormIndex, registry: Registry, carriedIn: [String: [String: ReportedFigure]],
                                 carriedOut: [String: [String: ReportedFigure]]) -> [String: [Finding]] {
        var out: [String: [Finding]] = [:]
        for (name, cells) in carriedIn.sorted(by: { $0.key < $1.key }) {
            var sources = [name]
            var note = ""
            if carriedOut[name] == nil, let body = registry.resolve(name), !body.predecessors.isEmpty {
                let reported = body.predecessors.filter { carriedOut[$0] != nil }
                // Only some predecessors reported last year: the scope changed, nothing to compare.
                guard reported.count == body.predecessors.count else { continue }
                sources = body.predecessors
                note = "其前身\(sources.joined(separator: "、"))"
            }
            guard sources.allSatisfy({ carriedOut[$0] != nil }) else { continue }
            for (column, fact) in cells.sorted(by: { $0.key < $1.key }) {
                guard let value = fact.value else { continue }
                let last = sources.compactMap { carriedOut[$0]?[column]?.value }
                guard last.count == sources.count else { continue }
                let sum = last.reduce(Decimal(0), +)
                guard sum != value else { continue }
                out[name, default: []].append(Finding(
                    .carryOverMismatch, submitter: name, file: fact.file, line: fact.line, column: fact.column,
                    message: "\(name)\(year) 年“上年结转政府信息公开申请数量”（\(index[code: fact.code]?.column?.label ?? column)）为 \(Amount.text(value))，但\(note.isEmpty ? "其" : note)\(year - 1) 年报送的“结转下年度继续办理”为 \(Amount.text(sum))：请与该单位核实（\(fact.code)）。",
                    expected: Amount.text(sum), actual: Amount.text(value)))
            }
        }
        return out
    }

    /// R009 (soft) on table 2: 现行有效件数 ≈ last year's + 本年制发 − 本年废止, for 规章 and
    /// 行政规范性文件; a document amended rather than repealed breaks it legitimately, hence a warning.
    /// - Parameters:
    ///   - now: this year's table 2 cells, by submitter and code without the table prefix ("regulations.in_force").
    ///   - before: last year's, the same way.
    public static func inForce(now: [String: [String: ReportedFigure]], before: [String: [String: ReportedFigure]]) -> [String: [Finding]] {
        var out: [String: [Finding]] = [:]
        for (name, cells) in now.sorted(by: { $0.key < $1.key }) {
            for (row, label) in [("regulations", "规章"), ("normative", "行政规范性文件")] {
                guard let fact = cells[row + ".in_force"], let inForce = fact.value,
                      let last = before[name]?[row + ".in_force"]?.value,
                      let issued = cells[row + ".issued"]?.value, let repealed = cells[row + ".repealed"]?.value else { continue }
                let expected = last + issued - repealed
                guard expected != inForce else { continue }
                out[name, default: []].append(Finding(
                    .carryOverMismatch, submitter: name, file: fact.file, line: fact.line, column: fact.column,
                    message: "\(name)的\(label)现行有效件数为 \(Amount.text(inForce))，而上年现行有效 \(Amount.text(last)) + 本年制发 \(Amount.text(issued)) − 本年废止 \(Amount.text(repealed)) = \(Amount.text(expected))：如有修改或清理请在报告中说明，否则请与该单位核实。",
                    expected: Amount.text(expected), actual: Amount.text(inForce)))
            }
        }
        return out
    }

    /// R007: a warning for each of one submitter's headline figures that moved by more than half
    /// against the previous year (the taxonomy's soft identity), filed under that submitter.
    public static func movements(of name: String, index: FormIndex, now: [String: ReportedFigure],
                                 before: [String: ReportedFigure]) -> [Finding] {
        var out: [Finding] = []
        for code in index.headlineCodes {
            guard let fact = now[code], let b = before[code]?.value, let m = movement(now: fact.value, before: b),
                  movedMuch(m) else { continue }
            var pct = m * 100, rounded = Decimal()
            NSDecimalRound(&rounded, &pct, 1, .plain)
            let label = index[code: code]?.label ?? code
            out.append(Finding(.yearOverYear, submitter: name, file: fact.file, line: fact.line,
                message: "\(name)的“\(label)”上年为 \(Amount.text(b))，今年为 \(Amount.text(fact.value ?? 0))（\(rounded > 0 ? "+" : "")\(Amount.text(rounded))%），变动超过一半：请与该单位核实是否填错。",
                expected: Amount.text(b), actual: Amount.text(fact.value ?? 0)))
        }
        return out
    }

    /// N004: a body's report text mostly the same as its report of the year before (more than 80 %
    /// of its character pairs shared): copied forward, its year's facts may not be in it.
    public static func copiedNarrative(now: [String: String], before: [String: String], year: Int) -> [String: [Finding]] {
        var out: [String: [Finding]] = [:]
        for (name, text) in now.sorted(by: { $0.key < $1.key }) {
            guard let last = before[name] else { continue }
            let a = TextFold.compact(text), b = TextFold.compact(last)
            guard a.count >= 100, b.count >= 100 else { continue }
            let similarity = LabelKey.similarity(a, b)
            guard similarity > 0.8 else { continue }
            let percent = Int((similarity * 100).rounded(.down))
            out[name] = [Finding(.narrativeCopied, submitter: name,
                message: "\(name)\(year) 年年度报告的文字与其 \(year - 1) 年的报告有 \(percent)% 相同，可能照搬了上年的报告：请核对其中的情况和数字是否为本年度的。",
                expected: "≤ 80%", actual: "\(percent)%")]
        }
        return out
    }

    /// How far a figure moved against the previous year, as a fraction, when both years have it.
    public static func movement(now: Decimal?, before: Decimal?) -> Decimal? {
        guard let before, before != 0, let now else { return nil }
        return (now - before) / before
    }

    public static func movedMuch(_ m: Decimal) -> Bool { abs(NSDecimalNumber(decimal: m).doubleValue) > 0.5 }

    /// R006, for the city: the registered bodies of the year with nothing in the inbox.
    public static func missing(_ expected: [Submitter], submitted: (String) -> Bool, city: String) -> Finding? {
        let missing = expected.map(\.name).filter { !submitted($0) }
        guard !missing.isEmpty else { return nil }
        return Finding(.submitterMissing, submitter: city,
            message: "\(missing.count) 个登记的报送单位收件箱中没有任何文件：\(missing.joined(separator: "、"))。请催报，或确认其不需报送。",
            expected: "\(expected.count)", actual: "\(expected.count - missing.count)")
    }

    /// R006, for a body: it sent files and none could be read, so none of its figures count.
    public static func nothingRead(_ name: String, files: [String]) -> Finding {
        let names = files.map { String($0.split(separator: "/").last ?? "") }
        return Finding(.submitterMissing, submitter: name, file: files.count == 1 ? files[0] : "",
            message: "报送了 \(files.count) 个文件（\(names.prefix(3).joined(separator: "、"))\(files.count > 3 ? " 等" : "")），但没有一个能读取，本单位的数据未计入全市汇总：请按各文件的问题说明重新报送。",
            expected: "可读取的文件", actual: "\(files.count)")
    }
}

extension FormIndex {
    /// The figures each submitter is compared on, year over year (the appendix table's columns).
    public var headlineCodes: [String] {
        if form.isNational {
            return ["t3.new.total", "t3.res.granted.total", "t3.res.total.total", "t4.review.total", "t4.lit_direct.total", "t2.licensing.decisions"]
                .map { "\(versionPrefix)." + $0 }.filter { self[code: $0] != nil }
        }
        return ([form.categories?.total] + ["v2014.apply.received", "sx.consult.total", "v2014.review.total", "v2014.litigation.total", "sx.spend.total"])
            .compactMap { $0 }.filter { self[code: $0] != nil }
    }

    /// The version prefix of the form's codes: "v2021", "v2019", "v2014".
    public var versionPrefix: String { indicators.first.map { String($0.code.prefix { $0 != "." }) } ?? "" }

    /// A national-format code without its version prefix ("v2021.t3.new.total" → "t3.new.total"), or
    /// nil for a code of the 2014 table or a Shanxi row (compared as they are).
    public static func versionless(_ code: String) -> String? {
        guard code.hasPrefix("v20"), let dot = code.firstIndex(of: "."), code.distance(from: code.startIndex, to: dot) == 5,
              !code.hasPrefix("v2014.") else { return nil }
        return String(code[code.index(after: dot)...])
    }
}
