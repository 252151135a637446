import Core
import Foundation
import Load
import Transform
import Pipeline

/// What the commands print, in the staff's words: the pipeline hands back values, and this is
/// where they become text (tab-separated where scripts read the table).
enum Wording {
    static func run(_ r: Pipeline.RunReport, report: String) -> String {
        let e = r.extract
        return "\(e.files) 个文件（新读取 \(e.extracted)，未变 \(e.reused)），\(r.loaded) 个单位有更新，\(r.written.changed.count) 个输出文件有变化。\n报告：\(report)"
            + r.written.warnings.map { "\n警告：" + $0 }.joined()
    }

    static func status(_ s: Pipeline.StatusReport) -> String {
        var lines = ["单位\t状态\t版本\t收到\t文件\t错误\t警告\t提示\t已审核"]
        for row in s.rows {
            let state = switch row.state {
            case .submitted: "已报送"
            case .missing: "未报送"
            case .quarantined: "文件均被隔离"
            }
            let list = row.files.map { "\(($0.path as NSString).lastPathComponent)[\($0.family?.rawValue ?? "?"):\(label($0.status))]" }.joined(separator: " ")
            let version = row.contentHash.map { "v\(row.versions)·\($0.prefix(8))" } ?? "—"
            lines.append("\(row.name)\t\(state)\t\(version)\t\(row.received?.prefix(10) ?? "—")\t\(list.isEmpty ? "—" : list)\t\(row.errors)\t\(row.warnings)\t\(row.notes)\t\(row.reviewed)")
        }
        if !s.city.isEmpty {
            lines.append("\n全市：")
            for f in s.city { lines.append("  [\(f.severity.label)] \(f.message)" + (s.reviews[f].map { "【\($0.text)】" } ?? "")) }
        }
        return lines.joined(separator: "\n")
    }

    static func label(_ status: FileState.Status) -> String {
        switch status {
        case .current: "当前"
        case .superseded: "已替代"
        case .quarantined: "隔离"
        }
    }

    static func explain(_ x: Pipeline.Explanation) -> String {
        var lines = ["\(x.indicator.label)（\(x.indicator.code)）全市合计：\(Amount.text(x.total)) \(x.indicator.unit ?? "")"]
        for f in x.contributions {
            let v = f.value.map(Amount.text) ?? "未填"
            lines.append("  \(f.submitter)\t\(v)\t\(f.file)\(f.line.map { ":\($0)" } ?? "")\(f.column.map { " 第 \($0) 列" } ?? "")\t\(f.raw.isEmpty ? "原文为空" : "原文“\(f.raw)”")\(f.derived ? "（按\(f.derivation)）" : "")")
        }
        return lines.joined(separator: "\n")
    }

    static func diff(_ d: Pipeline.Difference) -> String {
        guard d.versions.count >= 2 else { return "\(d.submitter) 只有 \(d.versions.count) 个版本，没有可比较的内容。" }
        let (new, old) = (d.versions[0], d.versions[1])
        var lines = ["\(d.submitter)：版本 \(old.contentHash.prefix(8))（\(old.received.prefix(10))）→ \(new.contentHash.prefix(8))（\(new.received.prefix(10))）"]
        for c in d.changes {
            let delta = (c.after ?? 0) - (c.before ?? 0)
            lines.append("  \(c.label)：\(c.before.map(Amount.text) ?? "未填") → \(c.after.map(Amount.text) ?? "未填")（\(delta >= 0 ? "+" : "")\(Amount.text(delta))）；全市合计 \(Amount.text(c.cityBefore)) → \(Amount.text(c.cityNow))")
        }
        if d.changes.isEmpty { lines.append("  数字没有变化。") }
        return lines.joined(separator: "\n")
    }
}
