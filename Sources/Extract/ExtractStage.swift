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
        public var staged: [StagedFile]
    }

    struct IndexEntry: Codable {
        var size: Int
        var modified: Double
        var sha256: String
        var staged: String
    }

    struct Index: Codable {
        var fingerprint: String
        var files: [String: IndexEntry]
    }

    public let workspace: URL
    public let extractor: Extractor
    /// Changes whenever something that shapes staged records changes: registry, profiles, this code.
    public let fingerprint: String

    public static let formatVersion = "extract-1"

    public init(workspace: URL, extractor: Extractor, configFingerprint: String) {
        self.workspace = workspace
        self.extractor = extractor
        self.fingerprint = Self.formatVersion + ":" + configFingerprint
    }

    public var directory: URL { workspace.appendingPathComponent("state/staging/\(extractor.year)") }

    /// Extracts the inbox, or only `submitter`'s folder(s) when given.
    public func run(submitter: String? = nil) throws -> Summary {
        let fm = FileManager.default
        try fm.createDirectory(at: directory, withIntermediateDirectories: true)
        var index = loadIndex()
        if index.fingerprint != fingerprint { index = Index(fingerprint: fingerprint, files: [:]) }
        let all = InboxFile.scan(workspace: workspace, year: extractor.year)
        let scope = all.filter { file in
            guard let submitter else { return true }
            return extractor.registry.resolve(file.folder)?.name == submitter || file.folder == submitter
        }
        var todo: [InboxFile] = []
        var reused: [String: StagedFile] = [:]
        for file in scope {
            if let entry = index.files[file.path], entry.size == file.size, entry.modified == file.modified,
               let staged = loadStaged(entry.staged) {
                reused[file.path] = staged
            } else {
                todo.append(file)
            }
        }
        let fresh = parallelMap(todo) { extractor.extract($0) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        for (file, staged) in zip(todo, fresh) {
            let name = String(SHA256.hex(Array(file.path.utf8)).prefix(24)) + ".json"
            try encoder.encode(staged).write(to: directory.appendingPathComponent(name), options: .atomic)
            index.files[file.path] = IndexEntry(size: file.size, modified: file.modified, sha256: staged.sha256, staged: name)
        }
        // Files that left the inbox leave the staging area too (only within the scope just scanned).
        let present = Set(all.map(\.path))
        var removed = 0
        for (path, entry) in index.files where !present.contains(path) {
            try? fm.removeItem(at: directory.appendingPathComponent(entry.staged))
            index.files[path] = nil
            removed += 1
        }
        try encoder.encode(index).write(to: directory.appendingPathComponent("index.json"), options: .atomic)
        let staged = scope.map { reused[$0.path] ?? fresh[todo.firstIndex(of: $0)!] }
        return Summary(files: scope.count, extracted: todo.count, reused: reused.count, removed: removed, staged: staged)
    }

    /// Every staged file of the year, in path order.
    public func staged() -> [StagedFile] {
        loadIndex().files.sorted { $0.key < $1.key }.compactMap { loadStaged($0.value.staged) }
    }

    /// The content hash of every staged file, by path, without reading the staged records.
    public func hashes() -> [String: String] {
        loadIndex().files.mapValues(\.sha256)
    }

    private func loadIndex() -> Index {
        guard let data = try? Data(contentsOf: directory.appendingPathComponent("index.json")),
              let index = try? JSONDecoder().decode(Index.self, from: data) else { return Index(fingerprint: "", files: [:]) }
        return index
    }

    private func loadStaged(_ name: String) -> StagedFile? {
        guard let data = try? Data(contentsOf: directory.appendingPathComponent(name)) else { return nil }
        return try? JSONDecoder().decode(StagedFile.self, from: data)
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
