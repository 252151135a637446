import ArgumentParser
import Foundation
import Pipeline

/// The text on stdout; a notice that the dataset was rebuilt on stderr, beside it.
func show(_ result: Pipeline.QueryResult) {
    if let notice = result.notice { FileHandle.standardError.write(Data((notice + "\n").utf8)) }
    print(result.text)
}

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "列出每个登记单位的报送情况：是否收到、当前版本、文件、审核意见。")
    @OptionGroup var place: Place

    func run() throws { show(try place.pipeline().query { try $0.status() }) }
}

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "说明一个汇总数字的来源：哪些单位、文件、行，各贡献多少。")
    @OptionGroup var place: Place
    @Argument(help: "指标名称或代码，如 主动公开政府信息数、工作动态类、v2014.apply.received、v2021.t3.res.granted.natural") var label: String
    @Option(help: "矩阵表的列，如 自然人、法人或其他组织/商业企业、行政诉讼/复议后起诉/结果维持") var column: String?

    func run() throws { show(try place.pipeline().query { try $0.explain(label, column: column) }) }
}

struct Diff: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "比较一个单位最近两个版本的数字，以及对全市合计的影响。")
    @OptionGroup var place: Place
    @Option(help: "报送单位") var submitter: String

    func run() throws { show(try place.pipeline().query { try $0.diff(submitter: submitter) }) }
}
