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

    public static let formatVersion = "transform-8"

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
    /// - Parameter extractDigest: the extract index's digest, when the caller has it: if the
    ///   results were computed from that very index under this configuration, nothing is read.
    public func run(extract: ExtractStage, submitter only: String? = nil, fresh: [StagedFile] = [],
                    entries given: [String: ExtractStage.IndexEntry]? = nil, extractDigest: String? = nil) throws -> Outcome {
        let bytes = (try? FileIO.read(indexPath)) ?? []
        let header = { (digest: String) in "\(fingerprint)|\(digest)" }
        if only == nil, fresh.isEmpty, let extractDigest, TSV.header(of: bytes) == header(extractDigest) {
            return Outcome(changed: [], removed: [], stored: nil, indexDigest: SHA256.hex(bytes))
        }
        // A scoped run under an unchanged configuration parses its submitter's line only.
        let lines = only == nil ? nil : TSVLines(bytes).flatMap { $0.header.hasPrefix(fingerprint + "|") ? $0 : nil }
        let ownLines = lines.map { $0.select(column: 0, equals: only ?? "") } ?? []
        var index = lines.map { Self.parseIndex(header: $0.header, rows: ownLines.map($0.fields)) } ?? Self.parseIndex(bytes)
        if !index.fingerprint.hasPrefix(fingerprint + "|") {
            store.removeAll()
            index = Index(fingerprint: "", inputs: [:])
        }
        var files: [String: [(String, String)]] = [:]
        // A scoped run keys its own submitter only; the others' entries stay as stored.
        for (path, entry) in given ?? extract.entries() where only == nil || entry.submitter == only {
            files[entry.submitter, default: []].append((path, entry.sha256))
        }
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
        index.fingerprint = header(extractDigest ?? "")
        let render = { (index: Index) in
            lines.map { $0.replacing(lines: ownLines, with: Self.rows(index), header: index.fingerprint) } ?? Self.indexText(index)
        }
        var text = render(index)
        if text != bytes {
            if only != nil && extractDigest != nil {
                // A scoped run leaves the other submitters as they were: the index is not known to
                // match the whole extract index, so the next full run compares every input again.
                index.fingerprint = header("")
                text = render(index)
            }
            let store = self.store, finalChanges = changes, path = indexPath, dir = directory.path, finalText = text
            BackgroundWrites.submit {
                try store.update(finalChanges)
                FileIO.makeDirectories(dir)
                try FileIO.write(finalText, to: path, spare: FileIO.spareBeside(path), refill: true)
            }
        }
        return Outcome(changed: results, removed: removed, stored: index.loaded, indexDigest: only == nil ? SHA256.hex(text) : nil)
    }

    /// What every stored result holds, by submitter.
    public func stored() -> [String: Loaded] {
        try? BackgroundWrites.finish()
        return Self.parseIndex((try? FileIO.read(indexPath)) ?? []).loaded
    }

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

    private static func parseIndex(_ bytes: [UInt8]) -> Index {
        guard let (header, rows) = TSV.parse(bytes) else { return Index(fingerprint: "", inputs: [:]) }
        return parseIndex(header: header, rows: rows)
    }

    private static func parseIndex(header: String, rows: [[String]]) -> Index {
        var index = Index(fingerprint: header, inputs: [:])
        for row in rows where row.count == 4 {
            index.inputs[row[0]] = row[1]
            index.loaded[row[0]] = Loaded(contentHash: row[2], digest: row[3])
        }
        return index
    }

    private static func indexText(_ index: Index) -> [UInt8] {
        TSV.text(header: index.fingerprint, rows: rows(index))
    }

    private static func rows(_ index: Index) -> [[String]] {
        TSV.byteOrder(index.inputs.keys).map { name in
            let loaded = index.loaded[name]
            return [name, index.inputs[name]!, loaded?.contentHash ?? "", loaded?.digest ?? ""]
        }
    }

    /// SHA-256 of the index file as it stands (pending writes of this process first).
    public func indexDigest() -> String {
        try? BackgroundWrites.finish()
        return SHA256.hex((try? FileIO.read(indexPath)) ?? [])
    }
}
