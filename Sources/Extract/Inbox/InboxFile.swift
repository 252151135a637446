import Foundation

/// A file found under `inbox/<year>/`.
public struct InboxFile: Sendable, Hashable {
    /// Path relative to the workspace, e.g. `inbox/2016/盂县/统计表.csv`.
    public var path: String
    public var absolutePath: String
    /// The first folder below `inbox/<year>/`, or "" for a file lying directly in it.
    public var folder: String
    public var size: Int
    public var modified: Double

    /// Every regular file below `inbox/<year>/`, in path order; hidden files and Office lock files
    /// are skipped. Symbolic links are followed (an inbox may be kept on another disk).
    public static func scan(workspace: URL, year: Int) -> [InboxFile] {
        let base = workspace.appendingPathComponent("inbox/\(year)").path
        var files: [InboxFile] = []
        func walk(_ absolute: String, _ relative: String, depth: Int) {
            guard depth < 16 else { return }
            for (name, st) in FileIO.entries(absolute) where !name.hasPrefix(".") && !name.hasPrefix("~$") {
                let path = absolute + "/" + name
                let rel = relative.isEmpty ? name : relative + "/" + name
                if st.isDirectory {
                    walk(path, rel, depth: depth + 1)
                } else if st.isRegular {
                    let folder = relative.isEmpty ? "" : String(rel.prefix { $0 != "/" })
                    files.append(InboxFile(path: "inbox/\(year)/" + rel, absolutePath: path, folder: folder,
                                           size: st.size, modified: st.modified))
                }
            }
        }
        walk(base, "", depth: 0)
        return files.sorted { $0.path < $1.path }
    }
}
