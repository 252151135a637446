import Dispatch

/// An item list counted on another thread, a batch of items at a time, while its parser reads
/// on: what the XML reader hands its items to (a 1 GB export has millions). At most a few
/// batches wait, so memory stays bounded when counting falls behind. A batch is its records'
/// field bytes end to end and, per record, where each field ends: no string is made per field.
final class ItemFeed: @unchecked Sendable {
    private struct Batch {
        var bytes: [UInt8] = []
        /// Per record: the ends of its four fields in `bytes` (id, title, date, category), then its line.
        var records: [Int] = []

        var count: Int { records.count / 5 }
    }

    static let batchSize = 4096
    /// Touched only on `queue`.
    private var counter: ItemCounter
    /// Touched only by the parser's thread (for each record: no run-time exclusivity check).
    @exclusivity(unchecked) private var batch = Batch()
    private let queue = DispatchQueue(label: "disclosure.extract.items")
    private let room = DispatchSemaphore(value: 4)

    init(year: Int) {
        counter = ItemCounter(year: year)
        batch.records.reserveCapacity(Self.batchSize * 5)
    }

    /// Adds one record, its fields as UTF-8 (id, title, date, category).
    func add(_ fields: [[UInt8]], line: Int) {
        for f in fields.prefix(4) {
            batch.bytes.append(contentsOf: f)
            batch.records.append(batch.bytes.count)
        }
        batch.records.append(line)
        if batch.count == Self.batchSize { send() }
    }

    private func send() {
        let items = batch
        batch = Batch()
        batch.records.reserveCapacity(Self.batchSize * 5)
        batch.bytes.reserveCapacity(items.bytes.count)
        room.wait()
        queue.async { [self] in
            items.bytes.withUnsafeBufferPointer { bytes in
                let e = items.records
                var start = 0
                for r in stride(from: 0, to: e.count, by: 5) {
                    counter.add(id: UnsafeBufferPointer(rebasing: bytes[start..<e[r]]), title: UnsafeBufferPointer(rebasing: bytes[e[r]..<e[r + 1]]),
                                date: UnsafeBufferPointer(rebasing: bytes[e[r + 1]..<e[r + 2]]),
                                category: UnsafeBufferPointer(rebasing: bytes[e[r + 2]..<e[r + 3]]), line: e[r + 4])
                    start = e[r + 3]
                }
            }
            room.signal()
        }
    }

    /// Every item counted, in the order added.
    func finish() -> ItemCounter {
        if batch.count > 0 { send() }
        return queue.sync { counter }
    }
}
