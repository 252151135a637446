import Store

/// What a submitter folder held when it was last listed: its modification time and the names of
/// its files. A folder whose time has not moved since holds the same names (adding, removing or
/// renaming an entry changes it), so a scan can stat those files directly instead of listing the
/// folder again — half the system calls of a province's 1,500 folders.
///
/// Only flat folders are remembered, and only when the listing was made well after the folder's
/// last change (file system clocks are coarse: a change in the same tick would not move the time).
public struct FolderListing: Sendable, Hashable {
    public var modified: Double
    public var listedAt: Double
    public var files: [String]

    func stillValid(for status: FileIO.Status) -> Bool {
        status.modified == modified && listedAt - modified > InboxFile.settle
    }

    static func load(_ path: String) -> [String: FolderListing] {
        guard let (_, rows) = TSV.read(path) else { return [:] }
        var out: [String: FolderListing] = [:]
        for row in rows where row.count == 4 {
            guard let modified = Double(row[1]), let listedAt = Double(row[2]) else { continue }
            out[row[0]] = FolderListing(modified: modified, listedAt: listedAt,
                                        files: row[3].isEmpty ? [] : row[3].split(separator: "/").map(String.init))
        }
        return out
    }

    static func text(_ listings: [String: FolderListing]) -> [UInt8] {
        TSV.text(header: "folder-listings-1", rows: listings.sorted { $0.key < $1.key }.map { name, l in
            [name, "\(l.modified)", "\(l.listedAt)", l.files.joined(separator: "/")]
        })
    }
}
