import Extract
import Foundation

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
    public let workspace: URL
    public let year: Int
    /// Builds the transformer (parsing form, aliases and category map) only when there is work.
    private let make: @Sendable () throws -> (Registry, SubmitterTransformer)
    public let fingerprint: String

    public static let formatVersion = "transform-4"

    public struct Outcome: Sendable {
        /// The results computed this time.
        public var changed: [SubmitterResult]
        /// Submitters whose staged files are all gone.
        public var removed: [String]
        /// What every stored result holds after this run, by submitter.
        public var stored: [String: Loaded] = [:]
    }

    struct Index {
        var fingerprint: String
        /// The input key each stored result was computed from, by submitter.
        var inputs: [String: String]
        /// What each stored result holds, to tell whether the dataset has it.
        var loaded: [String: Loaded] = [:]
    }

    public init(workspace: URL, year: Int, configFingerprint: String, make: @escaping @Sendable () throws -> (Registry, SubmitterTransformer)) {
        self.workspace = workspace
        self.year = year
        self.make = make
        self.fingerprint = Self.formatVersion + ":" + configFingerprint
    }

    public var directory: URL { workspace.appendingPathComponent("state/transform/\(year)") }

    var store: ShardedStore<SubmitterResult> { ShardedStore(directory: directory.path) }

    /// Transforms the submitters whose inputs changed (only `submitter` when given, which is then
    /// transformed whatever its inputs).
    /// - Parameter fresh: staged files already in memory (from an extract in the same process);
    ///   only the other files of the submitters to transform are read from the staging area.
    /// - Parameter entries: the extract index, when the caller has it at hand.
    public func run(extract: ExtractStage, submitter only: String? = nil, fresh: [StagedFile] = [],
                    entries given: [String: ExtractStage.IndexEntry]? = nil) throws -> Outcome {
        var index = loadIndex()
        if index.fingerprint != fingerprint {
            store.removeAll()
            index = Index(fingerprint: fingerprint, inputs: [:])
        }
        var files: [String: [(String, String)]] = [:]
        for (path, entry) in given ?? extract.entries() { files[entry.submitter, default: []].append((path, entry.sha256)) }
        var inputs: [String: String] = [:]
        for (name, list) in files {
            // The key is the list itself (paths and content hashes), compared exactly.
            inputs[name] = list.sorted { $0.0 < $1.0 }.map { $0.0 + ":" + $0.1 }.joined(separator: "|")
        }
        let todo = inputs.keys.filter { name in only.map { $0 == name } ?? (index.inputs[name] != inputs[name]) }.sorted()
        let removed = only == nil ? index.inputs.keys.filter { inputs[$0] == nil }.sorted() : []
        let inMemory = Dictionary(fresh.map { ($0.file, $0) }) { a, _ in a }
        let complete = Set(todo.filter { name in files[name, default: []].allSatisfy { inMemory[$0.0]?.sha256 == $0.1 } })
        let stored = extract.staged(submitters: Set(todo).subtracting(complete))
        let groups = Dictionary(grouping: stored + fresh.filter { complete.contains($0.submitter) }, by: \.submitter)
        Tracing.mark?("transform.input")
        let (registry, transformer) = try todo.isEmpty ? (Registry.empty, nil) : { let (r, t) = try make(); return (r, Optional(t)) }()
        let results = parallelMap(todo) { name in
            transformer!.transform(registry.resolve(name).flatMap { $0.name == name ? $0 : nil }, name: name, files: groups[name] ?? [])
        }
        Tracing.mark?("transform.compute")
        var changes: [String: SubmitterResult?] = [:]
        for r in results { changes[r.submitter] = r }
        for name in removed { changes.updateValue(nil, forKey: name) }
        for name in todo { index.inputs[name] = inputs[name] }
        for r in results { index.loaded[r.submitter] = Loaded(contentHash: r.contentHash, digest: r.digest) }
        for name in removed {
            index.inputs[name] = nil
            index.loaded[name] = nil
        }
        if !changes.isEmpty {
            let store = self.store, finalIndex = index, finalChanges = changes
            BackgroundWrites.submit {
                try store.update(finalChanges)
                try self.saveIndex(finalIndex)
            }
        }
        return Outcome(changed: results, removed: removed, stored: index.loaded)
    }

    /// What every stored result holds, by submitter.
    public func stored() -> [String: Loaded] { loadIndex().loaded }

    /// The stored results of the given submitters.
    public func results(of names: Set<String>) -> [SubmitterResult] {
        try? BackgroundWrites.finish()
        return store.load(keys: names).values.sorted { $0.submitter < $1.submitter }
    }

    /// Every transformed submitter of the year, by name.
    public func results() -> [SubmitterResult] {
        try? BackgroundWrites.finish()
        return store.loadAll().values.sorted { $0.submitter < $1.submitter }
    }

    private var indexPath: String { directory.appendingPathComponent("index.tsv").path }

    private func loadIndex() -> Index {
        guard let (header, rows) = TSV.read(indexPath) else { return Index(fingerprint: "", inputs: [:]) }
        var index = Index(fingerprint: header, inputs: [:])
        for row in rows where row.count == 4 {
            index.inputs[row[0]] = row[1]
            index.loaded[row[0]] = Loaded(contentHash: row[2], digest: row[3])
        }
        return index
    }

    private func saveIndex(_ index: Index) throws {
        FileIO.makeDirectories(directory.path)
        try TSV.write(header: index.fingerprint, rows: index.inputs.sorted { $0.key < $1.key }.map { name, input in
            [name, input, index.loaded[name]?.contentHash ?? "", index.loaded[name]?.digest ?? ""]
        }, to: indexPath)
    }
}
