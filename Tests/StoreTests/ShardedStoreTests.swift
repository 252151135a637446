import Foundation
#if canImport(Glibc)
import Glibc
#endif
import TestSupport
import Testing
@testable import Core
@testable import Store

struct ShardedStoreTests {
    let root = Scratch.directory.appendingPathComponent("shards-\(UUID().uuidString)").path
    var files: FileStore { FileStore(state: root) }

    private func finding(_ message: String) -> Finding {
        Finding(.fileEmpty, submitter: "盂县", file: "inbox/2016/盂县/表.csv", line: 3, message: message)
    }

    @Test func readsTheKeysAskedForAndKeepsTheOthersByteForByte() throws {
        let store = ShardedStore<[String: Finding]>(directory: root, shards: 2)
        let keys = ["盂县", "平定县", "城区", "矿区", "郊区", "引号\"与\\斜杠\t"]
        try store.update(Dictionary(uniqueKeysWithValues: keys.map { ($0, Optional(["f": finding("第一次：\($0)")])) }), in: files)
        #expect(store.loadAll().count == keys.count)
        #expect(store.load(keys: ["引号\"与\\斜杠\t"]).values.first?["f"]?.message == "第一次：引号\"与\\斜杠\t")

        let shardOfOthers = store.shard(of: "城区")
        let path = root + "/" + (FileIO.list(root).first { $0.contains(String(format: "%03d", shardOfOthers)) })!
        let before = try FileIO.read(path)
        try store.update(["城区": ["f": finding("第二次")], "矿区": nil], in: files)
        let all = store.loadAll()
        #expect(all["城区"]?["f"]?.message == "第二次")
        #expect(all["矿区"] == nil)
        #expect(all["盂县"]?["f"]?.message == "第一次：盂县")
        // The untouched keys' lines of the rewritten shard are the same bytes as before.
        let after = try FileIO.read(path)
        for line in before.split(separator: 0x0A) where !line.starts(with: Array("\"城区\"".utf8)) && !line.starts(with: Array("\"矿区\"".utf8)) {
            #expect(after.split(separator: 0x0A).contains(line))
        }
    }

    @Test func aShardOfManyWritesIsWholeInKeyOrderOneLineAKey() throws {
        // A province's shard is megabytes, written from its lines as pieces: more than one
        // write's worth, old lines and new among each other.
        let store = ShardedStore<[String: Finding]>(directory: root, shards: 1)
        let keys = (0..<300).map { "单位\($0)" }
        let long = String(repeating: "政府信息公开", count: 200)
        try store.update(Dictionary(uniqueKeysWithValues: keys.map { ($0, Optional(["f": finding("\($0)：" + long)])) }), in: files)
        try store.update(Dictionary(uniqueKeysWithValues: keys.filter { $0.hasSuffix("7") }.map { ($0, Optional(["f": finding("改过：\($0)")])) }), in: files)
        let bytes = try FileIO.read(root + "/shard-000.jsonl")
        #expect(bytes.count > 1 << 19 && bytes.last == 0x0A)
        let lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).dropLast()
        #expect(lines.count == keys.count && !lines.contains { $0.isEmpty })
        #expect(zip(lines, lines.dropFirst()).allSatisfy { $0.lexicographicallyPrecedes($1) })
        let all = store.loadAll()
        #expect(all.count == keys.count)
        #expect(keys.allSatisfy { all[$0]?["f"]?.message == ($0.hasSuffix("7") ? "改过：\($0)" : "\($0)：" + long) })
    }

    @Test func aDamagedLineCostsOnlyItsOwnKey() throws {
        let store = ShardedStore<[String: Finding]>(directory: root, shards: 1)
        try store.update(["盂县": ["f": finding("甲")], "城区": ["f": finding("乙")]], in: files)
        let path = root + "/shard-000.jsonl"
        var bytes = try FileIO.read(path)
        bytes += Array("\"断了的\t[{\"rule\":".utf8)  // an append cut short
        try FileIO.write(bytes, to: path)
        #expect(store.loadAll().keys.sorted() == ["城区", "盂县"])
    }

    @Test func aSpareIsSwappedInAndNeverWrittenThroughAnotherLink() throws {
        try FileIO.makeDirectories(root + "/out")
        try FileIO.makeDirectories(root + "/spare")
        let path = root + "/out/by_submitter.csv", spare = root + "/spare/2016-by_submitter.csv"
        try FileIO.write(Array("第一版\n".utf8), to: path, spare: spare, refill: false)  // no target yet: renamed into place
        #expect(try FileIO.read(path) == Array("第一版\n".utf8))
        try FileIO.write(Array("第二版，更长一些\n".utf8), to: path, spare: spare, refill: false)
        #expect(try FileIO.read(path) == Array("第二版，更长一些\n".utf8))
        #expect(try FileIO.read(spare) == Array("第一版\n".utf8))  // the old content, kept for reuse

        // A backup made with hard links (cp -al) shares the spare's inode: it must keep its bytes.
        #expect(link(spare, root + "/backup.csv") == 0)
        try FileIO.write(Array("第三版\n".utf8), to: path, spare: spare, refill: false)
        #expect(try FileIO.read(path) == Array("第三版\n".utf8))
        #expect(try FileIO.read(root + "/backup.csv") == Array("第一版\n".utf8))

        // A spare that cannot be made leaves the plain write.
        try FileIO.write(Array("无备份\n".utf8), to: path, spare: root + "/no-such-folder/spare", refill: false)
        #expect(try FileIO.read(path) == Array("无备份\n".utf8))

        // A spare that is a symbolic link is replaced, not followed.
        try FileIO.remove(spare)
        #expect(symlink(root + "/backup.csv", spare) == 0)
        try FileIO.write(Array("第四版\n".utf8), to: path, spare: spare, refill: false)
        #expect(try FileIO.read(path) == Array("第四版\n".utf8))
        #expect(try FileIO.read(root + "/backup.csv") == Array("第一版\n".utf8))
    }

    @Test func holdsComparesAFileWithoutReadingItWhole() throws {
        try FileIO.makeDirectories(root)
        let path = root + "/big.csv"
        let bytes = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        try FileIO.write(bytes, to: path)
        #expect(try FileIO.read(path) == bytes)
        #expect(FileIO.holds(bytes, at: path))
        var changed = bytes
        changed[150_000] &+= 1
        #expect(!FileIO.holds(changed, at: path))
        #expect(!FileIO.holds(Array(bytes.dropLast()), at: path))
        #expect(!FileIO.holds(bytes, at: root + "/missing.csv"))
    }

    @Test func theStoreDecidesWhereASpareLivesAndWhetherOneIsKept() throws {
        let store = FileStore(state: root + "/state")
        try FileIO.makeDirectories(root + "/state/idx")
        try FileIO.makeDirectories(root + "/out/2016/feedback")
        // A state file's spare sits beside it, hidden; an output's under state/spare/.
        #expect(store.spare(for: root + "/state/idx/index.tsv") == root + "/state/idx/.index.tsv.spare")
        #expect(store.spare(for: root + "/out/2016/totals.csv") == root + "/state/spare/out%2016%totals.csv")
        // A large output keeps a spare from its first write; a small one is written plainly.
        let big = [UInt8](repeating: 0x41, count: FileStore.refillSize)
        try store.publish(big, to: root + "/out/2016/totals.csv")
        #expect(FileIO.status(root + "/state/spare/out%2016%totals.csv")?.size == big.count)
        try store.publish(Array("小\n".utf8), to: root + "/out/2016/feedback/盂县.md")
        #expect(FileIO.status(store.spare(for: root + "/out/2016/feedback/盂县.md")) == nil)
        #expect(FileIO.list(root + "/out/2016/feedback") == ["盂县.md"])
    }

    @Test func aBackgroundWriteThatFailsIsThrownWhereItIsAwaited() throws {
        let store = FileStore(state: root + "/state")
        store.save(Array("x".utf8), to: root + "/no-such-folder/file.tsv")
        #expect(throws: FileError.self) { try store.settle() }
        #expect(throws: FileError.self) { _ = try store.read(root + "/state/anything") }
    }
}
