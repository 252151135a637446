import Core
import Foundation
import Transform

// Every row the dataset's queries read is decoded here, one record type a shape: a query names
// the type's columns and reads the type; nothing else reads a row by position.

extension CurrentFact {
    /// The columns every fact query selects, in the order `init(_:)` reads them.
    static let columns = "s.submitter, f.code, f.value, f.derived, f.file, f.line, f.raw, f.via, f.col"

    /// A row of `columns`, by position (a cursor's reused rows: the province's facts in milliseconds).
    /// - Parameter previous: a row before it of the same query, whose submitter's name and file's
    ///   path are shared where they are the same text (a body's facts name them a few hundred times).
    init(_ row: any SQLRow, after previous: CurrentFact? = nil) {
        self.init(submitter: previous.flatMap { row.holds(0, $0.submitter) ? $0.submitter : nil } ?? row.text(0), code: row.text(1),
                  value: row.string(2).flatMap(Amount.decimal), derived: row.boolean(3),
                  file: previous.flatMap { row.holds(4, $0.file) ? $0.file : nil } ?? row.text(4), line: row.int(5), raw: row.text(6),
                  via: row.text(7), column: row.int(8))
    }
}

/// A row of the `finding` table; nil `finding` for a rule this build does not know (a newer dataset's).
struct StoredFinding {
    static let columns = "rule, severity, submitter, file, line, col, message, expected, actual"
    private static let rules = Dictionary(uniqueKeysWithValues: Rule.allCases.map { ($0.rawValue, $0) })

    var finding: Finding?

    init(_ row: any SQLRow) {
        guard let rule = Self.rules[row.text(0)], let severity = Severity(rawValue: row.text(1)) else {
            finding = nil
            return
        }
        finding = Finding(rule, severity: severity, submitter: row.text(2), file: row.text(3), line: row.int(4),
                          column: row.int(5), message: row.text(6), expected: row.text(7), actual: row.text(8))
    }
}

extension SubmissionVersion {
    static let columns = "id, submitter, contentHash, received, files, supersededBy"

    /// A row of `columns`; its files are the JSON the load stored.
    init(_ row: any SQLRow) {
        let files = (try? JSONDecoder().decode([FileState].self, from: Data(row.text(4).utf8))) ?? []
        self.init(id: row.integer(0) ?? 0, submitter: row.text(1), contentHash: row.text(2), received: row.text(3),
                  files: files, current: row.integer(5) == nil)
    }
}

/// A row of the city's running totals (`total`).
struct StoredTotal {
    static let columns = "code, value, numbers"
    var code: String
    var value: String
    /// How many submitters reported it as a number.
    var numbers: Int

    init(_ row: any SQLRow) {
        code = row.text(0)
        value = row.text(1)
        numbers = row.int(2) ?? 0
    }
}

/// A submitter's report text, as the current version holds it (`SELECT submitter, narrative`).
struct StoredNarrative {
    static let columns = "submitter, narrative"
    var submitter: String
    var narrative: String?

    init(_ row: any SQLRow) {
        submitter = row.text(0)
        narrative = row.string(1)
    }
}

/// A current submission: its row id and submitter (`SELECT id, submitter`).
struct CurrentSubmission {
    static let columns = "id, submitter"
    var id: Int64
    var submitter: String

    init(_ row: any SQLRow) {
        id = row.integer(0) ?? 0
        submitter = row.text(1)
    }
}

/// A fact's code and stored value, as the running totals add them (`SELECT f.code, f.value`).
struct FactValue {
    static let columns = "f.code, f.value"
    var code: String
    var value: String?

    init(_ row: any SQLRow) {
        code = row.text(0)
        value = row.string(1)
    }
}

/// A submitter's current version: its content hash and result digest.
struct VersionDigest {
    static let columns = "submitter, contentHash, resultHash"
    var submitter: String
    var contentHash: String
    var resultHash: String

    init(_ row: any SQLRow) {
        submitter = row.text(0)
        contentHash = row.text(1)
        resultHash = row.text(2)
    }
}
