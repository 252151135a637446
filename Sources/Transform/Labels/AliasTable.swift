import Extract

/// Reviewed label aliases, `config/aliases.csv` (`alias,code,submitter,note`): a spelling the staff
/// have confirmed means an indicator, for everyone or for one submitter only.
public struct AliasTable: Sendable {
    struct Entry: Sendable {
        var code: String
        var submitter: String
    }

    private var entries: [String: [Entry]] = [:]

    public init() {}

    public init(csv bytes: [UInt8]) throws(ConfigProblem) {
        for row in try ConfigCSV.rows(bytes, file: "aliases.csv", columns: ["alias", "code"]) {
            let alias = row["alias"], code = row["code"]
            guard !alias.isEmpty, !code.isEmpty else { continue }
            entries[LabelKey.make(alias), default: []].append(Entry(code: TextFold.trimmed(code), submitter: TextFold.trimmed(row["submitter"])))
        }
    }

    func lookup(key: String, submitter: String) -> String? {
        guard let list = entries[key] else { return nil }
        return (list.first { $0.submitter == submitter } ?? list.first { $0.submitter.isEmpty })?.code
    }
}

/// A configuration file the staff must fix before the run can go on.
public struct ConfigProblem: Error, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var message: String

    public init(file: String, line: Int? = nil, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String {
        "config/\(file)\(line.map { " 第 \($0) 行" } ?? "")：\(message)"
    }
}

/// Reads the small CSV tables the staff keep in Excel, by header name.
enum ConfigCSV {
    struct Row {
        var line: Int
        var cells: [String: String]
        subscript(_ name: String) -> String { cells[name] ?? "" }
    }

    static func rows(_ bytes: [UInt8], file: String, columns required: [String]) throws(ConfigProblem) -> [Row] {
        let text: [UInt8]
        switch TextDecoder.decode(bytes) {
        case .success(let d): text = d.utf8
        case .failure(let u): throw ConfigProblem(file: file, line: u.line, message: "无法解码（字节 \(u.bytes)），请另存为 UTF-8")
        }
        var scanner = CSVScanner(utf8: text, delimiter: 0x2C)
        guard let header = scanner.next() else { throw ConfigProblem(file: file, message: "文件为空") }
        let names = header.fields.map { TextFold.compact($0).lowercased() }
        for r in required where !names.contains(r) {
            throw ConfigProblem(file: file, line: 1, message: "缺少列“\(r)”（表头应含 \(required.joined(separator: ","))）")
        }
        var out: [Row] = []
        while let rec = scanner.next() {
            if rec.isBlank { continue }
            var cells: [String: String] = [:]
            for (k, n) in names.enumerated() { cells[n] = TextFold.trimmed(rec[k]) }
            out.append(Row(line: rec.line, cells: cells))
        }
        return out
    }
}
