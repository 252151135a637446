import Foundation
import TestSupport
import Testing
@testable import Core
@testable import Report
@testable import Store

/// The stored parts of the outputs: rows written as rendered, a first run's rows moved into
/// place as the export, and a rerun's reused rows read back from the export the parts were
/// recorded against, never from anywhere else.
@Suite(.serialized)
struct SubmitterPartsTests {
    let root = Scratch.directory.path + "/parts-\(UUID().uuidString)"
    var path: String { root + "/state/2022.parts" }
    var export: String { root + "/out/by_submitter.csv" }
    var findingsExport: String { root + "/out/findings.csv" }
    let header = Array("submitter,code,label,column,unit,value,derived,file,line,file_column\r\n".utf8)
    private let names = ["城区", "矿区", "郊区", "平定县", "盂县"]

    /// A part as the report renders it: rows of a few kilobytes, findings in one severity.
    private func part(_ name: String, _ version: Int) -> SubmitterParts.Part {
        let rows = (0..<200).map { "\(name),n.\($0),第\($0)行,,,\(version * 1000 + $0),,\(name).pdf,\($0),\r\n" }.joined()
        return SubmitterParts.Part(source: "\(name)-v\(version)|", hasFeedback: version % 2 == 1, csv: .bytes(ArraySlice(Array(rows.utf8))),
                                   findings: [.bytes([]), .bytes(ArraySlice(Array("警告,\(name),v\(version)\r\n".utf8))),
                                              .bytes(ArraySlice(Array("提示,\(name),v\(version),其一\r\n提示,\(name),其二\r\n".utf8)))],
                                   html: ArraySlice(Array("<tr><td>\(name)</td></tr>".utf8)))
    }

    private func load(layout: String = "L") -> SubmitterParts {
        SubmitterParts.load(path, layout: layout, export: export, findingsExport: findingsExport, header: header)
    }

    private func rows(_ part: SubmitterParts.Part?) throws -> String? {
        guard let part else { return nil }
        return String(decoding: try ByteChunks(part.csv).joined(), as: UTF8.self)
    }

    private func expectSame(_ got: SubmitterParts.Part?, _ want: SubmitterParts.Part) throws {
        #expect(got?.source == want.source)
        #expect(got?.hasFeedback == want.hasFeedback)
        #expect(try got?.findings.map { try ByteChunks($0).joined() } == (try want.findings.map { try ByteChunks($0).joined() }))
        #expect(got.map { Array($0.html) } == Array(want.html))
        #expect(try rows(got) == (try rows(want)))
    }

    /// Writes the export as the report does (moved into place when it is the rows file whole,
    /// written otherwise) and records the parts against it; returns whether it was moved.
    @discardableResult
    private func publish(_ parts: inout SubmitterParts, order: [String]) throws -> Bool {
        try parts.flush()
        var chunks = ByteChunks(parts.headerPiece)
        var offsets: [Int] = []
        for name in order {
            offsets.append(chunks.count)
            chunks.append(parts[key: ByteString(name)]!.csv)
        }
        // Findings by severity, then by name (as the report lays them out).
        var findings = ByteChunks(Array("severity,submitter\r\n".utf8))
        var findingOffsets = [[Int]](repeating: [], count: order.count)
        for k in 0..<3 {
            for (i, name) in order.enumerated() {
                findingOffsets[i].append(findings.count)
                findings.append(parts[key: ByteString(name)]!.findings[k])
            }
        }
        try FileIO.makeDirectories(root + "/out")
        let moved = parts.isRowsFile(chunks)
        if moved { try FileIO.rename(parts.rowsPath, to: export) } else { try FileIO.write(chunks, to: export) }
        try FileIO.write(findings, to: findingsExport)
        try FileIO.write(parts.saved(export: FileIO.status(export)!, findingsExport: FileIO.status(findingsExport)!,
                                     order: order.map(ByteString.init), offsets: offsets, findingOffsets: findingOffsets), to: path)
        #expect(FileIO.status(parts.rowsPath) == nil, "no rows file left behind")
        return moved
    }

    private var ordered: [String] { names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) } }

    @Test func aFirstRunsRowsAreMovedIntoPlaceAndReadBackFromTheExport() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        var parts = load()
        #expect(!parts.isStored, "no file: every part is rendered")
        for name in ordered { parts.store(ByteString(name), part(name, 1)) }
        // Once stored, a part's rows are a span of the rows file, not memory.
        for name in names {
            guard case .span = parts[key: ByteString(name)]!.csv else { Issue.record("\(name)'s rows still in memory"); continue }
        }
        try parts.flush()
        for name in names { try expectSame(parts[key: ByteString(name)], part(name, 1)) }
        #expect(try publish(&parts, order: ordered), "rows rendered in order are the export whole")
        let export = try String(decoding: FileIO.read(self.export), as: UTF8.self)
        #expect(export == String(decoding: header, as: UTF8.self) + ordered.map { try! rows(part($0, 1))! }.joined())

        let back = load()
        #expect(back.isStored)
        #expect(Set(back.keys.map(\.text)) == Set(names))
        for name in names { try expectSame(back[key: ByteString(name)], part(name, 1)) }
        // Rows a run cut short left behind are removed by the next run's load.
        try FileIO.write(Array(repeating: 0x41, count: 100), to: back.rowsPath)
        _ = load()
        #expect(FileIO.status(back.rowsPath) == nil)
        // Another layout (another configuration or format): nothing is reused.
        #expect(load(layout: "M").keys.isEmpty)
    }

    @Test func aRerunCopiesTheRowsItReusesFromTheExportAndRecordsTheNewOne() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        var first = load()
        for name in ordered { first.store(ByteString(name), part(name, 1)) }
        try publish(&first, order: ordered)

        // One county resubmits (rows of another length), one body leaves.
        var rerun = load()
        rerun.store(ByteString("矿区"), part("矿区", 12))
        rerun.remove(ByteString("盂县"))
        let order = ordered.filter { $0 != "盂县" }
        #expect(!(try publish(&rerun, order: order)), "reused rows and new ones: written, not moved")
        let back = load()
        #expect(back.isStored)
        #expect(back[key: ByteString("盂县")] == nil)
        try expectSame(back[key: ByteString("矿区")], part("矿区", 12))
        for name in order where name != "矿区" { try expectSame(back[key: ByteString(name)], part(name, 1)) }
    }

    @Test func anExportChangedSinceItWasRecordedLeavesNoPartToReuse() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        var first = load()
        for name in ordered { first.store(ByteString(name), part(name, 1)) }
        try publish(&first, order: ordered)
        #expect(load().isStored)

        // Opened in a spreadsheet and saved: another inode, size and time.
        let bytes = try FileIO.read(export)
        try FileIO.write(Array(bytes.dropLast(2)), to: export)
        #expect(!load().isStored)
        #expect(load().keys.isEmpty)

        // The same for findings.csv, by_submitter.csv as it was recorded.
        var again = load()
        for name in ordered { again.store(ByteString(name), part(name, 2)) }
        try publish(&again, order: ordered)
        #expect(load().isStored)
        let findings = try FileIO.read(findingsExport)
        try FileIO.write(findings + [0x0A], to: findingsExport)
        #expect(!load().isStored)
    }

    @Test func aDamagedPartsFileLeavesNoPartToReuse() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        var first = load()
        for name in ordered { first.store(ByteString(name), part(name, 1)) }
        try publish(&first, order: ordered)
        let size = FileIO.status(path)!.size
        #expect(truncate(path, off_t(size - 10)) == 0)
        #expect(!load().isStored)
    }
}
