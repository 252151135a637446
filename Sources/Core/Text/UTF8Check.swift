/// Strict UTF-8 validation of a whole buffer, sixteen bytes at a time.
///
/// A byte is checked against the three bytes before it, which are read by overlapping loads,
/// so no lane ever has to be shifted: a byte must be a continuation byte exactly when the byte
/// before it leads a sequence, the one two before leads a three- or four-byte sequence, or the
/// one three before leads a four-byte sequence. With that rule, the bytes that never occur
/// (C0, C1, F5–FF) and the second-byte ranges of E0, ED, F0 and F4 (no overlongs, no
/// surrogates, nothing past U+10FFFF), a buffer passes exactly when the standard library would
/// accept it. A run of ASCII is skipped on a word test.
///
/// The check answers only yes or no; ``TextDecoder/firstInvalidUTF8(_:)`` locates the byte.
public enum UTF8Check {
    private typealias Lanes = SIMD16<UInt8>
    private typealias Flags = SIMDMask<SIMD16<Int8>>

    /// True when every byte of `bytes` belongs to a well-formed UTF-8 sequence.
    public static func isValid(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = bytes.count
        guard let base = bytes.baseAddress, n > 0 else { return true }
        let width = Lanes.scalarCount
        var i = 0
        if n >= width {
            // The first block reads three bytes before it: zeros, which lead nothing.
            guard padded(base, to: width, at: 0) else { return false }
            i = width
            let p = UnsafeRawPointer(base)
            var seen = Flags(repeating: false)
            while i + width <= n {
                // This block and the three bytes before it, all ASCII: nothing to check.
                let before = (p + i - 8).loadUnaligned(as: UInt64.self)
                let first = (p + i).loadUnaligned(as: UInt64.self), second = (p + i + 8).loadUnaligned(as: UInt64.self)
                if (before | first | second) & 0x8080_8080_8080_8080 != 0 {
                    seen .|= errors(p + i)
                    // A file in another encoding fails within its first blocks: stop early.
                    if i & 0x3FF == 0, any(seen) { return false }
                }
                i += width
            }
            if any(seen) { return false }
        }
        // The last bytes, followed by zeros: a sequence cut off at the end fails on them.
        return padded(base, to: n, at: i)
    }

    public static func isValid(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { isValid($0) }
    }

    /// Checks the block at `block` (the first block, or fewer than sixteen bytes left) from a
    /// copy: the up to three bytes before it and the bytes up to `to`, with zeros around them.
    private static func padded(_ base: UnsafePointer<UInt8>, to: Int, at block: Int) -> Bool {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 3 + 2 * Lanes.scalarCount) { scratch in
            scratch.initialize(repeating: 0)
            let start = max(0, block - 3)
            for k in start..<to { scratch[3 + k - block] = base[k] }
            return !any(errors(UnsafeRawPointer(scratch.baseAddress! + 3)))
        }
    }

    /// The lanes of the sixteen bytes at `q` that break UTF-8, given the three bytes before `q`.
    @inline(__always)
    private static func errors(_ q: UnsafeRawPointer) -> Flags {
        let byte = q.loadUnaligned(as: Lanes.self)
        let back1 = (q - 1).loadUnaligned(as: Lanes.self)
        let back2 = (q - 2).loadUnaligned(as: Lanes.self)
        let back3 = (q - 3).loadUnaligned(as: Lanes.self)
        let continuation = (byte & Lanes(repeating: 0xC0)) .== Lanes(repeating: 0x80)
        let expected = (back1 .>= Lanes(repeating: 0xC0)) .| (back2 .>= Lanes(repeating: 0xE0)) .| (back3 .>= Lanes(repeating: 0xF0))
        var bad = continuation .^ expected
        bad .|= (byte .== Lanes(repeating: 0xC0)) .| (byte .== Lanes(repeating: 0xC1)) .| (byte .>= Lanes(repeating: 0xF5))
        bad .|= (back1 .== Lanes(repeating: 0xE0)) .& (byte .< Lanes(repeating: 0xA0))   // overlong three-byte
        bad .|= (back1 .== Lanes(repeating: 0xED)) .& (byte .> Lanes(repeating: 0x9F))   // surrogate
        bad .|= (back1 .== Lanes(repeating: 0xF0)) .& (byte .< Lanes(repeating: 0x90))   // overlong four-byte
        bad .|= (back1 .== Lanes(repeating: 0xF4)) .& (byte .> Lanes(repeating: 0x8F))   // past U+10FFFF
        return bad
    }
}
