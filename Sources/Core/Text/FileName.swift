/// A file or folder name as the file system holds it (bytes), read as text: UTF-8 when it is,
/// else GB18030 (how a Windows archive unpacked on Linux leaves Chinese names), else the bytes
/// shown escaped (`\xB5`) so that a clerk can still find the file.
public struct FileName: Sendable, Hashable {
    public enum Reading: Sendable, Hashable {
        case utf8
        case gb18030
        case escaped
    }

    public var bytes: [UInt8]
    public var text: String
    public var reading: Reading

    public init(bytes: [UInt8]) {
        self.bytes = bytes
        if let s = String(validating: bytes, as: UTF8.self) {
            text = s
            reading = .utf8
        } else if case .success(let utf8) = Iconv.convert(bytes, from: "GB18030"), let s = String(validating: utf8, as: UTF8.self) {
            text = s
            reading = .gb18030
        } else {
            text = bytes.map { $0 < 0x80 && $0 >= 0x20 ? String(UnicodeScalar($0)) : "\\x" + ($0 < 16 ? "0" : "") + String($0, radix: 16, uppercase: true) }.joined()
            reading = .escaped
        }
    }

    /// The bytes shown as hex, for a message about a name that is not UTF-8.
    public var hex: String { bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16, uppercase: true) }.joined(separator: " ") }
}
