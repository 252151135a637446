/// Width folding and whitespace handling shared by every reader and by label resolution.
public enum TextFold {
    /// True when `s` has nothing any fold below would change: no ASCII white space, none of the
    /// other white space (U+0085, U+00A0, U+1680, U+2000–U+205F, U+3000), no byte-order mark and
    /// no full-width form (U+FF00–U+FF7F). Most labels are plain ideographs and punctuation
    /// (“、” is U+3001), and this byte scan spares them the Unicode tables. It errs only towards
    /// "not plain" (all of U+2000–U+207F, U+FF00–U+FF7F), which costs the slow path, never a fold.
    static func isPlain(_ s: String) -> Bool {
        var s = s
        return s.withUTF8 { buf in
            let n = buf.count
            /// The byte `k` places after `i`, or 0 past the end.
            func at(_ i: Int, _ k: Int) -> UInt8 { i + k < n ? buf[i + k] : 0 }
            var i = 0
            while i < n {
                let b = buf[i]
                if b < 0x80 {
                    if b == 0x20 || (b >= 0x09 && b <= 0x0D) { return false }
                } else if b == 0xC2 || b >= 0xE1 && b <= 0xE3 || b == 0xEF {
                    // Only these lead bytes start a character a fold changes; the rest (most
                    // ideographs: E4–E9) are passed over as they are.
                    let b1 = at(i, 1)
                    switch b {
                    case 0xC2: if b1 == 0x85 || b1 == 0xA0 { return false }
                    case 0xE1: if b1 == 0x9A && at(i, 2) == 0x80 { return false }
                    case 0xE2: if b1 == 0x80 || b1 == 0x81 { return false }
                    case 0xE3: if b1 == 0x80 && at(i, 2) == 0x80 { return false }
                    default: if b1 == 0xBC || b1 == 0xBD || (b1 == 0xBB && at(i, 2) == 0xBF) { return false }
                    }
                }
                i += 1
            }
            return true
        }
    }

    /// Full-width ASCII forms (U+FF01–U+FF5E) to ASCII, the ideographic space to a space.
    public static func width(_ s: String) -> String {
        if isPlain(s) { return s }
        guard s.unicodeScalars.contains(where: { $0.value >= 0xFF01 && $0.value <= 0xFF5E || $0.value == 0x3000 })
        else { return s }
        var out = String.UnicodeScalarView()
        for u in s.unicodeScalars {
            switch u.value {
            case 0xFF01...0xFF5E: out.append(Unicode.Scalar(u.value - 0xFEE0)!)
            case 0x3000: out.append(" ")
            default: out.append(u)
            }
        }
        return String(out)
    }

    /// Width-folded, with every kind of white space (line breaks, NBSP, ideographic space) removed.
    public static func compact(_ s: String) -> String {
        if isPlain(s) { return s }
        return String(String.UnicodeScalarView(width(s).unicodeScalars.filter { !$0.properties.isWhitespace && $0 != "\u{FEFF}" }))
    }

    /// Width-folded and trimmed at both ends.
    public static func trimmed(_ s: String) -> String {
        if isPlain(s) { return s }
        let w = width(s)
        return String(w.unicodeScalars.drop(while: isSpace).reversed().drop(while: isSpace).reversed().map(Character.init))
    }

    private static func isSpace(_ u: Unicode.Scalar) -> Bool { u.properties.isWhitespace || u == "\u{FEFF}" }
}
