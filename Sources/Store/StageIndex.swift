import Core

/// One record of a ``StageIndex``: what the stage knows of one key.
public protocol IndexRecord: Sendable {
    /// Reads a line's fields, the key first; nil for a line that is not a record of this layout
    /// (a damaged or older index).
    init?(fields: [String])
    /// The fields to write after the key.
    var values: [String] { get }
}

/// What every stage keeps of its last run, and how it tells what changed since: one TSV line a
/// key (a path, a submitter) under a header naming the code and configuration it was made with.
///
/// A full run reads every record; a scoped run (one submitter) reads only its own lines and
/// writes the others back byte for byte. A header that does not match means nothing stored can
/// be trusted: the index starts empty and the stage does everything again.
public struct StageIndex<Record: IndexRecord>: Sendable {
    public let path: String
    /// The header the stored file had ("" when there was none).
    public let storedHeader: String
    /// Whether the stored header was one the stage trusts (else the records start empty).
    public let isCurrent: Bool
    /// The records read: every one for a full read, the scope's for a scoped one.
    public var records: [String: Record]
    /// The file as read, and for a scoped read its lines and the numbers of the scope's lines.
    @usableFromInline let stored: [UInt8]
    @usableFromInline let lines: TSVLines?
    @usableFromInline var scopeLines: [Int] = []

    /// Reads the index at `path` through `files` (pending writes first).
    /// - Parameters:
    ///   - valid: whether the stored header is one the stage can trust.
    ///   - scoped: for a scoped run: no record is parsed until ``select(_:)`` picks the scope's.
    @inlinable
    public init(path: String, files: FileStore, valid: (String) -> Bool, scoped: Bool = false) throws(FileError) {
        self.init(path: path, bytes: try files.read(path) ?? [], valid: valid, scoped: scoped)
    }

    /// The same, from the file's bytes already read (a caller that first looked at its header).
    @inlinable
    public init(path: String, bytes: [UInt8], valid: (String) -> Bool, scoped: Bool = false) {
        self.path = path
        stored = bytes
        let header = TSV.header(of: stored) ?? ""
        storedHeader = header
        var records: [String: Record] = [:]
        var trusted = valid(header)
        if trusted, scoped, let lines = TSVLines(stored) {
            self.lines = lines
        } else {
            lines = nil
            if trusted, let (_, rows) = TSV.parse(stored) {
                records.reserveCapacity(rows.count)
                for f in rows {
                    // One damaged line and the whole index is untrusted: everything is done again.
                    guard let record = Record(fields: f) else {
                        records = [:]
                        trusted = false
                        break
                    }
                    records[f[0]] = record
                }
            }
        }
        self.records = records
        isCurrent = trusted
    }

    /// For a scoped read: parses the lines `pick` chooses, which the scope owns and will rewrite.
    @inlinable
    public mutating func select(_ pick: (TSVLines) -> [Int]) {
        guard let lines else { return }
        scopeLines = pick(lines)
        for n in scopeLines {
            let f = lines.fields(n)
            if let record = Record(fields: f) { records[f[0]] = record }
        }
    }

    /// The index's bytes as stored.
    public var storedBytes: [UInt8] { stored }

    /// The file the records now make, under `header`: in full, or the scope's lines spliced
    /// among the others' as they were.
    @inlinable
    public func text(header: String) -> [UInt8] {
        let rows = TSV.byteOrder(records.keys).map { [$0] + records[$0]!.values }
        if let lines { return lines.replacing(lines: scopeLines, with: rows, header: header) }
        return TSV.text(header: header, rows: rows)
    }
}

/// What changed between what a stage stored and what it sees now, by key: the one comparison
/// every stage's skip-if-unchanged rests on.
public struct Changes<Key: Hashable & Sendable>: Sendable {
    /// Keys new or different now, in the order they were seen.
    public var changed: [Key]
    /// Keys stored but no longer there.
    public var removed: [Key]

    public init(changed: [Key], removed: [Key]) {
        self.changed = changed
        self.removed = removed
    }

    /// Compares stored values with current ones.
    /// - Parameters:
    ///   - order: the current keys in the order to report them.
    ///   - same: whether a stored value still stands for the current one.
    ///   - removable: which stored keys are within what was looked at now (a scoped run sees
    ///     only its own), so may be reported as removed.
    @inlinable
    public static func between<Stored, Current>(
        stored: [Key: Stored], current: [Key: Current], order: [Key],
        same: (Stored, Current) -> Bool, removable: (Key, Stored) -> Bool = { _, _ in true }
    ) -> Changes {
        let changed = order.filter { key in
            guard let old = stored[key], let now = current[key] else { return true }
            return !same(old, now)
        }
        let removed = stored.filter { current[$0.key] == nil && removable($0.key, $0.value) }.map(\.key)
        return Changes(changed: changed, removed: removed)
    }

    public var isEmpty: Bool { changed.isEmpty && removed.isEmpty }
}
