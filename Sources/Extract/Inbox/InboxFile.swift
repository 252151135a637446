import Core
import Foundation
import Store

/// A file found under `inbox/<year>/`, or an entry there the walk refused to read (a link it
/// does not follow, a hidden folder): those are staged as findings, never in silence.
public struct InboxFile: Sendable, Hashable {
    /// Path relative to the workspace, e.g. `inbox/2016/盂县/统计表.csv` (names that are not
    /// UTF-8 as read by ``FileName``).
    public var path: String
    /// The absolute path as text, for messages.
    public var absolutePath: String
    /// The absolute path as the file system spells it, to open the file by.
    public var location: [UInt8]
    /// The first folder below `inbox/<year>/`, or "" for a file lying directly in it.
    public var folder: String
    public var size: Int
    public var modified: Double
    /// Why the walk did not take this entry as a file to read.
    public var refusal: Refusal?
    /// The names on the path that were not UTF-8, as they were read.
    public var renamed: [FileName] = []

    public enum Refusal: Sendable, Hashable {
        /// A symbolic link to somewhere outside the inbox.
        case linkOutside
        /// A symbolic link to a folder or file the walk reached already (a loop, or a second way in).
        case linkRepeated
        /// A symbolic link that leads nowhere.
        case linkDangling
        /// A folder whose name begins with a dot.
        case hiddenFolder
        /// Folders nested deeper than the walk goes.
        case tooDeep
        /// Neither a file nor a folder: a named pipe, a device or a socket (reading one could wait forever).
        case notAFile
    }

    /// Seconds after a change before a file system time is trusted to tell the next change: the
    /// clock is coarse, so a change within the same tick may leave the time as it was.
    static let settle = 2.0

    /// Folder levels below a submitter's folder that are read.
    static let maximumDepth = 16

    /// Every regular file below `inbox/<year>/`, in path order; hidden files and Office lock files
    /// are skipped. A symbolic link is followed only to a target inside the year's folder that the
    /// walk has not reached by another way (device and inode), never to a folder that holds it;
    /// every other link is returned refused, so nothing outside the year's inbox is read. (To
    /// keep the inbox on another disk, link `inbox/` itself or the year folder.)
    /// - Parameter folders: when given, only the submitter folders it accepts are scanned (and
    ///   files lying directly in the year folder are left out).
    public static func scan(workspace: URL, year: Int, folders accept: (@Sendable (String) -> Bool)? = nil) -> [InboxFile] {
        scan(WorkspaceLayout(root: workspace.path), year: year, folders: accept, listings: [:]).files
    }

    public static func scan(workspace: URL, year: Int, folders accept: (@Sendable (String) -> Bool)?,
                            listings known: [String: FolderListing], now: Double = 0)
        -> (files: [InboxFile], listings: [String: FolderListing]) {
        scan(WorkspaceLayout(root: workspace.path), year: year, folders: accept, listings: known, now: now)
    }

    /// The same, reusing the listings of folders that have not changed since (see ``FolderListing``);
    /// returns the listings to keep for next time.
    public static func scan(_ layout: WorkspaceLayout, year: Int, folders accept: (@Sendable (String) -> Bool)?,
                            listings known: [String: FolderListing], now: Double = 0)
        -> (files: [InboxFile], listings: [String: FolderListing]) {
        let base = layout.inbox(year: year)
        let walker = Walker(base: base, prefix: WorkspaceLayout.inboxPrefix(year: year))
        // A scoped scan stats only the folders of its submitter.
        let top = FileIO.rawEntries(Array(base.utf8), where: accept.map { accept in { accept(FileName(bytes: $0).text) } })
            .compactMap { entry -> (name: FileName, entry: FileIO.RawEntry)? in
            let name = FileName(bytes: entry.name)
            guard !name.text.hasPrefix("~$"), accept?(name.text) != false else { return nil }
            if name.text.hasPrefix(".") && !(entry.status.isDirectory && accept == nil) { return nil }
            return (name, entry)
        }.sorted(byText: \.name.text)
        var files: [InboxFile] = []
        var links: [Walker.Pending] = []
        var folders: [(name: FileName, entry: FileIO.RawEntry)] = []
        for (name, entry) in top {
            // A folder, or a link that may lead to one, is a submitter's; anything else lies in the year folder itself.
            let folder = entry.status.isDirectory || entry.status.isLink ? name.text : ""
            let rel = Walker.Step(name: name, relative: name.text, folder: folder, renamed: name.reading == .utf8 ? [] : [name])
            if name.text.hasPrefix(".") {
                files.append(walker.refused(rel, entry.status, .hiddenFolder, at: Array(base.utf8) + [0x2F] + name.bytes))
            } else if entry.status.isLink {
                links.append(Walker.Pending(location: Array(base.utf8) + [0x2F] + name.bytes, step: rel, depth: 0, status: entry.status,
                                            topLevel: accept == nil))
            } else if entry.status.isRegular {
                if accept == nil { files.append(walker.file(rel, entry.status, at: Array(base.utf8) + [0x2F] + name.bytes)) }
            } else if entry.status.isDirectory {
                folders.append((name, entry))
            } else if accept == nil {
                files.append(walker.refused(rel, entry.status, .notAFile, at: Array(base.utf8) + [0x2F] + name.bytes))
            }
        }
        // Each submitter's folder, both cores at once.
        let baseFD = FileIO.openDirectory(base)
        defer { FileIO.closeDirectory(baseFD) }
        let scanned = parallelMap(folders) { name, entry -> Walker.Found in
            let folderPath = base + "/" + name.text
            if name.reading == .utf8, let listing = known[name.text], listing.stillValid(for: entry.status) {
                var found: [InboxFile] = []
                for file in listing.files {
                    guard let st = baseFD >= 0 ? FileIO.status(name.text + "/" + file, relativeTo: baseFD) : FileIO.status(folderPath + "/" + file),
                          st.isRegular else { found = []; break }
                    let path = folderPath + "/" + file
                    found.append(InboxFile(path: walker.prefix + name.text + "/" + file, absolutePath: path, location: Array(path.utf8),
                                           folder: name.text, size: st.size, modified: st.modified))
                }
                if found.count == listing.files.count { return Walker.Found(files: found, listing: listing) }
            }
            let step = Walker.Step(name: name, relative: name.text, folder: name.text, renamed: name.reading == .utf8 ? [] : [name])
            var found = walker.walk(Array(base.utf8) + [0x2F] + name.bytes, step, depth: 1, status: entry.status)
            if found.flat, found.links.isEmpty, name.reading == .utf8 {
                found.listing = FolderListing(modified: entry.status.modified, listedAt: now,
                                              files: found.files.map { String($0.path.split(separator: "/").last!) })
            }
            return found
        }
        var listings: [String: FolderListing] = [:]
        var visited: [Walker.Found] = []
        for ((name, _), result) in zip(folders, scanned) {
            files += result.files
            links += result.links
            listings[name.text] = result.listing
            visited.append(result)
        }
        if !links.isEmpty {
            files += walker.follow(links, visited: visited)
        }
        return (files.sorted(byText: \.path), listings)
    }
}

/// The inbox walk: one submitter folder at a time, then the links found, in path order.
private struct Walker: Sendable {
    let base: String
    let prefix: String

    struct Step: Sendable {
        var name: FileName
        var relative: String
        var folder: String
        var renamed: [FileName]

        func child(_ name: FileName) -> Step {
            Step(name: name, relative: relative + "/" + name.text, folder: folder, renamed: renamed + (name.reading == .utf8 ? [] : [name]))
        }
    }

    struct Pending: Sendable {
        var location: [UInt8]
        var step: Step
        var depth: Int
        var status: FileIO.Status
        /// A link lying directly in the year folder (a submitter's whole folder).
        var topLevel = false
    }

    struct Found: Sendable {
        var files: [InboxFile] = []
        var links: [Pending] = []
        /// Identities of the folders and files reached.
        var reached: [FileIO.Status.Identity] = []
        var flat = true
        var listing: FolderListing?
    }

    func file(_ step: Step, _ status: FileIO.Status, at location: [UInt8]) -> InboxFile {
        InboxFile(path: prefix + step.relative, absolutePath: String(decoding: location, as: UTF8.self), location: location,
                  folder: step.folder, size: status.size, modified: status.modified, refusal: nil, renamed: step.renamed)
    }

    func refused(_ step: Step, _ status: FileIO.Status, _ why: InboxFile.Refusal, at location: [UInt8]) -> InboxFile {
        var f = file(step, status, at: location)
        f.refusal = why
        f.size = 0
        return f
    }

    func walk(_ location: [UInt8], _ step: Step, depth: Int, status: FileIO.Status) -> Found {
        var found = Found()
        found.reached.append(status.identity)
        walk(location, step, depth: depth, into: &found)
        return found
    }

    private func walk(_ location: [UInt8], _ step: Step, depth: Int, into found: inout Found) {
        let entries = FileIO.rawEntries(location).map { (FileName(bytes: $0.name), $0.status) }.sorted { $0.0.text < $1.0.text }
        for (name, st) in entries where !name.text.hasPrefix("~$") {
            let path = location + [0x2F] + name.bytes
            let next = step.child(name)
            if name.reading != .utf8 { found.flat = false }
            if name.text.hasPrefix(".") {
                if st.isDirectory {
                    found.flat = false
                    found.files.append(refused(next, st, .hiddenFolder, at: path))
                }
                continue
            }
            if st.isLink {
                found.flat = false
                found.links.append(Pending(location: path, step: next, depth: depth + 1, status: st))
            } else if st.isDirectory {
                found.flat = false
                // A page saved "网页，全部" keeps its pictures and styles beside it: part of the page.
                if Self.isPageResources(name.text, among: entries.map(\.0.text)) { continue }
                guard depth < InboxFile.maximumDepth else {
                    found.files.append(refused(next, st, .tooDeep, at: path))
                    continue
                }
                found.reached.append(st.identity)
                walk(path, next, depth: depth + 1, into: &found)
            } else if st.isRegular {
                found.reached.append(st.identity)
                found.files.append(file(next, st, at: path))
            } else {
                found.flat = false
                found.files.append(refused(next, st, .notAFile, at: path))
            }
        }
    }

    /// "报告.files" or "报告_files" beside "报告.htm": the folder a browser or Word saves a page's
    /// resources in.
    static func isPageResources(_ folder: String, among names: [String]) -> Bool {
        for suffix in [".files", "_files", ".fld"] where folder.hasSuffix(suffix) {
            let stem = String(folder.dropLast(suffix.count))
            if names.contains(where: { $0 == stem + ".htm" || $0 == stem + ".html" }) { return true }
        }
        return false
    }

    /// Follows the links in path order: each only into the inbox, and only to what no other way
    /// reached (the year folder and every folder above it count as reached).
    func follow(_ pending: [Pending], visited: [Found]) -> [InboxFile] {
        var reached = Set(visited.flatMap(\.reached))
        var location = Array(base.utf8)
        // The year folder and every folder above it: a link to one of them is a loop.
        while let resolved = FileIO.resolved(bytes: location), let st = FileIO.status(bytes: resolved) {
            reached.insert(st.identity)
            if resolved == [0x2F] { break }
            location = resolved + Array("/..".utf8)
        }
        let inbox = FileIO.resolved(bytes: Array(base.utf8)) ?? []
        var queue = pending.sorted { $0.step.relative < $1.step.relative }
        var out: [InboxFile] = []
        while !queue.isEmpty {
            let link = queue.removeFirst()
            guard let target = FileIO.resolved(bytes: link.location), let st = FileIO.status(bytes: target) else {
                out.append(refused(link.step, link.status, .linkDangling, at: link.location))
                continue
            }
            guard !reached.contains(st.identity) else {
                out.append(refused(link.step, link.status, .linkRepeated, at: link.location))
                continue
            }
            guard target.starts(with: inbox + [0x2F]) else {
                out.append(refused(link.step, link.status, .linkOutside, at: link.location))
                continue
            }
            reached.insert(st.identity)
            if st.isRegular {
                var step = link.step
                if link.topLevel { step.folder = "" }
                out.append(file(step, st, at: link.location))
            } else if st.isDirectory, link.depth < InboxFile.maximumDepth {
                var found = Found()
                walk(link.location, link.step, depth: link.depth + 1, into: &found)
                reached.formUnion(found.reached)
                out += found.files
                queue = (queue + found.links).sorted { $0.step.relative < $1.step.relative }
            } else if !st.isDirectory {
                var step = link.step
                if link.topLevel { step.folder = "" }
                out.append(refused(step, link.status, .notAFile, at: link.location))
            }
        }
        return out
    }
}
