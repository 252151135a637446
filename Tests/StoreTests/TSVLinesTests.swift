import Testing
@testable import Core
@testable import Store

struct TSVLinesTests {
    let rows = [["b/乙", "2", "县乙"], ["a/甲", "1", "县甲"], ["c/丙\t", "3", "县甲"], ["d/丁", "4", "县丁"]]

    @Test func selectsByAFieldAndSplicesInByteOrder() throws {
        let file = TSV.text(header: "v1", rows: TSV.byteOrder(rows.map { $0[0] }).map { k in rows.first { $0[0] == k }! })
        let lines = try #require(TSVLines(file))
        #expect(lines.header == "v1")
        let mine = lines.select(column: 2, equals: "县甲")
        #expect(mine.map(lines.fields).map { $0[0] } == ["a/甲", "c/丙\t"])
        let byKey = lines.select(column: 2, equals: "无", orKeyIn: ["d/丁"])
        #expect(byKey.map(lines.fields).map { $0[0] } == ["d/丁"])

        // The same bytes as writing the whole file again with 县甲's records replaced.
        let replaced = [["a/甲", "9", "县甲"], ["bb/新", "5", "县甲"]]
        let spliced = lines.replacing(lines: mine, with: replaced, header: "v2")
        let whole = rows.filter { $0[2] != "县甲" } + replaced
        #expect(spliced == TSV.text(header: "v2", rows: TSV.byteOrder(whole.map { $0[0] }).map { k in whole.first { $0[0] == k }! }))
        #expect(TSV.parse(spliced)?.rows.count == 4)
    }

    @Test func anEmptyFileHasNoLines() {
        #expect(TSVLines([]) == nil)
        #expect(TSVLines(Array("header-only\n".utf8))?.select(column: 0, equals: "x") == [])
    }
}
