import Store

/// Dates written out in Chinese numerals for the report's date line: 2017-02-07 → 二0一七年二月七日.
public enum ChineseDate {
    static let digits = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"]

    /// - Parameter zero: how the year's zero digit is written; the published reports use "0" or "〇".
    public static func text(year: Int, month: Int, day: Int, zero: String = "〇") -> String {
        let y = String(year).map { c -> String in
            let d = Int(String(c))!
            return d == 0 ? zero : digits[d]
        }.joined()
        return y + "年" + number(month) + "月" + number(day) + "日"
    }

    /// 1…99 in Chinese numerals: 七, 十, 十二, 二十, 三十一.
    static func number(_ n: Int) -> String {
        switch n {
        case 0..<10: digits[n]
        case 10: "十"
        case 11..<20: "十" + digits[n % 10]
        default: digits[n / 10] + "十" + (n % 10 == 0 ? "" : digits[n % 10])
        }
    }

    /// Parses "YYYY-MM-DD".
    public static func text(iso: String, zero: String = "〇") -> String? {
        let p = iso.split(separator: "-").compactMap { Int($0) }
        guard p.count == 3 else { return nil }
        return text(year: p[0], month: p[1], day: p[2], zero: zero)
    }
}
