import Core

/// The bookkeeping every stage shares, written once: its index of what it did last time (one
/// record a key, under a header naming the code and configuration), what changed since, what to
/// skip, and what to save — the stage's results in its sharded store and the index beside them,
/// both in the background. A stage says what its keys are now and how to tell one unchanged; it
/// never opens, compares or writes the index itself.
///
/// ```swift
/// var books = try Incremental(index: path, store: store, files: files, trusting: { $0 == fingerprint }, scoped: false)
/// let changes = books.changes(current: now, order: keys, same: { record, value in … }, removable: { _, _ in true })
/// for key in changes.changed { books.records[key] = … }   // the work, then what was learnt
/// books.save(header: fingerprint, updates: results)
/// ```
public struct Incremental<Record: IndexRecord, Value: Codable & JSONWritable & Sendable>: Sendable {
    /// The index as read; its records are the stage's to update.
    public var index: StageIndex<Record>
    public let store: ShardedStore<Value>
    let files: FileStore

    /// Reads the index; when its header is not one the stage trusts (the configuration or the code
    /// changed), nothing stored is kept: the store is emptied and every key is new.
    public init(index path: String, store: ShardedStore<Value>, files: FileStore, trusting valid: (String) -> Bool,
                scoped: Bool) throws(FileError) {
        try self.init(index: StageIndex<Record>(path: path, files: files, valid: valid, scoped: scoped), store: store, files: files)
    }

    /// The same, from an index already read (a stage that first looked at its header).
    public init(index: StageIndex<Record>, store: ShardedStore<Value>, files: FileStore) throws(FileError) {
        self.index = index
        self.store = store
        self.files = files
        if !index.isCurrent { try store.removeAll() }
    }

    /// Whether what was stored could be trusted (else everything is done again).
    public var isCurrent: Bool { index.isCurrent }

    public var records: [String: Record] {
        get { index.records }
        // In place: with get and set alone, `records[key] = value` copies the whole dictionary
        // each time (a quadratic cost at 50,000 files).
        _modify { yield &index.records }
    }

    /// The keys whose work must be done again and the ones that are gone (see ``Changes``).
    public func changes<Current>(current: [String: Current], order: [String], same: (Record, Current) -> Bool,
                                 removable: (String, Record) -> Bool) -> Changes<String> {
        Changes.between(stored: index.records, current: current, order: order, same: same, removable: removable)
    }

    /// The index as it would now be written under `header`.
    public func text(header: String) -> [UInt8] { index.text(header: header) }

    /// Saves the changed results and the index, in the background (``FileStore/settle()`` waits
    /// for them and throws their failure); nothing when neither changed. Returns the index bytes.
    @discardableResult
    public func save(header: String, updates: [String: Value?], force: Bool = false) throws(FileError) -> [UInt8] {
        try save(text(header: header), updates: updates, force: force)
    }

    /// The same, with the index's bytes already made.
    @discardableResult
    public func save(_ text: [UInt8], updates: [String: Value?], force: Bool = false) throws(FileError) -> [UInt8] {
        guard force || !updates.isEmpty || text != index.storedBytes else { return text }
        try FileIO.makeDirectories(store.directory)
        write(updates)
        files.save(text, to: index.path)
        return text
    }

    /// Writes changed results in the background, without the index (a run that stages a batch at
    /// a time writes the index once, at the end). Grouped by shard now: the job holds each
    /// shard's values only until that shard is written.
    public func write(_ updates: [String: Value?]) {
        guard !updates.isEmpty else { return }
        let store = self.store, files = self.files
        let pending = ShardedStore<Value>.Pending(updates, in: store)
        files.later(touching: store.directory) { () throws(FileError) in try store.write(pending, in: files) }
    }
}
