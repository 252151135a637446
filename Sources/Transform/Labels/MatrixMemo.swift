import Core
import Extract
import Foundation

/// The cells of the national tables as their labels resolved, shared by the submitters of one
/// run (both cores): a table, row label and column label that resolved by their keys alone
/// resolve the same way for every body, so each is worked out once. Keyed by bytes: hashing a
/// Chinese label as bytes skips the Unicode normalisation a `String` key pays on every look-up.
final class MatrixMemo: @unchecked Sendable {
    /// A cell as it resolved, with the heading of its row (where a later row given by its leaf
    /// alone sits): what the resolver needs, without looking the code up again.
    struct Entry {
        let cell: Form.Indicator
        let parent: String?
    }

    private var cells: [ByteString: Entry] = [:]
    private let lock = NSLock()

    static func key(_ value: StagedValue) -> ByteString {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(64)
        bytes += (value.table ?? "").utf8
        bytes.append(0)
        bytes += value.label.utf8
        bytes.append(0)
        bytes += (value.columnLabel ?? "").utf8
        return ByteString(bytes: bytes)
    }

    subscript(key: ByteString) -> Entry? {
        get { lock.withLock { cells[key] } }
        set { lock.withLock { cells[key] = newValue } }
    }

    /// Every cell resolved so far, for a file's resolver to look up without taking the lock (a
    /// copy shares the storage until either side adds a cell: a lock a cell, on two cores, cost
    /// more than the look-up).
    var snapshot: [ByteString: Entry] { lock.withLock { cells } }
}
