/// An RFC 4180 scanner over UTF-8 bytes: quoted fields with commas, doubled quotes and line
/// breaks; CRLF, LF or CR line ends; comma, tab or semicolon as the delimiter.
///
/// Decoding happens before scanning (see ``TextDecoder``), so a GBK trail byte can never be
/// taken for a delimiter.
public struct CSVScanner: Sendable {
    public struct Record: Sendable {
        /// 1-based line on which the record starts.
        public var line: Int
        public var fields: [String]

        public subscript(_ index: Int) -> String { index < fields.count ? fields[index] : "" }
        public var isBlank: Bool { fields.allSatisfy { $0.allSatisfy(\.isWhitespace) } }
    }

    public enum Problem: Sendable, Hashable {
        /// A quoted field opened on this line never closes.
        case unterminatedQuote(line: Int)
    }

    private let bytes: [UInt8]
    public let delimiter: UInt8
    private var position = 0
    private var line = 1
    public private(set) var problems: [Problem] = []

    public init(utf8 bytes: [UInt8], delimiter: UInt8? = nil) {
        self.bytes = bytes
        self.delimiter = delimiter ?? Self.sniffDelimiter(bytes)
    }

    /// The delimiter that splits the first lines most consistently: tab, comma or semicolon.
    static func sniffDelimiter(_ bytes: [UInt8]) -> UInt8 {
        var tabs = 0, commas = 0, semicolons = 0
        var quoted = false
        var lines = 0
        for b in bytes.prefix(16384) {
            switch b {
            case 0x22: quoted.toggle()
            case 0x0A where !quoted:
                lines += 1
                if lines >= 30 { break }
            case 0x09 where !quoted: tabs += 1
            case 0x2C where !quoted: commas += 1
            case 0x3B where !quoted: semicolons += 1
            default: break
            }
            if lines >= 30 { break }
        }
        if tabs > 0 && tabs >= commas { return 0x09 }
        if semicolons > commas * 2 { return 0x3B }
        return 0x2C
    }

    /// A record as slices of the decoded text, for the item-list hot path: no String is made.
    public struct RawRecord: Sendable {
        public var line = 0
        public var fields: [ArraySlice<UInt8>] = []

        public init() {}

        public subscript(_ index: Int) -> ArraySlice<UInt8> { index < fields.count ? fields[index] : [] }
    }

    public mutating func next() -> Record? {
        var raw = RawRecord()
        guard next(into: &raw) else { return nil }
        return Record(line: raw.line, fields: raw.fields.map { String(decoding: $0, as: UTF8.self) })
    }

    /// Reads the next record into `record`, reusing its storage; false at the end of the text.
    public mutating func next(into record: inout RawRecord) -> Bool {
        let n = bytes.count
        guard position < n else { return false }
        record.fields.removeAll(keepingCapacity: true)
        record.line = line
        let source = bytes
        var i = position
        source.withUnsafeBufferPointer { buf in
            while true {
                if i < n && buf[i] == 0x22 {
                    record.fields.append(quotedField(buf, source, at: &i))
                } else {
                    let start = i
                    while i < n {
                        let b = buf[i]
                        if b == delimiter || b == 0x0A || b == 0x0D { break }
                        i += 1
                    }
                    record.fields.append(source[start..<i])
                }
                if i >= n { break }
                let b = buf[i]
                if b == delimiter {
                    i += 1
                    if i >= n { record.fields.append([]); break }
                    continue
                }
                // Line end.
                if b == 0x0D && i + 1 < n && buf[i + 1] == 0x0A { i += 2 } else { i += 1 }
                line += 1
                break
            }
        }
        position = i
        return true
    }

    /// A quoted field starting at `i`: a slice of the text when it holds no doubled quote,
    /// else an unescaped copy. Text after the closing quote belongs to the field, as Excel reads it.
    private mutating func quotedField(_ buf: UnsafeBufferPointer<UInt8>, _ source: [UInt8], at i: inout Int) -> ArraySlice<UInt8> {
        let n = buf.count
        let quoteLine = line
        i += 1
        let start = i
        var copy: [UInt8]? = nil
        var closed = false
        while i < n {
            let b = buf[i]
            if b == 0x22 {
                if i + 1 < n && buf[i + 1] == 0x22 {
                    if copy == nil { copy = Array(buf[start..<i]) }
                    copy!.append(0x22)
                    i += 2
                    continue
                }
                i += 1
                closed = true
                break
            }
            if b == 0x0A { line += 1 } else if b == 0x0D && !(i + 1 < n && buf[i + 1] == 0x0A) { line += 1 }
            copy?.append(b)
            i += 1
        }
        if !closed { problems.append(.unterminatedQuote(line: quoteLine)) }
        let end = closed ? i - 1 : i
        var trailing = i
        while trailing < n && buf[trailing] != delimiter && buf[trailing] != 0x0A && buf[trailing] != 0x0D { trailing += 1 }
        if copy == nil && trailing == i { return source[start..<end] }
        var out = copy ?? Array(buf[start..<end])
        out.append(contentsOf: buf[i..<trailing])
        i = trailing
        return out[...]
    }
}
