import Core
import Extract
import Foundation
import Load
import Transform

/// The read-only commands: who has submitted, where a figure comes from, what a resubmission
/// changed. Each returns the text the command prints.
extension Pipeline {
    /// Every registered submitter: received or missing, version, files, findings by severity.
    public func status() throws -> String {
        try workspace.check()
        let registry = try workspace.registry()
        let dataset = try workspace.dataset()
        let versions = try dataset.versions(year: year)
        let findings = try dataset.findings(year: year)
        let results = Dictionary(uniqueKeysWithValues: try workspace.transformStage(logger: logger).results.load().map { ($0.submitter, $0) })
        var lines = ["单位\t状态\t版本\t收到\t文件\t错误\t警告\t提示"]
        var names = registry.submitters(in: year).map(\.name)
        names += results.keys.filter { registry.resolve($0) == nil }.sorted()
        for name in names {
            let mine = versions.filter { $0.submitter == name }
            let current = mine.first { $0.current }
            let files = results[name]?.files ?? []
            let state = current != nil ? "已报送" : files.isEmpty ? "未报送" : "文件均被隔离"
            let list = files.map { "\(($0.path as NSString).lastPathComponent)[\($0.family?.rawValue ?? "?"):\($0.status.label)]" }.joined(separator: " ")
            let f = findings.filter { $0.submitter == name }
            let n = { (s: Severity) in f.filter { $0.severity == s }.count }
            lines.append("\(name)\t\(state)\t\(current.map { "v\(mine.count)·\($0.contentHash.prefix(8))" } ?? "—")\t\(current?.received.prefix(10) ?? "—")\t\(list.isEmpty ? "—" : list)\t\(n(.error))\t\(n(.warning))\t\(n(.note))")
        }
        let city = findings.filter { $0.submitter == Consolidation.cityName }
        if !city.isEmpty {
            lines.append("\n全市：")
            for f in city { lines.append("  [\(f.severity.label)] \(f.message)") }
        }
        return lines.joined(separator: "\n")
    }

    /// The submitters, files and lines behind a consolidated figure, named by label or code.
    public func explain(_ label: String, column: String? = nil) throws -> String {
        try workspace.check()
        let index = try workspace.formIndex()
        let key = LabelKey.make(label)
        var matches = index.indicators.filter { !$0.isHeading && (LabelKey.make($0.label) == key || $0.printed.map(LabelKey.make) == key) }
        if let column {
            // A cell of a matrix table: its row by label, its column by label or header path.
            let rows = Set(index.form.tables.flatMap(\.rows).filter { LabelKey.make($0.label) == key || $0.printed.map(LabelKey.make) == key }.map(\.code))
            let columnKey = LabelKey.make(column)
            matches = index.indicators.filter { cell in
                guard let row = cell.rowCode, rows.contains(row), let c = cell.column else { return false }
                return LabelKey.make(c.label) == columnKey || LabelKey.make(c.path) == columnKey || c.code == column
            }
            if matches.isEmpty { throw UsageError("“\(label)”没有“\(column)”这一列：请核对行和列的名称") }
        }
        if index[code: label] == nil && matches.count > 1 {
            throw UsageError("“\(label)”在表单中不止一处：" + matches.map { "\(index[code: index.section(of: $0.code)]?.label ?? "")下的\($0.label)（\($0.code)）" }.joined(separator: "、") + "，请用代码指明")
        }
        guard let ind = index[code: label] ?? matches.first else {
            throw UsageError("“\(label)”不是 \(year) 年表单中的指标")
        }
        let c = Consolidation(facts: try workspace.dataset().currentFacts(year: year), index: index)
        var lines = ["\(ind.label)（\(ind.code)）全市合计：\(Amount.text(c.value(ind.code))) \(ind.unit ?? "")"]
        for f in c.contributions(ind.code) {
            let v = f.value.map(Amount.text) ?? "未填"
            lines.append("  \(f.submitter)\t\(v)\t\(f.file)\(f.line.map { ":\($0)" } ?? "")\(f.column.map { " 第 \($0) 列" } ?? "")\t\(f.raw.isEmpty ? "原文为空" : "原文“\(f.raw)”")\(f.derived ? "（按\(f.derivation)）" : "")")
        }
        return lines.joined(separator: "\n")
    }

    /// What changed between a submitter's last two versions, and what it did to the city's totals.
    public func diff(submitter: String) throws -> String {
        try workspace.check()
        guard let who = try workspace.registry().resolve(submitter)?.name else { throw UsageError("“\(submitter)”不是登记的报送单位") }
        let dataset = try workspace.dataset()
        let versions = try dataset.versions(year: year, submitter: who)
        guard versions.count >= 2 else { return "\(who) 只有 \(versions.count) 个版本，没有可比较的内容。" }
        let index = try workspace.formIndex()
        let new = Dictionary(uniqueKeysWithValues: try dataset.facts(submission: versions[0].id).map { ($0.code, $0) })
        let old = Dictionary(uniqueKeysWithValues: try dataset.facts(submission: versions[1].id).map { ($0.code, $0) })
        let city = Consolidation(facts: try dataset.currentFacts(year: year), index: index)
        var lines = ["\(who)：版本 \(versions[1].contentHash.prefix(8))（\(versions[1].received.prefix(10))）→ \(versions[0].contentHash.prefix(8))（\(versions[0].received.prefix(10))）"]
        for code in Set(new.keys).union(old.keys).sorted(by: { index.position(of: $0) < index.position(of: $1) }) {
            // A blank (not reported) and a reported 0 differ: filling in a blank is a change.
            let a = old[code]?.value, b = new[code]?.value
            guard a != b else { continue }
            let label = index[code: code]?.label ?? code
            let delta = (b ?? 0) - (a ?? 0)
            lines.append("  \(label)：\(a.map(Amount.text) ?? "未填") → \(b.map(Amount.text) ?? "未填")（\(delta >= 0 ? "+" : "")\(Amount.text(delta))）；全市合计 \(Amount.text(city.value(code) - delta)) → \(Amount.text(city.value(code)))")
        }
        if lines.count == 1 { lines.append("  数字没有变化。") }
        return lines.joined(separator: "\n")
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
