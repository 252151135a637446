import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why `config/submitters.csv` cannot be read.
public enum RegistryError: Error, Sendable, CustomStringConvertible {
    case undecodable(TextDecodingError)
    case badHeader(found: String)
    case badRow(line: Int, reason: String)
    case clash(key: String, first: String, second: String)

    public var description: String {
        switch self {
        case .undecodable(let u): "submitters.csv 无法解码（第 \(u.line) 行附近，字节 \(u.bytes)）：请另存为 UTF-8"
        case .badHeader(let found): "submitters.csv 的表头应为 name,aliases,code,level，实际为：\(found)"
        case .badRow(let line, let reason): "submitters.csv 第 \(line) 行：\(reason)"
        case .clash(let key, let first, let second): "submitters.csv 中“\(key)”同时指向“\(first)”和“\(second)”：请删去其中一个别名"
        }
    }
}

/// The submitter registry, `config/submitters.csv` (`name,aliases,code,level`), and name resolution.
///
/// A folder name, a 填报单位 line or an XML `<Submitter>` resolves when it is the official name, a
/// short name or the code, ignoring width, spaces, the city prefix and a 人民政府 suffix.
public struct Registry: Sendable {
    public let submitters: [Submitter]
    public let city: String
    private let forms: CityForms
    private let index: [ByteString: Int]

    public init(submitters: [Submitter], city: String) throws(RegistryError) {
        self.submitters = submitters
        self.city = city
        var index: [ByteString: Int] = [:]
        index.reserveCapacity(submitters.count * 3)
        let forms = CityForms(city)
        for k in submitters.indices {
            func add(_ raw: String) throws(RegistryError) {
                if raw.isEmpty { return }
                if let other = index.updateValue(k, forKey: Self.key(raw, city: forms)), other != k {
                    throw .clash(key: raw, first: submitters[other].name, second: submitters[k].name)
                }
            }
            try add(submitters[k].name)
            try add(submitters[k].code)
            for alias in submitters[k].aliases { try add(alias) }
        }
        self.index = index
        self.forms = forms
    }

    /// Reads the registry CSV exactly as scripts write it.
    public init(csv bytes: [UInt8], city: String) throws(RegistryError) {
        let text: [UInt8]
        switch TextDecoder.decode(bytes) {
        case .success(let d): text = d.utf8
        case .failure(let u): throw .undecodable(u)
        }
        var scanner = CSVScanner(utf8: text, delimiter: 0x2C)
        guard let header = scanner.next() else { throw .badHeader(found: "（空文件）") }
        let names = header.fields.map { TextFold.compact($0).lowercased() }
        guard names.count >= 4, Array(names.prefix(4)) == ["name", "aliases", "code", "level"] else {
            throw .badHeader(found: header.fields.joined(separator: ","))
        }
        var rows: [CSVScanner.Record] = []
        while let row = scanner.next() { rows.append(row) }
        // An unterminated quote runs the rest of the file into one cell: say that, not what it broke.
        for case .unterminatedQuote(let line) in scanner.problems {
            throw .badRow(line: line, reason: "引号没有闭合（一个单元格以 \" 开头却没有结束的 \"），其后各行都被读进了这个单元格：请检查该行")
        }
        let fromColumn = names.firstIndex(of: "from"), toColumn = names.firstIndex(of: "to")
        let predecessorsColumn = names.firstIndex(of: "predecessors")
        var list: [Submitter] = []
        list.reserveCapacity(rows.count)
        for row in rows {
            if row.isBlank { continue }
            let name = TextFold.trimmed(row[0])
            guard !name.isEmpty else { throw .badRow(line: row.line, reason: "name 为空") }
            let aliases = Self.aliases(row[1])
            guard let level = Submitter.Level(rawValue: TextFold.trimmed(row[3]).lowercased()) else {
                throw .badRow(line: row.line, reason: "level 应为 county 或 department，实际为“\(row[3])”")
            }
            // Optional columns after the four scripts write: from, to, predecessors.
            func year(_ column: String, at k: Int?) throws(RegistryError) -> Int? {
                guard let k else { return nil }
                let cell = TextFold.compact(row[k])
                if cell.isEmpty { return nil }
                guard let y = Int(cell), (1990...2200).contains(y) else {
                    throw .badRow(line: row.line, reason: "\(column) 应为年份（如 2019），实际为“\(row[k])”")
                }
                return y
            }
            let from = try year("from", at: fromColumn), to = try year("to", at: toColumn)
            let predecessors = predecessorsColumn.map { Self.aliases(row[$0]) } ?? []
            list.append(Submitter(name: name, aliases: aliases, code: TextFold.trimmed(row[2]), level: level,
                                  from: from, to: to, predecessors: predecessors))
        }
        try self.init(submitters: list, city: city)
    }

    /// No submitters: for code paths that have nothing to resolve.
    public static let empty = try! Registry(submitters: [], city: "")

    /// The bodies expected to report for `year`.
    public func submitters(in year: Int) -> [Submitter] { submitters.filter { $0.isValid(in: year) } }

    public func resolve(_ name: String) -> Submitter? {
        index[Self.key(name, city: forms)].map { submitters[$0] }
    }

    /// The aliases cell split at `;` or `；`, each trimmed, empty ones dropped.
    static func aliases(_ cell: String) -> [String] {
        if cell.isEmpty { return [] }
        let bytes = Array(cell.utf8)
        var out: [String] = []
        var start = 0, i = 0
        func cut(_ end: Int) {
            let alias = TextFold.trimmed(String(decoding: bytes[start..<end], as: UTF8.self))
            if !alias.isEmpty { out.append(alias) }
        }
        while i < bytes.count {
            if bytes[i] == 0x3B { cut(i); i += 1; start = i }
            else if bytes[i] == 0xEF, i + 2 < bytes.count, bytes[i + 1] == 0xBC, bytes[i + 2] == 0x9B { cut(i); i += 3; start = i }
            else { i += 1 }
        }
        cut(bytes.count)
        return out
    }

    /// The city's name as the keys strip it: whole (阳泉市) and without 市 (阳泉).
    struct CityForms: Sendable {
        let whole: [UInt8]
        let core: [UInt8]
        /// `core` followed by 市.
        let coreShi: [UInt8]

        init(_ city: String) {
            whole = Array(city.utf8)
            core = city.hasSuffix("市") ? Array(city.utf8.dropLast(3)) : whole
            coreShi = core + Registry.shi
        }
    }

    /// The comparison key: no spaces, no width differences, no city prefix, 人民政府 folded to 政府,
    /// no trailing 政府.
    static func key(_ raw: String, city: CityForms) -> ByteString {
        var folded = TextFold.compact(raw)
        // Most names are plain ideographs, their own NFC: their bytes are read where they are.
        let plain = folded.withUTF8 { b in ByteString.isPlainCanonical(b) ? key(b, city: city) : nil }
        if let plain { return plain }
        return Array(folded.precomposedStringWithCanonicalMapping.utf8).withUnsafeBufferPointer { key($0, city: city) }
    }

    /// The key of a name's NFC bytes.
    private static func key(_ b: UnsafeBufferPointer<UInt8>, city: CityForms) -> ByteString {
        let peoples = peoplesGovernment, government = government, shi = shi
        func at(_ prefix: [UInt8], _ from: Int) -> Bool {
            b.count - from >= prefix.count && prefix.withUnsafeBufferPointer { memcmp(b.baseAddress! + from, $0.baseAddress!, $0.count) == 0 }
        }
        var start = 0
        if !city.whole.isEmpty, at(city.whole, 0), b.count > city.whole.count { start = city.whole.count }
        else if !city.core.isEmpty, at(city.coreShi, 0), b.count > city.coreShi.count { start = city.coreShi.count }
        if at(shi, start), b.count - start > 3 { start += 3 }
        // 人民政府 → 政府 (UTF-8 is self-synchronizing: a byte match is a whole character), then no trailing 政府.
        return ByteString(bytes: [UInt8](unsafeUninitializedCapacity: b.count - start) { out, count in
            var i = start
            while i < b.count {
                if b[i] == 0xE4, at(peoples, i) {
                    for g in government { out[count] = g; count += 1 }
                    i += peoples.count
                } else {
                    out[count] = b[i]
                    count += 1
                    i += 1
                }
            }
            if count > 6, memcmp(out.baseAddress! + count - 6, government, 6) == 0 { count -= 6 }
        })
    }

    fileprivate static let shi = Array("市".utf8)
    private static let peoplesGovernment = Array("人民政府".utf8)
    private static let government = Array("政府".utf8)
}
