import Dispatch
import Foundation

/// State files written off the critical path: each job runs in submission order on one
/// background queue while the next stage computes, and ``finish()`` waits for them all before
/// the process (and its workspace lock) goes. A job that fails is reported by ``finish()``.
///
/// Losing these writes to a crash is harmless by construction: they are caches of what the
/// inbox and the configuration determine, and each stage's index is written after its records.
public enum BackgroundWrites {
    private static let queue = DispatchQueue(label: "disclosure.state-writes")
    private static let group = DispatchGroup()
    nonisolated(unsafe) private static var failure: (any Error)?
    private static let lock = NSLock()

    public static func submit(_ job: @escaping @Sendable () throws -> Void) {
        queue.async(group: group) {
            do { try job() } catch {
                lock.withLock { if failure == nil { failure = error } }
            }
        }
    }

    public static func finish() throws {
        group.wait()
        if let error = lock.withLock({ failure }) { throw error }
    }
}
