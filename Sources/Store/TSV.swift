import Core

/// Small state files as tab-separated lines: a header line, then one record a line. Read on
/// every run, so kept cheaper to parse than JSON. Fields may hold any character: backslash,
/// tab and line breaks are written as \\, \t, \n, \r.
public enum TSV {
    /// The file's bytes, for writing later or for a digest of what it will hold.
    public static func text(header: String, rows: [[String]]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(64 + rows.count * 96)
        out.appendTabEscaped(header)
        out.append(0x0A)
        for row in rows {
            for (k, field) in row.enumerated() {
                if k > 0 { out.append(0x09) }
                out.appendTabEscaped(field)
            }
            out.append(0x0A)
        }
        return out
    }

    /// Keys in the order of their UTF-8 bytes: the order rows are written in (comparing bytes is
    /// much cheaper than comparing Chinese text as Unicode strings).
    public static func byteOrder<S: Sequence<String>>(_ keys: S) -> [String] {
        keys.sorted { $0.bytesPrecede($1) }
    }

    /// A field as it is written.
    static func escaped(_ field: String) -> [UInt8] {
        var out: [UInt8] = []
        out.appendTabEscaped(field)
        return out
    }

    /// The header and the rows, or nil when the file is missing.
    public static func read(_ path: String) -> (header: String, rows: [[String]])? {
        guard let bytes = try? FileIO.read(path) else { return nil }
        return parse(bytes)
    }

    /// The header line alone (the rest unparsed), or nil when the file is missing or empty.
    public static func header(of bytes: [UInt8]) -> String? {
        guard let end = bytes.firstIndex(of: 0x0A), end > 0 else { return nil }
        return unescape(bytes[..<end])
    }

    public static func parse(_ bytes: [UInt8]) -> (header: String, rows: [[String]])? {
        var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: true)[...]
        guard let first = lines.popFirst() else { return nil }
        return (unescape(first), lines.map { $0.split(separator: 0x09, omittingEmptySubsequences: false).map(unescape) })
    }

    static func unescape(_ bytes: ArraySlice<UInt8>) -> String {
        guard bytes.contains(0x5C) else { return String(decoding: bytes, as: UTF8.self) }
        var out: [UInt8] = []
        var i = bytes.startIndex
        while i < bytes.endIndex {
            if bytes[i] == 0x5C, i + 1 < bytes.endIndex {
                switch bytes[i + 1] {
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                default: out.append(bytes[i + 1])
                }
                i += 2
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
