import CSysCalls
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A folder of outputs replaced as a whole: the next version is built beside it (`.<name>.next`,
/// every file that stays hard-linked from the current one, the new ones written), then the two
/// are swapped in one `renameat2(RENAME_EXCHANGE)`. Whatever fails before the swap, the folder
/// is all it was; after it, all it is now. The old version is removed last.
public enum DirectorySwap {
    /// Makes `live` hold `writes` (paths relative to it), without `removals`, and otherwise what
    /// it held, with `folders` there even when empty; the writes go to the next version on both
    /// cores.
    ///
    /// The version swapped out is kept beside as `.<name>.prev`, and `journal` records what the
    /// swap changed: the next time, that folder is brought up to date by those names alone
    /// instead of linking every file again (a province's feedback folder holds thousands).
    /// Without both (a first run, or one cut short), the next version is linked in full.
    /// - Parameter moves: files moved into the next version as they are (relative path, the
    ///   file's path now): a large output already written whole elsewhere is not copied.
    public static func replace(_ live: String, writing writes: [(String, ByteChunks)], moving moves: [(String, String)] = [],
                               removing removals: Set<String>, folders: [String] = [], journal: String) throws(FileError) {
        let parent = live.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        let name = live.split(separator: "/").last.map(String.init) ?? "out"
        let stem = "." + name + ".next", prev = parent + "/." + name + ".prev"
        // What an interrupted swap left, as far as it can go (a file made immutable cannot).
        for entry in FileIO.rawEntries(Array(parent.utf8)) where entry.name.starts(with: Array(stem.utf8)) {
            removeTree(parent + "/" + String(decoding: entry.name, as: UTF8.self))
        }
        let next = parent + "/" + stem + "-\(getpid())"
        try FileIO.makeDirectories(parent)
        // The journal: the times of the folders as the last swap left them, then what it changed.
        // Folders whose times moved since (a file added or removed by hand) are linked in full.
        let journalLines = (try? FileIO.read(journal)).map { String(decoding: $0, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }
        let changedLastTime = journalLines.flatMap { lines in lines.first == stamp(live, folders) ? Array(lines.dropFirst()).filter { !$0.isEmpty } : nil }
        let reuse = changedLastTime != nil && (try? FileIO.rename(prev, to: next)) != nil
        if !reuse {
            removeTree(prev)
            try FileIO.makeDirectories(next)
        }
        // From here the journal describes no kept folder until this swap is done.
        try FileIO.remove(journal)
        for folder in folders { try FileIO.makeDirectories(next + "/" + folder) }
        // Each folder once (a province's feedback files share one).
        for folder in Set((writes.map(\.0) + moves.map(\.0)).compactMap { relative in relative.lastIndex(of: "/").map { String(relative[..<$0]) } }).sorted() {
            try FileIO.makeDirectories(next + "/" + folder)
        }
        var failures = parallelMap(writes) { relative, bytes -> FileError? in
            do throws(FileError) { try FileIO.replaceContents(bytes, at: next + "/" + relative) } catch { return error }
            return nil
        }
        for (relative, from) in moves {
            do throws(FileError) { try move(from, to: next + "/" + relative) } catch { failures.append(error) }
        }
        if let failure = failures.compactMap({ $0 }).first {
            removeTree(next)
            // The message names the output, not the folder it was being built in.
            throw FileError(path: failure.path.replacingOccurrences(of: next, with: live), code: failure.code)
        }
        let skipping = removals.union(writes.map(\.0)).union(moves.map(\.0))
        do throws(FileError) {
            if reuse {
                // The kept folder is one version behind: what the last swap changed is taken from
                // the current one, what this swap removes goes.
                for relative in changedLastTime! where !skipping.contains(relative) {
                    unlink(next + "/" + relative)
                    if FileIO.status(live + "/" + relative)?.isRegular == true {
                        try carryFile(live + "/" + relative, to: next + "/" + relative)
                    }
                }
                for relative in removals { unlink(next + "/" + relative) }
            } else {
                try carry(from: live, "", into: next, skipping: skipping)
            }
        } catch {
            removeTree(next)
            throw error
        }
        let changed = skipping.sorted().joined(separator: "\n")
        // The journal was removed above: a swap cut short leaves none, and the next one links in full.
        try swap(next, live, keep: prev)
        if FileIO.status(prev) != nil, let times = stamp(live, folders) {
            try? FileIO.write(Array((times + "\n" + changed).utf8), to: journal)
        }
    }

    /// The modification times of the folder and its named subfolders.
    private static func stamp(_ live: String, _ folders: [String]) -> String? {
        var parts: [String] = []
        for path in [live] + folders.map({ live + "/" + $0 }) {
            guard let st = FileIO.status(path) else { return nil }
            parts.append("\(st.modified)")
        }
        return parts.joined(separator: " ")
    }

    private static func swap(_ next: String, _ live: String, keep prev: String) throws(FileError) {
        if disclosure_exchange(next, live) == 0 {
            // The previous version now lies at `next`: kept for the next swap.
            if rename(next, prev) != 0 { removeTree(next) }
            return
        }
        // No current version yet, or no atomic swap here: renamed into place.
        if FileIO.status(live) == nil {
            guard rename(next, live) == 0 else { throw FileError(path: live, code: errno) }
            return
        }
        let old = next + ".old"
        removeTree(old)
        guard rename(live, old) == 0 else { throw FileError(path: live, code: errno) }
        guard rename(next, live) == 0 else {
            let code = errno
            _ = rename(old, live)
            throw FileError(path: live, code: code)
        }
        removeTree(old)
    }

    /// Hard-links (or, where a link is refused, copies) the files of `live` that are not skipped.
    private static func carry(from live: String, _ relative: String, into target: String, skipping: Set<String>) throws(FileError) {
        let source = relative.isEmpty ? live : live + "/" + relative
        for entry in FileIO.rawEntries(Array(source.utf8)) {
            let name = String(decoding: entry.name, as: UTF8.self)
            let rel = relative.isEmpty ? name : relative + "/" + name
            let from = source + "/" + name, to = target + "/" + name
            if skipping.contains(rel) { continue }
            if entry.status.isDirectory {
                mkdir(to, 0o755)
                try carry(from: live, rel, into: to, skipping: skipping)
            } else if entry.status.isRegular, FileIO.status(to) == nil {
                try carryFile(from, to: to)
            }
        }
    }

    /// Renames `from` over `to`; across file systems, copies it (the kernel's copy) and removes it.
    private static func move(_ from: String, to: String) throws(FileError) {
        if rename(from, to) == 0 { return }
        guard errno == EXDEV else { throw FileError(path: from, code: errno) }
        let file = try FileIO.OpenFile.reading(from)
        try FileIO.replaceContents(ByteChunks(.span(FileIO.Span(file: file, offset: 0, count: try file.size()))), at: to)
        unlink(from)
    }

    /// A hard link, or where one is refused (an immutable file), a copy.
    private static func carryFile(_ from: String, to: String) throws(FileError) {
        if link(from, to) != 0 { try FileIO.write(try FileIO.read(from), to: to) }
    }

    /// Removes a folder and everything in it, as far as it can (what it cannot stays); a link
    /// is removed, never followed.
    public static func removeTree(_ path: String) {
        var st = stat()
        guard lstat(path, &st) == 0, st.st_mode & S_IFMT == S_IFDIR else { return }
        for entry in FileIO.rawEntries(Array(path.utf8)) {
            let child = path + "/" + String(decoding: entry.name, as: UTF8.self)
            if entry.status.isDirectory { removeTree(child) } else { unlink(child) }
        }
        rmdir(path)
    }
}
