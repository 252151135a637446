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
}
