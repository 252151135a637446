import Core
import Store

/// Byte-level shortcuts over UTF-8 for the item-list hot path. Each answers only when the
/// text is plain ASCII at the point in question and otherwise defers to ``TextFold``, so both
/// paths give the same result.
enum ByteText {
    typealias Bytes = UnsafeBufferPointer<UInt8>

    static func isASCIISpace(_ b: UInt8) -> Bool { b == 0x20 || (b >= 0x09 && b <= 0x0D) }

    static func isASCII(_ s: Bytes) -> Bool { !s.contains { $0 >= 0x80 } }

    /// `s` trimmed and width-folded exactly as ``TextFold/trimmed(_:)`` does it, as UTF-8.
    static func withTrimmed<R>(_ s: Bytes, _ body: (Bytes) -> R) -> R {
        var lo = 0, hi = s.count
        while lo < hi && isASCIISpace(s[lo]) { lo += 1 }
        while hi > lo && isASCIISpace(s[hi - 1]) { hi -= 1 }
        let t = Bytes(rebasing: s[lo..<hi])
        if isASCII(t) { return body(t) }
        let folded = Array(TextFold.trimmed(String(decoding: s, as: UTF8.self)).utf8)
        return folded.withUnsafeBufferPointer(body)
    }

    static func isBlank(_ s: Bytes) -> Bool {
        var ascii = true
        for b in s {
            if b < 0x80 {
                if !isASCIISpace(b) { return false }
            } else {
                if b >= 0xE4 && b <= 0xE9 { return false }  // lead byte of a CJK ideograph
                ascii = false
            }
        }
        return ascii || String(decoding: s, as: UTF8.self).allSatisfy(\.isWhitespace)
    }
}
