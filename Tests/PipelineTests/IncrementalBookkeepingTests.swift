import Foundation
import TestSupport
import Testing
@testable import Core
@testable import Extract
@testable import Load
@testable import Pipeline
@testable import Store
@testable import Transform

/// The skip-if-unchanged chain, in process: each stage handed the one before's output as a value.
struct IncrementalBookkeepingTests {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func workspace() throws -> Pipeline {
        let root = Scratch.directory.appendingPathComponent("pipeline-\(UUID().uuidString)")
        try Workspace.create(at: root)
        try FileManager.default.copyItem(at: Self.repo.appendingPathComponent("Fixtures/2016"), to: root.appendingPathComponent("inbox/2016"))
        // Aged past the settle window, as a city's inbox is: a fresh file's content is checked again.
        for path in try FileManager.default.subpathsOfDirectory(atPath: root.appendingPathComponent("inbox").path) {
            try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_484_000_000)],
                                                  ofItemAtPath: root.appendingPathComponent("inbox/" + path).path)
        }
        return Pipeline(workspace: Workspace(root: root, year: 2016), trace: false)
    }

    @Test func aSecondPassFindsNothingToDoAtAnyStage() throws {
        let p = try workspace()
        let e1 = try p.extract(submitter: nil)
        let t1 = try p.transform(e1, submitter: nil)
        let l1 = try #require(try p.load(t1, submitter: nil))
        #expect(e1.extracted == 15 && t1.changed.count == 13 && l1.changed == 13)
        #expect(!(try p.report().changed.isEmpty))
        try p.workspace.files.settle()

        let again = Pipeline(workspace: Workspace(root: p.workspace.root, year: 2016), trace: false)
        let e2 = try again.extract(submitter: nil)
        #expect(e2.extracted == 0 && e2.reused == 15 && e2.indexDigest == e1.indexDigest)
        let t2 = try again.transform(e2, submitter: nil)
        #expect(t2.changed.isEmpty && t2.removed.isEmpty && t2.stored == nil, "the transform index names this extract index")
        #expect(try again.load(t2, submitter: nil) == nil)
        #expect(try again.report().changed.isEmpty)
    }

    @Test func aResubmissionAndAWithdrawalReachOnlyTheirSubmitters() throws {
        let p = try workspace()
        _ = try p.load(try p.transform(try p.extract(submitter: nil), submitter: nil), submitter: nil)
        try p.workspace.files.settle()
        let root = p.workspace.root
        try Data("序号,统计指标,单位,统计数\r\n1,收到申请数,件,9\r\n".utf8).write(to: root.appendingPathComponent("inbox/2016/盂县/更正.csv"))
        try FileManager.default.removeItem(at: root.appendingPathComponent("inbox/2016/市审计局"))

        let next = Pipeline(workspace: Workspace(root: root, year: 2016), trace: false)
        let e = try next.extract(submitter: nil)
        #expect(e.extracted == 1 && e.removed == 1 && e.affected == ["盂县", "市审计局"])
        let t = try next.transform(e, submitter: nil)
        #expect(t.changed.map(\.submitter) == ["盂县"] && t.removed == ["市审计局"])
        #expect(!t.present.contains("市审计局"), "who left the inbox is known from the extract, once")
        let l = try #require(try next.load(t, submitter: nil))
        #expect(l.loaded.map(\.submitter) == ["盂县"])
        let versions = try next.workspace.dataset().versions(year: 2016)
        #expect(!versions.contains { $0.submitter == "市审计局" && $0.current })
    }

    @Test func changesTellNewChangedAndGoneKeys() {
        let c = Changes.between(stored: ["a": 1, "b": 2, "c": 3], current: ["a": 1, "b": 5, "d": 4], order: ["a", "b", "d"],
                                same: { $0 == $1 })
        #expect(c.changed == ["b", "d"])
        #expect(c.removed == ["c"])
        let scoped = Changes.between(stored: ["a": 1, "c": 3], current: ["a": 1], order: ["a"], same: { $0 == $1 },
                                     removable: { key, _ in key == "a" })
        #expect(scoped.isEmpty, "a key outside the scope looked at is not gone")
    }
}
