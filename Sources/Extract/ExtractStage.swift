import Foundation

/// The extract stage over a workspace: scans `inbox/<year>/`, extracts what is new or changed
/// (both cores, one file a task), and keeps the staged files in `state/staging/<year>/`.
///
/// A file whose size, modification time and content are unchanged since the last run, under
/// the same configuration, is not read again.
public struct ExtractStage: Sendable {
    public struct Summary: Sendable {
        public var files: Int
        public var extracted: Int
        public var reused: Int
        public var removed: Int
        /// Submitters with a file new, changed or gone since the last run.
        public var affected: Set<String>
        /// The files read this time, so a following stage in the same process need not read them back.
        public var fresh: [StagedFile]
        /// The index after this run, by path: every staged file, or for a scoped run the files of
        /// its submitter only.
        public var entries: [String: IndexEntry]
        /// The submitter a scoped run covered (nil for the whole inbox).
        public var scope: String?
        /// SHA-256 of the index file as this run leaves it: equal digests, equal staging (nil for
        /// a scoped run, which covers part of the index).
        public var indexDigest: String?
    }

    public struct IndexEntry: Codable, Sendable {
        public var size: Int
        public var modified: Double
        public var sha256: String
        public var submitter: String
        /// False when the file had been modified within moments of being read: a rewrite in the
        /// same clock tick would keep its size and time, so its content is checked next time.
        public var settled = true
    }

    struct Index {
        var fingerprint: String
        var files: [String: IndexEntry]
    }

    public let workspace: URL
    public let year: Int
    /// Builds the extractor (parsing the registry and the XML profiles) only when a file is to be read.
    private let makeExtractor: @Sendable () throws -> Extractor
    /// Changes whenever something that shapes staged records changes: registry, profiles, this code.
    public let fingerprint: String

    public static let formatVersion = "extract-6"

    public init(workspace: URL, year: Int, configFingerprint: String, extractor: @escaping @Sendable () throws -> Extractor) {
        self.workspace = workspace
        self.year = year
        self.makeExtractor = extractor
        self.fingerprint = Self.formatVersion + ":" + configFingerprint
    }

    public var directory: URL { workspace.appendingPathComponent("state/staging/\(year)") }

    /// Staged files by submitter, then by path.
    var store: ShardedStore<[String: StagedFile]> { ShardedStore(directory: directory.path) }

    /// Extracts the inbox, or only `submitter`'s folder(s) when given.
    public func run(submitter: String? = nil) throws -> Summary {
        FileIO.makeDirectories(directory.path)
        let stored = (try? FileIO.read(indexPath)) ?? []
        // A scoped run under an unchanged configuration parses its submitter's lines only (below).
        let lines = submitter == nil ? nil : TSVLines(stored).flatMap { $0.header == fingerprint ? $0 : nil }
        var index = lines == nil ? Self.parseIndex(stored) : Index(fingerprint: fingerprint, files: [:])
        var submitter = submitter
        let configChanged = index.fingerprint != fingerprint
        if configChanged {
            // The configuration changed: every file is read again, whatever the scope asked.
            store.removeAll()
            index = Index(fingerprint: fingerprint, files: [:])
            submitter = nil
        }
        Tracing.mark?("extract.index")
        let now = Date().timeIntervalSince1970
        // Built once, and only when a scope is to be resolved or a file read.
        var built: Extractor?
        func extractor() throws -> Extractor {
            if let built { return built }
            let made = try makeExtractor()
            built = made
            return made
        }
        let scope = try scan(registry: submitter == nil ? nil : extractor().registry, submitter: submitter,
                             reuseListings: !configChanged, now: now)
        Tracing.mark?("extract.scan")
        // The scope's own lines: its submitter's files, and any file now in its folders.
        let scopeLines = lines.map { $0.select(column: 4, equals: submitter ?? "", orKeyIn: Set(scope.map(\.path))) } ?? []
        if let lines {
            for n in scopeLines {
                let f = lines.fields(n)
                if let entry = Self.entry(f) { index.files[f[0]] = entry }
            }
        }
        // A file read in the same moment it was last written may have been rewritten since without
        // its size or time moving ("racily clean"): its content hash decides.
        var settling: [String] = []
        let todo = scope.filter { file in
            guard let entry = index.files[file.path] else { return true }
            if entry.size != file.size || entry.modified != file.modified { return true }
            if entry.settled { return false }
            if Extractor.hash(file.absolutePath) != entry.sha256 { return true }
            if now - file.modified > InboxFile.settle { settling.append(file.path) }
            return false
        }
        for path in settling { index.files[path]?.settled = true }
        let reader = try todo.isEmpty ? nil : extractor()
        let fresh = parallelMap(todo) { reader!.extract($0) }
        // Files that left the inbox (within the scope just scanned) leave the staging area too.
        let present = Set(scope.map(\.path))
        let gone = index.files.filter { !present.contains($0.key) && (submitter == nil || $0.value.submitter == submitter) }
        var affected = Set(fresh.map(\.submitter)).union(gone.values.map(\.submitter))
        // A file that moved to another folder leaves its old submitter.
        for (file, staged) in zip(todo, fresh) {
            if let old = index.files[file.path]?.submitter, old != staged.submitter { affected.insert(old) }
        }
        let changes = restaged(affected, fresh: zip(todo, fresh).map { ($0.path, $1) }, gone: gone, index: index)
        for path in gone.keys { index.files[path] = nil }
        for (file, staged) in zip(todo, fresh) {
            index.files[file.path] = IndexEntry(size: file.size, modified: file.modified, sha256: staged.sha256, submitter: staged.submitter,
                                                settled: now - file.modified > InboxFile.settle)
        }
        var digest = submitter == nil ? SHA256.hex(stored) : nil
        if !todo.isEmpty || !gone.isEmpty || configChanged || !settling.isEmpty {
            let store = self.store, indexPath = self.indexPath
            let bytes = lines.map { $0.replacing(lines: scopeLines, with: Self.rows(index), header: fingerprint) } ?? Self.indexText(index)
            let finalChanges = changes
            if submitter == nil { digest = SHA256.hex(bytes) }
            BackgroundWrites.submit {
                try store.update(finalChanges)
                try FileIO.write(bytes, to: indexPath, spare: FileIO.spareBeside(indexPath), refill: true)
            }
        }
        return Summary(files: scope.count, extracted: todo.count, reused: scope.count - todo.count, removed: gone.count,
                       affected: affected, fresh: fresh, entries: index.files, scope: submitter, indexDigest: digest)
    }

    /// The inbox, or only the folders that resolve to `submitter`; folder listings that have not
    /// changed since the last scan are reused (see ``FolderListing``).
    private func scan(registry: Registry?, submitter: String?, reuseListings: Bool, now: Double) -> [InboxFile] {
        let inScope: @Sendable (String) -> Bool = { [submitter] folder in
            guard let submitter else { return true }
            return registry?.resolve(folder)?.name == submitter || folder == submitter
        }
        // A scoped scan lists its submitter's folders afresh and leaves the stored listings alone:
        // a folder it changed has a new time, so the next full scan lists it again.
        if submitter != nil { return InboxFile.scan(workspace: workspace, year: year, folders: inScope) }
        let listingsPath = directory.appendingPathComponent("folders.tsv").path
        let known = reuseListings ? FolderListing.load(listingsPath) : [:]
        let (files, listings) = InboxFile.scan(workspace: workspace, year: year, folders: nil, listings: known, now: now)
        if listings != known {
            let text = FolderListing.text(listings)
            BackgroundWrites.submit { try FileIO.write(text, to: listingsPath, spare: FileIO.spareBeside(listingsPath)) }
        }
        return files
    }

    /// The affected submitters' staged files after this run: fresh ones in, gone ones out (a file
    /// that moved to another folder leaves its old submitter); nil for a submitter left with none.
    private func restaged(_ affected: Set<String>, fresh: [(path: String, staged: StagedFile)], gone: [String: IndexEntry],
                          index: Index) -> [String: [String: StagedFile]?] {
        var groups = store.load(keys: affected)
        for (path, entry) in gone { groups[entry.submitter]?[path] = nil }
        for (path, staged) in fresh {
            if let old = index.files[path]?.submitter, old != staged.submitter { groups[old]?[path] = nil }
            groups[staged.submitter, default: [:]][path] = staged
        }
        var changes: [String: [String: StagedFile]?] = [:]
        for name in affected { changes.updateValue(groups[name].flatMap { $0.isEmpty ? nil : $0 }, forKey: name) }
        return changes
    }

    /// The staged files of the given submitters (every submitter when nil), in path order.
    /// Waits for this process's pending state writes first.
    public func staged(submitters: Set<String>? = nil) -> [StagedFile] {
        if submitters?.isEmpty == true { return [] }
        try? BackgroundWrites.finish()
        let groups = submitters.map { store.load(keys: $0) } ?? store.loadAll()
        return groups.values.flatMap(\.values).sorted { $0.file < $1.file }
    }

    /// What the index knows of every staged file, by path, without reading the staged records.
    public func entries() -> [String: IndexEntry] {
        try? BackgroundWrites.finish()
        return Self.parseIndex((try? FileIO.read(indexPath)) ?? []).files
    }

    var indexPath: String { directory.appendingPathComponent("index.tsv").path }

    /// The index as tab-separated lines: fingerprint, then path, size, modification time, SHA-256, submitter.
    private static func parseIndex(_ bytes: [UInt8]) -> Index {
        guard let (header, rows) = TSV.parse(bytes) else { return Index(fingerprint: "", files: [:]) }
        var index = Index(fingerprint: header, files: [:])
        index.files.reserveCapacity(rows.count)
        for f in rows {
            guard let entry = entry(f) else { return Index(fingerprint: "", files: [:]) }
            index.files[f[0]] = entry
        }
        return index
    }

    private static func entry(_ f: [String]) -> IndexEntry? {
        guard f.count == 6, let size = Int(f[1]), let modified = Double(f[2]) else { return nil }
        return IndexEntry(size: size, modified: modified, sha256: f[3], submitter: f[4], settled: f[5] == "1")
    }

    private static func indexText(_ index: Index) -> [UInt8] {
        TSV.text(header: index.fingerprint, rows: rows(index))
    }

    private static func rows(_ index: Index) -> [[String]] {
        TSV.byteOrder(index.files.keys).map { path in
            let e = index.files[path]!
            return [path, "\(e.size)", "\(e.modified)", e.sha256, e.submitter, e.settled ? "1" : "0"]
        }
    }
}

/// Maps over `items` on every core; the order of the results is the order of `items`.
public func parallelMap<T: Sendable, R: Sendable>(_ items: [T], _ transform: @Sendable (T) -> R) -> [R] {
    guard items.count > 1 else { return items.map(transform) }
    let slots = ParallelSlots<R>(items.count)
    slots.values.withUnsafeMutableBufferPointer { buffer in
        nonisolated(unsafe) let out = buffer
        DispatchQueue.concurrentPerform(iterations: items.count) { i in
            out[i] = transform(items[i])  // each index is written by exactly one task
        }
    }
    return slots.values.map { $0! }
}

private final class ParallelSlots<R>: @unchecked Sendable {
    var values: [R?]
    init(_ n: Int) { values = Array(repeating: nil, count: n) }
}
