import Core
import Extract
import Foundation
import Logging
import Store

/// A submitter's result as the dataset keys it: the files it came from and what it says.
public struct Loaded: Sendable, Hashable {
    public var contentHash: String
    public var digest: String

    public init(contentHash: String, digest: String) {
        self.contentHash = contentHash
        self.digest = digest
    }
}

/// The transform stage over a workspace: one ``SubmitterResult`` a submitter, kept in
/// `state/transform/<year>/`. A submitter is transformed again only when its staged files or
/// the configuration that shapes facts (form, aliases, category map, registry) changed.
public struct TransformStage: Sendable {
    public let layout: WorkspaceLayout
    public let year: Int
    /// Builds the transformer (parsing form, aliases and category map) only when there is work.
    private let make: @Sendable () throws -> (Registry, SubmitterTransformer)
    public let fingerprint: String
    let files: FileStore
    let logger: Logger

    public static let formatVersion = "transform-11"

    public struct Outcome: Sendable {
        /// The results computed this time.
        public var changed: [SubmitterResult]
        /// Submitters whose staged files are all gone.
        public var removed: [String]
        /// What every stored result holds after this run, by submitter (for a scoped run, its
        /// submitter's only); nil when the run found nothing to do without reading the index
        /// (see ``indexDigest``).
        public var stored: [String: Loaded]?
        /// SHA-256 of the index as this run leaves it: equal digests, equal stored results (nil
        /// for a scoped run).
        public var indexDigest: String?
        /// The extract index within ``scope``, by path.
        public var entries: [String: ExtractStage.IndexEntry]
        /// The submitters with staged files, within ``scope``: who is still in the inbox.
        public var present: Set<String> { Set(entries.values.map(\.submitter)) }
        /// The submitter a scoped run covered (nil for the whole inbox).
        public var scope: String?
        /// Reads the stored results this outcome describes.
        public var results: Results
    }

    /// The stored results as a value the next stage reads them through.
    public struct Results: Sendable {
        let store: ShardedStore<SubmitterResult>
        let files: FileStore
        let indexPath: String

        /// What every stored result holds, by submitter, as the index says.
        public func index() throws(FileError) -> [String: Loaded] {
            try StageIndex<Record>(path: indexPath, files: files, valid: { _ in true }).records.mapValues(\.loaded)
        }

        /// The stored results of the given submitters, or of all when nil.
        public func load(_ names: Set<String>? = nil) throws(FileError) -> [SubmitterResult] {
            try files.settle()
            let found = names.map { store.load(keys: $0) } ?? store.loadAll()
            return found.values.sorted { $0.submitter < $1.submitter }
        }
    }

    /// A line of the index: the input key a stored result was computed from, and what it holds.
    struct Record: IndexRecord {
        var input: String
        var loaded: Loaded

        init(input: String, loaded: Loaded) {
            self.input = input
            self.loaded = loaded
        }

        init?(fields f: [String]) {
            guard f.count == 4 else { return nil }
            self.init(input: f[1], loaded: Loaded(contentHash: f[2], digest: f[3]))
        }

        var values: [String] { [input, loaded.contentHash, loaded.digest] }
    }

    public init(layout: WorkspaceLayout, year: Int, configFingerprint: String, files: FileStore, logger: Logger,
                make: @escaping @Sendable () throws -> (Registry, SubmitterTransformer)) {
        self.layout = layout
        self.year = year
        self.make = make
        self.fingerprint = Self.formatVersion + ":" + configFingerprint
        self.files = files
        self.logger = logger
    }

    public var directory: String { layout.transform(year: year) }

    var store: ShardedStore<SubmitterResult> { ShardedStore(directory: directory) }

    public var results: Results { Results(store: store, files: files, indexPath: indexPath) }

    /// What the last run left, as an outcome that changed nothing: for a stage run on its own.
    public func stored(after input: ExtractStage.Summary) throws(FileError) -> Outcome {
        let bytes = try files.read(indexPath) ?? []
        let index = StageIndex<Record>(path: indexPath, bytes: bytes, valid: { _ in true })
        return Outcome(changed: [], removed: [], stored: index.records.mapValues(\.loaded), indexDigest: SHA256.hex(bytes),
                       entries: input.entries, scope: input.scope, results: results)
    }

    /// Submitters transformed while extract reads (see ``ExtractStage/run(submitter:each:)``): each
    /// batch of staged files is transformed as it is handed on and let go. Its results are kept
    /// with the input they were made from, for `run` to take when that input is the one the
    /// extract index then gives; or, when the batch holds every file of its submitters, stored
    /// and handed on to the load at once (`run` then only records them).
    public final class Early: @unchecked Sendable {
        let registry: Registry
        let transformer: SubmitterTransformer
        /// By submitter: the input key (as `run` makes it) and the result.
        fileprivate var results: [String: (key: String, result: SubmitterResult)] = [:]
        /// By submitter: the input key and what was stored and handed on.
        fileprivate var handedOn: [String: (key: String, loaded: Loaded)] = [:]
        /// The stage's books, opened by the first results stored here; `run` goes on with them.
        fileprivate var books: Incremental<Record, SubmitterResult>?
        private let openBooks: () throws -> Incremental<Record, SubmitterResult>

        fileprivate init(registry: Registry, transformer: SubmitterTransformer,
                         openBooks: @escaping () throws -> Incremental<Record, SubmitterResult>) {
            self.registry = registry
            self.transformer = transformer
            self.openBooks = openBooks
        }

        /// Transforms the submitters of a batch of staged files.
        /// - Parameter handOn: when given (the batch holds all the files of each of its
        ///   submitters), the results are stored and handed to it with their digests, and only
        ///   what was stored is kept.
        public func take(_ batch: [StagedFile], handOn: (([SubmitterResult], _ digests: [String: String]) throws -> Void)? = nil) throws {
            let groups = Dictionary(grouping: batch, by: \.submitter)
            let names = groups.keys.sorted()
            let (registry, transformer, storing) = (self.registry, self.transformer, handOn != nil)
            // A stored result's digest made beside it, on both cores: the books keep it and the
            // load stores it, and a national body's is its 190 facts' text hashed.
            let made = parallelMap(names) { name -> (result: SubmitterResult, digest: String?) in
                let result = TransformStage.transform(name, files: groups[name]!, registry: registry, transformer: transformer)
                return (result, storing ? result.digest : nil)
            }
            let keys = names.map { TransformStage.inputKey(groups[$0]!.map { ($0.file, $0.sha256) }) }
            guard let handOn else {
                for (name, (key, made)) in zip(names, zip(keys, made)) { results[name] = (key, made.result) }
                return
            }
            if books == nil { books = try openBooks() }
            var updates: [String: SubmitterResult?] = [:], digests: [String: String] = [:]
            for (name, (key, made)) in zip(names, zip(keys, made)) {
                handedOn[name] = (key, Loaded(contentHash: made.result.contentHash, digest: made.digest!))
                updates[name] = made.result
                digests[name] = made.digest
            }
            books!.write(updates)
            try handOn(made.map(\.result), digests)
        }
    }

    /// A transformer for ``Early``: the configuration parsed once, as `run` would.
    public func early() throws -> Early {
        let (registry, transformer) = try make()
        let (files, path, store, fingerprint) = (files, indexPath, store, fingerprint)
        return Early(registry: registry, transformer: transformer) {
            try Incremental(index: StageIndex(path: path, bytes: try files.read(path) ?? [], valid: { $0.hasPrefix(fingerprint + "|") }),
                            store: store, files: files)
        }
    }

    /// One submitter's result from its staged files (its registry entry only under its own name),
    /// its facts in storage of their own size: they are kept until load has them.
    static func transform(_ name: String, files: [StagedFile], registry: Registry, transformer: SubmitterTransformer) -> SubmitterResult {
        var result = transformer.transform(registry.resolve(name).flatMap { $0.name == name ? $0 : nil }, name: name, files: files)
        result.facts = result.facts.withExactCapacity()
        return result
    }

    /// A submitter's input as the index keys it: its staged files' paths and content hashes.
    static func inputKey(_ list: [(String, String)]) -> String {
        list.sorted { $0.0 < $1.0 }.map { $0.0 + ":" + $0.1 }.joined(separator: "|")
    }

    /// Transforms the submitters whose inputs changed since the extract `input` describes (only
    /// `submitter` when given, which is then transformed whatever its inputs). Staged files the
    /// extract read this time are used from memory; only the others are read from the staging area.
    /// If the results were computed from the very extract index `input` names, under this
    /// configuration, nothing is read.
    /// - Parameter input: what extract did; its `fresh` files are let go a batch at a time as
    ///   they are transformed (a caller that keeps its own copy of the summary keeps them alive).
    /// - Parameter early: results made while extract read (taken out of it).
    public func run(_ input: consuming ExtractStage.Summary, submitter only: String? = nil, early: Early? = nil) throws -> Outcome {
        let header = { (digest: String) in "\(fingerprint)|\(digest)" }
        let bytes = try files.read(indexPath) ?? []
        if only == nil, input.fresh.isEmpty, let digest = input.indexDigest, TSV.header(of: bytes) == header(digest) {
            return Outcome(changed: [], removed: [], stored: nil, indexDigest: SHA256.hex(bytes),
                           entries: input.entries, scope: input.scope, results: results)
        }
        // The books the early results were stored through, if any: opened once (opening them on
        // an index from before would empty the store of what was just stored).
        var books = try early?.books ?? Incremental<Record, SubmitterResult>(
            index: StageIndex(path: indexPath, bytes: bytes, valid: { $0.hasPrefix(fingerprint + "|") }, scoped: only != nil),
            store: store, files: files)
        // A scoped run under an unchanged configuration parses its submitter's line only.
        if let only { books.index.select { $0.select(column: 0, equals: only) } }
        var staged: [String: [(String, String)]] = [:]
        // A scoped run keys its own submitter only; the others' entries stay as stored.
        for (path, entry) in input.entries where only == nil || entry.submitter == only {
            staged[entry.submitter, default: []].append((path, entry.sha256))
        }
        // The key is the list itself (paths and content hashes), compared exactly.
        let inputs = staged.mapValues(Self.inputKey)
        let changes = books.changes(current: inputs, order: inputs.keys.sorted(),
                                      same: { record, key in only == nil && record.input == key },
                                      removable: { _, _ in only == nil })
        var todo = changes.changed
        let removed = changes.removed.sorted()
        let inMemory = Dictionary(input.fresh.map { ($0.file, $0.sha256) }) { a, _ in a }
        // Made while extract read, from the very files the index now gives: kept, or already
        // stored and handed on (only recorded here).
        var made: [String: SubmitterResult] = [:]
        var handedOn: [String: Loaded] = [:]
        if let early {
            for name in todo {
                if let r = early.results.removeValue(forKey: name), r.key == inputs[name] { made[name] = r.result }
                else if let h = early.handedOn[name], h.key == inputs[name] { handedOn[name] = h.loaded }
            }
            early.results = [:]
            if !handedOn.isEmpty { todo.removeAll { handedOn[$0] != nil } }
        }
        let complete = Set(todo.filter { name in made[name] != nil || staged[name, default: []].allSatisfy { inMemory[$0.0] == $0.1 } })
        // What extract read stays in memory only until its submitter is transformed.
        var inMemoryGroups = Dictionary(grouping: input.fresh.filter { complete.contains($0.submitter) }, by: \.submitter)
        input.fresh = []
        logger.trace("transform.input")
        let (registry, transformer) = try todo.isEmpty ? (Registry.empty, nil)
            : early.map { ($0.registry, Optional($0.transformer)) } ?? { let (r, t) = try make(); return (r, Optional(t)) }()
        // Staged files read from the store a batch of submitters at a time: a province's never sit in memory at once.
        var computed: [SubmitterResult] = []
        computed.reserveCapacity(todo.count)
        // Batches of whole shards, so that each shard file is read once.
        let byShard = todo.count <= Self.batch ? todo : todo.map { (input.staging.shard(of: $0), $0) }.sorted { $0 < $1 }.map(\.1)
        var start = 0
        while start < byShard.count {
            let batch = Array(byShard[start..<min(start + Self.batch, byShard.count)])
            start += batch.count
            var groups = Dictionary(grouping: try input.staging.load(submitters: Set(batch).subtracting(complete)), by: \.submitter)
            for name in batch { if let files = inMemoryGroups.removeValue(forKey: name) { groups[name] = files } }
            computed += parallelMap(batch) { [groups, made] name in
                made[name] ?? Self.transform(name, files: groups[name] ?? [], registry: registry, transformer: transformer!)
            }
        }
        if byShard != todo {
            let position = Dictionary(uniqueKeysWithValues: todo.enumerated().map { ($1, $0) })
            computed.sort { position[$0.submitter]! < position[$1.submitter]! }
        }
        logger.trace("transform.compute")
        var updates: [String: SubmitterResult?] = [:]
        for (name, loaded) in handedOn { books.records[name] = Record(input: inputs[name]!, loaded: loaded) }
        // The digests on both cores; the load takes them from `stored` rather than make them again.
        for (r, digest) in zip(computed, parallelMap(computed) { $0.digest }) {
            updates[r.submitter] = r
            books.records[r.submitter] = Record(input: inputs[r.submitter]!, loaded: Loaded(contentHash: r.contentHash, digest: digest))
        }
        for name in removed {
            updates.updateValue(nil, forKey: name)
            books.records[name] = nil
        }
        var text = books.text(header: header(input.indexDigest ?? ""))
        if text != books.index.storedBytes {
            if only != nil && input.indexDigest != nil {
                // A scoped run leaves the other submitters as they were: the index is not known to
                // match the whole extract index, so the next full run compares every input again.
                text = books.text(header: header(""))
            }
            try books.save(text, updates: updates, force: true)
        }
        return Outcome(changed: computed, removed: removed, stored: books.records.mapValues(\.loaded),
                       indexDigest: only == nil ? SHA256.hex(text) : nil, entries: input.entries, scope: input.scope, results: results)
    }

    /// Each submitter's earlier states, rebuilt from the files it still has: for every moment a
    /// file of it arrived (its modification time) but the last, the result of the files it had
    /// by then, oldest first. The inbox keeps every file a submitter sent, so this is its version
    /// history as far as the workspace still holds it (for a dataset rebuilt after damage).
    public func history(_ input: ExtractStage.Summary) throws -> [SubmitterResult] {
        let groups = Dictionary(grouping: try input.staging.load(), by: \.submitter)
        guard !groups.isEmpty else { return [] }
        let (registry, transformer) = try make()
        var out: [SubmitterResult] = []
        for name in groups.keys.sorted() {
            let files = groups[name]!
            let submitter = registry.resolve(name).flatMap { $0.name == name ? $0 : nil }
            for moment in Set(files.map(\.received)).sorted().dropLast() {
                out.append(transformer.transform(submitter, name: name, files: files.filter { $0.received <= moment }))
            }
        }
        return out
    }

    private var indexPath: String { layout.transformIndex(year: year) }

    /// Submitters whose staged files are read from the store at once.
    static let batch = 512
}
