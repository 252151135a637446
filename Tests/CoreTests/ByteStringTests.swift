import Foundation
import Testing
@testable import Core

struct ByteStringTests {
    @Test(arguments: ["盂县人民政府", "市人社局/市社保中心", "样例00750县（区）", "ＡＢＣ县", "abc"])
    func plainTextIsItsOwnNFCAndSortsAsBytes(_ name: String) {
        #expect(ByteString.isPlainCanonical(name.utf8))
        #expect(Array(name.precomposedStringWithCanonicalMapping.utf8) == Array(name.utf8))
    }

    /// Sorting by a text key gives `String` order, whether the keys are compared as bytes (plain
    /// names) or as strings (a name whose bytes sort otherwise).
    @Test func sortingByTextIsStringOrderEitherWay() {
        var state: UInt64 = 42
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(truncatingIfNeeded: state >> 33) % bound
        }
        let pieces = ["样例", "县", "局", "人民政府", "0", "1", "9", "Ａ", "a", "Z", "（", "区", "/"]
        let plain = (0..<500).map { _ in (0..<(1 + next(5))).map { _ in pieces[next(pieces.count)] }.joined() }
        #expect(plain.sorted(byText: { $0 }) == plain.sorted())
        // "e\u{301}x" is "éx" as text but starts with the byte of "e": bytes would put it first.
        let mixed = plain.prefix(50) + ["e\u{301}x", "éa", "ez"]
        #expect(mixed.sorted(byText: { $0 }) == mixed.sorted())
        #expect(mixed.sorted(byText: { $0 }).firstIndex(of: "éa")! < mixed.sorted(byText: { $0 }).firstIndex(of: "e\u{301}x")!)
    }

    @Test(arguments: ["Cafe\u{301}", "\u{F9DC}化县", "が", "城\u{3000}区", "é"])
    func textThatMayDecomposeOrCombineIsNotPlain(_ name: String) {
        #expect(!ByteString.isPlainCanonical(name.utf8))
    }

    @Test func byteOrderIsStringOrderForPlainNames() {
        let names = ["样例00750县人民政府", "样例00075县人民政府", "城区", "矿区", "市审计局", "ＡＢＣ县", "abc", "全市"]
        #expect(names.sorted() == names.sorted { ByteString($0) < ByteString($1) })
    }

    @Test(arguments: [("勾稽关系", "（本列数据的勾稽关系为：第一项加第二项之和）", true), ("勾稽关系", "勾稽关系", true),
                      ("系为", "勾稽关系为", true), ("关系", "勾稽关", false), ("aab", "aaab", true), ("aab", "aaba", true),
                      ("abc", "ab", false), ("", "任何", true), ("x", "", false)])
    func bytesAreFoundWhereverTheyBegin(_ needle: String, _ haystack: String, _ found: Bool) {
        let n = Array(needle.utf8), h = Array(haystack.utf8)
        #expect(n.withUnsafeBytes { n in h.withUnsafeBytes { ByteString.occurs(n, in: $0) } } == found)
        // The same answer as a plain search over the bytes.
        #expect(found == (n.isEmpty || (0..<max(0, h.count - n.count + 1)).contains { Array(h[$0..<($0 + n.count)]) == n }))
    }

    @Test func decimalDigitsAreWhatStringWrites() {
        var rng = SystemRandomNumberGenerator()
        var numbers = [0, 1, 9, 10, -1, -9, -10, 99, 100, Int.max, Int.min, Int.max - 1, Int.min + 1]
        for digits in 1...18 {
            let p = (0..<digits).reduce(1) { r, _ in r * 10 }
            numbers += [p - 1, p, p + 1, -p, -(p - 1)]
        }
        numbers += (0..<2000).map { _ in Int.random(in: .min ... .max, using: &rng) >> Int.random(in: 0...62, using: &rng) }
        for n in numbers {
            var out: [UInt8] = [0x7C]  // appended after what is there, which stays
            out.appendDecimal(n)
            #expect(out == [0x7C] + Array(String(n).utf8), "\(n)")
        }
    }

    @Test func textIsOrderedByItsBytesAsSQLiteOrdersIt() {
        // Codes, paths and names as the dataset holds them: shared prefixes, one a prefix of
        // another, ASCII against Chinese, a byte above 0x7F against one below, and empty text.
        let fixed = ["", "a", "ab", "abc", "abd", "b", "v2021.t3.new.natural", "v2021.t3.new", "v2021.t3.new_total",
                     "inbox/2022/样例00001局/统计表.csv", "inbox/2022/样例00001局", "盂县", "盂县人民政府", "阳泉市", "Z", "é", "e\u{301}",
                     "长度为十五个字节的", "长度为十五个字节的名", "0123456789abcde", "0123456789abcdef"]
        var rng = SystemRandomNumberGenerator()
        let alphabet = Array("ab.局县0é")
        let random = (0..<300).map { _ in String((0..<Int.random(in: 0...20, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }) }
        let texts = fixed + random
        for a in texts {
            for b in texts.prefix(40) {
                #expect(a.bytesPrecede(b) == a.utf8.lexicographicallyPrecedes(b.utf8), "\(a) < \(b)")
                #expect((ByteString(a) < ByteString(b)) == a.utf8.lexicographicallyPrecedes(b.utf8), "\(a) < \(b)")
            }
        }
    }
}
