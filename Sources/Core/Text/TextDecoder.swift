#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Decodes a whole submitted file to UTF-8 bytes, deciding the encoding on evidence.
///
/// The ladder: byte-order mark, then the UTF-16 NUL pattern, then strict UTF-8 over the
/// whole file, then strict GB18030 over the whole file, otherwise an error. Nothing is
/// ever replaced by U+FFFD: a byte that fits no encoding stops the decoding.
public enum TextDecoder {
    public struct Decoded: Sendable {
        /// UTF-8 text without any byte-order mark.
        public var utf8: [UInt8]
        public var decision: EncodingDecision
    }

    public static func decode(_ bytes: [UInt8]) -> Result<Decoded, TextDecodingError> {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            let body = Array(bytes.dropFirst(3))
            if let bad = firstInvalidUTF8(body) {
                return .failure(undecodable(bytes, utf8Offset: bad + 3, gbOffset: bad + 3))
            }
            return .success(Decoded(utf8: body, decision: .init(.utf8BOM, evidence: "文件以 UTF-8 BOM（EF BB BF）开头")))
        }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            let little = bytes[0] == 0xFF
            return utf16(bytes.dropFirst(2), little: little, evidence: "文件以 UTF-16 BOM（\(little ? "FF FE" : "FE FF")）开头")
        }
        if bytes.starts(with: [0x84, 0x31, 0x95, 0x33]) {
            return gb18030(Array(bytes.dropFirst(4)), utf8Offset: 0, evidence: "文件以 GB18030 BOM（84 31 95 33）开头")
        }
        if let little = nulPattern(bytes) {
            return utf16(bytes[...], little: little, evidence: "无 BOM，但文件前部的 NUL 字节分布符合 UTF-16\(little ? "LE" : "BE")")
        }
        guard let bad = firstInvalidUTF8(bytes) else {
            let ascii = !bytes.contains { $0 >= 0x80 }
            return .success(Decoded(
                utf8: bytes,
                decision: .init(.utf8, evidence: ascii ? "全文仅含 ASCII 字符" : "全文 \(bytes.count) 字节均为合法 UTF-8")))
        }
        return gb18030(bytes, utf8Offset: bad, evidence: "首个非 UTF-8 字节位于偏移 \(bad)（\(hex(bytes, at: bad))）；全文按 GB18030 解码成功")
    }

    /// The bytes in an encoding the file itself declares (a web page's meta charset), converted
    /// strictly; nil when iconv does not know the name or a byte does not fit it.
    public static func decode(_ bytes: [UInt8], declared charset: String) -> Decoded? {
        guard case .success(let utf8) = Iconv.convert(bytes, from: charset), UTF8Check.isValid(utf8) else { return nil }
        return Decoded(utf8: utf8, decision: .init(.declared, evidence: "网页声明编码为 \(charset)，按该编码严格解码成功"))
    }

    /// Offset of the first byte that breaks strict UTF-8 (no overlongs, no surrogates), or nil.
    public static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int? {
        // The block check is the fast path; it rejects exactly what the loop below rejects,
        // which runs only to locate the offending byte.
        if UTF8Check.isValid(bytes) { return nil }
        return bytes.withUnsafeBufferPointer { buf -> Int? in
            let n = buf.count
            var i = 0
            while i < n {
                // ASCII fast path, eight bytes at a time.
                while i + 8 <= n {
                    let word = UnsafeRawPointer(buf.baseAddress! + i).loadUnaligned(as: UInt64.self)
                    if word & 0x8080_8080_8080_8080 != 0 { break }
                    i += 8
                }
                guard i < n else { break }
                let b0 = buf[i]
                if b0 < 0x80 { i += 1; continue }
                let need: Int
                var lo: UInt8 = 0x80, hi: UInt8 = 0xBF
                switch b0 {
                case 0xC2...0xDF: need = 1
                case 0xE0: need = 2; lo = 0xA0
                case 0xE1...0xEC, 0xEE, 0xEF: need = 2
                case 0xED: need = 2; hi = 0x9F
                case 0xF0: need = 3; lo = 0x90
                case 0xF1...0xF3: need = 3
                case 0xF4: need = 3; hi = 0x8F
                default: return i
                }
                guard i + need < n else { return i }
                let b1 = buf[i + 1]
                if b1 < lo || b1 > hi { return i }
                if need >= 2 {
                    for k in 2...need where buf[i + k] & 0xC0 != 0x80 { return i }
                }
                i += need + 1
            }
            return nil
        }
    }

    private static func nulPattern(_ bytes: [UInt8]) -> Bool? {
        let sample = bytes.prefix(4096)
        guard sample.count >= 4 else { return nil }
        var evenNul = 0, oddNul = 0
        for (k, b) in sample.enumerated() where b == 0 {
            if k % 2 == 0 { evenNul += 1 } else { oddNul += 1 }
        }
        let pairs = sample.count / 2
        if oddNul * 4 >= pairs && evenNul * 20 < pairs { return true }
        if evenNul * 4 >= pairs && oddNul * 20 < pairs { return false }
        return nil
    }

    private static func utf16(_ body: ArraySlice<UInt8>, little: Bool, evidence: String) -> Result<Decoded, TextDecodingError> {
        if body.count % 2 != 0 {
            return .failure(TextDecodingError(utf8Offset: 0, gb18030Offset: body.count, line: 0, bytes: "奇数字节长度"))
        }
        var units = [UInt16]()
        units.reserveCapacity(body.count / 2)
        var i = body.startIndex
        while i < body.endIndex {
            let a = UInt16(body[i]), b = UInt16(body[i + 1])
            units.append(little ? a | b << 8 : a << 8 | b)
            i += 2
        }
        var out = [UInt8]()
        out.reserveCapacity(units.count * 2)
        let failed = transcode(units.makeIterator(), from: UTF16.self, to: UTF8.self, stoppingOnError: true) { out.append($0) }
        if failed {
            let line = out.reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
            return .failure(TextDecodingError(utf8Offset: 0, gb18030Offset: out.count, line: line, bytes: "不成对的 UTF-16 代理项"))
        }
        return .success(Decoded(utf8: out, decision: .init(little ? .utf16LE : .utf16BE, evidence: evidence)))
    }

    private static func gb18030(_ bytes: [UInt8], utf8Offset: Int, evidence: String) -> Result<Decoded, TextDecodingError> {
        switch Iconv.convert(bytes, from: "GB18030") {
        case .success(let utf8):
            return .success(Decoded(utf8: utf8, decision: .init(.gb18030, evidence: evidence)))
        case .failure(let failure):
            return .failure(undecodable(bytes, utf8Offset: utf8Offset, gbOffset: failure.offset))
        }
    }

    /// Located where the more plausible encoding (the one that read further) broke down.
    private static func undecodable(_ bytes: [UInt8], utf8Offset: Int, gbOffset: Int) -> TextDecodingError {
        let at = max(utf8Offset, gbOffset)
        let line = bytes.prefix(at).reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
        return TextDecodingError(utf8Offset: utf8Offset, gb18030Offset: gbOffset, line: line, bytes: hex(bytes, at: at))
    }

    static func hex(_ bytes: [UInt8], at offset: Int) -> String {
        bytes[offset..<min(bytes.count, offset + 4)].map { b in
            let s = String(b, radix: 16, uppercase: true)
            return s.count == 1 ? "0" + s : s
        }.joined(separator: " ")
    }
}
