import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why the workspace could not be locked.
public enum LockError: Error, Sendable {
    /// Another run holds it (exit status 3).
    case held
    /// The lock file could not be opened (its folder missing, read-only…).
    case cannotOpen(String)
}

/// An exclusive lock on the workspace (`state/lock`), so two runs never interleave. The kernel
/// releases it when the process ends, however it ends.
final class WorkspaceLock {
    private let fd: Int32

    init(state: URL, wait: Bool) throws(LockError) {
        try? FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
        let path = state.appendingPathComponent("lock").path
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .cannotOpen(path) }
        if flock(fd, LOCK_EX | (wait ? 0 : LOCK_NB)) != 0 {
            close(fd)
            throw .held
        }
        let pid = "\(getpid())\n"
        ftruncate(fd, 0)
        _ = pid.withCString { write(fd, $0, strlen($0)) }
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
