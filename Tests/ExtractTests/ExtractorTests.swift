import Foundation
import TestSupport
import Testing
@testable import Core
@testable import Store
@testable import Extract

/// Real files written into a temporary inbox, read by the extractor.
struct ExtractorTests {
    let root: URL
    let registry = try! Registry(csv: Array("name,aliases,code,level\n盂县,,140322,county\n市审计局,,,department\n".utf8), city: "阳泉市")

    init() throws {
        root = Scratch.directory.appendingPathComponent("extract-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    func extract(_ folder: String, _ name: String, _ bytes: [UInt8], profiles: [XMLProfile] = []) throws -> StagedFile {
        let dir = root.appendingPathComponent("inbox/2016/\(folder)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        let file = InboxFile.scan(workspace: root, year: 2016).first { $0.absolutePath == url.standardizedFileURL.path }!
        let staged = Extractor(registry: registry, profiles: profiles, year: 2016).extract(file)
        #expect(Array(try Data(contentsOf: url)) == bytes, "the inbox file must stay byte-identical")
        return staged
    }

    @Test func quarantinesAZipFragmentNamedCSVAsAnArchiveThatCannotBeOpened() throws {
        let s = try extract("盂县", "统计表.csv", [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00])
        #expect(s.quarantined)
        #expect(s.findings.map(\.rule) == [.fileWrongFormat])
        #expect(s.findings[0].message.contains("无法打开") && s.findings[0].message.contains("截断"))
    }

    @Test func reportsAFileThatVanishedBetweenTheScanAndTheRead() throws {
        let dir = root.appendingPathComponent("inbox/2016/盂县")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent("统计表.csv")
        try Data("统计指标,单位,统计数\n收到申请数,件,1\n".utf8).write(to: url)
        let file = InboxFile.scan(workspace: root, year: 2016)[0]
        try FileManager.default.removeItem(at: url)
        let staged = Extractor(registry: registry, profiles: [], year: 2016).extract(file)
        #expect(staged.quarantined)
        #expect(staged.findings.map(\.rule) == [.fileUnreadable])
        #expect(staged.findings[0].message.contains("无法读取") && staged.findings[0].file == "inbox/2016/盂县/统计表.csv")
    }

    @Test func readsAPageInTheEncodingItsMetaTagDeclares() throws {
        // A page saved in Big5, as a Hong Kong or Taiwan office saves it: valid GB18030 bytes too,
        // so the ladder alone would misread every character.
        let html = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=big5\"></head><body><p>政府資訊公開年度報告</p></body></html>"
        guard case .success(let big5) = Iconv.convertFromUTF8(Array(html.utf8), to: "BIG5") else { Issue.record("no Big5 in iconv"); return }
        let decoded = try #require(try? WebPageReader.decode(big5).get())
        #expect(decoded.decision.encoding == .declared)
        #expect(String(decoding: decoded.utf8, as: UTF8.self) == html)
        // A page that declares GB2312 goes by the ladder, as GB18030 (its superset).
        let simplified = "<html><head><meta charset=\"gb2312\"></head><body><p>政府信息公开年度报告</p></body></html>"
        guard case .success(let gb) = Iconv.convertFromUTF8(Array(simplified.utf8), to: "GB18030") else { Issue.record("no GB18030 in iconv"); return }
        #expect((try? WebPageReader.decode(gb).get())?.decision.encoding == .gb18030)
    }

    @Test func readsAnExcelWebPageSavedAsXLSAsTheTableItHolds() throws {
        let html = "\u{FEFF}<html xmlns:o=\"urn:schemas-microsoft-com:office:office\"><head><meta charset=\"utf-8\"><style>td {}</style></head><body><table>"
            + "<tr><td>统计指标</td><td>单位</td><td>统计数</td></tr><tr><td>收到<span>申请数</span><o:p></o:p></td><td>件</td><td>&nbsp;3&nbsp;</td></tr></table></body></html>"
        let s = try extract("盂县", "统计表.xls.csv", Array(html.utf8))
        #expect(!s.quarantined)
        #expect(s.family == .webPage)
        #expect(s.values.map { [$0.label, $0.unit ?? "", $0.value] } == [["收到申请数", "件", "3"]])
        #expect(s.values.first?.element == "第 1 个表格第 2 行第 3 列")
    }

    @Test func quarantinesAnEmptyFile() throws {
        let s = try extract("盂县", "空.csv", [])
        #expect(s.quarantined && s.findings.map(\.rule) == [.fileEmpty])
    }

    @Test func namesAFolderTheRegistryDoesNotKnow() throws {
        let s = try extract("某某局", "a.csv", Array("a,b\n".utf8))
        #expect(s.quarantined && s.findings.map(\.rule) == [.fileUnknownFolder])
        #expect(s.findings[0].message.contains("某某局"))
    }

    @Test func reportsATruncatedXMLWithItsLine() throws {
        let xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<GovInfoDisclosureReport>\n<Indicators>\n<Indicator name=\"收到申请数\" unit=\"件\">4</Indicator>\n<Indicator name=\"网络"
        let s = try extract("盂县", "cut.xml", Array(xml.utf8))
        #expect(s.quarantined)
        #expect(s.findings.first?.rule == .xmlMalformed)
        #expect(s.findings.first?.line == 5)
        #expect(s.values.isEmpty)
    }

    @Test func refusesAnExternalEntity() throws {
        let xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE r [<!ENTITY xxe SYSTEM \"file:///etc/hostname\">]>\n<GovInfoDisclosureReport><Indicator name=\"x\">&xxe;</Indicator></GovInfoDisclosureReport>"
        let s = try extract("盂县", "xxe.xml", Array(xml.utf8))
        #expect(s.quarantined && s.findings.map(\.rule) == [.xmlForbiddenEntity])
        #expect(s.findings[0].message.contains("xxe"))
    }

    @Test func refusesABillionLaughsDTD() throws {
        var dtd = "<!ENTITY lol \"lol\">"
        for k in 1...9 { dtd += "<!ENTITY lol\(k) \"" + String(repeating: "&lol\(k == 1 ? "" : String(k - 1));", count: 10) + "\">" }
        let xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\(dtd)]>\n<GovInfoDisclosureReport>&lol9;</GovInfoDisclosureReport>"
        let s = try extract("盂县", "lol.xml", Array(xml.utf8))
        #expect(s.quarantined && s.findings.map(\.rule) == [.xmlForbiddenEntity], "\(s.findings)")
    }

    @Test func readsGBKBytesLabelledGB2312() throws {
        let xml = "<?xml version=\"1.0\" encoding=\"GB2312\"?>\n<GovInfoDisclosureReport>\n<Submitter name=\"盂县\"/>\n<Prepared by=\"李喆\"/>\n<Indicator seq=\"7\" name=\"收到申请数\" unit=\"件\">4</Indicator>\n</GovInfoDisclosureReport>\n"
        var bytes: [UInt8] = []
        // 喆 is GBK-only (0x86 0xB4); everything else is GB2312. Encode through iconv as GBK.
        bytes = try #require(try? Iconv.convertFromUTF8(Array(xml.utf8), to: "GBK").get())
        let s = try extract("盂县", "gbk.xml", bytes)
        #expect(!s.quarantined)
        #expect(s.family == .platformXML)
        #expect(s.values == [StagedValue(label: "收到申请数", seq: "7", unit: "件", value: "4", line: 5, element: "Indicator[@seq='7']")])
        #expect(s.encoding?.encoding == .gb18030)
    }

    @Test func readsANewXMLLayoutFromAProfileAlone() throws {
        let profile = XMLProfile(name: "export-list-row", root: "export", record: "list/row",
                                 fields: .init(id: "@no", title: "meta/@title", date: "when", category: "kind"))
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <export><list>
            <row no="1"><meta title="甲"/><when>2016-05-01</when><kind>工作动态</kind></row>
            <row no="2"><meta title="乙"/><when>2016/6/1</when><kind>政策解读</kind></row>
            <row no="2"><meta title="乙"/><when>2016/6/1</when><kind>政策解读</kind></row>
            <row no="3"><meta title="丙"/><when>2015-12-31</when><kind>工作动态</kind></row>
            </list></export>
            """
        let s = try extract("市审计局", "list.xml", Array(xml.utf8), profiles: [profile])
        #expect(s.family == .itemXML)
        #expect(s.items?.labels.map(\.label) == ["工作动态", "政策解读"])
        #expect(s.items?.labels.map(\.count) == [1, 1])
        #expect(s.items?.duplicates == 1)
        #expect(s.items?.outOfYear == 1)
    }

    @Test func readsAnItemsFieldsWholeThroughEntitiesCDATAAndAttributes() throws {
        let profile = XMLProfile(name: "cms-rows", root: "export", record: "row",
                                 fields: .init(id: nil, title: "title", date: "@date", category: "kind"))
        // The same item twice, its title written once plainly and once in pieces: a duplicate.
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <export>
            <row date="2016-05-01"><title>关于A&amp;B的通知</title><kind>政务公开&gt;通知公告</kind><kind>第二个分类不算</kind></row>
            <row date="2016-05-01"><title>关于<![CDATA[A&B]]>&#30340;通知</title><kind>政务公开&gt;通知公告</kind></row>
            <row date="2016-05-01"><title>关于A&amp;B的通知（二）</title><kind><![CDATA[政务公开>通知公告]]></kind></row>
            <row date="2016-06-01"/>
            </export>
            """
        let s = try extract("市审计局", "rows.xml", Array(xml.utf8), profiles: [profile])
        #expect(s.family == .itemXML)
        #expect(s.items?.labels.map(\.label) == ["政务公开>通知公告"])
        #expect(s.items?.labels.map(\.count) == [2])
        #expect(s.items?.duplicates == 1)
        #expect(s.items?.rows == 4)
    }

    /// A column of 所属栏目 typed by hand: the same label with spaces around it, or with a
    /// compatibility ideograph (U+F9DC for 隆), is one label, in the order labels first came.
    @Test func countsALabelSpelledTwoWaysAsOneListedWhereItFirstCame() throws {
        let csv = "索引号,标题,发布日期,所属栏目\r\n"
            + "A1,甲,2016-03-01,政策解读\r\n"
            + "A2,乙,2016-03-02, 工作动态\r\n"
            + "A3,丙,2016-03-03,隆化动态\r\n"
            + "A4,丁,2016-03-04,工作动态\u{3000}\r\n"
            + "A5,戊,2016-03-05,\u{F9DC}化动态\r\n"
            + "A6,己,2016-03-06,政策解读\r\n"
            + "A7,庚,2016-03-07,\u{F9DC}化动态\r\n"
        let s = try extract("市审计局", "目录.csv", Array(csv.utf8))
        #expect(s.family == .itemList)
        #expect(s.items?.labels.map(\.label) == ["政策解读", "工作动态", "隆化动态"])
        #expect(s.items?.labels.map(\.count) == [2, 2, 3])
        #expect(s.items?.labels.map(\.firstLine) == [2, 3, 4])
    }

    @Test func readsACMSExportWhoseItemBodyHoldsAnInlineImage() throws {
        let profile = XMLProfile(name: "rss", root: "rss", record: "channel/item",
                                 fields: .init(id: "guid", title: "title", date: "pubDate", category: "category"))
        // More than a start tag may hold, but inside CDATA: text to libxml2, not a tag.
        let image = "<img src=\"data:image/png;base64," + String(repeating: "QUJD", count: 40_000) + "\">"
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <rss version="2.0"><channel>
            <item><guid>1</guid><title>甲</title><pubDate>2016-05-01</pubDate><category>工作动态</category><description><![CDATA[<p>正文</p>\(image)]]></description></item>
            <item><guid>2</guid><title>乙</title><pubDate>2016-06-01</pubDate><category>工作动态</category></item>
            </channel></rss>
            """
        let s = try extract("市审计局", "rss.xml", Array(xml.utf8), profiles: [profile])
        #expect(!s.quarantined, "\(s.findings.map(\.message))")
        #expect(s.items?.labels.map(\.count) == [2])
    }

    /// A table exported from a PDF may spell 况 or 行 as compatibility ideographs (U+FA71, U+FA08):
    /// Unicode takes them as the same text, so the national tables' headers are still found.
    @Test func findsNationalTableHeadersSpelledWithCompatibilityIdeographs() throws {
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Fixtures/2022/市教育局")
        for (file, table, word, spelled) in [("表三.csv", "t3", "申请人情况", "申请人情\u{FA71}"), ("表四.csv", "t4", "行政复议", "\u{FA08}政复议")] {
            let text = try String(contentsOf: fixtures.appendingPathComponent(file), encoding: .utf8)
            #expect(text.contains(word))
            let plain = try extract("盂县", "plain-" + file, Array(text.utf8))
            let compatible = try extract("盂县", "compatible-" + file, Array(text.replacingOccurrences(of: word, with: spelled).utf8))
            #expect(Array(text.replacingOccurrences(of: word, with: spelled).utf8) != Array(text.utf8))
            func cells(_ s: StagedFile) -> [String] { s.values.map { "\($0.table ?? "")|\($0.line)|\($0.column ?? 0)|\($0.columnLabel ?? "")|\($0.value)" } }
            #expect(!plain.values.isEmpty && plain.values.allSatisfy { $0.table == table })
            #expect(cells(compatible) == cells(plain), "\(file)")
        }
    }

    @Test func readsATableWithTitleRowsNotesAndItsSubmitterLine() throws {
        let csv = "盂县2016年政府信息公开情况统计表\r\n填报单位：盂县人民政府,,填报日期：2017-01-10\r\n\r\n序号,统计指标,单位,统计数\r\n（一）,\"收到申请数\n（件）\",件,\"1,234\"\r\n注：本表由办公室填报\r\n"
        let s = try extract("盂县", "表.csv", Array(csv.utf8))
        #expect(s.family == .table)
        #expect(s.declaredSubmitter == "盂县人民政府")
        #expect(s.values.map(\.label) == ["收到申请数\n（件）"])
        #expect(s.values.first?.value == "1,234")
        #expect(s.values.first?.line == 5)
        #expect(s.findings.isEmpty)
    }

    @Test(arguments: [
        "指标名称,计量单位,2016年\r\n主动公开政府信息数,条,100\r\n收到申请数,件,3\r\n网络申请数,件,3\r\n",
        "项目,单位,2016年1-12月,备注\r\n主动公开政府信息数,条,100,\r\n收到申请数,件,3,\r\n网络申请数,件,3,含邮件\r\n",
        "主动公开政府信息数,条,100\r\n收到申请数,件,3\r\n网络申请数,件,3\r\n",
    ])
    func findsTheValueColumnHoweverItIsHeaded(_ csv: String) throws {
        let s = try extract("盂县", "表.csv", Array(csv.utf8))
        #expect(s.family == .table && !s.quarantined)
        #expect(s.values.map(\.label) == ["主动公开政府信息数", "收到申请数", "网络申请数"])
        #expect(s.values.map(\.value) == ["100", "3", "3"])
        #expect(s.values.map(\.unit) == ["条", "件", "件"])
    }

    @Test func readsTheFirstOfRepeatedFieldElements() throws {
        let xml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <rss version="2.0"><channel><title>t</title>
        <item><guid>a1</guid><title>通知</title><pubDate>Sat, 05 Mar 2016 10:00:00 +0800</pubDate><category>通知公告</category><category>民政</category></item>
        <item><guid>a2</guid><title>规划</title><pubDate>Sun, 06 Mar 2016 10:00:00 +0800</pubDate><category>计划规划</category></item>
        </channel></rss>
        """
        let s = try extract("盂县", "rss.xml", Array(xml.utf8), profiles: try EncodingMatrixTests.shippedProfiles())
        #expect(s.family == .itemXML)
        #expect(s.items?.labels.map(\.label) == ["通知公告", "计划规划"])
        #expect(s.items?.counted == 2)
    }

    @Test func aPlaceholderForAMissingIndexNumberIsNotAnID() throws {
        let csv = "索引号,信息名称,生成日期,信息类别\r\n—,关于甲的通知,2016-03-05,工作动态\r\n—,关于乙的通知,2016-03-06,工作动态\r\n-,关于乙的通知,2016-03-06,工作动态\r\nA-1,关于丙的通知,2016-03-07,工作动态\r\n"
        let s = try extract("盂县", "目录.csv", Array(csv.utf8))
        #expect(s.items?.counted == 2 + 1, "甲 and 乙 (whose repeat is caught by title and date) and 丙")
        #expect(s.items?.duplicates == 1)
    }
}

/// A file that is not read is told what to do in words that fit it.
struct UnreadKindsTests {
    let helper = try! ExtractorTests()

    @Test(arguments: [(0, true), (500, true), (1019, true), (1020, false), (-1, false)])
    func aPDFIsKnownByItsMarkWithinTheFirstKilobyte(at offset: Int, found: Bool) {
        var bytes = Array(repeating: UInt8(0x25), count: 2048)  // "%" everywhere: every position is a candidate
        if offset >= 0 { bytes.replaceSubrange(offset..<(offset + 5), with: Array("%PDF-".utf8)) }
        #expect(Extractor.isPDF(bytes) == found)
    }

    @Test(arguments: [("\u{FEFF} \n<!DOCTYPE html><html>", true), ("　<TABLE border=1>", true), ("<meta charset=gbk>", true),
                      ("样例局统计表,<table>", false), ("信息内容,本年制发件数", false), ("", false)])
    func aWebPageIsKnownByItsOpening(_ head: String, _ page: Bool) {
        #expect(Extractor.looksLikeHTML(Array(head.utf8)) == page)
    }

    @Test(arguments: [
        ("报告.png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13] as [UInt8], "图片"),
        ("扫描.jpg", [0xFF, 0xD8, 0xFF, 0xE0, 0, 16, 0x4A, 0x46, 0x49, 0x46], "图片"),
        ("扫描.tif", [0x49, 0x49, 0x2A, 0x00, 8, 0, 0, 0], "扫描件"),
        ("材料.rar", Array("Rar!".utf8) + [0x1A, 0x07, 0x01, 0x00], "解压"),
        ("材料.7z", [0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C, 0, 4], "解压"),
    ])
    func aPictureOrAnArchiveIsToldWhatToSendInstead(name: String, bytes: [UInt8], says: String) throws {
        let staged = try helper.extract("盂县", name, bytes + Array(repeating: 0, count: 64))
        #expect(staged.quarantined && staged.findings.map(\.rule) == [.fileWrongFormat])
        #expect(staged.findings.first?.message.contains(says) == true, "\(staged.findings.map(\.message))")
    }

    @Test func aWPSOrOldWordDocumentIsAskedToBeSavedAsDocx() throws {
        let header: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + Array(repeating: 0, count: 120)
        let wps = try helper.extract("盂县", "年度报告.wps", header)
        #expect(wps.findings.first?.message.contains("WPS") == true && wps.findings.first?.message.contains(".docx") == true)
        let word = Array("WordDocument".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let doc = try helper.extract("盂县", "年度报告.doc", header + word)
        #expect(doc.findings.first?.message.contains("Word 97") == true, "\(doc.findings.map(\.message))")
    }
}
