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
    var directoryPath: String { directory.path }

    public struct Written: Sendable {
        public var files: [String]
        public var changed: [String]
    }

    public static let formatVersion = "report-2"

    /// What was written last time, so that an unchanged output is neither compared nor rewritten.
    struct Manifest {
        struct Entry {
            var sha256: String
            var size: Int
            var modified: Double
            /// What the file was made from, when that alone decides it (a submitter's result digest
            /// for its feedback): an intact file with the same source is neither rendered nor compared.
            var source = ""
        }

        var key: String
        var files: [String: Entry]
    }

    var manifestPath: String { workspace.appendingPathComponent("state/report/\(year).tsv").path }

    func loadManifest() -> Manifest? {
        guard let (key, rows) = TSV.read(manifestPath) else { return nil }
        var manifest = Manifest(key: key, files: [:])
        for row in rows where row.count >= 4 {
            guard let size = Int(row[2]), let modified = Double(row[3]) else { return nil }
            manifest.files[row[0]] = Manifest.Entry(sha256: row[1], size: size, modified: modified, source: row.count > 4 ? row[4] : "")
        }
        return manifest
    }

    private func isIntact(_ name: String, _ entry: Manifest.Entry, in base: String) -> Bool {
        guard let st = FileIO.status(base + "/" + name) else { return false }
        return st.size == entry.size && st.modified == entry.modified
    }

    /// The outputs as they stand, when they were made from `key` and nobody touched them since.
    public func upToDate(key: String) -> Written? {
        let base = directoryPath
        guard let manifest = loadManifest(), manifest.key == key,
              manifest.files.allSatisfy({ isIntact($0.key, $0.value, in: base) }) else { return nil }
        return Written(files: manifest.files.keys.sorted(), changed: [])
    }

    /// - Parameter facts: the year's current facts when the caller just read them (a load in the same process).
    public func run(dataset: Dataset, previous: Consolidation?, key: String = "", facts known: [CurrentFact]? = nil) throws -> Written {
        let config = workspace.appendingPathComponent("config")
        let settings = try ReportSettings.load(config.appendingPathComponent("report/\(year)/settings.json"), year: year)
        let consolidation = Consolidation(facts: try known ?? dataset.currentFacts(year: year), index: index)
        let findings = try dataset.findings(year: year)
        trace("report.query")
        var narrative: [String: String] = [:]
        let narrativeDir = config.appendingPathComponent("report/\(year)")
        for name in (try? FileManager.default.contentsOfDirectory(atPath: narrativeDir.path)) ?? [] where name.hasSuffix(".md") {
            narrative[String(name.dropLast(3))] = try String(contentsOf: narrativeDir.appendingPathComponent(name), encoding: .utf8)
        }
        let content = ReportContent(year: year, settings: settings, consolidation: consolidation, findings: findings,
                                    narrative: narrative, previous: previous)
        let context = content.context()
        trace("report.context")
        let markdown = try template("report.md.mustache").render(context)
        var outputs: [(String, String)] = [("report.md", markdown)]
        let body = MarkdownParser().html(from: markdown)
        var html = context
        html["body"] = insertChart(HTMLParts.categoryChart(consolidation), into: body)
        html["statisticalTable"] = HTMLParts.statisticalTable(consolidation)
        html["submitterTable"] = HTMLParts.submitterTable(consolidation, previous: previous)
        html["title"] = "\(settings.city)\(year)年政府信息公开工作年度报告"
        outputs.append(("report.html", try template("report.html.mustache").render(html)))
        trace("report.html")
        outputs.append(("totals.csv", totalsCSV(consolidation)))
        outputs.append(("by_submitter.csv", bySubmitterCSV(consolidation)))
        outputs.append(("findings.csv", findingsCSV(findings)))
        trace("report.csv")
        outputs.append(("consolidated.xml", PlatformXML.render(consolidation, year: year, city: settings.city, code: settings.facts?["cityCode"] ?? "")))
        let old = loadManifest()
        var manifest = Manifest(key: key, files: [:])
        let base = directoryPath
        // Feedback is one submitter's findings: rendered again only when its result changed.
        let digests = try dataset.currentVersions(year: year).mapValues { "\(Self.formatVersion):\(year):\($0.digest)" }
        var kept: [String] = []
        var sources: [String: String] = [:]
        for (name, list) in Dictionary(grouping: findings, by: \.submitter) where name != Consolidation.cityName {
            let file = Self.feedbackFile(for: name)
            sources[file] = digests[name]
            if let source = digests[name], let entry = old?.files[file], entry.source == source, isIntact(file, entry, in: base) {
                manifest.files[file] = entry
                kept.append(file)
                continue
            }
            outputs.append((file, feedback(name, list)))
        }
        trace("report.render")
        var changed: [String] = []
        FileIO.makeDirectories(directory.appendingPathComponent("feedback").path)
        let keep = Set(outputs.map(\.0) + kept)
        for name in FileIO.list(directory.appendingPathComponent("feedback").path) where !keep.contains("feedback/" + name) {
            FileIO.remove(directory.appendingPathComponent("feedback/" + name).path)
            changed.append("feedback/" + name)
        }
        for (name, text) in outputs {
            let path = base + "/" + name
            let bytes = Array(text.utf8)
            let sha = SHA256.hex(bytes)
            if var entry = old?.files[name], entry.sha256 == sha, isIntact(name, entry, in: base) {
                entry.source = sources[name] ?? ""
                manifest.files[name] = entry
                continue
            }
            if (try? FileIO.read(path)) != bytes {
                try FileIO.write(bytes, to: path)
                changed.append(name)
            }
            let st = FileIO.status(path)
            let source = sources[name] ?? ""
            manifest.files[name] = Manifest.Entry(sha256: sha, size: bytes.count, modified: st?.modified ?? 0, source: source)
        }
        FileIO.makeDirectories(workspace.appendingPathComponent("state/report").path)
        try TSV.write(header: manifest.key, rows: manifest.files.sorted { $0.key < $1.key }.map { name, e in
            [name, e.sha256, "\(e.size)", "\(e.modified)", e.source]
        }, to: manifestPath)
        return Written(files: (outputs.map(\.0) + kept).sorted(), changed: changed)
    }

    private func trace(_ step: String) { Tracing.mark?(step) }

    /// `feedback/<submitter>.md`, the name made safe for a file: a registry name may hold a slash
    /// ("市人社局/市社保中心"), written full-width here.
    static func feedbackFile(for submitter: String) -> String {
        var name = submitter.replacing("/", with: "／").replacing("\u{0}", with: "")
        if name.hasPrefix(".") { name = "．" + name.dropFirst() }
        return "feedback/\(name).md"
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
        let ordered = c.facts.map { ($0, c.index.position(of: $0.code)) }
            .sorted { $0.0.submitter != $1.0.submitter ? $0.0.submitter < $1.0.submitter : $0.1 < $1.1 }.map(\.0)
        for f in ordered {
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
