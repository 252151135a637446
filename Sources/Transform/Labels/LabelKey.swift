import Core

/// The normalized form of a label: width folded, no spaces or line breaks, no numbering
/// prefix (一、 （一） 1． 1、 ⑴ ① 其中：), no bracketed notes or units, no trailing colon.
public enum LabelKey {
    public static func make(_ raw: String) -> String {
        var s = Array(TextFold.compact(raw).unicodeScalars)
        s = removeBracketed(s)
        var changed = true
        while changed {
            changed = false
            let before = s.count
            s = stripNumbering(s)
            if s.starts(with: Array("其中".unicodeScalars)) {
                s.removeFirst(2)
                if let f = s.first, f == ":" || f == "：" || f == "," || f == "，" { s.removeFirst() }
            }
            if s.count != before { changed = true }
        }
        while let l = s.last, l == ":" || l == "：" || l == "。" || l == "." { s.removeLast() }
        return String(String.UnicodeScalarView(s))
    }

    static let chineseNumerals: Set<Unicode.Scalar> = Set("一二三四五六七八九十百零〇".unicodeScalars)

    static func isDigit(_ u: Unicode.Scalar) -> Bool { u.value >= 0x30 && u.value <= 0x39 }

    static func stripNumbering(_ s: [Unicode.Scalar]) -> [Unicode.Scalar] {
        guard let first = s.first else { return s }
        // ⑴ ① ⒈
        if (0x2460...0x249B).contains(first.value) { return Array(s.dropFirst()) }
        // (一) (1)
        if first == "(" || first == "（" {
            var i = 1
            while i < s.count, chineseNumerals.contains(s[i]) || isDigit(s[i]) { i += 1 }
            if i > 1, i < s.count, s[i] == ")" || s[i] == "）" { return Array(s[(i + 1)...]) }
            return s
        }
        // 一、 十一. 1. 1、 1.1 1)
        var i = 0
        let numeral = chineseNumerals.contains(first)
        while i < s.count, numeral ? chineseNumerals.contains(s[i]) : (isDigit(s[i]) || (i > 0 && s[i] == "." && i + 1 < s.count && isDigit(s[i + 1]))) {
            i += 1
        }
        guard i > 0, i < s.count else { return s }
        let sep = s[i]
        if sep == "、" || sep == "." || sep == "．" || sep == ")" || sep == "）" || (!numeral && sep == " ") {
            return Array(s[(i + 1)...])
        }
        // A bare Arabic row number glued to the label ("1工作动态类") is left alone: too risky.
        return s
    }

    /// Drops "(…)", "（…）" and "【…】" with their content, except a leading numbering bracket.
    static func removeBracketed(_ s: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        var depth = 0
        var k = 0
        while k < s.count {
            let u = s[k]
            if u == "(" || u == "（" || u == "【" {
                // Keep a numbering bracket such as (一) at the very start; stripNumbering handles it.
                if out.isEmpty && depth == 0, let close = s[(k + 1)...].firstIndex(where: { $0 == ")" || $0 == "）" }),
                   close > k + 1, s[(k + 1)..<close].allSatisfy({ chineseNumerals.contains($0) || isDigit($0) }) {
                    out.append(contentsOf: s[k...close])
                    k = close + 1
                    continue
                }
                depth += 1
            } else if (u == ")" || u == "）" || u == "】") && depth > 0 {
                depth -= 1
            } else if depth == 0 {
                out.append(u)
            }
            k += 1
        }
        return out
    }

    /// Character-bigram Dice similarity, for suggestions (CJK has no words to split on).
    public static func similarity(_ a: String, _ b: String) -> Double {
        func bigrams(_ s: String) -> [String: Int] {
            let c = Array(s)
            guard c.count > 1 else { return [s: 1] }
            var out: [String: Int] = [:]
            for i in 0..<(c.count - 1) { out[String(c[i...i + 1]), default: 0] += 1 }
            return out
        }
        let x = bigrams(a), y = bigrams(b)
        let common = x.reduce(0) { $0 + min($1.value, y[$1.key] ?? 0) }
        let total = x.values.reduce(0, +) + y.values.reduce(0, +)
        return total == 0 ? 0 : 2 * Double(common) / Double(total)
    }
}
