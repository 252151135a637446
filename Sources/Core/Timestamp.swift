import Foundation

/// UTC times as ISO 8601 text ("2026-11-26T23:05:36Z"), written by hand: Foundation's
/// ISO8601DateFormatter costs a millisecond to set up, and every run stamps a few.
public enum Timestamp {
    public static func iso(_ seconds: Double) -> String {
        var t = time_t(seconds.rounded(.down))
        var parts = tm()
        gmtime_r(&t, &parts)
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
    }

    public static func now() -> String { iso(Date().timeIntervalSince1970) }

    /// The seconds of a time written by ``iso(_:)`` (its first 19 characters are read); nil for other text.
    public static func seconds(iso text: String) -> Double? {
        let b = Array(text.utf8.prefix(19))
        guard b.count == 19, b[4] == 0x2D, b[7] == 0x2D, b[10] == 0x54 || b[10] == 0x20, b[13] == 0x3A, b[16] == 0x3A else { return nil }
        func n(_ r: Range<Int>) -> Int32? {
            var v: Int32 = 0
            for c in b[r] { guard c >= 0x30 && c <= 0x39 else { return nil }; v = v * 10 + Int32(c - 0x30) }
            return v
        }
        guard let y = n(0..<4), let mo = n(5..<7), let d = n(8..<10), let h = n(11..<13), let mi = n(14..<16), let s = n(17..<19) else { return nil }
        var parts = tm()
        parts.tm_year = y - 1900
        parts.tm_mon = mo - 1
        parts.tm_mday = d
        parts.tm_hour = h
        parts.tm_min = mi
        parts.tm_sec = s
        return Double(timegm(&parts))
    }

    /// "2027-02-03 16:15": the time in China (UTC+8, no summer time), to the minute, as the staff read it.
    public static func chinaMinutes(_ seconds: Double) -> String {
        String(iso(seconds + 8 * 3600).prefix(16)).replacing("T", with: " ")
    }
}
