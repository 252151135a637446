import Foundation
import Testing
@testable import Core
@testable import Extract
@testable import Transform

/// The shipped SX-2016 form, read from the default configuration as `disclosure init` writes it.
let form: Form = {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/Pipeline/Defaults/config/forms/SX-2016.json")
    return try! FormCatalog.form(for: 2016, in: [ConfigDocument(name: "forms/SX-2016.json", bytes: Array(try! Data(contentsOf: url)))])
}()
let index = FormIndex(form)

struct LabelKeyTests {
    @Test(arguments: [
        ("（一）主动公开政府信息数（不同渠道和方式公开相同信息计1条）", "主动公开政府信息数"),
        ("一、 主动公开政府信息数（条）", "主动公开政府信息数"),
        ("其中：主动公开规范性文件数", "主动公开规范性文件数"),
        ("3．网络申请数", "网络申请数"),
        ("⑴网络\n申请数", "网络申请数"),
        ("十一、接受公众咨询数：", "接受公众咨询数"),
        ("(二)被依法纠错数", "被依法纠错数"),
    ])
    func stripsNumberingNotesUnitsAndSpaces(_ raw: String, _ key: String) {
        #expect(LabelKey.make(raw) == key)
    }
}

struct ResolverTests {
    func resolve(_ values: [StagedValue]) -> [String] {
        var r = LabelResolver(index: index, aliases: AliasTable(), submitter: "盂县")
        return values.map { v in
            switch r.resolve(v) {
            case .resolved(let ind, _): ind.code
            case .ambiguous: "ambiguous"
            case .unknown: "unknown"
            case .total: "total"
            }
        }
    }

    @Test func settlesAnAmbiguousLabelByTheRowsBeforeIt() {
        let codes = resolve([
            StagedValue(label: "四、行政复议数量", value: "2", line: 1),
            StagedValue(label: "（二）被依法纠错数", value: "0", line: 2),
            StagedValue(label: "五、行政诉讼数量", value: "1", line: 3),
            StagedValue(label: "（二）被依法纠错数", value: "0", line: 4),
        ])
        #expect(codes == ["v2014.review.total", "v2014.review.corrected", "v2014.litigation.total", "v2014.litigation.corrected"])
    }

    @Test func settlesAnAmbiguousLabelByThePlatformSeq() {
        #expect(resolve([StagedValue(label: "其他情形数", seq: "11.3", value: "1", line: 1)]) == ["v2014.litigation.other"])
    }

    @Test func readsARowWithNoNameByItsPlatformSeqButNeverOverridesAName() {
        #expect(resolve([StagedValue(label: "", seq: "7.3", value: "5", line: 1)]) == ["v2014.apply.received.online"])
        #expect(resolve([StagedValue(label: "火星指标数", seq: "7.3", value: "5", line: 1)]) == ["unknown"])
    }

    @Test func refusesToGuessAnAmbiguousLabelWithNoContext() {
        #expect(resolve([StagedValue(label: "其他情形数", value: "1", line: 1)]) == ["ambiguous"])
    }

    @Test func reportsAnUnknownLabelWithSuggestions() {
        var r = LabelResolver(index: index, aliases: AliasTable(), submitter: "盂县")
        guard case .unknown(let suggestions) = r.resolve(StagedValue(label: "网络申请件数", value: "1", line: 1)) else {
            Issue.record("expected unknown")
            return
        }
        #expect(suggestions.first?.code == "v2014.apply.received.online")
    }

    @Test func appliesAReviewedAlias() throws {
        let aliases = try AliasTable(csv: Array("alias,code,submitter,note\n网上申请件数,v2014.apply.received.online,,\n".utf8))
        var r = LabelResolver(index: index, aliases: aliases, submitter: "盂县")
        guard case .resolved(let ind, .alias) = r.resolve(StagedValue(label: "网上申请件数", value: "1", line: 1)) else {
            Issue.record("expected an alias hit")
            return
        }
        #expect(ind.code == "v2014.apply.received.online")
    }
}

struct ValueParserTests {
    let money = index[code: "sx.spend.total"]!
    let count = index[code: "v2014.apply.received"]!

    @Test func convertsYuanToWanYuanExactly() {
        #expect(ValueParser.parse("145100元", unitColumn: nil, indicator: money) == .number(Decimal(string: "14.51")!, repairs: ["“145100元”按 元 换算为 万元"]))
        // The form's own unit written into the cell is read, and said so: no silent repair.
        #expect(ValueParser.parse("14.51万元", unitColumn: nil, indicator: money) == .number(Decimal(string: "14.51")!, repairs: ["去掉了数值中的单位“万元”"]))
        #expect(ValueParser.parse("14.51", unitColumn: nil, indicator: money) == .number(Decimal(string: "14.51")!, repairs: []))
    }

    @Test func scalesAPlainCountInAYuanUnitColumnToWanYuan() {
        #expect(ValueParser.parse("145100", unitColumn: "元", indicator: money) == .number(Decimal(string: "14.51")!, repairs: ["单位列为“元”，已换算为 万元"]))
        #expect(ValueParser.parse("145100", unitColumn: "元", indicator: count) == .number(145100, repairs: []))
    }

    @Test(arguments: [("7", 7), ("007", 7), ("999999999999999999", 999_999_999_999_999_999)])
    func readsAPlainCount(_ raw: String, _ value: Int) {
        #expect(ValueParser.parse(raw, unitColumn: nil, indicator: count) == .number(Decimal(value), repairs: []))
    }

    @Test(arguments: ["1234567890123456789", "12a", "+5", "1 2", "12.5"])
    func readsWhatIsNotAPlainCountThroughTheFullParser(_ raw: String) {
        #expect(ValueParser.plainCount(raw) == nil)
    }

    @Test func foldsFullWidthDigitsAndThousandsSeparators() {
        guard case .number(let n, _) = ValueParser.parse("１,２３４", unitColumn: nil, indicator: count) else { Issue.record(); return }
        #expect(n == 1234)
    }

    @Test(arguments: ["", " ", "　", "\n"])
    func readsAnEmptyCellAsNotReported(_ raw: String) {
        #expect(ValueParser.parse(raw, unitColumn: nil, indicator: count) == .notReported)
    }

    @Test(arguments: ["0", "—", "-", "/", "无", "－", "——", " 无 "])
    func readsTheMarksOfNoneAsAReportedZero(_ raw: String) {
        #expect(ValueParser.parse(raw, unitColumn: nil, indicator: count) == .number(0, repairs: []))
    }

    @Test func rejectsWords() {
        guard case .invalid = ValueParser.parse("十二", unitColumn: nil, indicator: count) else { Issue.record(); return }
    }
}

struct ReconcilerTests {
    let reconciler = Reconciler(index: index)
    let cats = form.categories!.parts

    @Test func categoriesShortOfTheTotalAreInconsistent() {
        // 572 across all six categories against a declared 607.
        var values: [String: Decimal?] = ["v2014.proactive.total": 607]
        for (code, v) in zip(cats, [300, 60, 50, 80, 42, 40]) { values[code] = Decimal(v) }
        let f = reconciler.check(values, submitter: "盂县")
        #expect(f.map(\.rule) == [.sumInconsistent])
        #expect(f[0].severity == .error && f[0].expected == "607" && f[0].actual == "572")
    }

    @Test func channelsAddingUpToMoreThanTheTotalAreLegitimate() {
        var values: [String: Decimal?] = ["v2014.proactive.total": 2483, "v2014.proactive.channel.gazette": 0,
            "v2014.proactive.channel.website": 2348, "v2014.proactive.channel.weibo": 319, "v2014.proactive.channel.wechat": 851,
            "v2014.proactive.channel.other": 0]
        for (code, v) in zip(cats, [1483, 200, 200, 200, 200, 200]) { values[code] = Decimal(v) }
        #expect(reconciler.check(values, submitter: "盂县").isEmpty)
    }

    @Test func aTotalWhoseBreakdownIsMissingAltogetherIsIncomplete() {
        // No category row at all (an element missing is a blank, as an empty one is).
        let f = reconciler.check(["v2014.proactive.total": 2483], submitter: "盂县")
        #expect(f.map(\.rule) == [.sumIncomplete])
    }

    @Test func theCitysSumsOverSubmittersWhoLeftPartsBlankAreIncompleteNotInconsistent() {
        // Two submitters reported 收到申请数 (9 in all), one of them left its channels blank.
        let values: [String: Decimal?] = ["v2014.apply.received": 9, "v2014.apply.received.in_person": 1,
            "v2014.apply.received.fax": 0, "v2014.apply.received.online": 2, "v2014.apply.received.letter": 0]
        let coverage = ["v2014.apply.received": 2, "v2014.apply.received.in_person": 1, "v2014.apply.received.fax": 1,
                        "v2014.apply.received.online": 1, "v2014.apply.received.letter": 1]
        let f = reconciler.check(values, submitter: "全市", coverage: coverage)
        #expect(f.map(\.rule) == [.sumIncomplete])
        #expect(f[0].severity == .warning)
        // Every submitter filled every part: the city's sum is checked as hard as a submitter's.
        let full = coverage.mapValues { _ in 2 }
        #expect(reconciler.check(values, submitter: "全市", coverage: full).map(\.rule) == [.sumInconsistent])
    }

    @Test func aBlankPartialGrantIsIncompleteNotInconsistent() {
        let values: [String: Decimal?] = ["v2014.apply.answered": 10, "v2014.apply.answered.already_public": 2,
            "v2014.apply.answered.granted": 5, "v2014.apply.answered.partial": nil, "v2014.apply.answered.denied": 0,
            "v2014.apply.answered.not_this_agency": 0, "v2014.apply.answered.not_exist": 0,
            "v2014.apply.answered.amend_notice": 0, "v2014.apply.answered.other_route": 0]
        let f = reconciler.check(values, submitter: "盂县")
        #expect(f.map(\.rule) == [.sumIncomplete])
        #expect(f[0].severity == .warning && f[0].message.contains("同意部分公开答复数"))
    }
}

/// One submitter's staged files through the transformer: what blank cells become.
struct BlankCellTests {
    let transformer = SubmitterTransformer(index: index, aliases: AliasTable(), categories: try! CategoryMap(
        csv: Array("label,category\n工作动态,工作动态类\n办事指南,行政职权类\n".utf8), categories: form.categories!.parts.map { index[code: $0]!.label }))

    func table(_ rows: [(String, String)]) -> StagedFile {
        var file = StagedFile(submitter: "市教育局", file: "inbox/2016/市教育局/统计表.csv", sha256: "t", size: 1)
        file.family = .table
        file.values = rows.enumerated().map { StagedValue(label: $0.element.0, value: $0.element.1, line: $0.offset + 5, column: 4) }
        return file
    }

    func list(_ labels: [(String, Int)]) -> StagedFile {
        var file = StagedFile(submitter: "市教育局", file: "inbox/2016/市教育局/目录.csv", sha256: "l", size: 1)
        file.family = .itemList
        file.items = ItemTally(labels: labels.enumerated().map { .init(label: $0.element.0, count: $0.element.1, firstLine: $0.offset + 2) },
                               rows: labels.reduce(0) { $0 + $1.1 }, duplicates: 0, outOfYear: 0, undated: 0)
        return file
    }

    func fact(_ r: SubmitterResult, _ code: String) -> Fact? { r.facts.first { $0.code == code } }

    @Test func aTotalLeftBlankIsTheSumOfItsReportedPartsAndMarkedDerived() {
        let r = transformer.transform(nil, name: "市教育局", files: [table([
            ("收到申请数", ""), ("当面申请数", "1"), ("传真申请数", "—"), ("网络申请数", "3"), ("信函申请数", "0")])])
        #expect(fact(r, "v2014.apply.received")?.amount == "4")
        #expect(fact(r, "v2014.apply.received")?.derived == true && fact(r, "v2014.apply.received")?.via == Fact.viaSum)
        #expect(fact(r, "v2014.apply.received")?.line == 5, "the blank cell's line, for explain")
        #expect(r.findings.map(\.rule) == [.totalDerived])
        #expect(r.findings[0].severity == .note && r.findings[0].actual == "4")
    }

    @Test func partsLeftBlankUnderAFilledTotalAreIncompleteNeverInconsistent() {
        let r = transformer.transform(nil, name: "市教育局", files: [table([
            ("收到申请数", "6"), ("当面申请数", "1"), ("传真申请数", ""), ("网络申请数", "3"), ("信函申请数", "")])])
        #expect(r.findings.map(\.rule) == [.sumIncomplete])
        #expect(fact(r, "v2014.apply.received.fax")?.amount == nil, "a blank stays not reported, not 0")
        #expect(r.findings[0].message.contains("传真申请数") && r.findings[0].message.contains("信函申请数"))
    }

    @Test func aBlockWhollyBlankIsNotReportedAndRaisesNothing() {
        let r = transformer.transform(nil, name: "市教育局", files: [table([
            ("收到申请数", ""), ("当面申请数", ""), ("传真申请数", ""), ("网络申请数", ""), ("信函申请数", " ")])])
        #expect(r.findings.isEmpty)
        #expect(r.facts.allSatisfy { $0.amount == nil })
    }

    @Test func aPartlyBlankBlockUnderABlankTotalIsNotDerived() {
        let r = transformer.transform(nil, name: "市教育局", files: [table([
            ("收到申请数", ""), ("当面申请数", "1"), ("传真申请数", ""), ("网络申请数", "3"), ("信函申请数", "0")])])
        #expect(fact(r, "v2014.apply.received")?.amount == nil)
        #expect(r.findings.isEmpty)
    }

    @Test func blankCategoriesTakeTheListsCountsAndTheTotalFollows() {
        let r = transformer.transform(nil, name: "市教育局", files: [
            table([("主动公开政府信息数", ""), ("工作动态类", ""), ("行政职权类", ""), ("政策法规类", ""), ("决策类", ""),
                   ("机构职能类", ""), ("其他类", ""), ("政府网站公开政府信息数", "40")]),
            list([("工作动态", 30), ("办事指南", 10)])])
        #expect(fact(r, "sx.proactive.by_category.work_dynamics")?.amount == "30")
        #expect(fact(r, "sx.proactive.by_category.decision")?.amount == "0")
        #expect(fact(r, "v2014.proactive.total")?.amount == "40" && fact(r, "v2014.proactive.total")?.via == Fact.viaItems)
        #expect(r.findings.map(\.rule) == [.itemsDerived])
    }

    @Test func labelsResolvedForOneSubmitterResolveAlikeForTheNextAndUnknownOnesAreReportedForEach() {
        // One transformer a run: what it learnt of a label from the first list holds for the next.
        let shared = SubmitterTransformer(index: index, aliases: AliasTable(), categories: transformer.categories)
        let blank = table([("主动公开政府信息数", ""), ("工作动态类", ""), ("行政职权类", ""), ("政策法规类", ""), ("决策类", ""),
                           ("机构职能类", ""), ("其他类", "")])
        for (round, counts) in [(1, (4, 2, 3)), (2, (5, 1, 7))] {
            let r = shared.transform(nil, name: "市教育局", files: [blank, list([
                ("政务公开>工作动态", counts.0), ("办事指南", counts.1), ("神秘栏目", counts.2)])])
            #expect(fact(r, "sx.proactive.by_category.work_dynamics")?.amount == "\(counts.0)", "round \(round)")
            #expect(fact(r, "sx.proactive.by_category.admin_power")?.amount == "\(counts.1)", "round \(round)")
            #expect(fact(r, "v2014.proactive.total")?.amount == "\(counts.0 + counts.1)", "round \(round): the unknown label's items are left out")
            let unknown = r.findings.filter { $0.rule == .itemsUnknownCategory }
            #expect(unknown.count == 1 && unknown[0].message.contains("神秘栏目") && unknown[0].actual == "\(counts.2)", "round \(round)")
        }
    }

    @Test func declaredCategoriesAreCheckedAndBlankOnesCounted() {
        let r = transformer.transform(nil, name: "市教育局", files: [
            table([("主动公开政府信息数", ""), ("工作动态类", "28"), ("行政职权类", ""), ("政策法规类", "0"), ("决策类", "—"),
                   ("机构职能类", "0"), ("其他类", "0")]),
            list([("工作动态", 30), ("办事指南", 10)])])
        #expect(Set(r.findings.map(\.rule)) == [.itemsDisagree, .itemsDerived])
        let disagree = r.findings.first { $0.rule == .itemsDisagree }!
        #expect(disagree.message.contains("工作动态类 填报 28、目录 30") && !disagree.message.contains("行政职权类 填报"))
        #expect(fact(r, "sx.proactive.by_category.work_dynamics")?.amount == "28", "a declaration is never replaced")
        #expect(fact(r, "sx.proactive.by_category.admin_power")?.amount == "10")
        #expect(fact(r, "v2014.proactive.total")?.amount == "38")
    }

    @Test func aDeclaredTotalAgainstListCountedCategoriesIsTheListsCheck() {
        let r = transformer.transform(nil, name: "市教育局", files: [
            table([("主动公开政府信息数", "45")]), list([("工作动态", 30), ("办事指南", 10)])])
        #expect(r.findings.filter { $0.severity == .error }.map(\.rule) == [.itemsDisagree])
        #expect(!r.findings.contains { $0.rule == .sumInconsistent })
    }
}

struct CategoryMapTests {
    @Test func mapsPathsByTheirLastPartAndCategoriesToThemselves() throws {
        let map = try CategoryMap(csv: Array("label,category\n政策解读,政策法规类\n".utf8),
                                  categories: ["工作动态类", "政策法规类"])
        #expect(map.category(for: "政务公开>政策解读") == "政策法规类")
        #expect(map.category(for: " 工作动态 ") == "工作动态类")
        #expect(map.category(for: "工作动态类") == "工作动态类")
        #expect(map.category(for: "便民服务") == nil)
    }
}

struct NarrativeNumberTests {
    @Test(arguments: [("17", 17), ("1,234", 1234), ("１７", 17), ("十七", 17), ("二十", 20), ("一百零五", 105), ("两千三百", 2300), ("三", 3), ("〇", 0)])
    func countsAreReadAsReportsWriteThem(raw: String, value: Int) {
        #expect(NarrativeChecks.value(raw) == value)
    }

    @Test func aSentenceReadsAsTheTableAnyWayItMayMeanIt() {
        let sentences = NarrativeChecks.sentences("全年共受理政府信息公开申请95件，其中新收申请90件、上年结转5件。行政复议结果维持2件；")
        #expect(sentences.count == 2)
    }
}

/// The narrative checks on sentences as reports word them, against a 2021-form body's figures.
struct NarrativeChecksTests {
    static let national: FormIndex = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/Pipeline/Defaults/config/forms/NAT-2021.json")
        return FormIndex(try! FormCatalog.form(for: 2022, in: [ConfigDocument(name: "forms/NAT-2021.json", bytes: Array(try! Data(contentsOf: url)))]))
    }()

    func check(_ text: String, _ values: [String: Decimal]) -> [Finding] {
        NarrativeChecks(index: Self.national).check([text], values: values.mapValues { Optional($0) }, submitter: "某区", file: "报告.pdf")
    }

    let figures: [String: Decimal] = ["v2021.t3.new.total": 90, "v2021.t3.carried_in.total": 5, "v2021.t3.res.total.total": 93,
                                      "v2021.t3.carry_out.total": 2, "v2021.t4.review.total": 3, "v2021.t4.review.upheld": 2,
                                      "v2021.t4.review.corrected": 1, "v2021.t4.lit_direct.total": 1, "v2021.t4.lit_after_review.total": 0]

    @Test func sentencesThatAgreeInAnyReadingRaiseNothing() {
        let text = "全年共受理政府信息公开申请95件，其中新收申请90件、上年结转5件。已办结93件，结转下年度继续办理2件。"
            + "被申请行政复议三起，其中结果维持两件、结果纠正一件。被提起行政诉讼1件。行政复议、行政诉讼结果维持各1件。"
        #expect(check(text, figures).isEmpty, "\(check(text, figures).map(\.message))")
    }

    @Test func aFigureTheTextStatesOtherwiseIsNamedWithBoth() {
        let found = check("本年度共受理政府信息公开申请17件。被申请行政复议三起，其中结果维持一件。", figures)
        #expect(found.map(\.rule) == [.narrativeDisagrees, .narrativeDisagrees], "\(found.map(\.message))")
        #expect(found.first?.expected == "90" && found.first?.actual == "17")
        #expect(found.last?.message.contains("行政复议结果维持为 1 件") == true && found.last?.expected == "2")
    }

    @Test func aBlankTableFigureIsNeverContradicted() {
        #expect(check("共收到申请17件。", [:]).isEmpty)
    }
}

/// A stored result leaves out what its record says already, and reads back whole.
struct StoredResultTests {
    let result = SubmitterResult(
        submitter: "盂县", code: "140322", level: .county,
        files: [FileState(path: "inbox/2022/盂县/统计表.csv", sha256: "ab", family: .table, status: .current, encoding: nil, received: 1),
                FileState(path: "inbox/2022/盂县/目录.csv", sha256: "cd", family: .itemList, status: .current, encoding: nil, received: 2)],
        facts: [
            Fact(code: "a", value: 12, unit: "件", derived: false, file: "inbox/2022/盂县/统计表.csv", line: 5, column: 3, raw: "12", via: "normalized"),
            Fact(code: "b", value: 1234, unit: "件", derived: false, file: "inbox/2022/盂县/统计表.csv", line: 6, raw: "1,234", via: "exact"),
            Fact(code: "c", value: nil, unit: nil, derived: false, file: "inbox/2022/盂县/统计表.csv", line: 7, raw: "", via: "normalized"),
            Fact(code: "d", value: nil, unit: nil, derived: false, file: "inbox/2022/盂县/统计表.csv", line: 8, raw: "—", via: "alias"),
            Fact(code: "e", value: 40, unit: "条", derived: true, file: "inbox/2022/盂县/目录.csv", line: 2, raw: "40", via: Fact.viaItems),
            Fact(code: "f", value: 0, unit: nil, derived: false, file: "", line: nil, raw: "0", via: "structure"),
        ],
        findings: [], narrative: nil)

    func stored(_ result: SubmitterResult) -> [UInt8] {
        var json = JSONWriter()
        result.write(to: &json)
        return json.bytes
    }

    @Test func aStoredResultReadsBackFactForFact() throws {
        let back = try JSONDecoder().decode(SubmitterResult.self, from: Data(stored(result)))
        #expect(back.facts == result.facts)
        #expect(back.files == result.files && back.submitter == result.submitter && back.digest == result.digest)
    }

    @Test func aStoredFactLeavesOutItsRecordsFileItsDefaultsAndARawEqualToItsAmount() throws {
        let text = String(decoding: stored(result), as: UTF8.self)
        #expect(text.contains(#"{"k":"a","a":"12","n":5,"c":3,"u":"件"}"#))
        #expect(text.contains(#""r":"1,234","v":"exact""#))
        #expect(text.contains(#"{"k":"c","n":7,"r":""}"#))
        #expect(text.contains(#""d":true,"f":"inbox/2022/盂县/目录.csv""#))
        #expect(text.components(separatedBy: "统计表.csv").count == 2)  // once, in the file list
    }

    @Test func aResultStoredWithEveryFieldStillReads() throws {
        // As every earlier release wrote it: each fact whole.
        let facts = try result.facts.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }.joined(separator: ",")
        let files = String(decoding: try JSONEncoder().encode(result.files), as: UTF8.self)
        let line = #"{"submitter":"盂县","code":"140322","level":"county","files":"# + files + #","facts":["# + facts + #"],"findings":[]}"#
        let back = try JSONDecoder().decode(SubmitterResult.self, from: Data(line.utf8))
        #expect(back.facts == result.facts)
    }
}

struct AmountTextTests {
    /// Exact text, never an exponent or a trailing zero, however the figure was written: zero
    /// (the commonest figure) from every spelling, whole numbers, and fractions.
    @Test(arguments: [("0", "0"), ("0.00", "0"), ("-0", "0"), ("000", "0"), ("0.0e5", "0"), ("7", "7"), ("-12", "-12"),
                      ("1200", "1200"), ("1.2e3", "1200"), ("3.98", "3.98"), ("0.10", "0.1"), ("-5.50", "-5.5"),
                      ("123456789012345678901234", "123456789012345678901234"), ("0.000001", "0.000001"),
                      ("9007199254740991", "9007199254740991"), ("-9007199254740991", "-9007199254740991"),
                      ("9007199254740993", "9007199254740993"), ("18446744073709551617", "18446744073709551617")])
    func amountsAreWrittenAsExactDecimalText(_ written: String, _ text: String) throws {
        let value = try #require(Amount.decimal(written))
        #expect(Amount.text(value) == text)
        #expect(Amount.decimal(Amount.text(value)) == value)
    }

    /// Whole numbers, however large, as `Decimal` itself writes them.
    @Test func wholeNumbersAreTheirDigits() {
        var numbers = [1, -1, 9, 10, 65535, 65536, 1 << 32, (1 << 53) - 1, -((1 << 53) - 1), 1 << 53, Int.max, Int.min + 1]
        numbers += (0..<5000).map { _ in Int.random(in: .min + 1 ... .max) >> Int.random(in: 0...62) }
        for n in numbers {
            #expect(Amount.text(Decimal(n)) == Decimal(n).description, "\(n)")
            #expect(Amount.text(Decimal(n)) == String(n), "\(n)")
        }
    }
}
