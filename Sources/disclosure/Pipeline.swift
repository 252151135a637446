import Extract
import Foundation
import Load
import Logging
import Transform

/// The four stages over one workspace and year; each reads what the previous one left in `state/`.
struct Pipeline {
    let workspace: Workspace
    let logger: Logger

    var year: Int { workspace.year }

    init(workspace: Workspace) {
        self.workspace = workspace
        let path = workspace.state.appendingPathComponent("logs/\(workspace.year).log")
        logger = Logger(label: "disclosure") { FileLogHandler(label: $0, path: path) }
    }

    /// The registry's official name for what the user typed.
    func submitter(_ raw: String?) throws -> String? {
        guard let raw else { return nil }
        guard let s = try workspace.registry().resolve(raw) else {
            throw UsageProblem("“\(raw)”不是登记的报送单位：请使用 config/submitters.csv 中的名称、简称或代码")
        }
        return s.name
    }

    @discardableResult
    func extract(submitter: String?) throws -> ExtractStage.Summary {
        let summary = try workspace.extractStage().run(submitter: submitter)
        logger.info("extract \(year): \(summary.files) files, \(summary.extracted) read, \(summary.reused) unchanged, \(summary.removed) removed")
        return summary
    }

    /// Transforms the submitters whose inputs changed (or `submitter` alone).
    @discardableResult
    func transform(submitter: String?) throws -> TransformStage.Outcome {
        let outcome = try workspace.transformStage(form: workspace.form()).run(extract: workspace.extractStage(), submitter: submitter)
        logger.info("transform \(year): \(outcome.changed.count) submitters transformed, \(outcome.removed.count) removed")
        return outcome
    }

    /// Loads the given results (every stored one when nil, as the `load` command does), withdraws
    /// submitters with nothing left in the inbox, then rechecks the city's totals.
    @discardableResult
    func load(submitter: String?, results given: [SubmitterResult]? = nil) throws -> [Dataset.LoadOutcome] {
        let form = try workspace.form()
        let dataset = try workspace.dataset()
        let results = try (given ?? workspace.transformStage(form: form).results()).filter { submitter == nil || $0.submitter == submitter }
        let outcomes = try dataset.load(results, year: year)
        for (r, outcome) in zip(results, outcomes) where outcome != .unchanged {
            logger.info("load \(year) \(r.submitter): \(outcome.rawValue)")
        }
        let entries = try workspace.extractStage().entries().values
        let present = Set(entries.map(\.submitter))
        try dataset.withdraw(year: year, keeping: present)
        let consolidation = Consolidation(facts: try dataset.currentFacts(year: year), index: FormIndex(form))
        let registry = try workspace.registry()
        let submitted = try dataset.submittersWithCurrentData(year: year)
        try dataset.replaceFindings(year: year, submitter: Consolidation.cityName,
                                    consolidation.findings(registry: registry, submitted: submitted))
        return outcomes
    }

    /// True when the database does not hold exactly the submitters transformed (it was replaced
    /// or restored), so everything must be loaded again.
    func databaseBehind() throws -> Bool {
        let stored = Set(try workspace.extractStage().entries().values.map(\.submitter))
        return try workspace.dataset().currentSubmitters(year: year) != stored
    }

    /// Writes the outputs, unless nothing they depend on changed since they were written.
    func report(force: Bool = false) throws -> ReportStage.Written {
        let dataset = try workspace.dataset()
        let stage = try ReportStage(workspace: workspace.root, year: year, index: FormIndex(workspace.form()))
        let key = try dataset.reportKey(year: year) + ":" + workspace.reportFingerprint() + ":" + ReportStage.formatVersion
        if !force, let written = stage.upToDate(key: key) { return written }
        var previous: Consolidation?
        if let before = try? Workspace(root: workspace.root, year: year - 1).form() {
            let facts = try dataset.currentFacts(year: year - 1)
            if !facts.isEmpty { previous = Consolidation(facts: facts, index: FormIndex(before)) }
        }
        let written = try stage.run(dataset: dataset, previous: previous, key: key)
        logger.info("report \(year): \(written.changed.count) of \(written.files.count) files changed")
        return written
    }

    /// 0 when the year has no error finding, 1 when it has.
    func exitStatus() throws -> Int32 {
        try workspace.dataset().findings(year: year).contains { $0.severity == .error } ? 1 : 0
    }

    /// The one-screen summary for cron mail: counts, then the files with errors.
    func summary() throws -> String {
        let findings = try workspace.dataset().findings(year: year)
        let count = { (s: Severity) in findings.filter { $0.severity == s }.count }
        var text = "\(year) 年：错误 \(count(.error))，警告 \(count(.warning))，提示 \(count(.note))。"
        let errors = findings.filter { $0.severity == .error }
        if !errors.isEmpty {
            text += "\n有错误的单位和文件：\n"
            for (key, list) in Dictionary(grouping: errors, by: { $0.submitter + "\t" + $0.file }).sorted(by: { $0.key < $1.key }).prefix(15) {
                let parts = key.split(separator: "\t", omittingEmptySubsequences: false)
                text += "  \(parts[0])  \(parts.count > 1 && !parts[1].isEmpty ? String(parts[1]) : "—")（\(list.count) 处）：\(list[0].rule.title)\n"
            }
        }
        return text
    }
}

/// Bad usage or configuration: exit status 2.
struct UsageProblem: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
