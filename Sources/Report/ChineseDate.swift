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

    /// Parses "YYYY-MM-DD"; nil for anything but a day of the calendar (2022-02-30, 2022-13-01).
    public static func text(iso: String, zero: String = "〇") -> String? {
        guard let (year, month, day) = parse(iso) else { return nil }
        return text(year: year, month: month, day: day, zero: zero)
    }

    /// "YYYY-MM-DD" as a day of the calendar, years 1000–9999.
    static func parse(_ iso: String) -> (Int, Int, Int)? {
        let parts = iso.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, (1...2).contains(parts[1].count), (1...2).contains(parts[2].count),
              parts.allSatisfy({ $0.utf8.allSatisfy { (0x30...0x39).contains($0) } }),
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              year >= 1000, (1...12).contains(month), day >= 1 else { return nil }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        return day <= days ? (year, month, day) : nil
    }
}
