import Testing
@testable import Extract

/// A cell's text judged alike whether it is read by bytes (text that is its own NFC) or by
/// Unicode's rules (text with marks, or punctuation outside the plain ranges).
struct CellTextTests {
    @Test func aNoteIsKnownByItsFirstWordsHoweverItIsSpaced() {
        for note in ["注：本表由办公室填报", " 填表人：张三", "联系电话：0353-1234567", "填 表 人", "说明", "单位负责人：李四",
                     "注：“—”表示无此项。", "审核人、填表人"] {
            #expect(CellText.isNote(note), "\(note)")
        }
        for row in ["行政许可", "", "其他注意事项", "（注）", "本机关不掌握相关政府信息"] {
            #expect(!CellText.isNote(row), "\(row)")
        }
    }

    @Test func aTitleIsFoundInPlainTextAndInTextWithOtherPunctuation() {
        #expect(MatrixTableReader.isTitle("主动公开政府信息情况"))
        #expect(MatrixTableReader.isTitle("二、主动公开政府信息情况"))  // 、 is outside the plain ranges: read by Unicode
        #expect(MatrixTableReader.isTitle("四、行政复议、行政诉讼情况"))
        #expect(MatrixTableReader.isTitle("（五）存在的主要问题及改进情况"))
        #expect(!MatrixTableReader.isTitle("行政复议"))
        #expect(!MatrixTableReader.isTitle("主动公开"))
        // The compatibility ideograph U+F9DC is 隆 to Unicode's rules, as it is to a reader.
        #expect(CellText.contains("兴\u{F9DC}", Array("隆".utf8)))
        #expect(CellText.contains("兴隆", Array("隆".utf8)))
        #expect(!CellText.contains("兴盛", Array("隆".utf8)))
    }
}
