@testable import Core
import Foundation
import GRDB
import TestSupport
import Testing
@testable import Load
import Store
@testable import Transform

/// A load handed over a batch at a time in one open transaction (a first run's) ends as one
/// `apply` of the same results would, or leaves nothing at all.
struct DatasetSessionTests {
    static let city: CityRules = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/Pipeline/Defaults/config/forms/SX-2016.json")
        let form = try! FormCatalog.form(for: 2016, in: [ConfigDocument(name: "forms/SX-2016.json", bytes: Array(try! Data(contentsOf: url)))])
        let registry = try! Registry(csv: Array("name,aliases,code,level\n盂县,,140322,county\n平定县,,140321,county\n市审计局,,,department\n".utf8),
                                     city: "阳泉市")
        return CityRules(index: FormIndex(form), registry: registry, salt: "test")
    }()

    func path() -> String { Scratch.directory.appendingPathComponent("session-\(UUID().uuidString).sqlite").path }

    /// A body's result: the proactive total and its six categories, `total` declared against `parts`.
    func result(_ name: String, total: Int, parts: [Int], duplicate: Bool = false) -> SubmitterResult {
        let file = "inbox/2016/\(name)/统计表.csv"
        let categories = Self.city.index.form.categories!
        var facts = [Fact(code: categories.total, value: Decimal(total), unit: "条", derived: false, file: file, line: 2, raw: "\(total)", via: "exact")]
        for (k, (code, n)) in zip(categories.parts, parts).enumerated() {
            facts.append(Fact(code: code, value: Decimal(n), unit: "条", derived: false, file: file, line: 3 + k, raw: "\(n)", via: "exact"))
        }
        if duplicate { facts.append(facts[0]) }  // the same code twice: the dataset refuses the second row
        return SubmitterResult(submitter: name, code: "", level: nil,
                               files: [FileState(path: file, sha256: name + "-sha", family: nil, status: .current, encoding: nil, received: 1_500_000_000)],
                               facts: facts, findings: [], narrative: nil)
    }

    var results: [SubmitterResult] {
        [result("盂县", total: 600, parts: [100, 100, 100, 100, 100, 100]),
         result("平定县", total: 607, parts: [300, 60, 50, 80, 42, 40]),
         result("市审计局", total: 20, parts: [5, 5, 5, 5])]
    }

    /// What a dataset holds for 2016, as the report reads it.
    func contents(_ dataset: Dataset) throws -> [String] {
        try dataset.currentFacts(year: 2016).map { "\($0.submitter) \($0.code)=\($0.value.map { "\($0)" } ?? "")" }
            + dataset.findings(year: 2016).map { "\($0.submitter) \($0.rule.rawValue) \($0.message)" }
            + dataset.engine.read { db in try db.all("SELECT code, value, numbers, facts FROM total WHERE year = 2016 ORDER BY code", []) {
                "total \($0.text(0))=\($0.text(1)) \($0.integer(2) ?? 0) \($0.integer(3) ?? 0)"
            } }
    }

    @Test func batchesHandedOverEndAsOneLoadOfThemAll() throws {
        let once = try Dataset(path: path())
        let outcomes = try once.apply(results, year: 2016, present: Set(results.map(\.submitter)), city: Self.city)
        #expect(outcomes == [.first, .first, .first])

        let batched = try Dataset(path: path())
        let session = batched.session(year: 2016, city: Self.city)
        try session.load(Array(results.prefix(1)))
        try session.load(Array(results.dropFirst(1).prefix(1)))
        // Inside the transaction, what was handed over is there already.
        #expect(try session.dataset.currentVersions(year: 2016).keys.sorted() == ["平定县", "盂县"])
        let loaded = try session.finish(Array(results.dropFirst(2)), present: Set(results.map(\.submitter)))
        #expect(loaded.map(\.submitter) == ["盂县", "平定县", "市审计局"] && loaded.allSatisfy { $0.outcome == .first })
        let expected = try contents(once)
        #expect(expected.contains { $0.hasPrefix("total \(Self.city.index.form.categories!.total)=1227 ") }, "the city's totals: \(expected)")
        #expect(try contents(batched) == expected)
    }

    @Test func aLoadsWriteAheadLogIsCutOnceCommittedAndAnOlderReaderIsNotWaitedFor() throws {
        let file = path()
        let dataset = Dataset(engine: try SQLiteEngine(path: file, largeLog: 0))
        // The season page in the middle of a read, begun before the load and ended after it.
        let reader = try DatabaseQueue(path: file)
        try reader.writeWithoutTransaction { db in
            try db.execute(sql: "BEGIN")
            _ = try Int.fetchOne(db, sql: "SELECT count(*) FROM fact")
            let started = Date()
            let session = dataset.session(year: 2016, city: Self.city)
            _ = try session.finish(results, present: Set(results.map(\.submitter)))
            // Its lock timeout is 30 s: a load that waited for the reader would take that long.
            #expect(Date().timeIntervalSince(started) < 20)
            #expect((FileIO.status(file + "-wal")?.size ?? 0) > 0, "left for a later load while the reader holds it")
            try db.execute(sql: "COMMIT")
        }
        let again = dataset.session(year: 2016, city: Self.city)
        _ = try again.finish([result("盂县", total: 606, parts: [101, 101, 101, 101, 101, 101])], present: nil)
        #expect(FileIO.status(file + "-wal")?.size == 0)
        #expect(try dataset.currentFacts(year: 2016).contains { $0.submitter == "盂县" && $0.value == 606 })
        let fresh = try Dataset(path: file)
        #expect(try contents(fresh) == contents(dataset), "all of it in the database itself")

        // A load in one call (a stage run by itself) is cut the same way.
        let single = Dataset(engine: try SQLiteEngine(path: path(), largeLog: 0))
        _ = try single.apply(results, year: 2016, present: nil, city: Self.city)
        #expect(FileIO.status((single.engine as! SQLiteEngine).logPath)?.size == 0)
    }

    @Test func aCancelledSessionLeavesTheDatasetAsItWas() throws {
        let dataset = try Dataset(path: path())
        _ = try dataset.apply([result("盂县", total: 6, parts: [1, 1, 1, 1, 1, 1])], year: 2016, present: nil, city: Self.city)
        let before = try contents(dataset)
        let session = dataset.session(year: 2016, city: Self.city)
        try session.load(results)
        try session.dataset.setMeta("marked", "yes")
        session.cancel()
        session.cancel()  // once ended, nothing more
        #expect(try contents(dataset) == before)
        #expect(try dataset.meta("marked") == nil)
        #expect(throws: (any Error).self) { try session.load(results) }
    }

    @Test func aResultTheDatasetRefusesEndsTheSessionWithNothingWritten() throws {
        let dataset = try Dataset(path: path())
        let session = dataset.session(year: 2016, city: Self.city)
        try session.load(Array(results.prefix(2)))
        // Handed over without waiting: the refusal shows at the latest when the load finishes.
        try? session.load([result("市审计局", total: 20, parts: [5, 5, 5, 5], duplicate: true)])
        #expect(throws: (any Error).self) { _ = try session.finish([], present: nil) }
        #expect(throws: (any Error).self) { try session.load(results) }
        session.cancel()
        #expect(try contents(dataset).isEmpty)
    }
}
