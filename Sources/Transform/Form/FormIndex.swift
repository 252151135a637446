
/// Fast look-ups over a form: by code, by label key, ancestors and sections.
public struct FormIndex: Sendable {
    public let form: Form
    public let indicators: [Form.Indicator]
    /// The form's identities, the per-column ones written out cell by cell.
    public let identities: [Form.Identity]
    private let byCode: [String: Int]
    private let byKey: [String: [Int]]
    private let bySeq: [String: Int]
    /// For a matrix form: each table's data rows by the keys of their labels, and each row's
    /// ancestors' keys (built once: every cell of every file is resolved through them).
    let rowsByKey: [String: [String: [Form.Indicator]]]
    let ancestorKeys: [String: Set<String>]
    /// Each matrix column's label key and the keys of its groups, by label and group text.
    let columnKeys: [String: String]
    /// The rows of matrix tables (which expand into one indicator a cell), by code.
    private let rows: [String: Form.Indicator]

    public init(_ form: Form) {
        self.form = form
        indicators = form.indicators
        identities = form.expandedIdentities
        var byCode: [String: Int] = [:], byKey: [String: [Int]] = [:], bySeq: [String: Int] = [:]
        for (k, ind) in indicators.enumerated() {
            byCode[ind.code] = k
            if let seq = ind.seq { bySeq[seq] = k }
            var keys = Set([LabelKey.make(ind.label)])
            if let printed = ind.printed { keys.insert(LabelKey.make(printed)) }
            for a in ind.aliases ?? [] { keys.insert(LabelKey.make(a)) }
            for key in keys where !key.isEmpty { byKey[key, default: []].append(k) }
        }
        self.byCode = byCode
        self.byKey = byKey
        self.bySeq = bySeq
        var rowsByKey: [String: [String: [Form.Indicator]]] = [:]
        var ancestorKeys: [String: Set<String>] = [:]
        var columnKeys: [String: String] = [:]
        if form.isNational {
            for c in form.tables.flatMap({ ($0.columns ?? []) + $0.rows.flatMap { $0.columns ?? [] } }) {
                for text in [c.label] + (c.group?.split(separator: "/").map(String.init) ?? []) { columnKeys[text] = MatrixKey.make(text) }
            }
            for table in form.tables {
                func keys(_ row: Form.Indicator) -> Set<String> {
                    Set(([row.label, row.printed].compactMap { $0 } + (row.aliases ?? [])).map(MatrixKey.make))
                }
                for row in table.rows where !row.isHeading {
                    for key in keys(row) { rowsByKey[table.id, default: [:]][key, default: []].append(row) }
                    var up = Set<String>(), parent = row.parent
                    while let p = parent, let heading = table.rows.first(where: { $0.code == p }) {
                        up.formUnion(keys(heading))
                        parent = heading.parent
                    }
                    ancestorKeys[row.code] = up
                }
            }
        }
        self.rowsByKey = rowsByKey
        self.ancestorKeys = ancestorKeys
        self.columnKeys = columnKeys
        var rows: [String: Form.Indicator] = [:]
        for ind in indicators { if let row = ind.rowCode, rows[row] == nil { rows[row] = form.tables.flatMap(\.rows).first { $0.code == row } } }
        self.rows = rows
    }

    public subscript(code code: String) -> Form.Indicator? { byCode[code].map { indicators[$0] } }

    public func position(of code: String) -> Int { byCode[code] ?? Int.max }

    /// The row of a matrix cell (its label without the column), when the code is a cell's.
    public func row(of code: String) -> Form.Indicator? { self[code: code]?.rowCode.flatMap { rows[$0] } }

    func candidates(key: String) -> [Form.Indicator] { (byKey[key] ?? []).map { indicators[$0] } }

    func indicator(seq: String) -> Form.Indicator? { bySeq[seq].map { indicators[$0] } }

    /// The chain of parents, nearest first.
    public func ancestors(of code: String) -> [String] {
        var out: [String] = []
        var current = self[code: code]?.parent
        while let c = current, !out.contains(c) {
            out.append(c)
            current = self[code: c]?.parent
        }
        return out
    }

    /// The top-level row an indicator belongs to.
    public func section(of code: String) -> String { ancestors(of: code).last ?? code }

    /// Every label key, for suggestions.
    var keys: [(key: String, code: String)] {
        byKey.flatMap { key, idx in idx.map { (key, indicators[$0].code) } }.sorted { ($0.key, $0.code) < ($1.key, $1.code) }
    }
}
