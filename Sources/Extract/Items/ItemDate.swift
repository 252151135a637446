import Core
import Store

/// A calendar date as item lists write it.
public struct ItemDate: Sendable, Hashable {
    public var year: Int, month: Int, day: Int

    /// Parses 2016-03-05, 2016/3/5, 2016.03.05, 2016年3月5日, 20160305, an Excel serial day
    /// number (42434) or date-time (42434.4166666667), an RFC 822 date (Sat, 05 Mar 2016 10:00:00 +0800), each optionally
    /// followed by a time.
    /// The same formats read straight from UTF-8; plain ASCII and 年/月/日 take a fast path,
    /// anything else (full-width digits, month names) goes through the text parser.
    public init?(utf8 raw: UnsafeBufferPointer<UInt8>) {
        // Only ASCII white space is trimmed here: any other non-ASCII byte but 年月日 sends the
        // text to the full parser, which knows the ideographic and full-width forms.
        var lo = 0, hi = raw.count
        while lo < hi && ByteText.isASCIISpace(raw[lo]) { lo += 1 }
        while hi > lo && ByteText.isASCIISpace(raw[hi - 1]) { hi -= 1 }
        let s = UnsafeBufferPointer(rebasing: raw[lo..<hi])
        guard !s.isEmpty, let fast = Self.fast(s) else {
            self.init(String(decoding: raw, as: UTF8.self))
            return
        }
        guard let date = fast else { return nil }
        self = date
    }

    /// An Excel date-time serial as some exports write it, "42434.4166666667": five digits of days
    /// (1982–2119), a point, the fraction of the day.
    static func excelDateTime<C: Collection<UInt8>>(_ s: C) -> ItemDate? where C.Index == Int {
        guard let dot = s.firstIndex(of: 0x2E), dot - s.startIndex == 5, dot + 1 < s.endIndex else { return nil }
        var days = 0
        for b in s[s.startIndex..<dot] {
            guard b >= 0x30 && b <= 0x39 else { return nil }
            days = days * 10 + Int(b - 0x30)
        }
        guard s[(dot + 1)...].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), (30_000...80_000).contains(days) else { return nil }
        return ItemDate(excelSerial: days)
    }

    /// nil when the fast path cannot decide; .some(nil) when the text is surely not a date.
    private static func fast(_ s: UnsafeBufferPointer<UInt8>) -> ItemDate?? {
        if let serial = excelDateTime(s) { return .some(serial) }
        var allDigits = true
        var numbers = (0, 0, 0)
        var count = 0, current = 0, inNumber = false, digitsInFirst = 0
        var i = s.startIndex
        while i < s.endIndex {
            let b = s[i]
            if b >= 0x30 && b <= 0x39 {
                current = min(current * 10 + Int(b - 0x30), 100_000_000)
                if count == 0 { digitsInFirst += 1 }
                inNumber = true
                i += 1
                continue
            }
            allDigits = false
            if b >= 0x80 {
                // Only 年 (E5 B9 B4), 月 (E6 9C 88) and 日 (E6 97 A5) are understood here.
                guard i + 2 < s.endIndex else { return nil }
                let (b1, b2) = (s[i + 1], s[i + 2])
                guard (b == 0xE5 && b1 == 0xB9 && b2 == 0xB4) || (b == 0xE6 && b1 == 0x9C && b2 == 0x88)
                        || (b == 0xE6 && b1 == 0x97 && b2 == 0xA5) else { return nil }
                i += 2
            } else if (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A {
                return rfc822(s).map { .some($0) }  // letters: an RFC 822 date, else the text parser
            }
            if inNumber {
                switch count {
                case 0: numbers.0 = current
                case 1: numbers.1 = current
                default: numbers.2 = current
                }
                count += 1
                current = 0
                inNumber = false
                if count == 3 { break }
            }
            i += 1
        }
        if allDigits {
            let length = s.count
            if length == 8 { return .some(ItemDate(checked: current / 10000, current / 100 % 100, current % 100)) }
            if (4...6).contains(length), current >= 1, current < 2_958_466 { return .some(ItemDate(excelSerial: current)) }
            return .some(nil)
        }
        if inNumber && count < 3 {
            switch count {
            case 0: numbers.0 = current
            case 1: numbers.1 = current
            default: numbers.2 = current
            }
            count += 1
        }
        guard count >= 3, digitsInFirst == 4 else { return .some(nil) }
        return .some(ItemDate(checked: numbers.0, numbers.1, numbers.2))
    }

    public init?(_ raw: String) {
        let s = TextFold.trimmed(raw)
        guard !s.isEmpty else { return nil }
        let digits = s.unicodeScalars.allSatisfy { $0.properties.numericType != nil && $0.value < 0x80 }
        if digits {
            if s.count == 8, let v = Int(s) {
                self.init(checked: v / 10000, v / 100 % 100, v % 100)
                return
            }
            if (4...6).contains(s.count), let serial = Int(s), serial >= 1, serial < 2_958_466 {
                self.init(excelSerial: serial)
                return
            }
            return nil
        }
        if let serial = Self.excelDateTime(Array(s.utf8)) { self = serial; return }
        if let rfc = Self.rfc822(s) { self = rfc; return }
        // Split into runs of ASCII digits; the first three make the date.
        var numbers: [Int] = []
        var current = 0, inNumber = false, digitsInFirst = 0
        for u in s.unicodeScalars {
            if u.value >= 0x30 && u.value <= 0x39 {
                current = min(current * 10 + Int(u.value - 0x30), 100_000_000)
                if numbers.isEmpty { digitsInFirst += 1 }
                inNumber = true
            } else if inNumber {
                numbers.append(current)
                current = 0
                inNumber = false
                if numbers.count == 3 { break }
            }
        }
        if inNumber && numbers.count < 3 { numbers.append(current) }
        guard numbers.count >= 3, digitsInFirst == 4 else { return nil }
        self.init(checked: numbers[0], numbers[1], numbers[2])
    }

    init?(checked year: Int, _ month: Int, _ day: Int) {
        guard (1900...2999).contains(year), (1...12).contains(month), day >= 1,
              day <= Self.daysIn(month: month, year: year) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Excel's 1900 date system, in which serial 60 is the non-existent 1900-02-29.
    init?(excelSerial: Int) {
        guard excelSerial != 60 else { return nil }
        let serial = excelSerial > 60 ? excelSerial - 1 : excelSerial  // days since 1899-12-31
        // No year is longer than 366 days, so this year is at most a few too early.
        var y = 1900 + max(0, serial - 1) / 366
        while serial > Self.daysBefore(year: y + 1) { y += 1 }
        var days = serial - Self.daysBefore(year: y)
        var m = 1
        while days > Self.daysIn(month: m, year: y) {
            days -= Self.daysIn(month: m, year: y)
            m += 1
        }
        self.init(checked: y, m, days)
    }

    /// Days from 1900-01-01 to the first day of `year`.
    private static func daysBefore(year: Int) -> Int {
        func leapYears(through y: Int) -> Int { y / 4 - y / 100 + y / 400 }
        return 365 * (year - 1900) + leapYears(through: year - 1) - leapYears(through: 1899)
    }

    /// "Sat, 05 Mar 2016 10:00:00 +0800" from bytes: the first day, month-name, year run of tokens.
    private static func rfc822(_ s: UnsafeBufferPointer<UInt8>) -> ItemDate? {
        var tokens: [(start: Int, end: Int)] = []
        var i = 0
        while i < s.count && tokens.count < 8 {
            while i < s.count && (s[i] == 0x20 || s[i] == 0x2C) { i += 1 }
            let start = i
            while i < s.count && s[i] != 0x20 && s[i] != 0x2C { i += 1 }
            if i > start { tokens.append((start, i)) }
        }
        func number(_ t: (start: Int, end: Int)) -> Int? {
            guard t.end - t.start <= 4 else { return nil }
            var v = 0
            for k in t.start..<t.end {
                guard s[k] >= 0x30 && s[k] <= 0x39 else { return nil }
                v = v * 10 + Int(s[k] - 0x30)
            }
            return v
        }
        let months: [(UInt8, UInt8, UInt8)] = [(0x6A, 0x61, 0x6E), (0x66, 0x65, 0x62), (0x6D, 0x61, 0x72), (0x61, 0x70, 0x72), (0x6D, 0x61, 0x79), (0x6A, 0x75, 0x6E),
                                               (0x6A, 0x75, 0x6C), (0x61, 0x75, 0x67), (0x73, 0x65, 0x70), (0x6F, 0x63, 0x74), (0x6E, 0x6F, 0x76), (0x64, 0x65, 0x63)]
        guard tokens.count >= 3 else { return nil }
        for k in 0..<(tokens.count - 2) {
            let m = tokens[k + 1]
            guard let d = number(tokens[k]), let y = number(tokens[k + 2]), m.end - m.start >= 3 else { continue }
            let name = (s[m.start] | 0x20, s[m.start + 1] | 0x20, s[m.start + 2] | 0x20)
            if let month = months.firstIndex(where: { $0 == name }) { return ItemDate(checked: y, month + 1, d) }
        }
        return nil
    }

    private static func rfc822(_ s: String) -> ItemDate? {
        Array(s.utf8).withUnsafeBufferPointer { rfc822($0) }
    }

    static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
