#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Text by its UTF-8 bytes, for keys looked up thousands of times a run: hashed and compared as
/// bytes, where `String` normalizes every non-ASCII character on each hash and each unequal
/// comparison. Equal only when the bytes are, so callers key canonical forms (NFC) or text that
/// is compared exactly anyway (names as the dataset and the registry spell them).
public struct ByteString: Hashable, Comparable, Sendable {
    public let utf8: [UInt8]

    public init(_ text: String) { utf8 = Array(text.utf8) }
    public init(bytes: [UInt8]) { utf8 = bytes }
    public init(_ bytes: ArraySlice<UInt8>) { utf8 = Array(bytes) }

    public var text: String { String(decoding: utf8, as: UTF8.self) }

    /// True when `needle`'s bytes occur in `haystack`, byte for byte (`memchr` to each candidate
    /// first byte, `memcmp` for the rest): for searches on a hot path, where Foundation's generic
    /// `firstRange(of:)` costs more than the text it looks through.
    public static func occurs(_ needle: UnsafeRawBufferPointer, in haystack: UnsafeRawBufferPointer) -> Bool {
        guard let first = needle.first else { return true }
        guard let start = haystack.baseAddress, haystack.count >= needle.count else { return false }
        var at = start
        let last = start + (haystack.count - needle.count)  // the last place a match can begin
        while at <= last, let hit = memchr(at, Int32(first), last - at + 1) {
            if memcmp(hit, needle.baseAddress!, needle.count) == 0 { return true }
            at = UnsafeRawPointer(hit) + 1
        }
        return false
    }

    /// True when the text is made only of ASCII, CJK ideographs (U+4000–U+9FFF) and half- and
    /// full-width forms (U+FF00–U+FFFF): none of these decomposes or combines, so such text is its
    /// own NFC, and byte order is `String` order for it.
    public static func isPlainCanonical(_ bytes: some Collection<UInt8>) -> Bool {
        var expect = 0  // continuation bytes still to come of a character already judged
        var previous: UInt8 = 0
        for b in bytes {
            if expect > 0 {
                if previous == 0xEF && expect == 2 && b < 0xBC { return false }  // EF 80–BB: U+F000–U+FEFF
                expect -= 1
            } else if b < 0x80 {
                continue
            } else if (0xE4...0xE9).contains(b) || b == 0xEF {
                expect = 2
            } else {
                return false
            }
            previous = b
        }
        return expect == 0
    }

    public static func == (a: ByteString, b: ByteString) -> Bool { a.utf8 == b.utf8 }
    public func hash(into hasher: inout Hasher) { utf8.withUnsafeBytes { hasher.combine(bytes: $0) } }
    /// Byte order, which is the order SQLite's BINARY collation gives.
    public static func < (a: ByteString, b: ByteString) -> Bool {
        a.utf8.withUnsafeBytes { x in b.utf8.withUnsafeBytes { y in ByteString.precedes(x, y) } }
    }

    /// Whether `a` and `b` are the same bytes.
    public static func same(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        a.count == b.count && (a.count == 0 || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0)
    }

    /// Whether `a` sorts before `b` byte by byte (`memcmp`, then the shorter first).
    public static func precedes(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        let common = min(a.count, b.count)
        let order = common == 0 ? 0 : memcmp(a.baseAddress!, b.baseAddress!, common)
        return order != 0 ? order < 0 : a.count < b.count
    }
}

extension String {
    /// Whether this text's UTF-8 bytes sort before `other`'s: the order of SQLite's BINARY
    /// collation and PostgreSQL's "C", and `String` order for text that is its own NFC
    /// (``ByteString/isPlainCanonical(_:)``). Compared in place: the generic walk over two
    /// `UTF8View`s costs some two thousand instructions a pair.
    public func bytesPrecede(_ other: String) -> Bool {
        var a = self, b = other
        return a.withUTF8 { x in b.withUTF8 { y in ByteString.precedes(UnsafeRawBufferPointer(x), UnsafeRawBufferPointer(y)) } }
    }

    /// Whether this text and `other` are the same UTF-8 bytes (where `==` would also take text
    /// that differs only in Unicode normalization as equal).
    public func sameBytes(as other: String) -> Bool {
        var a = self, b = other
        return a.withUTF8 { x in b.withUTF8 { y in ByteString.same(UnsafeRawBufferPointer(x), UnsafeRawBufferPointer(y)) } }
    }
}

extension Sequence {
    /// The elements in `String` order of `key`: compared as bytes when every key is plain
    /// canonical text (``ByteString/isPlainCanonical(_:)``: the same order, without the Unicode
    /// work of comparing thousands of Chinese names), as strings otherwise.
    public func sorted(byText key: (Element) -> String) -> [Element] {
        let items = Array(self)
        let keys = items.map(key)
        let order: [Int]
        if keys.allSatisfy({ ByteString.isPlainCanonical($0.utf8) }) {
            order = keys.indices.sorted { keys[$0].bytesPrecede(keys[$1]) }
        } else {
            order = keys.indices.sorted { keys[$0] < keys[$1] }
        }
        return order.map { items[$0] }
    }
}

extension Array where Element == UInt8 {
    /// Appends `text` with backslash, tab and line ends written as `\\`, `\t`, `\n` and `\r`:
    /// the escapes of the workspace's tab-separated state files, which are also those of
    /// PostgreSQL's COPY text format. Text holding none of them is copied where its bytes lie.
    public mutating func appendTabEscaped(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            guard bytes.contains(where: { $0 == 0x5C || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) else {
                append(contentsOf: bytes)
                return
            }
            for b in bytes {
                switch b {
                case 0x5C: self += [0x5C, 0x5C]
                case 0x09: self += [0x5C, UInt8(ascii: "t")]
                case 0x0A: self += [0x5C, UInt8(ascii: "n")]
                case 0x0D: self += [0x5C, UInt8(ascii: "r")]
                default: append(b)
                }
            }
        }
    }
}
