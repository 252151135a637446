import ArgumentParser
import Foundation
import Pipeline

/// The answer on stdout; a notice that the dataset was rebuilt on stderr, beside it.
func show<Value>(_ result: Pipeline.QueryResult<Value>, _ words: (Value) -> String) {
    if let notice = result.notice { FileHandle.standardError.write(Data((notice + "\n").utf8)) }
    print(words(result.value))
}

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "列出每个登记单位的报送情况：是否收到、当前版本、文件、审核意见。")
    @OptionGroup var place: Place

    func run() throws { show(try place.pipeline().query { try $0.status() }, Wording.status) }
}

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "explain", abstract: "说明一个汇总数字的来源：哪些单位、文件、行，各贡献多少。")
    @OptionGroup var place: Place
    @Argument(help: "指标名称或代码，如 主动公开政府信息数、工作动态类、v2014.apply.received、v2021.t3.res.granted.natural") var label: String
    @Option(help: "矩阵表的列，如 自然人、法人或其他组织/商业企业、行政诉讼/复议后起诉/结果维持") var column: String?

    func run() throws { show(try place.pipeline().query { try $0.explain(label, column: column) }, Wording.explain) }
}

struct Diff: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "diff", abstract: "比较一个单位最近两个版本的数字，以及对全市合计的影响。")
    @OptionGroup var place: Place
    /// The subject as an argument, as `explain` takes its own.
    @Argument(help: "报送单位（名称、简称或代码），如 盂县") var subject: String?
    /// The earlier spelling, kept for the scripts that use it.
    @Option(help: .hidden) var submitter: String?

    func validate() throws {
        guard subject != nil || submitter != nil else { throw ValidationError("请指明报送单位，如：disclosure diff --year 2016 盂县") }
    }

    func run() throws {
        let who = subject ?? submitter ?? ""
        show(try place.pipeline().query { try $0.diff(submitter: who) }, Wording.diff)
    }
}
