import Core

/// A row's printed number, in any of the styles reports print it: its level (1 for 一、, 2 for
/// （一）, 3 for 1. 1、 １． (1) ⑴ ①) and its value. Two labels with the same number under the same
/// heading are the same row of the form, whatever else a report did to the words.
struct RowNumber: Equatable, Sendable {
    var level: Int
    var value: Int

    static func parse(_ raw: String) -> RowNumber? {
        let s = Array(TextFold.compact(raw).unicodeScalars)
        guard let first = s.first else { return nil }
        if (0x2474...0x2487).contains(first.value) { return RowNumber(level: 3, value: Int(first.value) - 0x2473) }  // ⑴
        if (0x2460...0x2473).contains(first.value) { return RowNumber(level: 3, value: Int(first.value) - 0x245F) }  // ①
        if first == "(" {
            var i = 1
            while i < s.count, s[i] != ")" { i += 1 }
            guard i > 1, i < s.count else { return nil }
            let inner = Array(s[1..<i])
            if let n = chinese(inner) { return RowNumber(level: 2, value: n) }
            if let n = arabic(inner) { return RowNumber(level: 3, value: n) }
            return nil
        }
        var i = 0
        if numerals[first] != nil {
            while i < s.count, numerals[s[i]] != nil { i += 1 }
            guard let n = chinese(Array(s[0..<i])) else { return nil }
            // "一" alone (the form's own number) or "一、" / "一." before a label.
            if i == s.count || s[i] == "、" || s[i] == "." { return RowNumber(level: 1, value: n) }
            return nil
        }
        while i < s.count, s[i].value >= 0x30 && s[i].value <= 0x39 { i += 1 }
        guard i > 0, let n = arabic(Array(s[0..<i])) else { return nil }
        if i == s.count || ["、", ".", ")", ",", " "].contains(s[i]) { return RowNumber(level: 3, value: n) }
        return nil
    }

    private static let numerals: [Unicode.Scalar: Int] = ["一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10]

    /// 一 … 九十九.
    private static func chinese(_ s: [Unicode.Scalar]) -> Int? {
        guard !s.isEmpty, s.count <= 3, s.allSatisfy({ numerals[$0] != nil }) else { return nil }
        if s.count == 1 { return numerals[s[0]] }
        if s.count == 2 { return s[0] == "十" ? 10 + numerals[s[1]]! : (s[1] == "十" ? numerals[s[0]]! * 10 : nil) }
        return s[1] == "十" && s[0] != "十" && s[2] != "十" ? numerals[s[0]]! * 10 + numerals[s[2]]! : nil
    }

    private static func arabic(_ s: [Unicode.Scalar]) -> Int? {
        guard !s.isEmpty, s.count <= 3, s.allSatisfy({ $0.value >= 0x30 && $0.value <= 0x39 }) else { return nil }
        return Int(String(String.UnicodeScalarView(s)))
    }
}
