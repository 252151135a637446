import Core
import Extract
import Foundation
import Store

/// Reads a value cell as submitted: full-width digits, thousands separators, surrounding spaces,
/// a unit written into the cell, and the marks of a reported zero.
///
/// A blank cell is *not reported*: it declares nothing. "—", "-", "/", "无" and their variants
/// are a reported zero, and read as 0 like "0" itself (the raw text stays with the fact).
///
/// Money converts exactly between 元 and 万元 (Decimal, never binary floating point). Nothing is
/// "corrected": a count of 12.5 or -3 is kept as written and reported.
enum ValueParser {
    enum Parsed: Equatable {
        case notReported
        case number(Decimal, repairs: [String])
        case invalid(String)
    }

    /// What a cell holds when it was left empty: nothing but spaces, or the word for empty.
    static let blanks: Set<String> = ["", "空"]
    /// The marks submitters write for "none": a reported zero.
    static let zeroMarks: Set<String> = ["—", "——", "-", "--", "－", "/", "／", "无", "—/—", "─", "――", "-/-", "/-"]

    static func parse(_ raw: String, unitColumn: String?, indicator: Form.Indicator) -> Parsed {
        // Nearly every cell is a plain whole count: nothing to fold, no unit, no separator (a
        // unit column may still scale money, below).
        if unitColumn == nil || indicator.unit != "万元", let n = plainCount(raw) { return .number(Decimal(n), repairs: []) }
        var repairs: [String] = []
        let original = raw
        var s = TextFold.compact(raw)
        if s != raw {
            if s != raw.filter({ !$0.isWhitespace }) { repairs.append("全角字符已转为半角") }
        }
        if blanks.contains(s) { return .notReported }
        if zeroMarks.contains(s) { return .number(0, repairs: []) }
        // A unit in the cell, or in the unit column, decides the scale of money.
        var scale: Decimal = 1
        let units = ["万元", "元", "条", "件", "人次", "个", "人", "次", "篇", "%"]
        for u in units where s.hasSuffix(u) && s.count > u.count {
            s.removeLast(u.count)
            if indicator.unit == "万元" && u == "元" {
                scale = Decimal(string: "0.0001")!
                repairs.append("“\(original)”按 元 换算为 万元")
            } else if indicator.unit == "元" && u == "万元" {
                scale = 10000
                repairs.append("“\(original)”按 万元 换算为 元")
            } else if u != indicator.unit {
                return .invalid("数值“\(original)”带有单位“\(u)”，而该指标的单位是“\(indicator.unit ?? "")”")
            } else {
                repairs.append("去掉了数值中的单位“\(u)”")
            }
            break
        }
        if scale == 1, let column = unitColumn.map(TextFold.compact), !column.isEmpty, indicator.unit == "万元", column == "元" {
            scale = Decimal(string: "0.0001")!
            repairs.append("单位列为“元”，已换算为 万元")
        }
        if s.utf8.contains(0x2C) {
            let parts = s.split(separator: ".", maxSplits: 1)
            let groups = parts[0].split(separator: ",", omittingEmptySubsequences: false)
            let ok = groups.count > 1 && groups.first!.count <= 3 && groups.first!.count >= 1
                && groups.dropFirst().allSatisfy { $0.count == 3 }
            guard ok else { return .invalid("数值“\(original)”中的逗号不是千位分隔符") }
            s = s.replacing(",", with: "")
            repairs.append("去掉了千位分隔符")
        }
        // A whole count once folded and stripped of its unit or separators: without Foundation's locale-aware parser.
        if scale == 1, let n = plainCount(s) {
            return .number(Decimal(n), repairs: repairs)
        }
        guard isPlainNumber(s), let value = Decimal(string: s, locale: Locale(identifier: "en_US_POSIX")) else {
            return .invalid("“\(original)”不是数字")
        }
        return .number(value * scale, repairs: repairs)
    }

    /// The value of a cell of one to 18 ASCII digits and nothing else (no space, sign or unit).
    static func plainCount(_ raw: String) -> Int? {
        var raw = raw
        return raw.withUTF8 { bytes -> Int? in
            guard (1...18).contains(bytes.count) else { return nil }
            var n = 0
            for b in bytes {
                guard b &- 0x30 < 10 else { return nil }
                n = n &* 10 &+ Int(b &- 0x30)
            }
            return n
        }
    }

    static func isPlainNumber(_ s: String) -> Bool {
        var digits = 0, dots = 0
        for (k, u) in s.unicodeScalars.enumerated() {
            if u == "-" || u == "+" { if k != 0 { return false } }
            else if u == "." { dots += 1 }
            else if u.value >= 0x30 && u.value <= 0x39 { digits += 1 }
            else { return false }
        }
        return digits > 0 && dots <= 1
    }
}
