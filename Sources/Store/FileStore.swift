import Dispatch
import Foundation

/// The one way the stages write files: a caller asks for a file to hold some bytes, and the store
/// decides how. State is written in the background, in submission order, while the next stage
/// computes (``save(_:to:)``, ``later(_:)``); outputs are written now (``publish(_:to:)``). A
/// rewrite goes over a spare whose blocks are reused (see ``FileIO``), and the first write of a
/// large file leaves one. Reading a file through the store waits for the pending writes when one
/// of them touches that file (the next stage's own index is read at once while extract's staging
/// area is still being written), and a write that failed is thrown from there and from
/// ``settle()``: never lost.
///
/// Losing the background writes to a crash is harmless by construction: they are caches of what
/// the inbox and the configuration determine, and each stage's index is written after its records.
public final class FileStore: Sendable {
    /// The folder under which spares of files outside `state/` are kept (an output's spare never
    /// sits among the outputs).
    let spares: String
    let stateRoot: String
    private let queue = DispatchQueue(label: "disclosure.state-writes")
    private let group = DispatchGroup()
    private let failure = Locked<FileError?>(nil)
    /// The paths (a file, or a folder and everything under it) the pending writes touch, with how
    /// many pending jobs touch each.
    private let pending = Locked<[String: Int]>([:])

    /// Outputs this large or larger keep a spare from their first write (a rerun rewrites them),
    /// and are swapped with it from then on.
    static let refillSize = 64 * 1024

    /// Spares of state files sit beside them; those of outputs under `state/spare/`.
    public convenience init(layout: WorkspaceLayout) {
        self.init(state: layout.state, spares: layout.spare)
    }

    /// A store whose state folder is `state` (its spares in `spares`, by default `state`/spare).
    init(state: String, spares: String? = nil) {
        stateRoot = state.hasSuffix("/") ? state : state + "/"
        self.spares = spares ?? stateRoot + "spare"
    }

    /// Where the spare of `path` lives: beside a state file, hidden; under `state/spare/` for
    /// anything else, keyed by its path.
    func spare(for path: String) -> String {
        if path.hasPrefix(stateRoot) {
            guard let slash = path.lastIndex(of: "/") else { return "." + path + ".spare" }
            return String(path[...slash]) + "." + String(path[path.index(after: slash)...]) + ".spare"
        }
        return spares + "/" + path.split(separator: "/").suffix(3).joined(separator: "%")
    }

    /// Writes `bytes` to `path` now: old content or new, never half of it. A state file is
    /// swapped with its spare, which its second write makes (the swap leaves the old content
    /// there): a first run writes a province's staging and results once, not twice. An output
    /// is swapped only when it is large (a feedback file, small and one of hundreds, is replaced
    /// the plain way).
    public func publish(_ bytes: [UInt8], to path: String) throws(FileError) {
        try publish(ByteChunks(bytes), to: path)
    }

    /// `publish` of the pieces one after the other (a shard's lines, not copied into one array).
    public func publish(_ bytes: ByteChunks, to path: String) throws(FileError) {
        let large = bytes.count >= Self.refillSize
        if path.hasPrefix(stateRoot) {
            try FileIO.write(bytes, to: path, spare: spare(for: path), refill: false)
        } else if large {
            try FileIO.makeDirectories(spares)
            try FileIO.write(bytes, to: path, spare: spare(for: path), refill: true)
        } else {
            try FileIO.write(bytes, to: path)
        }
    }

    /// Writes a state file in the background.
    public func save(_ bytes: [UInt8], to path: String) {
        later(touching: path) { [self] () throws(FileError) in try publish(bytes, to: path) }
    }

    /// Runs a state-writing job in the background, after the ones submitted before it.
    /// - Parameter path: the file the job writes, or the folder it writes files in.
    public func later(touching path: String, _ job: @escaping @Sendable () throws(FileError) -> Void) {
        pending.update { $0[path, default: 0] += 1 }
        queue.async(group: group) { [failure, pending] in
            do throws(FileError) { try job() } catch {
                failure.update { if $0 == nil { $0 = error } }
            }
            pending.update { if $0[path] == 1 { $0[path] = nil } else { $0[path]! -= 1 } }
        }
    }

    /// Waits for every pending write; throws the first that failed.
    public func settle() throws(FileError) {
        group.wait()
        if let error = failure.value { throw error }
    }

    /// A state file's bytes after the pending writes that touch it, or nil when there is none.
    public func read(_ path: String) throws(FileError) -> [UInt8]? {
        let touched = pending.value.keys.contains { path == $0 || path.hasPrefix($0.hasSuffix("/") ? $0 : $0 + "/") }
        if touched {
            try settle()
        } else if let error = failure.value {
            throw error
        }
        return try? FileIO.read(path)
    }
}
