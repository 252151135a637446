import Core
import Foundation
import GRDB
import Transform

// Every row the dataset's queries read is decoded here, one record type a shape: a query names
// the type's columns and fetches the type; nothing else reads a row by position.

extension CurrentFact: FetchableRecord {
    /// The columns every fact query selects, in the order `init(row:)` reads them.
    static let columns = "s.submitter, f.code, f.value, f.derived, f.file, f.line, f.raw, f.via, f.col"

    /// A row of `columns`, by position (a cursor's reused rows: the province's facts in milliseconds).
    public init(row: Row) {
        self.init(submitter: row[0], code: row[1], value: (row[2] as String?).flatMap(Amount.decimal),
                  derived: row[3], file: row[4], line: row[5], raw: row[6], via: row[7], column: row[8])
    }
}

/// A row of the `finding` table; nil `finding` for a rule this build does not know (a newer dataset's).
struct StoredFinding: FetchableRecord {
    static let columns = "rule, severity, submitter, file, line, col, message, expected, actual"
    private static let rules = Dictionary(uniqueKeysWithValues: Rule.allCases.map { ($0.rawValue, $0) })

    var finding: Finding?

    init(row: Row) {
        guard let rule = Self.rules[row["rule"] as String], let severity = Severity(rawValue: row["severity"]) else {
            finding = nil
            return
        }
        finding = Finding(rule, severity: severity, submitter: row["submitter"], file: row["file"], line: row["line"],
                          column: row["col"], message: row["message"], expected: row["expected"], actual: row["actual"])
    }
}

extension SubmissionVersion: FetchableRecord {
    /// A row of `submission` (`SELECT *`); its files are the JSON the load stored.
    public init(row: Row) {
        let files = (try? JSONDecoder().decode([FileState].self, from: Data((row["files"] as String).utf8))) ?? []
        self.init(id: row["id"], submitter: row["submitter"], contentHash: row["contentHash"], received: row["received"],
                  files: files, current: (row["supersededBy"] as Int64?) == nil)
    }
}

/// A row of the city's running totals (`total`).
struct StoredTotal: FetchableRecord {
    static let columns = "code, value, numbers"
    var code: String
    var value: String
    /// How many submitters reported it as a number.
    var numbers: Int

    init(row: Row) {
        code = row["code"]
        value = row["value"]
        numbers = row["numbers"]
    }
}

/// A submitter's report text, as the current version holds it (`SELECT submitter, narrative`).
struct StoredNarrative: FetchableRecord {
    static let columns = "submitter, narrative"
    var submitter: String
    var narrative: String?

    init(row: Row) {
        submitter = row[0]
        narrative = row[1]
    }
}

/// A current submission: its row id and submitter (`SELECT id, submitter`).
struct CurrentSubmission: FetchableRecord {
    static let columns = "id, submitter"
    var id: Int64
    var submitter: String

    init(row: Row) {
        id = row[0]
        submitter = row[1]
    }
}

/// A fact's code and stored value, as the running totals add them (`SELECT f.code, f.value`).
struct FactValue: FetchableRecord {
    static let columns = "f.code, f.value"
    var code: String
    var value: String?

    init(row: Row) {
        code = row[0]
        value = row[1]
    }
}

/// A submitter's current version: its content hash and result digest.
struct VersionDigest: FetchableRecord {
    static let columns = "submitter, contentHash, resultHash"
    var submitter: String
    var contentHash: String
    var resultHash: String

    init(row: Row) {
        submitter = row[0]
        contentHash = row[1]
        resultHash = row[2]
    }
}
