import Logging
import Store
import Transform

/// The load stage: brings the dataset up to what a transform outcome says. It loads the results
/// that changed and whatever the dataset still lacks (a killed load, a restored backup), withdraws
/// the submitters no longer in the inbox, and rechecks the city's totals and findings, all in one
/// transaction.
public struct LoadStage: Sendable {
    public let dataset: Dataset
    public let year: Int
    /// What the city's findings also depend on (registry, form): when it changed, they are stale.
    let salt: String
    /// Builds what the city's findings are computed with, only when there is a load to do.
    let city: @Sendable () throws -> CityRules
    let logger: Logger

    public init(dataset: Dataset, year: Int, salt: String, logger: Logger, city: @escaping @Sendable () throws -> CityRules) {
        self.dataset = dataset
        self.year = year
        self.salt = salt
        self.city = city
        self.logger = logger
    }

    /// What a load did, a submitter a line.
    public struct Outcome: Sendable {
        public var loaded: [(submitter: String, outcome: Dataset.LoadOutcome)]

        /// The submitters whose data changed in the dataset.
        public var changed: Int { loaded.filter { $0.outcome != .unchanged }.count }
    }

    /// The meta entry naming the transform index the dataset holds in full.
    var loadedMark: String { "transform-loaded:\(year)" }

    /// Opens the load of a run whose results are handed over a batch at a time as they are made
    /// (see ``Dataset/Session``); ``run(_:submitter:session:)`` finishes it.
    public func begin() throws -> Dataset.Session {
        dataset.session(year: year, city: try city())
    }

    /// Loads what `transform` changed (only `submitter`'s result when given), what the dataset
    /// does not hold yet, and the withdrawals; nil when there was nothing to do.
    /// The transform's results are let go as they are loaded (see ``Dataset/apply``).
    /// - Parameter session: the load begun while extract read (``begin()``), finished here
    ///   with the rest in its one transaction.
    public func run(_ transform: consuming TransformStage.Outcome, submitter who: String? = nil,
                    session: Dataset.Session? = nil) throws -> Outcome? {
        // Inside the session's transaction when there is one: it sees what was handed over.
        let dataset = session?.dataset ?? self.dataset
        // A scoped run loads its submitter's result whatever the dataset holds: nothing else to compare.
        var pending = try who.map { name in transform.changed.filter { $0.submitter == name } }
            ?? (transform.changed + notLoaded(after: transform, in: dataset))
        // The digests the transform made of what it computed this run, not made again here.
        let digests = transform.stored.map { stored in
            Dictionary(uniqueKeysWithValues: transform.changed.compactMap { r in stored[r.submitter].map { (r.submitter, $0.digest) } })
        } ?? [:]
        transform.changed = []
        let cityCurrent = try dataset.cityFindingsAreCurrent(year: year, salt: salt)
        if pending.isEmpty && who == nil, let digest = transform.indexDigest, try dataset.meta(loadedMark) != digest {
            try dataset.setMeta(loadedMark, digest)  // checked in full just now
        }
        let handedOver = session?.hasResults ?? false
        guard handedOver || !pending.isEmpty || !transform.removed.isEmpty || who != nil || !cityCurrent else {
            try session?.commit()
            return nil
        }
        let present = transform.present, among: Set<String>? = transform.scope.map { [$0] }, complete = who == nil ? transform.indexDigest : nil
        _ = consume transform
        return try load(&pending, digests: digests, present: present, among: among, complete: complete, session: session)
    }

    /// Loads every stored result (only `submitter`'s when given), as the `load` command does.
    public func reload(_ transform: TransformStage.Outcome, submitter who: String? = nil) throws -> Outcome {
        var results = try transform.results.load(who.map { [$0] })
        return try load(&results, present: who == nil ? transform.present : nil, among: nil,
                        complete: who == nil ? transform.indexDigest : nil)
    }

    /// - Parameters:
    ///   - present: the submitters still in the inbox; the others are withdrawn (nil: none is).
    ///   - among: when given, only these may be withdrawn (a scoped run knows only its own files).
    ///   - complete: the digest of the transform index this load brings the dataset up to in full.
    /// Loads earlier states of submitters (see `TransformStage.history`), in order: each one a
    /// version, superseded by the next.
    public func loadHistory(_ results: [SubmitterResult]) throws {
        guard !results.isEmpty else { return }
        _ = try dataset.apply(results, year: year, present: nil, city: try city())
    }

    /// - Parameter results: handed over to the dataset (emptied), which lets each go once loaded.
    private func load(_ results: inout [SubmitterResult], digests: [String: String] = [:], present: Set<String>?, among: Set<String>?,
                      complete: String?, session: Dataset.Session? = nil) throws -> Outcome {
        let names = results.map(\.submitter)
        let given = results
        results = []
        let marks = complete.map { [loadedMark: $0] } ?? [:]
        let loaded: [(submitter: String, outcome: Dataset.LoadOutcome)]
        if let session {
            loaded = try session.finish(given, digests: digests, present: present, among: among, marks: marks)
        } else {
            let outcomes = try dataset.apply(given, digests: digests, year: year, present: present, among: among, city: try city(), marks: marks)
            loaded = zip(names, outcomes).map { (submitter: $0, outcome: $1) }
        }
        let changed = loaded.filter { $0.outcome != .unchanged }
        if changed.count <= 50 {
            for c in changed { logger.info("load \(year) \(c.submitter): \(c.outcome.rawValue)") }
        } else {
            let byOutcome = Dictionary(grouping: changed, by: \.outcome.rawValue).mapValues(\.count).sorted { $0.key < $1.key }
            logger.info("load \(year): \(changed.count) submitters (\(byOutcome.map { "\($0.key) \($0.value)" }.joined(separator: ", ")))")
        }
        return Outcome(loaded: loaded)
    }

    /// The stored results the dataset does not hold as its current versions: a load that was
    /// killed, a database restored from a backup. The next run loads them.
    func notLoaded(after transform: TransformStage.Outcome, in dataset: Dataset) throws -> [SubmitterResult] {
        // The dataset records which transform index it last loaded in full: the same one, nothing behind.
        if transform.changed.isEmpty, try dataset.meta(loadedMark) == transform.indexDigest { return [] }
        let current = try dataset.currentVersions(year: year)
        let done = Set(transform.changed.map(\.submitter))
        let stored = try transform.stored ?? transform.results.index()
        let behind = stored.filter { !done.contains($0.key) && current[$0.key] != $0.value }.map(\.key)
        return behind.isEmpty ? [] : try transform.results.load(Set(behind))
    }
}
