import Foundation
import TestSupport
import Testing
@testable import Core
@testable import Store
@testable import Extract

/// A folder unchanged since it was listed is not listed again, yet nothing that happens in it
/// can be missed: a new, removed or renamed file moves the folder's time, a rewritten file its own.
struct InboxScanTests {
    let root = Scratch.directory.appendingPathComponent("scan-\(UUID().uuidString)")
    let hourAgo = Date().addingTimeInterval(-3600)

    func folder(_ name: String) -> URL { root.appendingPathComponent("inbox/2016/\(name)") }

    func write(_ folder: String, _ file: String, _ text: String, at date: Date) throws {
        let dir = self.folder(folder)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent(file)
        try Data(text.utf8).write(to: url)
        try FileManager.default.setAttributes([.modificationDate: date], ofItemAtPath: url.path)
    }

    func age(_ folder: String) throws {
        try FileManager.default.setAttributes([.modificationDate: hourAgo], ofItemAtPath: self.folder(folder).path)
    }

    func scan(_ listings: [String: FolderListing]) -> (files: [InboxFile], listings: [String: FolderListing]) {
        InboxFile.scan(workspace: root, year: 2016, folders: nil, listings: listings, now: Date().timeIntervalSince1970)
    }

    @Test func reusesSettledListingsAndStillSeesEveryChange() throws {
        try write("盂县", "a.csv", "1", at: hourAgo)
        try write("城区", "b.csv", "2", at: hourAgo)
        try age("盂县")
        try age("城区")
        let first = scan([:])
        #expect(first.files.map(\.path) == ["inbox/2016/城区/b.csv", "inbox/2016/盂县/a.csv"])
        #expect(first.listings["盂县"]?.files == ["a.csv"])

        // Nothing changed: the same files, from the listings.
        let again = scan(first.listings)
        #expect(again.files == first.files)

        // A file rewritten in place (the folder's time does not move) is seen by its own size and time.
        try write("盂县", "a.csv", "12345", at: Date())
        try age("盂县")
        let rewritten = scan(again.listings)
        #expect(rewritten.files.first { $0.folder == "盂县" }?.size == 5)

        // A new file moves the folder's time: the folder is listed again.
        try write("城区", "c.csv", "3", at: hourAgo)
        let added = scan(rewritten.listings)
        #expect(added.files.map(\.path).contains("inbox/2016/城区/c.csv"))

        // A file removed behind a folder time set back by hand is still not reported as present.
        try FileManager.default.removeItem(at: folder("城区").appendingPathComponent("b.csv"))
        try age("城区")
        let removed = scan(added.listings)
        #expect(!removed.files.map(\.path).contains("inbox/2016/城区/b.csv"))
        #expect(removed.files.map(\.path).contains("inbox/2016/城区/c.csv"))
    }

    @Test func trustsNoListingMadeInTheSameMomentAsTheFolderChanged() throws {
        try write("盂县", "a.csv", "1", at: hourAgo)  // the folder's own time is now
        var folderStatus = stat()
        #expect(stat(folder("盂县").path, &folderStatus) == 0)
        let first = scan([:])
        #expect(first.listings["盂县"] != nil)
        // A file added in the same clock tick: the folder's time does not move.
        try write("盂县", "b.csv", "2", at: hourAgo)
        var times = [folderStatus.st_atim, folderStatus.st_mtim]
        #expect(utimensat(AT_FDCWD, folder("盂县").path, &times, 0) == 0)
        let second = scan(first.listings)
        #expect(second.files.count == 2)
    }

    /// A named pipe in the inbox (reading one waits for a writer that never comes), in a
    /// submitter's folder, in the year folder itself or behind a link, is listed as refused:
    /// never read, never silently passed over.
    @Test func aNamedPipeIsListedRefusedWhereverItLies() throws {
        try write("盂县", "a.csv", "1", at: hourAgo)
        #expect(mkfifo(folder("盂县").appendingPathComponent("管道.csv").path, 0o644) == 0)
        #expect(mkfifo(root.appendingPathComponent("inbox/2016/顶层.csv").path, 0o644) == 0)
        try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("inbox/2016/链接.csv").path, withDestinationPath: "盂县/管道.csv")
        let files = scan([:]).files
        let refused = Dictionary(uniqueKeysWithValues: files.filter { $0.refusal != nil }.map { ($0.path, ($0.refusal!, $0.folder)) })
        #expect(refused["inbox/2016/盂县/管道.csv"]?.0 == .notAFile && refused["inbox/2016/盂县/管道.csv"]?.1 == "盂县")
        #expect(refused["inbox/2016/顶层.csv"]?.0 == .notAFile && refused["inbox/2016/顶层.csv"]?.1 == "")
        #expect(refused["inbox/2016/链接.csv"]?.0 == .notAFile && refused["inbox/2016/链接.csv"]?.1 == "", "\(refused)")
        #expect(files.filter { $0.refusal == nil }.map(\.path) == ["inbox/2016/盂县/a.csv"])
    }
}
