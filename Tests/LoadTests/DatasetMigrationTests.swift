@testable import Core
import Foundation
import GRDB
import TestSupport
import Testing
@testable import Load

/// A dataset written by an earlier release is brought up to date in place.
struct DatasetMigrationTests {
    let path = Scratch.directory.appendingPathComponent("dataset-\(UUID().uuidString).sqlite").path

    @Test func anOlderDatasetGetsItsClockAndItsUsableFlags() throws {
        do {
            let old = try DatabaseQueue(path: path)
            try SQLiteEngine.migrator.migrate(old, upTo: "v4")
            try old.write { db in
                for (name, status) in [("城区", "current"), ("矿区", "quarantined")] {
                    try db.execute(sql: "INSERT INTO submission(year, submitter, contentHash, resultHash, files, received) VALUES (2016, ?, 'c', 'r', ?, '2017-01-05T00:00:00Z')",
                                   arguments: [name, "[{\"path\":\"inbox/2016/\(name)/表.csv\",\"status\":\"\(status)\"}]"])
                }
            }
        }
        let dataset = try Dataset(path: path)
        let (live, key) = try dataset.engine.read { db in
            (try Dataset.submittersWithCurrentData(db, year: 2016), try Dataset.versionKey(db, year: 2016))
        }
        #expect(live == [ByteString("城区")])
        #expect(key.contains(":2016="))

        // Any change to a submission moves the year's key; reading does not.
        #expect(try dataset.engine.read { db in try Dataset.versionKey(db, year: 2016) } == key)
        try dataset.engine.write { db in try db.execute("UPDATE submission SET supersededBy = id WHERE submitter = '矿区'") }
        #expect(try dataset.engine.read { db in try Dataset.versionKey(db, year: 2016) } != key)
    }

    @Test func anOlderDatasetsFactsMoveIntoTheKeyOrderedTableWhole() throws {
        do {
            let old = try DatabaseQueue(path: path)
            try SQLiteEngine.migrator.migrate(old, upTo: "v10")
            try old.write { db in
                try db.execute(sql: "INSERT INTO submission(id, year, submitter, contentHash, resultHash, files, received) VALUES (7, 2022, '盂县', 'c', 'r', '[]', '')")
                try db.execute(sql: """
                    INSERT INTO fact(submission, code, value, derived, file, line, raw, via, unit, col) VALUES
                        (7, 'v2021.t3.new.total', '12', 0, 'inbox/2022/盂县/统计表.csv', 22, '12', 'normalized', '件', 10),
                        (7, 'v2021.t3.new.natural', NULL, 0, 'inbox/2022/盂县/统计表.csv', 22, '', 'normalized', '件', 4)
                    """)
            }
        }
        let dataset = try Dataset(path: path)
        let (schema, rows) = try dataset.engine.read { db in
            (try db.one("SELECT sql FROM sqlite_master WHERE name = 'fact'", []) { $0.string(0) } ?? nil,
             try db.all("SELECT code, value, raw, col FROM fact WHERE submission = 7 ORDER BY code", []) { [$0.string(0), $0.string(1), $0.string(2), $0.integer(3).map(String.init)] })
        }
        #expect(schema?.contains("WITHOUT ROWID") == true)
        #expect(rows == [["v2021.t3.new.natural", nil, "", "4"], ["v2021.t3.new.total", "12", "12", "10"]])
        // The submission's facts still go with it.
        try dataset.engine.write { db in try db.execute("DELETE FROM submission WHERE id = 7") }
        #expect(try dataset.engine.read { db in try db.one("SELECT count(*) FROM fact", []) { $0.integer(0) } } == 0)
    }

    @Test func aRecreatedDatasetNeverRepeatsAKey() throws {
        let first = try Dataset(path: path)
        let key = try first.engine.read { db in try Dataset.versionKey(db, year: 2016) }
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        let second = try Dataset(path: path)
        #expect(try second.engine.read { db in try Dataset.versionKey(db, year: 2016) } != key)
    }
}
