import Extract
import Foundation
import Ink
import Mustache
import Transform

/// Writes `out/<year>/` from the loaded data: the report in Markdown and HTML, the CSV exports,
/// the platform XML, and each submitter's feedback. A file whose bytes would not change is not
/// touched, so a rerun with nothing new leaves every output as it was.
public struct ReportStage: Sendable {
    public let workspace: URL
    public let year: Int
    public let index: FormIndex

    public init(workspace: URL, year: Int, index: FormIndex) {
        self.workspace = workspace
        self.year = year
        self.index = index
    }

    public var directory: URL { workspace.appendingPathComponent("out/\(year)") }

    public struct Written: Sendable {
        public var files: [String]
        public var changed: [String]
    }

    public static let formatVersion = "report-2"

    /// What was written last time, so that an unchanged output is neither compared nor rewritten.
    struct Manifest: Codable {
        struct Entry: Codable {
            var sha256: String
            var size: Int
            var modified: Double
        }

        var key: String
        var files: [String: Entry]
    }

    var manifestPath: String { workspace.appendingPathComponent("state/report/\(year).json").path }

    func loadManifest() -> Manifest? {
        guard let bytes = try? FileIO.read(manifestPath) else { return nil }
        return try? JSONDecoder().decode(Manifest.self, from: Data(bytes))
    }

    private func isIntact(_ name: String, _ entry: Manifest.Entry) -> Bool {
        guard let st = FileIO.status(directory.appendingPathComponent(name).path) else { return false }
        return st.size == entry.size && st.modified == entry.modified
    }

    /// The outputs as they stand, when they were made from `key` and nobody touched them since.
    public func upToDate(key: String) -> Written? {
        guard let manifest = loadManifest(), manifest.key == key,
              manifest.files.allSatisfy({ isIntact($0.key, $0.value) }) else { return nil }
        return Written(files: manifest.files.keys.sorted(), changed: [])
    }

    public func run(dataset: Dataset, previous: Consolidation?, key: String = "") throws -> Written {
        let config = workspace.appendingPathComponent("config")
        let settings = try ReportSettings.load(config.appendingPathComponent("report/\(year)/settings.json"))
        let consolidation = Consolidation(facts: try dataset.currentFacts(year: year), index: index)
        let findings = try dataset.findings(year: year)
        var narrative: [String: String] = [:]
        let narrativeDir = config.appendingPathComponent("report/\(year)")
        for name in (try? FileManager.default.contentsOfDirectory(atPath: narrativeDir.path)) ?? [] where name.hasSuffix(".md") {
            narrative[String(name.dropLast(3))] = try String(contentsOf: narrativeDir.appendingPathComponent(name), encoding: .utf8)
        }
        let content = ReportContent(year: year, settings: settings, consolidation: consolidation, findings: findings,
                                    narrative: narrative, previous: previous)
        let context = content.context()
        let markdown = try template("report.md.mustache").render(context)
        var outputs: [(String, String)] = [("report.md", markdown)]
        let body = MarkdownParser().html(from: markdown)
        var html = context
        html["body"] = insertChart(HTMLParts.categoryChart(consolidation), into: body)
        html["statisticalTable"] = HTMLParts.statisticalTable(consolidation)
        html["submitterTable"] = HTMLParts.submitterTable(consolidation, previous: previous)
        html["title"] = "\(settings.city)\(year)年政府信息公开工作年度报告"
        outputs.append(("report.html", try template("report.html.mustache").render(html)))
        outputs.append(("totals.csv", totalsCSV(consolidation)))
        outputs.append(("by_submitter.csv", bySubmitterCSV(consolidation)))
        outputs.append(("findings.csv", findingsCSV(findings)))
        outputs.append(("consolidated.xml", PlatformXML.render(consolidation, year: year, city: settings.city, code: settings.facts?["cityCode"] ?? "")))
        for (name, list) in Dictionary(grouping: findings, by: \.submitter) where name != Consolidation.cityName {
            outputs.append(("feedback/\(name).md", feedback(name, list)))
        }
        var changed: [String] = []
        let old = loadManifest()
        var manifest = Manifest(key: key, files: [:])
        FileIO.makeDirectories(directory.appendingPathComponent("feedback").path)
        let keep = Set(outputs.map(\.0))
        for name in FileIO.list(directory.appendingPathComponent("feedback").path) where !keep.contains("feedback/" + name) {
            FileIO.remove(directory.appendingPathComponent("feedback/" + name).path)
            changed.append("feedback/" + name)
        }
        for (name, text) in outputs {
            let path = directory.appendingPathComponent(name).path
            let bytes = Array(text.utf8)
            let sha = SHA256.hex(bytes)
            if let entry = old?.files[name], entry.sha256 == sha, isIntact(name, entry) {
                manifest.files[name] = entry
                continue
            }
            if (try? FileIO.read(path)) != bytes {
                try FileIO.write(bytes, to: path)
                changed.append(name)
            }
            let st = FileIO.status(path)
            manifest.files[name] = Manifest.Entry(sha256: sha, size: bytes.count, modified: st?.modified ?? 0)
        }
        FileIO.makeDirectories(workspace.appendingPathComponent("state/report").path)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try FileIO.write(Array(try encoder.encode(manifest)), to: manifestPath)
        return Written(files: outputs.map(\.0), changed: changed)
    }

    private func template(_ name: String) throws -> MustacheTemplate {
        let url = workspace.appendingPathComponent("config/templates/\(name)")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw ConfigProblem(file: "templates/\(name)", message: "模板文件不存在或无法读取")
        }
        do { return try MustacheTemplate(string: text) } catch {
            throw ConfigProblem(file: "templates/\(name)", message: "模板语法错误：\(error)")
        }
    }

    /// The chart goes right after the 主动公开 part, before the next heading.
    private func insertChart(_ svg: String, into body: String) -> String {
        let figure = "<figure class=\"chart\">\(svg)<figcaption>主动公开政府信息分类</figcaption></figure>"
        guard let part = body.firstRange(of: "主动公开政府信息情况</h2>"),
              let next = body[part.upperBound...].firstRange(of: "<h2>") else { return body + figure }
        return String(body[..<next.lowerBound]) + figure + String(body[next.lowerBound...])
    }

    private func totalsCSV(_ c: Consolidation) -> String {
        var csv = CSVWriter(header: ["code", "label", "unit", "value"])
        for ind in c.index.indicators where !ind.isHeading {
            csv.row([ind.code, ind.label, ind.unit ?? "", c.reported.contains(ind.code) ? Amount.text(c.value(ind.code)) : ""])
        }
        return csv.text
    }

    private func bySubmitterCSV(_ c: Consolidation) -> String {
        var csv = CSVWriter(header: ["submitter", "code", "label", "unit", "value", "derived", "file", "line"])
        for f in c.facts.sorted(by: { ($0.submitter, c.index.position(of: $0.code)) < ($1.submitter, c.index.position(of: $1.code)) }) {
            let ind = c.index[code: f.code]
            csv.row([f.submitter, f.code, ind?.label ?? "", ind?.unit ?? "", f.value.map(Amount.text) ?? "",
                     f.derived ? "目录统计" : "", f.file, f.line.map(String.init) ?? ""])
        }
        return csv.text
    }

    private func findingsCSV(_ findings: [Finding]) -> String {
        var csv = CSVWriter(header: ["severity", "submitter", "file", "line", "rule", "message", "expected", "actual"])
        for f in findings {
            csv.row([f.severity.label, f.submitter, f.file, f.line.map(String.init) ?? "", f.rule.rawValue, f.message, f.expected, f.actual])
        }
        return csv.text
    }

    private func feedback(_ submitter: String, _ findings: [Finding]) -> String {
        let errors = findings.filter { $0.severity == .error }.count
        var md = "# \(submitter)：\(year)年政府信息公开统计报送审核意见\n\n"
        md += errors > 0 ? "本次报送有 \(errors) 处错误需要更正后重新报送，另有 \(findings.count - errors) 条提示。\n\n"
                         : "本次报送未发现错误，以下 \(findings.count) 条提示供参考。\n\n"
        for s in Severity.allCases {
            let list = findings.filter { $0.severity == s }
            guard !list.isEmpty else { continue }
            md += "## \(s.label)\n\n"
            for f in list {
                md += "- **\(f.rule.title)**（\(f.rule.rawValue)）\(f.file.isEmpty ? "" : "：`\(f.location)`")  \n  \(f.message)\n"
            }
            md += "\n"
        }
        return md
    }
}
