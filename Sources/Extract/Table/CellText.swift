import Core
import Foundation

/// What a table cell's text is, the same for every family (CSV, workbook, Word, page, PDF).
enum CellText {
    /// A figure as bodies write one: digits (with separators, a decimal point or a unit), or a
    /// reported zero written "—", "-", "/", "无". A row of these is data, whatever its figures.
    static func isFigure(_ text: String) -> Bool {
        let compact = TextFold.compact(text)
        guard !compact.isEmpty, compact.count <= 24 else { return false }
        if zeros.contains(compact) { return true }
        var digits = 0
        for u in compact.unicodeScalars {
            if u.value >= 0x30 && u.value <= 0x39 { digits += 1; continue }
            if !",.%万元".unicodeScalars.contains(u) && !(u == "-" && digits == 0) { return false }
        }
        return digits > 0
    }

    /// True when `text` holds `word` as written, compared by bytes: the words looked for are
    /// ideographs, which no mark combines with, so this is what a Unicode search would find,
    /// without Foundation's search a row of cells at a time.
    static func mentions(_ text: String, _ word: StaticString) -> Bool {
        var text = text
        return text.withUTF8 { hay in
            ByteString.occurs(UnsafeRawBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount), in: UnsafeRawBufferPointer(hay))
        }
    }

    /// The ways a reported zero is written.
    static let zeros: Set<String> = ["—", "——", "-", "--", "–", "―", "－", "/", "\\", "无", "0"]

    /// The words that start a line written under or beside a table (填表人, 审核人, 联系电话, 填报日期,
    /// 注): never a row of it.
    static let noteStarts = ["注", "说明", "填表人", "填报人", "审核人", "负责人", "联系电话", "联系人", "制表", "单位负责人", "填报日期",
                             "填表日期", "报送日期", "统计日期"]

    static func isNote(_ text: String) -> Bool {
        var compact = TextFold.compact(text)
        // Text that is its own NFC (nearly every cell) is compared by bytes, as `mentions` does.
        let plain = compact.withUTF8 { b -> Bool? in
            guard ByteString.isPlainCanonical(b) else { return nil }
            return noteStartBytes.contains { start in b.count >= start.count && memcmp(b.baseAddress!, start, start.count) == 0 }
        }
        return plain ?? noteStarts.contains { compact.hasPrefix($0) }
    }

    private static let noteStartBytes = noteStarts.map { Array($0.utf8) }

    /// True when `text` holds `word` (ideographs): by bytes when the text is its own NFC, by
    /// Unicode's rules otherwise (a compatibility ideograph matches its unified one).
    static func contains(_ text: String, _ word: [UInt8]) -> Bool {
        var text = text
        let plain = text.withUTF8 { hay -> Bool? in
            guard ByteString.isPlainCanonical(hay) else { return nil }
            return word.withUnsafeBytes { ByteString.occurs($0, in: UnsafeRawBufferPointer(hay)) }
        }
        return plain ?? text.contains(String(decoding: word, as: UTF8.self))
    }
}
