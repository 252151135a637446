@testable import Core
import Foundation
import GRDB
import Testing
@testable import Load

/// A dataset written by an earlier release is brought up to date in place.
struct DatasetMigrationTests {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("dataset-\(UUID().uuidString).sqlite").path

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

    @Test func aRecreatedDatasetNeverRepeatsAKey() throws {
        let first = try Dataset(path: path)
        let key = try first.engine.read { db in try Dataset.versionKey(db, year: 2016) }
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        let second = try Dataset(path: path)
        #expect(try second.engine.read { db in try Dataset.versionKey(db, year: 2016) } != key)
    }
}
