import Foundation

/// ArgumentParser's usage messages and help in the staff's words: its sentences are English and
/// fixed, so each is rewritten by its shape; anything not recognised is left as it came.
enum UsageText {
    /// A parse error's message ("Error: Missing expected argument '--year <year>'", its help
    /// line, the usage line and the pointer to --help) in Chinese.
    static func error(_ message: String) -> String {
        message.split(separator: "\n", omittingEmptySubsequences: false).map { line(String($0)) }.joined(separator: "\n")
    }

    /// `--help` in Chinese: the section titles and ArgumentParser's own option.
    static func help(_ text: String) -> String {
        var out = text
        for (english, chinese) in [("OVERVIEW:", "说明："), ("USAGE:", "用法："), ("ARGUMENTS:", "参数："), ("OPTIONS:", "选项："),
                                   ("SUBCOMMANDS:", "子命令："), ("Show help information.", "显示帮助信息。"),
                                   ("(default: ", "（默认："), ("Show the version.", "显示版本。")] {
            out = out.replacingOccurrences(of: english, with: chinese)
        }
        if let r = out.range(of: #"See '([^']+) help <subcommand>' for detailed help\."#, options: .regularExpression) {
            let command = out[r].dropFirst(5).prefix { $0 != " " }
            out.replaceSubrange(r, with: "运行“\(command) help <子命令>”查看各子命令的详细说明。")
        }
        return out
    }

    private static func line(_ line: String) -> String {
        let rules: [(String, (String) -> String)] = [
            (#"^Error: Missing expected argument '(.+)'$"#, { "用法错误：缺少必需的参数 \($0)" }),
            (#"^Error: Unknown option '(.+)'$"#, { "用法错误：不认识的选项 \($0)" }),
            (#"^Error: Unexpected argument '(.+)'$"#, { "用法错误：多余的参数“\($0)”" }),
            (#"^Error: Missing value for '(.+)'$"#, { "用法错误：\($0) 后面缺少值" }),
            (#"^Error: (.+)$"#, { "用法错误：\($0)" }),
            (#"^Help:  (.+)$"#, { "说明：\($0)" }),
            (#"^Usage: (.+)$"#, { "用法：\($0)" }),
            (#"^  See '(.+) --help' for more information\.$"#, { "  运行“\($0) --help”查看说明。" }),
        ]
        if let unknown = line.firstMatch(of: /^Error: Unknown option '(.+)'\. Did you mean '(.+)'\?$/) {
            return "用法错误：不认识的选项 \(unknown.output.1)，是不是要用 \(unknown.output.2)？"
        }
        if let invalid = line.firstMatch(of: /^Error: The value '(.*)' is invalid for '(.+)'$/) {
            return "用法错误：\(invalid.output.2) 的值“\(invalid.output.1)”无效"
        }
        for (pattern, render) in rules {
            guard let range = line.range(of: pattern, options: .regularExpression) else { continue }
            let matched = String(line[range])
            // The captured part: between the pattern's fixed prefix and suffix.
            let captured = capture(matched, pattern)
            return render(captured)
        }
        return line
    }

    private static func capture(_ text: String, _ pattern: String) -> String {
        let regex = try? Regex(pattern)
        guard let regex, let match = try? regex.firstMatch(in: text), match.output.count > 1,
              let sub = match.output[1].substring else { return text }
        return String(sub)
    }
}
