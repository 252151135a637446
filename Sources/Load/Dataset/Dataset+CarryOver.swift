import Core
import Foundation
import GRDB
import Transform

/// The cross-year check of the national format (T3-5, soft): what a body carried into this year,
/// per applicant column, is what it said it would carry out of the last one. A body formed in a
/// reorganisation is compared with the sum of its predecessors; where only some of them reported
/// last year, the scope changed and nothing is compared.
extension Dataset {
    static let carriedIn = ".t3.carried_in."
    static let carryOut = ".t3.carry_out."

    /// The findings, by the submitter they are about: of the named submitters, or of all when nil.
    static func carryOverFindings(_ db: GRDB.Database, year: Int, city: CityRules, of names: Set<String>?) throws -> [String: [Finding]] {
        let registry = city.registry
        let now = try cells(db, year: year, part: carriedIn, of: names)
        guard !now.isEmpty else { return [:] }
        var wanted: Set<String>? = nil
        if let names {
            wanted = Set(names.flatMap { [$0] + (registry.resolve($0)?.predecessors ?? []) })
        }
        let before = try cells(db, year: year - 1, part: carryOut, of: wanted)
        guard !before.isEmpty else { return [:] }
        var out: [String: [Finding]] = [:]
        for (name, cells) in now.sorted(by: { $0.key < $1.key }) {
            var sources = [name]
            var note = ""
            if before[name] == nil, let body = registry.resolve(name), !body.predecessors.isEmpty {
                let reported = body.predecessors.filter { before[$0] != nil }
                // Only some predecessors reported last year: the scope changed, nothing to compare.
                guard reported.count == body.predecessors.count else { continue }
                sources = body.predecessors
                note = "其前身\(sources.joined(separator: "、"))"
            }
            guard sources.allSatisfy({ before[$0] != nil }) else { continue }
            for (column, fact) in cells.sorted(by: { $0.key < $1.key }) {
                guard let value = fact.value else { continue }
                let last = sources.compactMap { before[$0]?[column]?.value }
                guard last.count == sources.count else { continue }
                let sum = last.reduce(Decimal(0), +)
                guard sum != value else { continue }
                let cell = fact.code
                out[name, default: []].append(Finding(
                    .carryOverMismatch, submitter: name, file: fact.file, line: fact.line, column: fact.column,
                    message: "\(name)\(year) 年“上年结转政府信息公开申请数量”（\(city.index[code: fact.code]?.column?.label ?? column)）为 \(Amount.text(value))，但\(note.isEmpty ? "其" : note)\(year - 1) 年报送的“结转下年度继续办理”为 \(Amount.text(sum))：请与该单位核实（\(cell)）。",
                    expected: Amount.text(sum), actual: Amount.text(value)))
            }
        }
        return out
    }

    /// T2-1 (soft): 现行有效件数 ≈ last year's + 本年制发 − 本年废止, for 规章 and 行政规范性文件; a
    /// document amended rather than repealed breaks it legitimately, hence a warning.
    static func inForceFindings(_ db: GRDB.Database, year: Int, of names: Set<String>?) throws -> [String: [Finding]] {
        let now = try cells(db, year: year, part: ".t2.", of: names)
        guard !now.isEmpty else { return [:] }
        let before = try cells(db, year: year - 1, part: ".t2.", of: names)
        var out: [String: [Finding]] = [:]
        for (name, cells) in now.sorted(by: { $0.key < $1.key }) {
            for (row, label) in [("regulations", "规章"), ("normative", "行政规范性文件")] {
                guard let fact = cells[row + ".in_force"], let inForce = fact.value,
                      let last = before[name]?[row + ".in_force"]?.value,
                      let issued = cells[row + ".issued"]?.value, let repealed = cells[row + ".repealed"]?.value else { continue }
                let expected = last + issued - repealed
                guard expected != inForce else { continue }
                out[name, default: []].append(Finding(
                    .carryOverMismatch, submitter: name, file: fact.file, line: fact.line, column: fact.column,
                    message: "\(name)的\(label)现行有效件数为 \(Amount.text(inForce))，而上年现行有效 \(Amount.text(last)) + 本年制发 \(Amount.text(issued)) − 本年废止 \(Amount.text(repealed)) = \(Amount.text(expected))：如有修改或清理请在报告中说明，否则请与该单位核实。",
                    expected: Amount.text(expected), actual: Amount.text(inForce)))
            }
        }
        return out
    }

    /// The current facts of one row of table 3, by submitter and column code, whatever the form's prefix.
    private static func cells(_ db: GRDB.Database, year: Int, part: String, of names: Set<String>?) throws -> [String: [String: CurrentFact]] {
        var out: [String: [String: CurrentFact]] = [:]
        let sql = """
            SELECT \(CurrentFact.columns) FROM fact f JOIN submission s ON s.id = f.submission
            WHERE s.year = ? AND s.supersededBy IS NULL AND f.code LIKE ?
            """
        func collect(_ rows: RowCursor) throws {
            while let row = try rows.next() {
                let fact = CurrentFact(row: row)
                guard let range = fact.code.range(of: part) else { continue }
                out[fact.submitter, default: [:]][String(fact.code[range.upperBound...])] = fact
            }
        }
        if let names {
            let statement = try db.cachedStatement(sql: sql + " AND s.submitter = ?")
            for name in names.sorted() { try collect(try Row.fetchCursor(statement, arguments: [year, "%" + part + "%", name])) }
        } else {
            try collect(try Row.fetchCursor(db, sql: sql, arguments: [year, "%" + part + "%"]))
        }
        return out
    }
}
