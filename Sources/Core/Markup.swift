/// Text made safe inside HTML or XML markup, as element content or a double-quoted attribute
/// value: the one escaping every page, report and Word part goes through.
public enum Markup {
    /// `&`, `<`, `>` and `"` as entities.
    /// - Parameter apostrophe: `'` as `&#39;` too (the serve pages, whose attributes a script may quote either way).
    /// - Parameter droppingControls: characters XML 1.0 does not allow (controls but tab and line
    ///   breaks) dropped, rather than making Word refuse the file.
    public static func escape(_ s: String, apostrophe: Bool = false, droppingControls: Bool = false) -> String {
        if !s.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || (apostrophe && $0 == 0x27) || (droppingControls && $0 < 0x20) }) {
            return s
        }
        var out = ""
        out.reserveCapacity(s.utf8.count + 16)
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'" where apostrophe: out += "&#39;"
            case _ where droppingControls && c.value < 0x20 && c != "\t" && c != "\n" && c != "\r": continue
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }
}
