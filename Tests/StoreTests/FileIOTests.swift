import Foundation
import TestSupport
import Testing
@testable import Store

/// Writing into a version being built, and making its folders.
struct FileIOTests {
    let root = Scratch.directory.appendingPathComponent("fileio-\(UUID().uuidString)").path

    @Test func replacingContentsMakesANewFileCutsALongerOneAndNeverWritesThroughALink() throws {
        try FileIO.makeDirectories(root)
        let path = root + "/feedback.md"
        // Nothing there yet: made.
        try FileIO.replaceContents(Array("第一版：较长的内容".utf8), at: path)
        #expect(try FileIO.read(path) == Array("第一版：较长的内容".utf8))
        // A longer file of ours: written over in place and cut to the new length.
        let inode = try #require(FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber] as? Int)
        try FileIO.replaceContents(Array("短".utf8), at: path)
        #expect(try FileIO.read(path) == Array("短".utf8))
        #expect(try FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber] as? Int == inode)
        // A hard link to the file (a `cp -al` backup): the other path keeps its bytes.
        let backup = root + "/backup.md"
        #expect(link(path, backup) == 0)
        try FileIO.replaceContents(Array("新".utf8), at: path)
        #expect(try FileIO.read(path) == Array("新".utf8))
        #expect(try FileIO.read(backup) == Array("短".utf8))
        // A symbolic link at the path: replaced by a file, its target untouched.
        let target = root + "/target.md"
        try FileIO.write(Array("目标".utf8), to: target)
        let linked = root + "/linked.md"
        #expect(symlink(target, linked) == 0)
        try FileIO.replaceContents(Array("文件".utf8), at: linked)
        #expect(try FileIO.read(linked) == Array("文件".utf8))
        #expect(try FileIO.read(target) == Array("目标".utf8))
        #expect(FileIO.status(linked)?.isRegular == true)
    }

    /// A folder of a province's submitters, more entries than one task takes: each listed once,
    /// as what it is, with its own size, a link as a link.
    @Test func aLargeFolderListsEveryEntryWithItsOwnStatus() throws {
        try FileIO.makeDirectories(root + "/inbox")
        for k in 0..<700 {
            if k % 3 == 0 {
                try FileIO.makeDirectories(root + "/inbox/样例\(k)局")
            } else {
                try FileIO.write(Array(repeating: 0x41, count: k), to: root + "/inbox/样例\(k).csv")
            }
        }
        #expect(symlink(root + "/inbox/样例1.csv", root + "/inbox/链接") == 0)
        let entries = FileIO.rawEntries(Array((root + "/inbox").utf8))
        let byName = Dictionary(uniqueKeysWithValues: entries.map { (String(decoding: $0.name, as: UTF8.self), $0.status) })
        #expect(entries.count == 701 && byName.count == 701)
        for k in 0..<700 {
            if k % 3 == 0 {
                #expect(byName["样例\(k)局"]?.isDirectory == true)
            } else {
                #expect(byName["样例\(k).csv"]?.isRegular == true && byName["样例\(k).csv"]?.size == k)
            }
        }
        #expect(byName["链接"]?.isLink == true)
        // Only what the filter keeps is looked at.
        #expect(FileIO.rawEntries(Array((root + "/inbox").utf8), where: { $0.last == 0x80 /* the last byte of 局 */ }).count == 234)
    }

    @Test func makingFoldersThatExistIsNothingAndAFileInTheWayIsAnError() throws {
        try FileIO.makeDirectories(root + "/out/2016/feedback")
        try FileIO.makeDirectories(root + "/out/2016/feedback")
        try FileIO.makeDirectories(root + "/out/2016")
        #expect(FileIO.status(root + "/out/2016/feedback")?.isDirectory == true)
        try FileIO.write(Array("x".utf8), to: root + "/out/file")
        #expect(throws: FileError.self) { try FileIO.makeDirectories(root + "/out/file/sub") }
        #expect(throws: FileError.self) { try FileIO.makeDirectories(root + "/out/file") }
    }
}
