import Foundation
import Testing
@testable import Core
@testable import Report
@testable import Store

/// The stored parts of the outputs: a log written as parts are rendered, read back with each
/// part's rows left on disk, appended to by a rerun and written whole when mostly replaced or
/// damaged.
@Suite(.serialized)
struct SubmitterPartsTests {
    let root = NSTemporaryDirectory() + "parts-\(UUID().uuidString)"
    var path: String { root + "/report/2022.parts" }

    /// A part as the report renders it: rows of a few kilobytes, findings in one severity.
    private func part(_ name: String, _ version: Int) -> SubmitterParts.Part {
        let rows = (0..<200).map { "\(name),n.\($0),第\($0)行,,\(version * 1000 + $0),,\(name).pdf,\($0)\n" }.joined()
        return SubmitterParts.Part(source: "\(name)-v\(version)|", hasFeedback: version % 2 == 1, csv: .bytes(ArraySlice(Array(rows.utf8))),
                                   findings: [[], ArraySlice(Array("警告,\(name),v\(version)\n".utf8)), []],
                                   html: ArraySlice(Array("<tr><td>\(name)</td></tr>".utf8)))
    }

    private func rows(_ part: SubmitterParts.Part?) throws -> String? {
        guard let part else { return nil }
        return String(decoding: try ByteChunks(part.csv).joined(), as: UTF8.self)
    }

    private func expectSame(_ got: SubmitterParts.Part?, _ want: SubmitterParts.Part) throws {
        #expect(got?.source == want.source)
        #expect(got?.hasFeedback == want.hasFeedback)
        #expect(got?.findings.map(Array.init) == want.findings.map(Array.init))
        #expect(got.map { Array($0.html) } == Array(want.html))
        #expect(try rows(got) == (try rows(want)))
    }

    private let names = ["城区", "矿区", "郊区", "平定县", "盂县"]

    /// A first run's file: every name's first version, written whole.
    private func saveEveryName() throws {
        var parts = SubmitterParts.load(path, layout: "L")
        for name in names { parts.store(ByteString(name), part(name, 1)) }
        try parts.save()
    }

    @Test func partsStoredAsRenderedAreReadBackWithTheirRowsLeftOnDisk() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        var parts = SubmitterParts.load(path, layout: "L")
        #expect(parts.records == nil, "no file: written whole")
        for name in names { parts.store(ByteString(name), part(name, 1)) }
        // Once stored, a part's rows are a span of the file being written, not memory.
        for name in names {
            guard case .span = parts[key: ByteString(name)]!.csv else { Issue.record("\(name)'s rows still in memory"); continue }
        }
        // One stored and taken back in the same run is not read back.
        parts.store(ByteString("阳泉市"), part("阳泉市", 1))
        parts.remove(ByteString("阳泉市"))
        #expect(FileIO.status(path) == nil, "nothing in place before the save")
        try parts.flush()
        for name in names { try expectSame(parts[key: ByteString(name)], part(name, 1)) }
        try parts.save()
        #expect(FileIO.status(path + ".new") == nil)

        let back = SubmitterParts.load(path, layout: "L")
        #expect(back.records == names.count + 2, "the one taken back: stored, then its removal")
        #expect(Set(back.keys.map(\.text)) == Set(names))
        for name in names { try expectSame(back[key: ByteString(name)], part(name, 1)) }
        // Another layout (another configuration or format): nothing is reused.
        #expect(SubmitterParts.load(path, layout: "M").keys.isEmpty)
    }

    @Test func aRerunAppendsItsPartsAndTheLogIsWrittenWholeOnceMostlyReplaced() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        try saveEveryName()
        let whole = FileIO.status(path)!.size

        // One county resubmits, one body leaves: two records appended, the rest left as they are.
        var rerun = SubmitterParts.load(path, layout: "L")
        rerun.store(ByteString("矿区"), part("矿区", 2))
        rerun.remove(ByteString("盂县"))
        try rerun.save()
        #expect(FileIO.status(path)!.size > whole, "appended")
        var back = SubmitterParts.load(path, layout: "L")
        #expect(back.records == names.count + 2)
        #expect(back[key: ByteString("盂县")] == nil)
        try expectSame(back[key: ByteString("矿区")], part("矿区", 2))
        try expectSame(back[key: ByteString("城区")], part("城区", 1))

        // Many more versions of one body: past twice what is live, the file is written whole.
        for v in 3..<140 { back.store(ByteString("郊区"), part("郊区", v)) }
        try back.save()
        let compact = SubmitterParts.load(path, layout: "L")
        #expect(compact.records == names.count - 1)
        try expectSame(compact[key: ByteString("郊区")], part("郊区", 139))
        try expectSame(compact[key: ByteString("矿区")], part("矿区", 2))
        #expect(compact[key: ByteString("盂县")] == nil)
    }

    @Test func aFileCutShortKeepsThePartsBeforeTheCutAndIsWrittenWholeAgain() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        try saveEveryName()
        // Cut inside the last record's rows (an append interrupted).
        let size = FileIO.status(path)!.size
        #expect(truncate(path, off_t(size - 3000)) == 0)

        var cut = SubmitterParts.load(path, layout: "L")
        #expect(cut.records == nil, "damaged: written whole next time")
        #expect(cut.keys.count == names.count - 1)
        let last = names.last!  // the file holds parts in the order they were stored
        #expect(cut[key: ByteString(last)] == nil)
        cut.store(ByteString(last), part(last, 3))
        try cut.save()

        let back = SubmitterParts.load(path, layout: "L")
        #expect(back.records == names.count)
        for name in names where name != last { try expectSame(back[key: ByteString(name)], part(name, 1)) }
        try expectSame(back[key: ByteString(last)], part(last, 3))
    }
}
