import Store

/// Why the workspace could not be locked.
public enum LockError: Error, Sendable {
    /// Another run holds it (exit status 3).
    case held
    /// Another run of the same city, perhaps on another machine, holds the shared dataset's lock on it (exit status 3).
    case cityHeld(String)
    /// The lock file could not be opened (its folder missing, read-only…).
    case cannotOpen(String)
}

/// An exclusive lock on the workspace (`state/lock`), so two runs never interleave.
final class WorkspaceLock {
    private let lock: FileLock

    init(_ layout: WorkspaceLayout, wait: Bool) throws(LockError) {
        do throws(FileError) { try FileIO.makeDirectories(layout.state) } catch { throw .cannotOpen(error.path) }
        do { lock = try FileLock(path: layout.lock, wait: wait) } catch {
            switch error {
            case .held: throw .held
            case .cannotOpen(let e): throw .cannotOpen(e.path)
            }
        }
    }
}
