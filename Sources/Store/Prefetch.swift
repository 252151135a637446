import Dispatch

/// A value computed on the other core while this one goes on: a later stage's inputs read and
/// parsed while the earlier stages run. ``value`` waits for it.
public final class Prefetch<Value: Sendable>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var result: Value?

    public init(_ make: @escaping @Sendable () -> Value) {
        DispatchQueue.global(qos: .userInitiated).async {
            self.result = make()
            self.done.signal()
        }
    }

    /// Written once before the signal, read only after it.
    public var value: Value {
        done.wait()
        done.signal()
        return result!
    }
}
