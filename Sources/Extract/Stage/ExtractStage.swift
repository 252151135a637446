import Core
import Foundation
import Logging
import Store

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
        /// Reads the staged files this summary describes.
        public var staging: Staging
    }

    /// The staging area as a value the next stage reads staged files through.
    public struct Staging: Sendable {
        let store: ShardedStore<[String: StagedFile]>
        let files: FileStore

        /// Where a submitter's staged files lie in the store: reading submitters of the same
        /// shards together reads each shard once.
        public func shard(of submitter: String) -> Int { store.shard(of: submitter) }

        /// The staged files of the given submitters (every submitter when nil), in path order,
        /// after this process's pending state writes.
        public func load(submitters: Set<String>? = nil) throws(FileError) -> [StagedFile] {
            if submitters?.isEmpty == true { return [] }
            try files.settle()
            let groups = submitters.map { store.load(keys: $0) } ?? store.loadAll()
            return groups.values.flatMap(\.values).sorted { $0.file < $1.file }
        }
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

    public let layout: WorkspaceLayout
    public let year: Int
    /// Builds the extractor (parsing the registry and the XML profiles) only when a file is to be read.
    private let makeExtractor: @Sendable () throws -> Extractor
    /// Changes whenever something that shapes staged records changes: registry, profiles, this code.
    public let fingerprint: String
    let files: FileStore
    let logger: Logger

    public static let formatVersion = "extract-12"

    public init(layout: WorkspaceLayout, year: Int, configFingerprint: String, files: FileStore, logger: Logger,
                extractor: @escaping @Sendable () throws -> Extractor) {
        self.layout = layout
        self.year = year
        self.makeExtractor = extractor
        self.fingerprint = Self.formatVersion + ":" + configFingerprint
        self.files = files
        self.logger = logger
    }

    public var directory: String { layout.staging(year: year) }

    /// Staged files by submitter, then by path.
    var store: ShardedStore<[String: StagedFile]> { ShardedStore(directory: directory) }

    /// Files read together when a run hands what it reads on as it goes (see `run`): 512, or
    /// `DISCLOSURE_STREAM_BATCH` (the tests read a small inbox in several batches with it).
    let streamBatch = ProcessInfo.processInfo.environment["DISCLOSURE_STREAM_BATCH"].flatMap { Int($0) }.map { max(1, $0) } ?? 512

    /// Extracts the inbox, or only `submitter`'s folder(s) when given.
    /// - Parameter each: when given, a large read (more than `streamBatch` files, none gone or
    ///   moved to another submitter) goes a batch of whole staging shards at a time: each batch is
    ///   staged and handed to `each`, then let go, and the summary's `fresh` is empty. A province's
    ///   staged files never sit in memory at once. `whole` is true when the run reads every file
    ///   of the inbox (a first run): each batch then holds all the files of each of its submitters.
    public func run(submitter: String? = nil, each: ((_ batch: [StagedFile], _ whole: Bool) throws -> Void)? = nil) throws -> Summary {
        try FileIO.makeDirectories(directory)
        var submitter = submitter
        // A scoped run under an unchanged configuration parses its submitter's lines only (below,
        // once its folders are scanned).
        var books = try Incremental<IndexEntry, [String: StagedFile]>(
            index: indexPath, store: store, files: files, trusting: { $0 == fingerprint }, scoped: submitter != nil)
        let configChanged = !books.isCurrent
        // The configuration changed: every file is read again, whatever the scope asked.
        if configChanged { submitter = nil }
        logger.trace("extract.index")
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
        logger.trace("extract.scan")
        if let submitter {
            // The scope's own lines: its submitter's files, and any file now in its folders.
            let paths = Set(scope.map(\.path))
            books.index.select { $0.select(column: 4, equals: submitter, orKeyIn: paths) }
        }
        // A file read in the same moment it was last written may have been rewritten since without
        // its size or time moving ("racily clean"): its content hash decides.
        var settling: [String] = []
        let current = Dictionary(scope.map { ($0.path, $0) }) { a, _ in a }
        let changes = books.changes(current: current, order: scope.map(\.path), same: { entry, file in
            if entry.size != file.size || entry.modified != file.modified { return false }
            if entry.settled { return true }
            if Extractor.hash(file) != entry.sha256 { return false }
            if now - file.modified > InboxFile.settle { settling.append(file.path) }
            return true
        }, removable: { _, entry in submitter == nil || entry.submitter == submitter })
        for path in settling { books.records[path]?.settled = true }
        var todo = changes.changed.map { current[$0]! }
        let reader = try todo.isEmpty ? nil : extractor()
        // A file copied in a moment ago is waited for, then read: the clerk who copies a
        // resubmission and runs at once gets it read, and so does cron.
        var readAt = now
        if let reader { (todo, readAt) = settled(todo, limits: reader.limits, since: now) }
        let at = readAt
        let read = { @Sendable (file: InboxFile) -> StagedFile in
            var staged = reader!.extract(file, now: at)
            staged.values = staged.values.withExactCapacity()  // kept until transform takes them
            return staged
        }
        // Files that left the inbox (within the scope just scanned) leave the staging area too.
        let gone = Dictionary(uniqueKeysWithValues: changes.removed.map { ($0, books.records[$0]!) })
        if let each, let reader, gone.isEmpty, todo.count > streamBatch {
            // Each file's submitter as the reader will resolve it, to batch whole shards.
            let owners = todo.map { reader.registry.resolve($0.folder)?.name ?? $0.folder }
            if zip(todo, owners).allSatisfy({ file, owner in books.records[file.path].map { $0.submitter == owner } ?? true }) {
                return try stream(todo, owners: owners, read: read, each: each, books: &books, scope: scope, at: at,
                                  submitter: submitter)
            }
        }
        let fresh = parallelMap(todo, read)
        var affected = Set(fresh.map(\.submitter)).union(gone.values.map(\.submitter))
        // A file that moved to another folder leaves its old submitter.
        for (file, staged) in zip(todo, fresh) {
            if let old = books.records[file.path]?.submitter, old != staged.submitter { affected.insert(old) }
        }
        let restaged = restaged(affected, fresh: zip(todo, fresh).map { ($0.path, $1) }, gone: gone, records: books.records)
        for path in gone.keys { books.records[path] = nil }
        for (file, staged) in zip(todo, fresh) { books.records[file.path] = entry(file, staged, at: at) }
        var digest = submitter == nil ? SHA256.hex(books.index.storedBytes) : nil
        if !changes.isEmpty || configChanged || !settling.isEmpty {
            let bytes = try books.save(header: fingerprint, updates: restaged, force: true)
            if submitter == nil { digest = SHA256.hex(bytes) }
        }
        return Summary(files: scope.count, extracted: todo.count, reused: scope.count - todo.count, removed: gone.count,
                       affected: affected, fresh: fresh, entries: books.records, scope: submitter, indexDigest: digest,
                       staging: staging)
    }

    /// Reads `todo` a batch of whole staging shards at a time (by their submitters, `owners`):
    /// each batch staged in the background and handed to `each`, none kept. No file of the run is
    /// gone or has moved to another submitter (the caller checked), so a batch's submitters are
    /// the only ones whose staged files it changes.
    private func stream(_ todo: [InboxFile], owners: [String], read: @Sendable (InboxFile) -> StagedFile,
                        each: ([StagedFile], Bool) throws -> Void, books: inout Incremental<IndexEntry, [String: StagedFile]>,
                        scope: [InboxFile], at: Double, submitter: String?) throws -> Summary {
        let order = todo.indices.sorted { (store.shard(of: owners[$0]), $0) < (store.shard(of: owners[$1]), $1) }
        var affected = Set<String>()
        var start = 0, batches = 0
        while start < order.count {
            batches += 1
            // A batch ends at a shard's end: each shard file is rewritten once.
            var end = min(start + streamBatch, order.count)
            while end < order.count && store.shard(of: owners[order[end]]) == store.shard(of: owners[order[end - 1]]) { end += 1 }
            let batch = order[start..<end].map { todo[$0] }
            start = end
            let fresh = parallelMap(batch, read)
            let names = Set(fresh.map(\.submitter))
            affected.formUnion(names)
            let restaged = restaged(names, fresh: zip(batch, fresh).map { ($0.path, $1) }, gone: [:], records: books.records)
            for (file, staged) in zip(batch, fresh) { books.records[file.path] = entry(file, staged, at: at) }
            books.write(restaged)
            // Every file of the inbox read this run: a batch holds each of its submitters' files.
            try each(fresh, todo.count == scope.count)
        }
        logger.info("extract \(year): \(todo.count) files read and handed on in \(batches) batches")
        let bytes = try books.save(header: fingerprint, updates: [:], force: true)
        return Summary(files: scope.count, extracted: todo.count, reused: scope.count - todo.count, removed: 0,
                       affected: affected, fresh: [], entries: books.records, scope: submitter,
                       indexDigest: submitter == nil ? SHA256.hex(bytes) : nil, staging: staging)
    }

    /// The index line of a file just read.
    private func entry(_ file: InboxFile, _ staged: StagedFile, at: Double) -> IndexEntry {
        IndexEntry(size: file.size, modified: file.modified, sha256: staged.sha256, submitter: staged.submitter,
                   // Content never read (a refused link, a folder nobody registered) is judged by size and time alone.
                   settled: staged.sha256.isEmpty || (at - file.modified > InboxFile.settle && staged.sha256 != Extractor.pending))
    }

    /// Waits until none of `files` has changed for the settle window, or the wait bound has
    /// passed; returns them as they are then (a file still changing stays so, and is refused as
    /// still being written) and the time the wait ended. Says on the log which files it waits for.
    func settled(_ files: [InboxFile], limits: InboxLimits, since start: Double) -> ([InboxFile], Double) {
        var files = files
        var now = start
        var told = Set<String>()
        func unsettled(_ file: InboxFile) -> Bool {
            // A time ahead of the clock (a copy that kept a skewed server's times) is no write in progress.
            file.refusal == nil && now - file.modified < limits.settleSeconds && file.modified - now < limits.settleSeconds
                && !limits.complete.contains(file.path)
        }
        while true {
            let waiting = files.indices.filter { unsettled(files[$0]) }
            if waiting.isEmpty || now - start >= limits.waitSeconds { return (files, now) }
            let names = waiting.map { files[$0].path }
            if !Set(names).isSubset(of: told) {
                told.formUnion(names)
                let shown = names.prefix(5).joined(separator: "、") + (names.count > 5 ? " 等" : "")
                logger.notice("正在等待 \(names.count) 个刚复制进来的文件停止变化（\(Int(limits.settleSeconds)) 秒未改动即读取，最多等 \(Int(limits.waitSeconds)) 秒）：\(shown)")
            }
            let next = waiting.map { files[$0].modified + limits.settleSeconds }.min()! - now
            Thread.sleep(forTimeInterval: min(max(next, 0.05), limits.waitSeconds - (now - start), 1))
            now = Date().timeIntervalSince1970
            for k in waiting {
                if let status = FileIO.status(bytes: files[k].location) {
                    files[k].size = status.size
                    files[k].modified = status.modified
                }
            }
        }
    }

    /// What the last run left, without scanning the inbox: for a stage run on its own.
    public func stored() throws(FileError) -> Summary {
        let index = try StageIndex<IndexEntry>(path: indexPath, files: files, valid: { _ in true })
        return Summary(files: index.records.count, extracted: 0, reused: index.records.count, removed: 0, affected: [],
                       fresh: [], entries: index.records, scope: nil, indexDigest: nil, staging: staging)
    }

    var staging: Staging { Staging(store: store, files: files) }

    /// The inbox, or only the folders that resolve to `submitter`; folder listings that have not
    /// changed since the last scan are reused (see ``FolderListing``).
    private func scan(registry: Registry?, submitter: String?, reuseListings: Bool, now: Double) -> [InboxFile] {
        let inScope: @Sendable (String) -> Bool = { [submitter] folder in
            guard let submitter else { return true }
            return folder == submitter || registry?.resolve(folder)?.name == submitter
        }
        // A scoped scan lists its submitter's folders afresh and leaves the stored listings alone:
        // a folder it changed has a new time, so the next full scan lists it again.
        if submitter != nil { return InboxFile.scan(layout, year: year, folders: inScope, listings: [:]).files }
        let listingsPath = layout.folderListings(year: year)
        let known = reuseListings ? FolderListing.load(listingsPath) : [:]
        let (found, listings) = InboxFile.scan(layout, year: year, folders: nil, listings: known, now: now)
        if listings != known { files.save(FolderListing.text(listings), to: listingsPath) }
        return found
    }

    /// The affected submitters' staged files after this run: fresh ones in, gone ones out (a file
    /// that moved to another folder leaves its old submitter); nil for a submitter left with none.
    private func restaged(_ affected: Set<String>, fresh: [(path: String, staged: StagedFile)], gone: [String: IndexEntry],
                          records: [String: IndexEntry]) -> [String: [String: StagedFile]?] {
        var groups = store.load(keys: affected)
        for (path, entry) in gone { groups[entry.submitter]?[path] = nil }
        for (path, staged) in fresh {
            if let old = records[path]?.submitter, old != staged.submitter { groups[old]?[path] = nil }
            groups[staged.submitter, default: [:]][path] = staged
        }
        var changes: [String: [String: StagedFile]?] = [:]
        for name in affected { changes.updateValue(groups[name].flatMap { $0.isEmpty ? nil : $0 }, forKey: name) }
        return changes
    }

    var indexPath: String { layout.stagingIndex(year: year) }
}

/// A line of the extract index: path, size, modification time, SHA-256, submitter, settled.
extension ExtractStage.IndexEntry: IndexRecord {
    public init?(fields f: [String]) {
        guard f.count == 6, let size = Int(f[1]), let modified = Double(f[2]) else { return nil }
        self.init(size: size, modified: modified, sha256: f[3], submitter: f[4], settled: f[5] == "1")
    }

    public var values: [String] { ["\(size)", "\(modified)", sha256, submitter, settled ? "1" : "0"] }
}
