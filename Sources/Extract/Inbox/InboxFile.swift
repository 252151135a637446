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

    /// Every regular file below `inbox/<year>/`, in path order; hidden files and Office lock files are skipped.
    public static func scan(workspace: URL, year: Int) -> [InboxFile] {
        let base = workspace.appendingPathComponent("inbox/\(year)")
        let fm = FileManager.default
        guard let walker = fm.enumerator(at: base, includingPropertiesForKeys: [.isRegularFileKey, .fileSizeKey, .contentModificationDateKey]) else {
            return []
        }
        var files: [InboxFile] = []
        let basePath = base.standardizedFileURL.path
        for case let url as URL in walker {
            let name = url.lastPathComponent
            if name.hasPrefix(".") || name.hasPrefix("~$") { continue }
            guard let values = try? url.resourceValues(forKeys: [.isRegularFileKey, .fileSizeKey, .contentModificationDateKey]),
                  values.isRegularFile == true else { continue }
            let absolute = url.standardizedFileURL.path
            guard absolute.hasPrefix(basePath + "/") else { continue }
            let relative = String(absolute.dropFirst(basePath.count + 1))
            let parts = relative.split(separator: "/")
            files.append(InboxFile(
                path: "inbox/\(year)/" + relative, absolutePath: absolute,
                folder: parts.count > 1 ? String(parts[0]) : "", size: values.fileSize ?? 0,
                modified: values.contentModificationDate?.timeIntervalSince1970 ?? 0))
        }
        return files.sorted { $0.path < $1.path }
    }
}
