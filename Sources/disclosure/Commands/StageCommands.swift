import ArgumentParser
import Pipeline

struct ExtractCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "extract", abstract: "读取收件箱中的文件，生成带来源信息的暂存记录。")
    @OptionGroup var options: StageOptions

    func run() throws {
        try options.session("extract") { p, who in
            let s = try p.extract(submitter: who)
            return "\(s.files) 个文件，新读取 \(s.extracted) 个，未变 \(s.reused) 个。"
        }
    }
}

struct TransformCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "transform", abstract: "规范指标、单位和日期，核对勾稽关系，记录审核意见。")
    @OptionGroup var options: StageOptions

    func run() throws {
        try options.session("transform") { p, who in "\(try p.transform(submitter: who).changed.count) 个报送单位重新处理。" }
    }
}

struct LoadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "load", abstract: "载入汇总数据库，新版本替代旧版本。")
    @OptionGroup var options: StageOptions

    func run() throws {
        try options.session("load") { p, who in
            let outcome = try p.reload(submitter: who)
            return "\(outcome.loaded.count) 个报送单位，\(outcome.changed) 个有变化。"
        }
    }
}

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "report", abstract: "根据已载入的数据生成年度报告和导出文件。")
    @OptionGroup var options: StageOptions

    func run() throws {
        try options.session("report") { p, _ in
            let w = try p.report()
            return "报告：\(p.workspace.layout.report(year: p.year))（\(w.changed.count) 个文件有变化）"
        }
    }
}

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "依次执行 extract、transform、load、report（供 cron 调用）。")
    @OptionGroup var options: StageOptions

    func run() throws {
        try options.session("run") { p, who in Wording.run(try p.run(submitter: who), report: p.workspace.layout.report(year: p.year)) }
    }
}
