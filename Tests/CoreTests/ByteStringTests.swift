import Foundation
import Testing
@testable import Core

struct ByteStringTests {
    @Test(arguments: ["盂县人民政府", "市人社局/市社保中心", "样例00750县（区）", "ＡＢＣ县", "abc"])
    func plainTextIsItsOwnNFCAndSortsAsBytes(_ name: String) {
        #expect(ByteString.isPlainCanonical(name.utf8))
        #expect(Array(name.precomposedStringWithCanonicalMapping.utf8) == Array(name.utf8))
    }

    @Test(arguments: ["Cafe\u{301}", "\u{F9DC}化县", "が", "城\u{3000}区", "é"])
    func textThatMayDecomposeOrCombineIsNotPlain(_ name: String) {
        #expect(!ByteString.isPlainCanonical(name.utf8))
    }

    @Test func byteOrderIsStringOrderForPlainNames() {
        let names = ["样例00750县人民政府", "样例00075县人民政府", "城区", "矿区", "市审计局", "ＡＢＣ县", "abc", "全市"]
        #expect(names.sorted() == names.sorted { ByteString($0) < ByteString($1) })
    }
}
