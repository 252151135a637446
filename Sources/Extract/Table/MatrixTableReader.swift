import Core

/// Reads the national-format statistics template exported from Excel (family A'): tables 2, 3
/// and 4, one under another or one a file, found by their headers (信息内容, 申请人情况, 行政复议).
/// Merged header cells arrive empty: a header is carried right within the span of the one above
/// it, so each value column gets its path ("法人或其他组织/商业企业"). Row labels over up to three
/// columns are carried down (their upper levels are written on the first row only). Every cell is
/// staged exactly as written, blank ones too, with its line, column and header path.
struct MatrixTableReader {
    /// True when the rows hold a national-format table.
    static func detect(_ rows: [CSVScanner.Record]) -> Bool {
        rows.prefix(400).contains { row in
            row.fields.contains { let c = TextFold.compact($0); return c == "申请人情况" || c == "信息内容" || c == "结果维持" }
        }
    }

    /// The report's part titles: a row holding one of these alone ends the table above it.
    static let titles = ["主动公开政府信息情况", "收到和处理政府信息公开申请情况", "行政复议、行政诉讼情况", "总体情况",
                         "存在的主要问题", "其他需要报告的事项"]
    private static let titleBytes = titles.map { Array($0.utf8) }

    /// True when `text` holds one of the part titles.
    static func isTitle(_ text: String) -> Bool { titleBytes.contains { CellText.contains(text, $0) } }

    /// True when a cell is `word`, a header of ideographs. Text equal to it by Unicode's rules is
    /// never shorter in UTF-8 (its only other spellings are compatibility ideographs, of three or
    /// four bytes each), so every figure's cell is passed by its length before the comparison,
    /// which on Chinese text costs some three hundred instructions.
    private static func isHeader(_ cell: String, _ word: String) -> Bool {
        cell.utf8.count >= word.utf8.count && cell == word
    }

    struct Layout {
        var table: String
        /// The first value column; the ones before hold the row labels.
        var start: Int
        /// Each value column's header path.
        var columns: [Int: String]
    }

    static func read(rows: [CSVScanner.Record], into staged: inout StagedFile) {
        staged.family = .table
        var layout: Layout?
        var levels: [String] = []
        var context: String?
        var k = 0
        while k < rows.count {
            let row = rows[k]
            let cells = row.fields.map(TextFold.trimmed)
            let compact = cells.map(TextFold.compact)
            k += 1
            if row.isBlank { continue }
            if let declared = TableReader.declaredSubmitter(cells) {
                staged.declaredSubmitter = declared
                continue
            }
            let texts = cells.enumerated().filter { !$0.element.isEmpty }
            // A header starts a table.
            if let at = compact.firstIndex(where: { Self.isHeader($0, "信息内容") }) {
                var columns: [Int: String] = [:]
                for (j, c) in cells.enumerated() where j > at && !c.isEmpty { columns[j] = c }
                layout = Layout(table: "t2", start: at + 1, columns: columns)
                levels = []
                continue
            }
            if let at = compact.firstIndex(where: { Self.isHeader($0, "申请人情况") || Self.isHeader($0, "行政复议") }) {
                let table = Self.isHeader(compact[at], "申请人情况") ? "t3" : "t4"
                var header = [cells]
                // The header rows: those below with no number in the value columns and no row label.
                while k < rows.count {
                    let next = rows[k].fields.map(TextFold.trimmed)
                    let labels = next.prefix(at).filter { !$0.isEmpty && !CellText.mentions($0, "勾稽关系") }
                    // A row of figures is data, a row of "—" (nothing to report) too; a note is no header.
                    let figures = next.dropFirst(at).contains { CellText.isFigure($0) }
                    if rows[k].isBlank || !labels.isEmpty || figures || next.first(where: { !$0.isEmpty }).map(CellText.isNote) == true { break }
                    header.append(next)
                    k += 1
                }
                layout = Layout(table: table, start: at, columns: paths(header, from: at))
                levels = []
                continue
            }
            // A part's title ends the table above it; a note (填表人 …, 联系电话 …), however many cells
            // it spreads over, is never a row of it.
            if texts.count == 1, let only = texts.first.map({ TextFold.compact($0.element) }), isTitle(only) {
                layout = nil
                continue
            }
            if let first = texts.first?.element, CellText.isNote(first) {
                layout = nil
                continue
            }
            guard let layout else { continue }
            if layout.table == "t2" {
                let label = layout.start - 1 < cells.count ? cells[layout.start - 1] : ""
                let values = layout.columns.keys.filter { $0 < cells.count && !cells[$0].isEmpty }
                if label.isEmpty { continue }
                if values.isEmpty && TextFold.compact(label).hasPrefix("第二十条") {
                    context = label
                    continue
                }
                for j in layout.columns.keys.sorted() {
                    staged.values.append(StagedValue(
                        label: row.fields[layout.start - 1], context: context, value: j < row.fields.count ? row.fields[j] : "",
                        line: row.line, column: j + 1, columnLabel: layout.columns[j], table: "t2"))
                }
                continue
            }
            // Row labels over the columns before the values, upper levels carried down.
            let own = (0..<layout.start).map { $0 < cells.count ? cells[$0] : "" }
            if let first = own.firstIndex(where: { !$0.isEmpty }) {
                levels = Array(levels.prefix(first)) + [String](repeating: "", count: max(0, first - levels.count))
                levels += own[first...]
                while levels.last?.isEmpty == true { levels.removeLast() }
            }
            if own.allSatisfy({ $0.isEmpty }) && layout.table == "t3" {
                continue  // a row with no label of its own under a label carried down: nothing to say
            }
            let path = levels.filter { !$0.isEmpty && !CellText.mentions($0, "勾稽关系") }.joined(separator: "/")
            let any = layout.columns.keys.contains { $0 < cells.count && !cells[$0].isEmpty }
            // A heading row (三、本年度办理结果) holds no cell; its children follow.
            if !any && layout.table == "t3" && own.filter({ !$0.isEmpty }).count == 1 && levelsHeadsChildren(rows, after: k - 1, start: layout.start) {
                continue
            }
            for j in layout.columns.keys.sorted() {
                staged.values.append(StagedValue(
                    label: path, value: j < row.fields.count ? row.fields[j] : "", line: row.line, column: j + 1,
                    columnLabel: layout.columns[j], table: layout.table))
            }
        }
        if staged.values.isEmpty {
            staged.findings.append(Finding(
                .tableNoValueColumn, submitter: staged.submitter, file: staged.file, line: rows.first?.line,
                message: "文件像国家格式的统计表，但没有找到表二、表三或表四的数据行：请确认表头（信息内容、申请人情况、行政复议）和数据都在文件中。"))
            staged.quarantined = true
        }
    }

    /// True when the next non-blank row has a label only deeper than this row's (it is a heading).
    private static func levelsHeadsChildren(_ rows: [CSVScanner.Record], after k: Int, start: Int) -> Bool {
        let own = rows[k].fields.prefix(start).map(TextFold.trimmed)
        guard let level = own.firstIndex(where: { !$0.isEmpty }) else { return false }
        for next in rows.dropFirst(k + 1) where !next.isBlank {
            let cells = next.fields.prefix(start).map(TextFold.trimmed)
            guard let first = cells.firstIndex(where: { !$0.isEmpty }) else { return true }
            return first > level
        }
        return false
    }

    /// Each value column's header path: a merged header (written in its first column, the rest
    /// empty) covers the columns to its right up to the next header in its row, but never past
    /// the span of the header above it.
    static func paths(_ header: [[String]], from start: Int) -> [Int: String] {
        let width = header.map(\.count).max() ?? 0
        var filled: [[String]] = []
        for row in header {
            var out = [String](repeating: "", count: width)
            var carry = ""
            for j in start..<width {
                let cell = j < row.count ? row[j] : ""
                // A new header above starts a new span here.
                if let above = filled.last, j > start, above[j] != above[j - 1] { carry = "" }
                if !cell.isEmpty { carry = cell }
                out[j] = carry
            }
            filled.append(out)
        }
        var out: [Int: String] = [:]
        for j in start..<width {
            var path: [String] = []
            for (r, row) in filled.enumerated() where !row[j].isEmpty && path.last != row[j] {
                if r == 0 && filled.count > 1 && (row[j] == "申请人情况") { continue }
                path.append(row[j])
            }
            if !path.isEmpty { out[j] = path.joined(separator: "/") }
        }
        // Columns past the last header cell of every row are not value columns.
        let last = header.compactMap { $0.lastIndex(where: { !$0.isEmpty }) }.max() ?? start
        return out.filter { $0.key <= last }
    }
}
