import Core
import Extract
import Foundation
import Load
import Report
import Logging
import Store
import Transform

/// The four stages over one workspace and year, each handed the previous one's output as a
/// value. ``session(_:submitter:wait:_:)`` is what every stage command runs inside.
public struct Pipeline: Sendable {
    public let workspace: Workspace
    public let logger: Logger

    public var year: Int { workspace.year }

    /// - Parameter trace: each step's wall time to stderr (DISCLOSURE_TRACE=1).
    public init(workspace: Workspace, trace: Bool = ProcessInfo.processInfo.environment["DISCLOSURE_TRACE"] == "1") {
        self.workspace = workspace
        let path = workspace.layout.log(year: workspace.year)
        var logger = Logger(label: "disclosure") { label in
            let file = FileLogHandler(label: label, path: path)
            return MultiplexLogHandler(trace ? [file, NoticeLogHandler(), StepTimeLogHandler()] : [file, NoticeLogHandler()])
        }
        logger.logLevel = trace ? .trace : .info
        self.logger = logger
    }

    /// The registry's official name for what the user typed.
    public func submitter(_ raw: String?) throws -> String? {
        guard let raw else { return nil }
        guard let s = try workspace.registry().resolve(raw) else {
            throw UsageError("“\(raw)”不是登记的报送单位：请使用 config/submitters.csv 中的名称、简称或代码")
        }
        return s.name
    }

    /// What a command said it did, and the exit status and summary of the year afterwards.
    public struct SessionResult: Sendable {
        public var said: String
        public var status: Int32
        public var summary: String
    }

    /// Runs `body` holding the workspace lock, recorded as a run in the dataset; the state writes
    /// it left in the background are finished (and their failures thrown) before it returns.
    public func session(_ command: String, submitter raw: String?, wait: Bool,
                        _ body: (Pipeline, String?) throws -> String) throws -> SessionResult {
        logger.trace("start")
        try workspace.check()
        let lock = try WorkspaceLock(workspace.layout, wait: wait)
        defer { withExtendedLifetime(lock) {} }
        logger.trace("open.lock")
        workspace.warmUp()
        let who = try submitter(raw)
        logger.trace("open.registry")
        // A shared dataset's own hold on the city: the lock file above excludes runs on this
        // machine only, a server's advisory lock those on every machine.
        let shared = embedded ? nil : try workspace.dataset()
        if let shared {
            guard try shared.holdCity(wait: wait) else { throw LockError.cityHeld(try workspace.settings().city) }
        }
        defer { try? shared?.releaseCity() }
        // A dataset that is gone or empty while staged data remains has lost its history: rebuilt.
        var recovered = try recoverIfLost()
        do {
            do {
                return try attempt(command, who: who, recovered: recovered, body)
            } catch where Dataset.isDamage(error) {
                // SQLite found the file damaged, on opening it or half-way: moved aside, rebuilt, run again.
                try? workspace.files.settle()
                recovered = try recover(because: "SQLite 报告数据库文件已损坏（\(error)）")
                return try attempt(command, who: who, recovered: recovered, body)
            }
        } catch {
            throw Dataset.writeFailure(error, path: databasePath) ?? error
        }
    }

    private func attempt(_ command: String, who: String?, recovered: String?,
                         _ body: (Pipeline, String?) throws -> String) throws -> SessionResult {
        let dataset = try workspace.dataset()
        logger.trace("open.dataset")
        // Written by something else since the last run sealed it (or never sealed): every page checked.
        if !sealIsCurrent {
            try dataset.verify()
            logger.trace("open.verify")
        }
        // A run that was killed may have left temporary files: the lock is ours, so none is being written.
        if try dataset.lastRunWasCut() { sweepLeftovers() }
        let runID = try dataset.beginRun(year: year, command: command, submitter: who)
        logger.trace("open")
        let said = try body(self, who)
        try workspace.files.settle()
        logger.trace("finish-writes")
        let (status, summary) = try outcome()
        try dataset.finishRun(runID, exitCode: status, summary: summary)
        logger.trace("summary")
        // A seal that cannot be written costs the next run a check, nothing else.
        if embedded { try? FileIO.write(Array((Dataset.stamp(databasePath) ?? "").utf8), to: sealPath) }
        logger.trace("seal")
        return SessionResult(said: recovered.map { $0 + "\n" + said } ?? said, status: status, summary: summary)
    }

    /// Removes the temporary files a killed run left (`….tmp-<pid>`), in every year's state and outputs.
    func sweepLeftovers() {
        for dir in workspace.layout.temporaryFolders {
            // Best effort: a leftover that cannot be removed now is tried again after the next cut-short run.
            for name in FileIO.list(dir) where name.contains(".tmp-") { try? FileIO.remove(dir + "/" + name) }
        }
    }

    /// Extracts the inbox (or `submitter`'s folders).
    /// - Parameter each: hands a large read on a batch at a time (see ``ExtractStage/run(submitter:each:)``).
    public func extract(submitter: String?, each: ((_ batch: [StagedFile], _ whole: Bool) throws -> Void)? = nil) throws -> ExtractStage.Summary {
        let stage = try workspace.extractStage(logger: logger)
        logger.trace("extract.config")
        let summary = try stage.run(submitter: submitter, each: each)
        logger.info("extract \(year): \(summary.files) files, \(summary.extracted) read, \(summary.reused) unchanged, \(summary.removed) removed")
        return summary
    }

    /// Transforms what `extract` changed (or `submitter` alone); on its own, what the last
    /// extract left.
    public func transform(_ extract: consuming ExtractStage.Summary? = nil, submitter: String?,
                          early: TransformStage.Early? = nil) throws -> TransformStage.Outcome {
        let stage = try workspace.transformStage(logger: logger)
        let outcome: TransformStage.Outcome
        if let input = consume extract {
            outcome = try stage.run(consume input, submitter: submitter, early: early)
        } else {
            outcome = try stage.run(workspace.extractStage(logger: logger).stored(), submitter: submitter)
        }
        logger.info("transform \(year): \(outcome.changed.count) submitters transformed, \(outcome.removed.count) removed")
        return outcome
    }

    /// Loads what `transform` changed; nil when there was nothing to load.
    /// - Parameter session: the load begun while extract read, finished here.
    public func load(_ transform: consuming TransformStage.Outcome, submitter: String?, session: Dataset.Session? = nil) throws -> LoadStage.Outcome? {
        try workspace.loadStage(logger: logger).run(consume transform, submitter: submitter, session: session)
    }

    /// The `load` command on its own: every stored result (or `submitter`'s) loaded again.
    public func reload(submitter: String?) throws -> LoadStage.Outcome {
        let extract = try workspace.extractStage(logger: logger).stored()
        let transform = try workspace.transformStage(logger: logger).stored(after: extract)
        return try workspace.loadStage(logger: logger).reload(transform, submitter: submitter)
    }

    /// Starts reading what the report will need on the other core, for a run that found changes.
    public func prefetchReport() throws -> ReportStage.Inputs {
        try workspace.reportStage(logger: logger).prefetch(layout: workspace.reportFingerprint())
    }

    /// Writes the outputs, unless nothing they depend on changed since they were written.
    /// - Parameter inputs: the report's inputs as ``prefetchReport()`` started reading them.
    public func report(force: Bool = false, inputs: ReportStage.Inputs? = nil) throws -> ReportStage.Written {
        let dataset = try workspace.dataset()
        let stage = try workspace.reportStage(logger: logger)
        let layout = workspace.reportFingerprint()
        // The clerks' marks show in findings.csv, the feedback and the draft list: a new mark is a new report.
        let reviews = try currentReviews { try dataset.findings(year: year) }
        let key = try dataset.reportKey(year: year) + ":" + layout + ":" + ReportStage.formatVersion + (reviews.digest.isEmpty ? "" : ":" + reviews.digest)
        logger.trace("report.key")
        if !force, let written = stage.upToDate(key: key) { return written }
        // Last year's form is looked for (every form file read) only when last year has data.
        let previous = try dataset.hasCurrentData(year: year - 1) ? try? Workspace(root: workspace.root, year: year - 1).formIndex() : nil
        let written = try stage.run(dataset: dataset, previousIndex: previous, key: key, layout: layout, inputs: inputs, reviews: reviews)
        logger.info("report \(year): \(written.changed.count) of \(written.files.count) files changed")
        return written
    }

    /// What a run did: the inbox read, the submitters loaded, the outputs written.
    public struct RunReport: Sendable {
        public var extract: ExtractStage.Summary
        public var loaded: Int
        public var written: ReportStage.Written
    }

    /// The whole job: the four stages, each on what the one before changed.
    public func run(submitter who: String?) throws -> RunReport {
        // A large read is transformed as it is read, a batch at a time: a province's staged files
        // never sit in memory at once (the transform then takes those results). When it reads the
        // whole inbox (a first run), each batch's results are stored and loaded at once, in a
        // transaction that stays open to the end of the load, while the next batch is read.
        var early: TransformStage.Early?
        var session: Dataset.Session?
        // A run stopped before its load commits leaves the dataset as it was.
        defer { session?.cancel() }
        var e = try extract(submitter: who, each: who != nil ? nil : { [workspace, logger] batch, whole in
            if early == nil { early = try workspace.transformStage(logger: logger).early() }
            if whole && session == nil { session = try workspace.loadStage(logger: logger).begin() }
            try early!.take(batch, handOn: whole ? { try session!.load($0, digests: $1) } : nil)
        })
        logger.trace("extract")
        // Something to report: its stored parts and templates are read while the others run.
        let inputs = e.extracted + e.removed > 0 || who != nil ? try prefetchReport() : nil
        logger.trace("report.prefetch")
        // What each stage read stays in memory only while the next one needs it: the transform
        // takes what extract read and lets each submitter's files go once it is transformed.
        let read = e
        e.fresh = []
        let t = try transform(consume read, submitter: who, early: early)
        FileIO.releaseFreedMemory()  // what extract read is gone
        logger.trace("transform")
        let loaded = try load(consume t, submitter: who, session: session)?.changed ?? 0
        FileIO.releaseFreedMemory()  // and what transform made
        logger.trace("load")
        let w = try report(inputs: inputs)
        logger.trace("report")
        return RunReport(extract: e, loaded: loaded, written: w)
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
