import Foundation
import Store

/// Percentages as the report prints them: two decimals, rounded half-up each on its own,
/// trailing zeros dropped (62.5514 → "62.55%", 9.1995 → "9.2%", 4.1 → "4.1%").
public enum Share {
    /// The rounded percentage, or nil when the whole is zero.
    public static func percent(_ part: Decimal, of whole: Decimal) -> Decimal? {
        guard whole != 0 else { return nil }
        var raw = part * 100 / whole
        var rounded = Decimal()
        NSDecimalRound(&rounded, &raw, 2, .plain)
        return rounded
    }

    public static func text(_ part: Decimal, of whole: Decimal) -> String {
        guard let p = percent(part, of: whole) else { return "—" }
        return format(p) + "%"
    }

    /// A decimal with at most two places, trailing zeros dropped.
    public static func format(_ d: Decimal) -> String {
        var s = NSDecimalNumber(decimal: d).stringValue
        if s.contains(".") {
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
        }
        return s
    }
}
