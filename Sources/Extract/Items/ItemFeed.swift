import Dispatch

/// An item list counted on another thread, a batch of items at a time, while its parser reads
/// on: what the XML reader hands its items to (a 1 GB export has millions). At most a few
/// batches wait, so memory stays bounded when counting falls behind.
final class ItemFeed: @unchecked Sendable {
    struct Item {
        var id: String
        var title: String
        var date: String
        var category: String
        var line: Int
    }

    static let batchSize = 4096
    /// Touched only on `queue`.
    private var counter: ItemCounter
    /// Touched only by the parser's thread.
    private var batch: [Item] = []
    private let queue = DispatchQueue(label: "disclosure.extract.items")
    private let room = DispatchSemaphore(value: 4)

    init(year: Int) {
        counter = ItemCounter(year: year)
        batch.reserveCapacity(Self.batchSize)
    }

    func add(_ item: Item) {
        batch.append(item)
        if batch.count == Self.batchSize { send() }
    }

    private func send() {
        let items = batch
        batch = []
        batch.reserveCapacity(Self.batchSize)
        room.wait()
        queue.async { [self] in
            for i in items { counter.add(id: i.id, title: i.title, date: i.date, category: i.category, line: i.line) }
            room.signal()
        }
    }

    /// Every item counted, in the order added.
    func finish() -> ItemCounter {
        if !batch.isEmpty { send() }
        return queue.sync { counter }
    }
}
