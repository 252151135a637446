import Foundation
import Store

/// A file found under `inbox/<year>/`.
public struct InboxFile: Sendable, Hashable {
    /// Path relative to the workspace, e.g. `inbox/2016/盂县/统计表.csv`.
    public var path: String
    public var absolutePath: String
    /// The first folder below `inbox/<year>/`, or "" for a file lying directly in it.
    public var folder: String
    public var size: Int
    public var modified: Double

    /// Seconds after a change before a file system time is trusted to tell the next change: the
    /// clock is coarse, so a change within the same tick may leave the time as it was.
    static let settle = 2.0

    /// Every regular file below `inbox/<year>/`, in path order; hidden files and Office lock files
    /// are skipped. Symbolic links are followed (an inbox may be kept on another disk).
    /// - Parameter folders: when given, only the submitter folders it accepts are scanned (and
    ///   files lying directly in the year folder are left out).
    public static func scan(workspace: URL, year: Int, folders accept: (@Sendable (String) -> Bool)? = nil) -> [InboxFile] {
        scan(workspace: workspace, year: year, folders: accept, listings: [:]).files
    }

    /// The same, reusing the listings of folders that have not changed since (see ``FolderListing``);
    /// returns the listings to keep for next time.
    public static func scan(workspace: URL, year: Int, folders accept: (@Sendable (String) -> Bool)?,
                            listings known: [String: FolderListing], now: Double = 0)
        -> (files: [InboxFile], listings: [String: FolderListing]) {
        let base = workspace.appendingPathComponent("inbox/\(year)").path
        let prefix = "inbox/\(year)/"
        @Sendable func walk(_ absolute: String, _ relative: String, folder: String, depth: Int, into files: inout [InboxFile]) -> Bool {
            guard depth < 16 else { return false }
            var flat = true
            for (name, st) in FileIO.entries(absolute) where !name.hasPrefix(".") && !name.hasPrefix("~$") {
                let path = absolute + "/" + name
                let rel = relative + "/" + name
                if st.isDirectory {
                    flat = false
                    _ = walk(path, rel, folder: folder, depth: depth + 1, into: &files)
                } else if st.isRegular {
                    files.append(InboxFile(path: prefix + rel, absolutePath: path, folder: folder, size: st.size, modified: st.modified))
                }
            }
            return flat
        }
        // Files lying directly in the year folder, then each submitter's folder, both cores at once.
        // A scoped scan stats only the folders of its submitter.
        let top = FileIO.entries(base) { name in !name.hasPrefix(".") && !name.hasPrefix("~$") && accept?(name) != false }
        var files = top.filter { $0.status.isRegular && accept == nil }.map {
            InboxFile(path: prefix + $0.name, absolutePath: base + "/" + $0.name, folder: "", size: $0.status.size, modified: $0.status.modified)
        }
        let folders = top.filter { $0.status.isDirectory }
        let baseFD = FileIO.openDirectory(base)
        defer { FileIO.closeDirectory(baseFD) }
        let scanned = parallelMap(folders) { entry -> (files: [InboxFile], listing: FolderListing?) in
            let name = entry.name, folderPath = base + "/" + name
            if let listing = known[name], listing.stillValid(for: entry.status) {
                var found: [InboxFile] = []
                for file in listing.files {
                    guard let st = baseFD >= 0 ? FileIO.status(name + "/" + file, relativeTo: baseFD) : FileIO.status(folderPath + "/" + file),
                          st.isRegular else { found = []; break }
                    found.append(InboxFile(path: prefix + name + "/" + file, absolutePath: folderPath + "/" + file, folder: name,
                                           size: st.size, modified: st.modified))
                }
                if found.count == listing.files.count { return (found, listing) }
            }
            var found: [InboxFile] = []
            let flat = walk(folderPath, name, folder: name, depth: 1, into: &found)
            let listing = flat ? FolderListing(modified: entry.status.modified, listedAt: now, files: found.map { String($0.path.split(separator: "/").last!) }) : nil
            return (found, listing)
        }
        var listings: [String: FolderListing] = [:]
        for (entry, result) in zip(folders, scanned) {
            files += result.files
            listings[entry.name] = result.listing
        }
        return (files.sorted { $0.path < $1.path }, listings)
    }
}
