/// The character encodings a submission may arrive in.
public enum SourceEncoding: String, Codable, Sendable {
    case utf8 = "UTF-8"
    case utf8BOM = "UTF-8 (BOM)"
    case gb18030 = "GB18030"
    case utf16LE = "UTF-16LE"
    case utf16BE = "UTF-16BE"
    /// Another encoding a web page declares (Big5, Shift_JIS…), read strictly by iconv.
    case declared = "页面声明的编码"
}

/// Which encoding was chosen for a file, and why: kept with the file's provenance.
public struct EncodingDecision: Codable, Sendable, Hashable {
    public var encoding: SourceEncoding
    /// Plain words a clerk can check, e.g. "首个非 UTF-8 字节位于偏移 112；全文按 GB18030 解码成功".
    public var evidence: String

    public init(_ encoding: SourceEncoding, evidence: String) {
        self.encoding = encoding
        self.evidence = evidence
    }
}

/// Why a file could not be decoded in any accepted encoding.
public struct TextDecodingError: Error, Sendable, Hashable {
    /// Byte offset of the first byte that is not UTF-8.
    public var utf8Offset: Int
    /// Byte offset where GB18030 decoding failed.
    public var gb18030Offset: Int
    /// 1-based line of the GB18030 failure.
    public var line: Int
    /// The bytes found there, in hex.
    public var bytes: String
}

extension EncodingDecision: JSONWritable {
    public func write(to json: inout JSONWriter) {
        json.beginObject()
        json.field("encoding", encoding.rawValue)
        json.field("evidence", evidence)
        json.endObject()
    }
}
