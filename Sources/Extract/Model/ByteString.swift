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

    public static func == (a: ByteString, b: ByteString) -> Bool { a.utf8 == b.utf8 }
    public func hash(into hasher: inout Hasher) { utf8.withUnsafeBytes { hasher.combine(bytes: $0) } }
    /// Byte order, which is the order SQLite's BINARY collation gives.
    public static func < (a: ByteString, b: ByteString) -> Bool { a.utf8.lexicographicallyPrecedes(b.utf8) }
}
