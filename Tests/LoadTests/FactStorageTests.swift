@testable import Core
import Foundation
import TestSupport
import Testing
@testable import Load
@testable import Transform

/// A fact's texts reach the embedded dataset byte for byte: a blank stays NULL, an empty text
/// stays empty, whatever the length or the script.
struct FactStorageTests {
    let path = Scratch.directory.appendingPathComponent("facts-\(UUID().uuidString).sqlite").path

    @Test func aFactsTextsAreStoredAsGivenWithABlankApartFromAnEmptyText() throws {
        let dataset = try Dataset(path: path)
        let long = String(repeating: "一、本年新收政府信息公开申请数量", count: 40)
        let facts = [
            Fact(code: "v2021.t3.new.natural", value: nil, unit: nil, derived: false, file: "inbox/2022/盂县/统计表.csv", line: 22, column: 4,
                 raw: "", via: "normalized"),
            Fact(code: "v2021.t3.new.total", value: 12, unit: "件", derived: true, file: long, line: nil, raw: "１２", via: "sum"),
        ] + (0..<130).map { Fact(code: "c\($0)", value: Decimal($0), unit: "件", derived: false, file: "f", line: $0, raw: "\($0)", via: "exact") }
        try dataset.engine.write { db in
            let id = try db.insert("INSERT INTO submission(year, submitter, contentHash, resultHash, files, received) VALUES (2022, '盂县', 'c', 'r', '[]', '')", [])
            try db.insertFacts(submission: id, facts)
        }
        let rows = try dataset.engine.read { db in
            try db.all("SELECT code, value, unit, derived, file, line, col, raw, via FROM fact", []) { row in
                [row.string(0), row.string(1), row.string(2), row.integer(3).map(String.init), row.string(4),
                 row.integer(5).map(String.init), row.integer(6).map(String.init), row.string(7), row.string(8)]
            }
        }
        let byCode = Dictionary(uniqueKeysWithValues: rows.map { ($0[0] ?? "", $0) })
        #expect(rows.count == 132)
        #expect(byCode["v2021.t3.new.natural"] == ["v2021.t3.new.natural", nil, nil, "0", "inbox/2022/盂县/统计表.csv", "22", "4", "", "normalized"])
        #expect(byCode["v2021.t3.new.total"] == ["v2021.t3.new.total", "12", "件", "1", long, nil, nil, "１２", "sum"])
        #expect(byCode["c129"] == ["c129", "129", "件", "0", "f", "129", nil, "129", "exact"])
    }
}
