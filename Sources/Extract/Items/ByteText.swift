/// Byte-level shortcuts over UTF-8 for the item-list hot path. Each answers only when the
/// text is plain ASCII at the point in question and otherwise defers to ``TextFold``, so both
/// paths give the same result.
enum ByteText {
    static func isASCIISpace(_ b: UInt8) -> Bool { b == 0x20 || (b >= 0x09 && b <= 0x0D) }

    /// `s` without ASCII white space at either end, or nil when an end is non-ASCII (which may
    /// be a full-width or ideographic space that only ``TextFold`` knows how to treat).
    static func asciiTrimmed(_ s: ArraySlice<UInt8>) -> ArraySlice<UInt8>? {
        var lo = s.startIndex, hi = s.endIndex
        while lo < hi && isASCIISpace(s[lo]) { lo += 1 }
        while hi > lo && isASCIISpace(s[hi - 1]) { hi -= 1 }
        if lo < hi && (s[lo] >= 0x80 || s[hi - 1] >= 0x80) { return nil }
        return s[lo..<hi]
    }

    static func isASCII(_ s: ArraySlice<UInt8>) -> Bool { !s.contains { $0 >= 0x80 } }

    /// `s` trimmed and width-folded exactly as ``TextFold/trimmed(_:)`` does it, as UTF-8.
    static func trimmed(_ s: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        if let t = asciiTrimmed(s), isASCII(t) { return t }
        return Array(TextFold.trimmed(String(decoding: s, as: UTF8.self)).utf8)[...]
    }

    static func isBlank(_ s: ArraySlice<UInt8>) -> Bool {
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
