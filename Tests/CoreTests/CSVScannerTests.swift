import Testing
@testable import Core

struct CSVScannerTests {
    func records(_ text: String, delimiter: UInt8? = nil) -> [CSVScanner.Record] {
        var s = CSVScanner(utf8: Array(text.utf8), delimiter: delimiter)
        var out: [CSVScanner.Record] = []
        while let r = s.next() { out.append(r) }
        return out
    }

    @Test func readsQuotedCommasQuotesAndLineBreaks() {
        let rows = records("索引号,标题\r\nA1,\"关于印发，\"\"通知\"\"\r\n第二行\"\r\nA2,普通\r\n")
        #expect(rows.count == 3)
        #expect(rows[1].fields == ["A1", "关于印发，\"通知\"\r\n第二行"])
        #expect(rows[2].line == 4)
        #expect(rows[2].fields == ["A2", "普通"])
    }

    /// Fields of every length around the scanner's sixteen-byte steps, with a delimiter, quote or
    /// line break at every offset, written as Excel writes them: read back field for field, each
    /// record on its own line number, with every line end (LF, CRLF, CR).
    @Test func readsBackFieldsOfEveryLengthWithSpecialBytesAtEveryOffset() {
        // Four bytes a pair ("中" and "a"): a field's bytes never line up with the steps.
        var table: [[String]] = []
        for length in 0...24 {
            let plain = Array(repeating: "中a", count: length / 2).joined() + (length % 2 == 1 ? "中" : "")
            table.append([plain, "x"])
            for special in [",", "\"", "\n", "\r\n", "\r", "\t"] where length > 0 {
                for at in 0...plain.count {
                    var characters = Array(plain)
                    characters.insert(contentsOf: Array(special), at: at)
                    table.append(["k\(length)", String(characters), plain])
                }
            }
        }
        for lineEnd in ["\n", "\r\n", "\r"] {
            var text = ""
            var lines: [Int] = []
            var line = 1
            for row in table {
                lines.append(line)
                text += row.map { field in
                    guard field.utf8.contains(where: { [0x2C, 0x22, 0x0A, 0x0D].contains($0) }) else { return field }
                    let bytes = Array(field.utf8)
                    line += bytes.indices.filter { bytes[$0] == 0x0A || (bytes[$0] == 0x0D && ($0 + 1 == bytes.count || bytes[$0 + 1] != 0x0A)) }.count
                    return "\"" + field.map { $0 == "\"" ? "\"\"" : String($0) }.joined() + "\""
                }.joined(separator: ",") + lineEnd
                line += 1
            }
            var scanner = CSVScanner(utf8: Array(text.utf8), delimiter: 0x2C)
            var read: [CSVScanner.Record] = []
            while let record = scanner.next() { read.append(record) }
            #expect(read.count == table.count)
            for (k, record) in read.enumerated() where k < table.count && (record.fields != table[k] || record.line != lines[k]) {
                Issue.record("record \(k): \(record.fields) on line \(record.line), expected \(table[k]) on line \(lines[k])")
                return
            }
            #expect(scanner.problems.isEmpty)
        }
    }

    @Test func sniffsTabsFromExcelUnicodeText() {
        let rows = records("指标\t单位\t数值\n收到申请数\t件\t14\n")
        #expect(rows[1].fields == ["收到申请数", "件", "14"])
    }

    @Test func reportsAnUnterminatedQuoteWithItsLine() {
        var s = CSVScanner(utf8: Array("a,b\n\"open,c\nd\n".utf8))
        while s.next() != nil {}
        #expect(s.problems == [.unterminatedQuote(line: 2)])
    }
}

struct RegistryTests {
    let registry = try! Registry(csv: Array("name,aliases,code,level\n盂县,盂县人民政府,140322,county\n市环境保护局,市环保局,,department\n".utf8), city: "阳泉市")

    @Test func resolvesNamesShortNamesCodesAndCityPrefixes() {
        for raw in ["盂县", "盂县人民政府", "140322", "阳泉市盂县", " 盂县 "] { #expect(registry.resolve(raw)?.name == "盂县") }
        for raw in ["市环保局", "阳泉市环境保护局", "市环境保护局"] { #expect(registry.resolve(raw)?.name == "市环境保护局") }
        #expect(registry.resolve("市教育局") == nil)
    }

    @Test func namesEqualUpToCanonicalEquivalenceResolveAlike() throws {
        // U+F9DC is a compatibility form of 隆 (U+9686); "é" typed as e + U+0301.
        let r = try Registry(csv: Array("name,aliases,code,level\n隆化县,Café县；隆化,130825,county\n".utf8), city: "")
        #expect(r.resolve("\u{F9DC}化县")?.name == "隆化县")
        #expect(r.resolve("Cafe\u{301}县")?.name == "隆化县")
        #expect(r.resolve("隆化")?.name == "隆化县")
        #expect(r.resolve("Cafe县") == nil)
    }

    @Test func aNameTwoBodiesShareIsRefusedButOneBodyMayRepeatItsOwn() throws {
        // 盂县人民政府 and 盂县 fold to one key: as a body's own alias it is harmless, as another's a clash.
        let own = try Registry(csv: Array("name,aliases,code,level\n盂县,盂县人民政府；阳泉市盂县,140322,county\n".utf8), city: "阳泉市")
        #expect(own.resolve("盂县政府")?.name == "盂县")
        let shared = Array("name,aliases,code,level\n盂县,,140322,county\n盂县人民政府,,140399,county\n".utf8)
        let error = #expect(throws: RegistryError.self) { try Registry(csv: shared, city: "阳泉市") }
        #expect(error?.description == "submitters.csv 中“盂县人民政府”同时指向“盂县”和“盂县人民政府”：请删去其中一个别名")
    }

    @Test func rejectsAHeaderThatIsNotTheContract() {
        #expect(throws: RegistryError.self) { try Registry(csv: Array("名称,代码\n".utf8), city: "") }
    }
}
