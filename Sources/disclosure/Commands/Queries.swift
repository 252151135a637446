import ArgumentParser
import Extract
import Foundation
import Load
import Transform

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "列出每个登记单位的报送情况：是否收到、当前版本、文件、审核意见。")
    @Option(help: "工作区目录") var workspace: String?
    @Option(help: "报告年度") var year: Int

    func run() throws {
        let ws = Workspace(root: Workspace.locate(workspace), year: year)
        let registry = try ws.registry()
        let dataset = try ws.dataset()
        let versions = try dataset.versions(year: year)
        let findings = try dataset.findings(year: year)
        let results = Dictionary(uniqueKeysWithValues: ws.transformStage().results().map { ($0.submitter, $0) })
        print("单位\t状态\t版本\t收到\t文件\t错误\t警告\t提示")
        var names = registry.submitters.map(\.name)
        names += results.keys.filter { registry.resolve($0) == nil }.sorted()
        for name in names {
            let mine = versions.filter { $0.submitter == name }
            let current = mine.first { $0.current }
            let files = results[name]?.files ?? []
            let state = current != nil ? "已报送" : files.isEmpty ? "未报送" : "文件均被隔离"
            let list = files.map { "\(($0.path as NSString).lastPathComponent)[\($0.family?.rawValue ?? "?"):\($0.status.label)]" }.joined(separator: " ")
            let f = findings.filter { $0.submitter == name }
            let n = { (s: Severity) in f.filter { $0.severity == s }.count }
            print("\(name)\t\(state)\t\(current.map { "v\(mine.count)·\($0.contentHash.prefix(8))" } ?? "—")\t\(current?.received.prefix(10) ?? "—")\t\(list.isEmpty ? "—" : list)\t\(n(.error))\t\(n(.warning))\t\(n(.note))")
        }
        let city = findings.filter { $0.submitter == Consolidation.cityName }
        if !city.isEmpty {
            print("\n全市：")
            for f in city { print("  [\(f.severity.label)] \(f.message)") }
        }
    }
}

extension FileState.Status {
    var label: String {
        switch self {
        case .current: "当前"
        case .superseded: "已替代"
        case .quarantined: "隔离"
        }
    }
}

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "说明一个汇总数字的来源：哪些单位、文件、行，各贡献多少。")
    @Option(help: "工作区目录") var workspace: String?
    @Option(help: "报告年度") var year: Int
    @Argument(help: "指标名称或代码，如 主动公开政府信息数、工作动态类、v2014.apply.received") var label: String

    func run() throws {
        let ws = Workspace(root: Workspace.locate(workspace), year: year)
        let index = try ws.formIndex()
        let key = LabelKey.make(label)
        let matches = index.indicators.filter { !$0.isHeading && (LabelKey.make($0.label) == key || $0.printed.map(LabelKey.make) == key) }
        if index[code: label] == nil && matches.count > 1 {
            throw UsageProblem("“\(label)”在表单中不止一处：" + matches.map { "\(index[code: index.section(of: $0.code)]?.label ?? "")下的\($0.label)（\($0.code)）" }.joined(separator: "、") + "，请用代码指明")
        }
        guard let ind = index[code: label] ?? matches.first else {
            throw UsageProblem("“\(label)”不是 \(year) 年表单中的指标")
        }
        let c = Consolidation(facts: try ws.dataset().currentFacts(year: year), index: index)
        print("\(ind.label)（\(ind.code)）全市合计：\(Amount.text(c.value(ind.code))) \(ind.unit ?? "")")
        for f in c.contributions(ind.code) {
            let v = f.value.map(Amount.text) ?? "未填"
            print("  \(f.submitter)\t\(v)\t\(f.file)\(f.line.map { ":\($0)" } ?? "")\t\(f.raw.isEmpty ? "原文为空" : "原文“\(f.raw)”")\(f.derived ? "（按\(f.derivation)）" : "")")
        }
    }
}

struct Diff: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "比较一个单位最近两个版本的数字，以及对全市合计的影响。")
    @Option(help: "工作区目录") var workspace: String?
    @Option(help: "报告年度") var year: Int
    @Option(help: "报送单位") var submitter: String

    func run() throws {
        let ws = Workspace(root: Workspace.locate(workspace), year: year)
        guard let who = try ws.registry().resolve(submitter)?.name else { throw UsageProblem("“\(submitter)”不是登记的报送单位") }
        let dataset = try ws.dataset()
        let versions = try dataset.versions(year: year, submitter: who)
        guard versions.count >= 2 else {
            print("\(who) 只有 \(versions.count) 个版本，没有可比较的内容。")
            return
        }
        let index = try ws.formIndex()
        let new = Dictionary(uniqueKeysWithValues: try dataset.facts(submission: versions[0].id).map { ($0.code, $0) })
        let old = Dictionary(uniqueKeysWithValues: try dataset.facts(submission: versions[1].id).map { ($0.code, $0) })
        let city = Consolidation(facts: try dataset.currentFacts(year: year), index: index)
        print("\(who)：版本 \(versions[1].contentHash.prefix(8))（\(versions[1].received.prefix(10))）→ \(versions[0].contentHash.prefix(8))（\(versions[0].received.prefix(10))）")
        var any = false
        for code in Set(new.keys).union(old.keys).sorted(by: { index.position(of: $0) < index.position(of: $1) }) {
            // A blank (not reported) and a reported 0 differ: filling in a blank is a change.
            let a = old[code]?.value, b = new[code]?.value
            guard a != b else { continue }
            any = true
            let label = index[code: code]?.label ?? code
            let delta = (b ?? 0) - (a ?? 0)
            print("  \(label)：\(a.map(Amount.text) ?? "未填") → \(b.map(Amount.text) ?? "未填")（\(delta >= 0 ? "+" : "")\(Amount.text(delta))）；全市合计 \(Amount.text(city.value(code) - delta)) → \(Amount.text(city.value(code)))")
        }
        if !any { print("  数字没有变化。") }
    }
}
