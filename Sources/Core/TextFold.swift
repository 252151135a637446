/// Width folding and whitespace handling shared by every reader and by label resolution.
public enum TextFold {
    /// True when `s` has nothing any fold below would change: no ASCII white space and no byte
    /// that can start a non-ASCII space, a byte-order mark or a full-width form (C2, E1, E2, E3,
    /// EF). Most labels are plain ideographs, and this byte scan spares them the Unicode tables.
    static func isPlain(_ s: String) -> Bool {
        var s = s
        return s.withUTF8 { buf in
            for b in buf {
                if b < 0x80 {
                    if b == 0x20 || (b >= 0x09 && b <= 0x0D) { return false }
                } else if b == 0xC2 || b == 0xE1 || b == 0xE2 || b == 0xE3 || b == 0xEF {
                    return false
                }
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
