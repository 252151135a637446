import Core
import Extract

/// Maps a cell of a national-format table onto the form: its row by the row label (a path of up
/// to three levels, or the leaf only), its column by the header path, each by its normalized key
/// and, where a leaf is not unique (table 4's 结果维持, 其他), by the path above it. A label no tier
/// resolves, or a leaf the path leaves ambiguous, is a finding with the candidates, never a guess.
struct MatrixResolver {
    let index: FormIndex
    let aliases: AliasTable
    let submitter: String
    /// What earlier files resolved the same way, shared by every file of the run.
    let memo: MatrixMemo?

    /// Label paths already split into keys: a row's label repeats for each of its columns.
    private var known: [String: [String]] = [:]
    /// The heading of the last row resolved in each table (where a row given by its leaf alone sits).
    private var lastParent: [String: String] = [:]

    init(index: FormIndex, aliases: AliasTable, submitter: String, memo: MatrixMemo? = nil) {
        self.index = index
        self.aliases = aliases
        self.submitter = submitter
        self.memo = memo
        self.seen = memo?.snapshot ?? [:]
    }

    /// The memo as this file's resolver last saw it, and what it added since: looked up first.
    private var seen: [ByteString: MatrixMemo.Entry]

    /// A whole column label's key (a header that holds a slash, 本年增/减, is matched whole first).
    private var columnKeys: [String: String] = [:]

    private mutating func columnKey(_ label: String) -> String {
        if let hit = columnKeys[label] { return hit }
        let key = Self.key(label)
        columnKeys[label] = key
        return key
    }

    private mutating func keys(_ path: String) -> [String] {
        if let hit = known[path] { return hit }
        let keys = Self.segments(path)
        known[path] = keys
        return keys
    }

    mutating func resolve(_ value: StagedValue) -> LabelResolver.Outcome {
        // The same table, row label and column label always resolve alike by their keys: a
        // province's bodies print the same labels, so each is worked out once a run.
        let memoKey = memo.map { _ in MatrixMemo.key(value) }
        if let memo, let memoKey {
            // Another file's resolver may have added the cell since this one's snapshot.
            var hit = seen[memoKey]
            if hit == nil, let shared = memo[memoKey] {
                seen[memoKey] = shared
                hit = shared
            }
            if let hit {
                if let table = hit.cell.table, let parent = hit.parent { lastParent[table] = parent }
                return .resolved(hit.cell, .normalized)
            }
        }
        let outcome = resolveByKeys(value)
        if let memo, let memoKey, case .resolved(let cell, .normalized) = outcome, !usedAlias {
            let entry = MatrixMemo.Entry(cell: cell, parent: index.row(of: cell.code)?.parent)
            memo[memoKey] = entry
            seen[memoKey] = entry
        }
        return outcome
    }

    /// Set when the last resolution went through a reviewed alias (the submitter's own: never shared).
    private var usedAlias = false

    private mutating func resolveByKeys(_ value: StagedValue) -> LabelResolver.Outcome {
        usedAlias = false
        let tables = value.table.flatMap { id in index.form.tables.first { $0.id == id }.map { [$0] } } ?? index.form.tables
        let segments = keys(value.label)
        var rows: [(table: Form.Table, row: Form.Indicator)] = []
        for table in tables {
            let candidates = table.rows.filter { !$0.isHeading }
            if segments.isEmpty, candidates.count == 1 {
                rows.append((table, candidates[0]))
                continue
            }
            guard let leaf = segments.last else { continue }
            for row in index.rowsByKey[table.id]?[leaf] ?? [] { rows.append((table, row)) }
            if rows.isEmpty, let code = aliases.lookup(key: leaf, submitter: submitter),
               let row = candidates.first(where: { $0.code == code || code.hasPrefix($0.code + ".") }) {
                rows.append((table, row))
                usedAlias = true
            }
        }
        var tier = LabelResolver.Tier.normalized
        if rows.isEmpty, let (table, row) = byStructure(value.label, segments: segments, in: tables) {
            rows.append((table, row))
            tier = .structure
        }
        if rows.count > 1 {
            // The path above the leaf decides: each of its levels names an ancestor of the row.
            let above = Set(segments.dropLast())
            let within = rows.filter { entry in
                !above.isEmpty && above.isSubset(of: index.ancestorKeys[entry.row.code] ?? [])
            }
            if !within.isEmpty { rows = within }
        }
        guard !rows.isEmpty else { return .unknown(suggestions: suggestions(segments.last ?? "", in: tables)) }
        // Several rows still: the column may tell them apart (table 2's rows of one label, 政府集中采购).
        var cells: [Form.Indicator] = []
        for (table, row) in rows {
            let columns = row.columns ?? table.columns ?? []
            // A header that itself holds a slash (本年增/减) is matched whole before it is read as a path.
            let whole = columnKey(value.columnLabel ?? "")
            let exact = columns.filter { (index.columnKeys[$0.label] ?? Self.key($0.label)) == whole }
            for c in exact.count == 1 ? exact : column(keys(value.columnLabel ?? ""), among: columns) {
                if let cell = index[code: row.code + "." + c.code] { cells.append(cell) }
            }
        }
        if cells.count == 1 {
            if let table = rows.first?.table.id, let parent = rows.first?.row.parent { lastParent[table] = parent }
            return .resolved(cells[0], tier)
        }
        if cells.isEmpty {
            let columns = rows.flatMap { $0.row.columns ?? $0.table.columns ?? [] }
            return .unknown(suggestions: columns.prefix(3).compactMap { c in index[code: rows[0].row.code + "." + c.code] })
        }
        return .ambiguous(cells)
    }

    /// A row whose words differ from the form's by a few characters ("2.其他法律行政止公开"): the
    /// one row with its number under its heading (the path's level above, else the heading of the
    /// row before it), if its words are still mostly the form's. Never a guess between two.
    private func byStructure(_ label: String, segments: [String], in tables: [Form.Table]) -> (Form.Table, Form.Indicator)? {
        guard let rawLeaf = label.split(separator: "/").last.map(String.init), let number = RowNumber.parse(rawLeaf),
              let leaf = segments.last else { return nil }
        var found: [(Form.Table, Form.Indicator)] = []
        for table in tables {
            var rows = table.rows.filter { !$0.isHeading && $0.legacy == nil && RowNumber.parse($0.row ?? "") == number }
            if segments.count > 1 {
                let above = segments[segments.count - 2]
                rows = rows.filter { row in
                    table.rows.first { $0.code == row.parent }.map { p in
                        ([p.label, p.printed].compactMap { $0 } + (p.aliases ?? [])).map(MatrixKey.make).contains(above)
                    } ?? false
                }
            } else if rows.count > 1, let parent = lastParent[table.id] {
                rows = rows.filter { $0.parent == parent }
            }
            found += rows.map { (table, $0) }
        }
        guard found.count == 1, LabelKey.similarity(leaf, Self.key(found[0].1.label)) >= 0.5 else { return nil }
        return found[0]
    }

    /// The columns a header path (as keys) names: by its leaf, then by the groups above it.
    private func column(_ segments: [String], among columns: [Form.Column]) -> [Form.Column] {
        guard let leaf = segments.last else { return columns.count == 1 ? columns : [] }
        var hits = columns.filter { (index.columnKeys[$0.label] ?? Self.key($0.label)) == leaf }
        let above = Set(segments.dropLast())
        if hits.count > 1 && !above.isEmpty {
            hits = hits.filter { c in
                above.isSubset(of: Set((c.group?.split(separator: "/") ?? []).map { index.columnKeys[String($0)] ?? Self.key(String($0)) }))
            }
        }
        return hits
    }

    static func key(_ raw: String) -> String { MatrixKey.make(raw) }

    /// A label path's levels as keys: "三、本年度办理结果/（三）不予公开/1.属于国家秘密".
    static func segments(_ path: String) -> [String] {
        path.split(separator: "/").map { key(String($0)) }.filter { !$0.isEmpty && $0 != "申请人情况" }
    }

    private func suggestions(_ key: String, in tables: [Form.Table]) -> [Form.Indicator] {
        let rows = tables.flatMap(\.rows).filter { !$0.isHeading }
        return rows.map { (LabelKey.similarity(key, Self.key($0.label)), $0) }
            .filter { $0.0 >= 0.3 }.sorted { $0.0 > $1.0 }.prefix(3).map(\.1)
    }
}
