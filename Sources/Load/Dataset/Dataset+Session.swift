import Core
import Foundation
import Store
import Transform

extension Dataset {
    /// A load whose transaction opens before its results are all made: a first run hands each
    /// batch of results over as extract and transform make them, and the dataset writes them on
    /// a thread of its own while the next batch is read (the load no longer waits for the whole
    /// inbox, nor do a province's results wait in memory for it).
    ///
    /// Nothing is committed before ``finish(_:present:among:marks:)``: a session cancelled, or
    /// one that met an error, rolls every change back, as one ``Dataset/apply`` would. While it is
    /// open the engine serves this transaction alone, so every other use of the dataset goes
    /// through ``dataset`` (which runs inside it) until it ends; a session must be finished or
    /// cancelled.
    public final class Session: @unchecked Sendable {
        /// A job the session's thread runs inside the transaction; true when it ends the session.
        fileprivate typealias Job = (_ db: any SQLSession, _ load: inout Transaction) throws -> Bool

        private let condition = NSCondition()
        // Guarded by `condition`:
        private var jobs: [(number: Int, job: Job)] = []
        private var submitted = 0, completed = 0
        /// Batches of results queued and not yet written: the hand-over waits beyond `queueBound`.
        private var queuedBatches = 0
        private var failure: (any Error)?
        private var ended = false
        private var handedOver = false
        private var outcomes: [(submitter: String, outcome: LoadOutcome)] = []

        /// Batches waiting for the dataset at most: results made faster than they are written wait
        /// in the hand-over, not in memory.
        static let queueBound = 2

        /// The same dataset, read and written inside this session's transaction.
        public private(set) lazy var dataset = Dataset(engine: Inside(session: self, engine: engine))
        private let engine: any DatasetEngine

        fileprivate init(engine: any DatasetEngine, year: Int, city: CityRules) {
            self.engine = engine
            let thread = Thread { [self] in run(year: year, city: city) }
            thread.name = "disclosure.load"
            thread.start()
        }

        /// The session's thread: the whole transaction.
        private func run(year: Int, city: CityRules) {
            do {
                try engine.write { db in
                    var load = try Transaction(db, year: year, city: city)
                    while true {
                        var (number, job): (Int, Job?) = next()
                        let last = try job!(db, &load)
                        // Let go before the caller is told: a job may hold a closure only lent to it.
                        job = nil
                        complete(number)
                        if last { return }
                    }
                }
            } catch {
                condition.withLock { if failure == nil { failure = error } }
            }
            condition.withLock {
                ended = true
                condition.broadcast()
            }
        }

        private func next() -> (Int, Job) {
            condition.withLock {
                while jobs.isEmpty { condition.wait() }
                return jobs.removeFirst()
            }
        }

        private func complete(_ number: Int) {
            condition.withLock {
                completed = number
                condition.broadcast()
            }
        }

        /// Queues `job`; returns its number, or throws the error that ended the session.
        private func submit(_ job: @escaping Job) throws -> Int {
            try condition.withLock {
                if let failure { throw failure }
                guard !ended else { throw CancellationError() }
                submitted += 1
                jobs.append((submitted, job))
                condition.broadcast()
                return submitted
            }
        }

        /// Waits until job `number` has run, or the session has ended.
        private func wait(for number: Int) throws {
            try condition.withLock {
                while completed < number && !ended { condition.wait() }
                if completed < number { throw failure ?? CancellationError() }
            }
        }

        /// Hands a batch of results over to be written (prepared here, on both cores); returns
        /// once it is queued. Throws the error that ended the session, if one did.
        /// - Parameter digests: results' ``SubmitterResult/digest`` by submitter, where the caller has them.
        public func load(_ results: consuming [SubmitterResult], digests: [String: String] = [:]) throws {
            let prepared = parallelMap(results) { Prepared($0, digest: digests[$0.submitter]) }
            results = []
            try condition.withLock {
                while queuedBatches >= Self.queueBound && !ended { condition.wait() }
                if let failure { throw failure }
                queuedBatches += 1
                if !prepared.isEmpty { handedOver = true }
            }
            do {
                _ = try submit { [self] db, load in
                    var batch = prepared
                    var done: [(submitter: String, outcome: LoadOutcome)] = []
                    for i in batch.indices { done.append((batch[i].result.submitter, try load.add(&batch[i], db))) }
                    condition.withLock {
                        outcomes += done
                        queuedBatches -= 1
                        condition.broadcast()
                    }
                    return false
                }
            } catch {
                condition.withLock { queuedBatches -= 1 }
                throw error
            }
        }

        /// Runs `body` inside the transaction and returns what it returns.
        public func perform<T>(_ body: @escaping (any SQLSession) throws -> T) throws -> T {
            var value: T?
            var thrown: (any Error)?
            let number = try submit { db, _ in
                do { value = try body(db) } catch { thrown = error }
                return false
            }
            try wait(for: number)
            if let thrown { throw thrown }
            return value!
        }

        /// True when results were handed over (a session with none is committed without a load to finish).
        public var hasResults: Bool { condition.withLock { handedOver } }

        /// Loads `results` too, withdraws the submitters not `present`, brings the city's totals
        /// and findings up to date, records `marks` and commits. Returns what became of every
        /// result of the session, in the order they were handed over.
        public func finish(_ results: consuming [SubmitterResult], digests: [String: String] = [:], present: Set<String>?,
                           among: Set<String>? = nil, marks: [String: String] = [:]) throws -> [(submitter: String, outcome: LoadOutcome)] {
            try load(results, digests: digests)
            let number = try submit { [engine] db, load in
                try load.finish(db, present: present, among: among, marks: marks, engine: engine)
                return true
            }
            try wait(for: number)
            return try condition.withLock {
                while !ended { condition.wait() }
                if let failure { throw failure }
                return outcomes
            }
        }

        /// Commits what ``dataset`` wrote, without a load to finish (nothing was handed over).
        public func commit() throws {
            let number = try submit { _, _ in true }
            try wait(for: number)
            try condition.withLock {
                while !ended { condition.wait() }
                if let failure { throw failure }
            }
        }

        /// Rolls back everything the session did and ends it (nothing, once it has ended).
        public func cancel() {
            _ = try? submit { _, _ in throw CancellationError() }
            condition.withLock { while !ended { condition.wait() } }
        }
    }

    /// Opens a session (see ``Session``) for a load of `year`.
    public func session(year: Int, city: CityRules) -> Session {
        Session(engine: engine, year: year, city: city)
    }
}

/// The engine a session's ``Dataset/Session/dataset`` reads and writes through: inside its transaction.
private struct Inside: DatasetEngine, @unchecked Sendable {
    unowned let session: Dataset.Session
    let engine: any DatasetEngine

    func read<T>(_ body: (any SQLSession) throws -> T) throws -> T { try withoutActuallyEscaping(body) { try session.perform($0) } }
    func write<T>(_ body: (any SQLSession) throws -> T) throws -> T { try withoutActuallyEscaping(body) { try session.perform($0) } }
    /// The engine's own check, outside the transaction: a run makes it when it opens the dataset,
    /// before any session (inside one, the engine would wait for the session to end).
    func verify() throws { try engine.verify() }
    func holdCity(wait: Bool) throws -> Bool { true }
    func releaseCity() throws {}
    func refreshStatistics(_ db: any SQLSession) throws { try engine.refreshStatistics(db) }
}
