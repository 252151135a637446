import Foundation

/// Where the tests write: one folder of this test process's own in the system's temporary folder,
/// removed with everything in it when the process exits. A run that crashed leaves its folder;
/// the next run removes those of processes no longer alive.
public enum Scratch {
    /// This process's folder, made on first use.
    public static let directory: URL = {
        let base = FileManager.default.temporaryDirectory
        removeAbandoned(in: base)
        let url = base.appendingPathComponent(prefix + String(getpid()), isDirectory: true)
        try? FileManager.default.removeItem(at: url)
        // Open to other users to pass through: the PostgreSQL tests' server runs as its own user.
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        atexit { try? FileManager.default.removeItem(at: Scratch.directory) }
        return url
    }()

    private static let prefix = "disclosure-tests-"

    /// The folders of earlier test processes that are no longer running.
    private static func removeAbandoned(in base: URL) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: base.path)) ?? []
        for name in names where name.hasPrefix(prefix) {
            guard let pid = pid_t(name.dropFirst(prefix.count)), pid != getpid() else { continue }
            if kill(pid, 0) == -1 && errno == ESRCH {
                try? FileManager.default.removeItem(at: base.appendingPathComponent(name))
            }
        }
    }
}
