/// A configuration file the staff must fix before the run can go on.
public struct ConfigError: Error, Sendable, CustomStringConvertible {
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
public enum ConfigCSV {
    public struct Row: Sendable {
        public var line: Int
        public var cells: [String: String]
        public subscript(_ name: String) -> String { cells[name] ?? "" }
    }

    public static func rows(_ bytes: [UInt8], file: String, columns required: [String]) throws(ConfigError) -> [Row] {
        let text: [UInt8]
        switch TextDecoder.decode(bytes) {
        case .success(let d): text = d.utf8
        case .failure(let u): throw ConfigError(file: file, line: u.line, message: "无法解码（字节 \(u.bytes)），请另存为 UTF-8")
        }
        var scanner = CSVScanner(utf8: text, delimiter: 0x2C)
        guard let header = scanner.next() else { throw ConfigError(file: file, message: "文件为空") }
        let names = header.fields.map { TextFold.compact($0).lowercased() }
        for r in required where !names.contains(r) {
            throw ConfigError(file: file, line: 1, message: "缺少列“\(r)”（表头应含 \(required.joined(separator: ","))）")
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

extension ConfigError {
    /// A text file of config/ saved in another encoding than UTF-8 (Notepad's "ANSI" on Chinese Windows).
    public static func notUTF8(_ file: String) -> ConfigError {
        ConfigError(file: file, message: "不是 UTF-8 编码（可能另存成了 GBK/ANSI）：请用记事本或编辑器另存为 UTF-8 后重新运行")
    }

    /// A file of config/ that is not there.
    public static func missing(_ file: String) -> ConfigError {
        ConfigError(file: file, message: "文件不存在：请先运行 disclosure init，或恢复该配置文件")
    }
}

/// A file of config/ as read: its name there ("forms/NAT-2021.json") and its bytes.
public struct ConfigDocument: Sendable {
    public var name: String
    public var bytes: [UInt8]

    public init(name: String, bytes: [UInt8]) {
        self.name = name
        self.bytes = bytes
    }

    /// The text, which must be UTF-8.
    public func text() throws(ConfigError) -> String {
        guard let text = String(validating: bytes, as: UTF8.self) else { throw .notUTF8(name) }
        return text
    }
}
