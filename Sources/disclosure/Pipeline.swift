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
        let stage = try workspace.extractStage()
        Trace.mark("extract.config")
        let summary = try stage.run(submitter: submitter)
        logger.info("extract \(year): \(summary.files) files, \(summary.extracted) read, \(summary.reused) unchanged, \(summary.removed) removed")
        return summary
    }

    /// Transforms the submitters whose inputs changed (or `submitter` alone).
    @discardableResult
    func transform(submitter: String?, after extract: ExtractStage.Summary? = nil) throws -> TransformStage.Outcome {
        let outcome = try workspace.transformStage().run(
            extract: workspace.extractStage(), submitter: submitter, fresh: extract?.fresh ?? [], entries: extract?.entries,
            extractDigest: extract?.indexDigest)
        logger.info("transform \(year): \(outcome.changed.count) submitters transformed, \(outcome.removed.count) removed")
        return outcome
    }

    /// Loads the given results (every stored one when nil, as the `load` command does), withdraws
    /// submitters with nothing left in the inbox, then brings the city's totals and findings up to date.
    /// - Parameter complete: the digest of the transform index this load brings the dataset up to
    ///   in full (nil for a partial load), recorded with it.
    /// - Parameter scope: the submitter `entries` are limited to (a scoped extract): only it may be withdrawn.
    @discardableResult
    func load(submitter: String?, results given: [SubmitterResult]? = nil,
              entries: [String: ExtractStage.IndexEntry]? = nil, scope: String? = nil, complete: String? = nil) throws -> [Dataset.LoadOutcome] {
        let dataset = try workspace.dataset()
        let results = (given ?? workspace.transformStage().results()).filter { submitter == nil || $0.submitter == submitter }
        let present = submitter == nil ? Set(try (entries ?? workspace.extractStage().entries()).values.map(\.submitter)) : nil
        let stage = workspace.transformStage()
        let mark = submitter == nil ? (complete ?? (given == nil ? stage.indexDigest() : nil)) : nil
        let city = CityRules(index: try workspace.formIndex(), registry: try workspace.registry(), salt: workspace.transformFingerprint())
        let outcomes = try dataset.apply(results, year: year, present: present, among: scope.map { [$0] }, city: city,
                                         marks: mark.map { [loadedMark: $0] } ?? [:])
        let changed = zip(results, outcomes).filter { $0.1 != .unchanged }
        if changed.count <= 50 {
            for (r, outcome) in changed { logger.info("load \(year) \(r.submitter): \(outcome.rawValue)") }
        } else {
            let byOutcome = Dictionary(grouping: changed, by: \.1.rawValue).mapValues(\.count).sorted { $0.key < $1.key }
            logger.info("load \(year): \(changed.count) submitters (\(byOutcome.map { "\($0.key) \($0.value)" }.joined(separator: ", ")))")
        }
        return outcomes
    }

    /// For `run`: loads what this run's extract and transform changed, whatever the dataset still
    /// lacks (a killed load), and the city's findings when they are stale; nil when there was
    /// nothing to load.
    func loadWhatChanged(extract e: ExtractStage.Summary, transform t: TransformStage.Outcome,
                         submitter who: String?) throws -> [Dataset.LoadOutcome]? {
        // A scoped run loads its submitter's result whatever the dataset holds: nothing else to compare.
        let pending = try who.map { name in t.changed.filter { $0.submitter == name } } ?? (t.changed + notLoaded(after: t))
        let cityCurrent = try cityFindingsAreCurrent()
        let dataset = try workspace.dataset()
        if pending.isEmpty && who == nil, let digest = t.indexDigest, try dataset.meta(loadedMark) != digest {
            try dataset.setMeta(loadedMark, digest)  // checked in full just now
        }
        guard !pending.isEmpty || !t.removed.isEmpty || who != nil || !cityCurrent else { return nil }
        return try load(submitter: nil, results: pending, entries: e.entries, scope: e.scope, complete: who == nil ? t.indexDigest : nil)
    }

    /// False when the city's own findings (missing submitters, year-over-year moves) may be stale:
    /// the registry, the form, or the previous year's data changed since they were computed.
    func cityFindingsAreCurrent() throws -> Bool {
        try workspace.dataset().cityFindingsAreCurrent(year: year, salt: workspace.transformFingerprint())
    }

    /// Last year's form, for its figures beside this year's (nil when there is none).
    func previousIndex() -> FormIndex? {
        try? Workspace(root: workspace.root, year: year - 1).formIndex()
    }

    /// The stored results the dataset does not hold as its current versions: a load that was
    /// killed, a database restored from a backup. The next run loads them.
    func notLoaded(after transform: TransformStage.Outcome) throws -> [SubmitterResult] {
        let dataset = try workspace.dataset()
        // The dataset records which transform index it last loaded in full: the same one, nothing behind.
        if transform.changed.isEmpty, try dataset.meta(loadedMark) == transform.indexDigest { return [] }
        let stage = workspace.transformStage()
        let current = try dataset.currentVersions(year: year)
        let done = Set(transform.changed.map(\.submitter))
        let behind = (transform.stored ?? stage.stored()).filter { !done.contains($0.key) && current[$0.key] != $0.value }.map(\.key)
        return behind.isEmpty ? [] : stage.results(of: Set(behind))
    }

    /// The meta entry naming the transform index the dataset holds in full.
    var loadedMark: String { "transform-loaded:\(year)" }

    /// Writes the outputs, unless nothing they depend on changed since they were written.
    /// - Parameter inputs: the report's inputs as ``prefetchReport()`` started reading them.
    func report(force: Bool = false, inputs: ReportStage.Inputs? = nil) throws -> ReportStage.Written {
        let dataset = try workspace.dataset()
        let stage = try reportStage()
        let layout = workspace.reportFingerprint()
        let key = try dataset.reportKey(year: year) + ":" + layout + ":" + ReportStage.formatVersion
        Trace.mark("report.key")
        if !force, let written = stage.upToDate(key: key) { return written }
        // Last year's form is looked for (every form file read) only when last year has data.
        let previous = try dataset.hasCurrentData(year: year - 1) ? previousIndex() : nil
        let written = try stage.run(dataset: dataset, previousIndex: previous, key: key, layout: layout, inputs: inputs)
        logger.info("report \(year): \(written.changed.count) of \(written.files.count) files changed")
        return written
    }

    private func reportStage() throws -> ReportStage {
        ReportStage(workspace: workspace.root, year: year, index: try workspace.formIndex())
    }

    /// Starts reading what the report will need on the other core, for a run that found changes.
    func prefetchReport() throws -> ReportStage.Inputs {
        try reportStage().prefetch(layout: workspace.reportFingerprint())
    }

    /// The exit status (0 when the year has no error finding, 1 when it has) and the one-screen
    /// summary for cron mail: counts, then the files with errors.
    func outcome() throws -> (status: Int32, summary: String) {
        let dataset = try workspace.dataset()
        let counts = try dataset.findingCounts(year: year)
        return (counts[.error, default: 0] > 0 ? 1 : 0, try summary(counts))
    }

    private func summary(_ counts: [Severity: Int]) throws -> String {
        let dataset = try workspace.dataset()
        let count = { (s: Severity) in counts[s, default: 0] }
        var text = "\(year) 年：错误 \(count(.error))，警告 \(count(.warning))，提示 \(count(.note))。"
        let errors = count(.error) > 0 ? try dataset.findings(year: year, severity: .error) : []
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
