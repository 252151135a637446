import Dispatch

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
