import Foundation
import TestSupport
import Testing
@testable import Core
@testable import Store

/// One owner of the workspace's layout, and the one bookkeeping every stage uses.
struct WorkspaceLayoutTests {
    let root = Scratch.directory.appendingPathComponent("layout-\(UUID().uuidString)").path

    @Test func everyPathOfTheWorkspaceComesFromTheLayout() {
        let layout = WorkspaceLayout(root: "/srv/disclosure/")
        #expect(layout.inbox(year: 2022) == "/srv/disclosure/inbox/2022")
        #expect(layout.report(year: 2022) == "/srv/disclosure/out/2022/report.md")
        #expect(layout.stagingIndex(year: 2016) == "/srv/disclosure/state/staging/2016/index.tsv")
        #expect(layout.database == "/srv/disclosure/state/disclosure.sqlite")
        #expect(layout.config(WorkspaceLayout.Config.reportSettings("2022")) == "/srv/disclosure/config/report/2022/settings.json")
        #expect(layout.configName(layout.config("forms/NAT-2021.json")) == "forms/NAT-2021.json")
    }

    @Test func aConfigFileNotInUTF8IsNamedAsSuchAndAMissingOneAsMissing() throws {
        let layout = WorkspaceLayout(root: root)
        try FileIO.makeDirectories(layout.config("report/2022"))
        try FileIO.write([0xC4, 0xEA, 0xB6, 0xC8], to: layout.config("report/2022/一、总体情况.md"))
        let files = layout.configFiles(in: "report/2022", suffix: ".md")
        #expect(files.count == 1 && files[0].name == "report/2022/一、总体情况.md")
        #expect(throws: ConfigError.self) { try files[0].text() }
        do { _ = try files[0].text() } catch { #expect(error.description.hasPrefix("config/report/2022/一、总体情况.md：不是 UTF-8 编码")) }
        do { _ = try layout.readConfig("submitters.csv") } catch { #expect(error.message.contains("文件不存在")) }
    }

    @Test func theBookkeepingTellsWhatChangedAndForgetsEverythingUnderAnotherConfiguration() throws {
        struct Entry: IndexRecord, Equatable {
            var hash: String
            init(hash: String) { self.hash = hash }
            init?(fields: [String]) { guard fields.count == 2 else { return nil }; hash = fields[1] }
            var values: [String] { [hash] }
        }
        let files = FileStore(state: root + "/state")
        let store = ShardedStore<[String: Finding]>(directory: root + "/state/stage")
        let index = root + "/state/stage/index.tsv"
        var books = try Incremental<Entry, [String: Finding]>(index: index, store: store, files: files, trusting: { $0 == "v1" }, scoped: false)
        var changes = books.changes(current: ["a": "1", "b": "2"], order: ["a", "b"], same: { $0.hash == $1 }, removable: { _, _ in true })
        #expect(changes.changed == ["a", "b"] && changes.removed.isEmpty)
        books.records = ["a": Entry(hash: "1"), "b": Entry(hash: "2")]
        let finding = Finding(.fileEmpty, submitter: "盂县", file: "inbox/2016/盂县/表.csv", message: "空")
        try books.save(header: "v1", updates: ["a": ["x": finding], "b": ["y": finding]])
        try files.settle()
        books = try Incremental(index: index, store: store, files: files, trusting: { $0 == "v1" }, scoped: false)
        changes = books.changes(current: ["a": "1", "b": "3"], order: ["a", "b"], same: { $0.hash == $1 }, removable: { _, _ in true })
        #expect(changes.changed == ["b"], "only what changed")
        #expect(try store.load(keys: ["a"])["a"]?["x"] == finding)
        books = try Incremental(index: index, store: store, files: files, trusting: { $0 == "v2" }, scoped: false)
        #expect(!books.isCurrent && books.records.isEmpty)
        #expect(try store.load(keys: ["a", "b"]).isEmpty, "nothing stored under another configuration is kept")
    }
}
