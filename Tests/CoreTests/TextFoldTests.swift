import Testing
@testable import Core

/// The byte scan that lets plain text skip the folds: it may call text "not plain" that no fold
/// changes, never the other way round.
struct TextFoldTests {
    /// What the folds change: a full-width form, the ideographic space, any white space, the BOM.
    static func folded(_ u: Unicode.Scalar) -> Bool {
        (0xFF01...0xFF5E).contains(u.value) || u.value == 0x3000 || u.properties.isWhitespace || u.value == 0xFEFF
    }

    @Test func noScalarAFoldChangesIsTakenForPlain() {
        var plain = 0
        for value in UInt32(0)...0x10FFFF {
            guard let u = Unicode.Scalar(value) else { continue }
            let s = "字" + String(u) + "表"
            if TextFold.isPlain(s) {
                plain += 1
                #expect(!Self.folded(u), "U+\(String(value, radix: 16, uppercase: true))")
                #expect(TextFold.compact(s) == s && TextFold.trimmed(s) == s && TextFold.width(s) == s)
            }
        }
        // Nearly everything is plain: the scan sends only its few ranges to the slow path.
        #expect(plain > 1_000_000)
    }

    @Test(arguments: ["一、本年新收政府信息公开申请数量", "行政复议", "第二十条第（一）项", "　合计", "填报单位：样例局", "a\u{00A0}b", "\u{FEFF}规章"])
    func foldsAsTheSlowPathDoes(_ s: String) {
        let compact = String(String.UnicodeScalarView(s.unicodeScalars.map { u -> Unicode.Scalar in
            (0xFF01...0xFF5E).contains(u.value) ? Unicode.Scalar(u.value - 0xFEE0)! : u
        }.filter { !$0.properties.isWhitespace && $0.value != 0xFEFF }))
        #expect(TextFold.compact(s) == compact)
    }

    @Test func ideographicPunctuationIsPlain() {
        #expect(TextFold.isPlain("一、本年新收政府信息公开申请数量。"))
        #expect(!TextFold.isPlain("一、本年\u{3000}新收"))
        #expect(!TextFold.isPlain("（一）予以公开"))
    }
}
