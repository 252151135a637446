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

        public init(line: Int, fields: [String]) {
            self.line = line
            self.fields = fields
        }

        public subscript(_ index: Int) -> String { index < fields.count ? fields[index] : "" }
        /// Every field empty or white space (read by scalar: a row of text is decided at its first one).
        public var isBlank: Bool { fields.allSatisfy { $0.unicodeScalars.allSatisfy(\.properties.isWhitespace) } }
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

    /// A record as byte ranges of the decoded text, for the item-list hot path: no String and
    /// no reference-counted slice is made per field. A field that needed unescaping ("" inside
    /// quotes) lives in `unescaped`.
    public struct RawRecord: Sendable {
        public var line = 0
        var spans: [(start: Int, end: Int, unescaped: Bool)] = []
        var unescaped: [UInt8] = []
        /// Fields past ``maximumKept``: counted, not kept, so that one line of millions of cells
        /// costs no memory of its own.
        var dropped = 0

        public init() {}

        public static let maximumKept = 4096

        /// The number of fields, kept or not.
        public var count: Int { spans.count + dropped }

        mutating func add(_ span: (Int, Int, Bool)) {
            if spans.count < Self.maximumKept { spans.append(span) } else { dropped += 1 }
        }
    }

    /// Field `k` of `record` as UTF-8 bytes, valid only inside `body`; empty when the record is shorter.
    public func withFields<R>(of record: RawRecord, _ body: (_ field: (Int) -> UnsafeBufferPointer<UInt8>) -> R) -> R {
        bytes.withUnsafeBufferPointer { text in
            record.unescaped.withUnsafeBufferPointer { extra in
                body { k in
                    guard k < record.spans.count else { return UnsafeBufferPointer(start: nil, count: 0) }
                    let span = record.spans[k]
                    return UnsafeBufferPointer(rebasing: (span.unescaped ? extra : text)[span.start..<span.end])
                }
            }
        }
    }

    public mutating func next() -> Record? {
        var raw = RawRecord()
        guard next(into: &raw) else { return nil }
        return record(raw)
    }

    /// True when every field of the record is empty or spaces: checked on the bytes, no string made.
    public func isBlank(_ raw: RawRecord) -> Bool {
        withFields(of: raw) { field in
            (0..<raw.spans.count).allSatisfy { k in field(k).allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D || $0 == 0x0A } }
        }
    }

    /// A raw record's fields as strings.
    public func record(_ raw: RawRecord) -> Record {
        let fields = withFields(of: raw) { field in (0..<raw.count).map { String(decoding: field($0), as: UTF8.self) } }
        return Record(line: raw.line, fields: fields)
    }

    /// Reads the next record into `record`, reusing its storage; false at the end of the text.
    public mutating func next(into record: inout RawRecord) -> Bool {
        let n = bytes.count
        guard position < n else { return false }
        record.spans.removeAll(keepingCapacity: true)
        record.unescaped.removeAll(keepingCapacity: true)
        record.dropped = 0
        record.line = line
        var i = position
        var line = self.line
        var problems: [Problem] = []
        let delimiter = self.delimiter
        bytes.withUnsafeBufferPointer { buf in
            while true {
                if i < n && buf[i] == 0x22 {
                    Self.quotedField(buf, at: &i, line: &line, delimiter: delimiter, into: &record, problems: &problems)
                } else {
                    let start = i
                    i = Self.firstOf(delimiter, 0x0A, 0x0D, in: buf, from: i)
                    record.add((start, i, false))
                }
                if i >= n { break }
                let b = buf[i]
                if b == delimiter {
                    i += 1
                    if i >= n { record.add((n, n, false)); break }
                    continue
                }
                // Line end.
                if b == 0x0D && i + 1 < n && buf[i + 1] == 0x0A { i += 2 } else { i += 1 }
                line += 1
                break
            }
        }
        position = i
        self.line = line
        if !problems.isEmpty { self.problems += problems }
        return true
    }

    /// The offset of the first of the three bytes at or after `i`, or the end: sixteen bytes are
    /// compared at a time, as a field is mostly bytes none of which matters to the scanner, and
    /// the sixteen that hold one are searched a word at a time.
    @inline(__always)
    private static func firstOf(_ a: UInt8, _ b: UInt8, _ c: UInt8, in buf: UnsafeBufferPointer<UInt8>, from i: Int) -> Int {
        typealias Lanes = SIMD16<UInt8>
        let n = buf.count
        var i = i
        if let base = buf.baseAddress {
            let (va, vb, vc) = (Lanes(repeating: a), Lanes(repeating: b), Lanes(repeating: c))
            let (wa, wb, wc) = (UInt64(a) &* 0x0101_0101_0101_0101, UInt64(b) &* 0x0101_0101_0101_0101, UInt64(c) &* 0x0101_0101_0101_0101)
            // The high bit of each byte of `word` that equals one of the three, and only those.
            func matches(_ word: UInt64) -> UInt64 {
                func zeros(_ t: UInt64) -> UInt64 {
                    ~(((t & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7F7F_7F7F_7F7F_7F7F) | t) & 0x8080_8080_8080_8080
                }
                return zeros(word ^ wa) | zeros(word ^ wb) | zeros(word ^ wc)
            }
            while i + Lanes.scalarCount <= n {
                let p = UnsafeRawPointer(base + i)
                let x = p.loadUnaligned(as: Lanes.self)
                if any((x .== va) .| (x .== vb) .| (x .== vc)) {
                    let low = matches(UInt64(littleEndian: p.loadUnaligned(as: UInt64.self)))
                    if low != 0 { return i + low.trailingZeroBitCount / 8 }
                    return i + 8 + matches(UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 8, as: UInt64.self))).trailingZeroBitCount / 8
                }
                i += Lanes.scalarCount
            }
        }
        while i < n {
            let byte = buf[i]
            if byte == a || byte == b || byte == c { break }
            i += 1
        }
        return i
    }

    /// A quoted field starting at `i`: a range of the text when it holds no doubled quote, else
    /// an unescaped copy. Text after the closing quote belongs to the field, as Excel reads it.
    private static func quotedField(_ buf: UnsafeBufferPointer<UInt8>, at i: inout Int, line: inout Int, delimiter: UInt8,
                                    into record: inout RawRecord, problems: inout [Problem]) {
        let n = buf.count
        let quoteLine = line
        i += 1
        let start = i
        var copyFrom: Int? = nil  // offset in record.unescaped where this field's copy begins
        var closed = false
        while i < n {
            let plain = Self.firstOf(0x22, 0x0A, 0x0D, in: buf, from: i)
            if copyFrom != nil && plain > i { record.unescaped.append(contentsOf: buf[i..<plain]) }
            i = plain
            guard i < n else { break }
            let b = buf[i]
            if b == 0x22 {
                if i + 1 < n && buf[i + 1] == 0x22 {
                    if copyFrom == nil {
                        copyFrom = record.unescaped.count
                        record.unescaped.append(contentsOf: buf[start..<i])
                    }
                    record.unescaped.append(0x22)
                    i += 2
                    continue
                }
                i += 1
                closed = true
                break
            }
            if b == 0x0A { line += 1 } else if b == 0x0D && !(i + 1 < n && buf[i + 1] == 0x0A) { line += 1 }
            if copyFrom != nil { record.unescaped.append(b) }
            i += 1
        }
        if !closed { problems.append(.unterminatedQuote(line: quoteLine)) }
        let end = closed ? i - 1 : i
        var trailing = i
        while trailing < n && buf[trailing] != delimiter && buf[trailing] != 0x0A && buf[trailing] != 0x0D { trailing += 1 }
        if copyFrom == nil && trailing == i {
            record.add((start, end, false))
            return
        }
        if copyFrom == nil {
            copyFrom = record.unescaped.count
            record.unescaped.append(contentsOf: buf[start..<end])
        }
        record.unescaped.append(contentsOf: buf[i..<trailing])
        record.add((copyFrom!, record.unescaped.count, true))
        i = trailing
    }
}
