import Core
import Load
import Foundation
import Transform

/// Tables 2, 3 and 4 of the national format drawn from the form's own rows and columns: merged
/// headers and row labels as the official tables have them (rowspan/colspan) in HTML, and a
/// readable grid in Markdown. Which rows and columns exist is the form's data; this is the
/// shape, written once.
struct NationalTables {
    let figures: CityFigures
    var index: FormIndex { figures.index }

    func cell(_ code: String) -> String { figures.reportedValue(code).map(Amount.text) ?? "" }

    func table(_ id: String) -> Form.Table? { index.form.tables.first { $0.id == id } }

    /// A row's labels from the table's top down (its headings, then itself), as printed; an
    /// earlier layout's row stands in its heading's place.
    func path(_ row: Form.Indicator, in table: Form.Table) -> [String] {
        var chain = Self.chain(row, in: table)
        if row.legacy != nil, chain.count > 1 { chain.remove(at: chain.count - 2) }
        return chain.map { Self.numbered($0) }
    }

    /// The rows drawn: every data row of the form, and a row of an earlier layout only where some
    /// body reported it.
    func drawn(_ table: Form.Table) -> [Form.Indicator] {
        table.rows.filter { row in
            !row.isHeading && (row.legacy == nil
                || (row.columns ?? table.columns ?? []).contains { figures.reportedValue(row.code + "." + $0.code) != nil })
        }
    }

    /// The row's headings within its table, outermost first, then the row.
    static func chain(_ row: Form.Indicator, in table: Form.Table) -> [Form.Indicator] {
        var out = [row]
        while let parent = out[0].parent, let up = table.rows.first(where: { $0.code == parent }), !out.contains(up) { out.insert(up, at: 0) }
        return out
    }

    /// "一、本年新收…", "（一）予以公开", "1.属于国家秘密": the form's row number before the label.
    static func numbered(_ row: Form.Indicator) -> String {
        guard let number = row.row, !number.isEmpty else { return row.label }
        let separated = ["、", ".", "．", ")", "）"].contains { number.hasSuffix($0) }
        return number + (separated ? "" : "、") + row.label
    }

    // MARK: Markdown

    func markdown(_ id: String) -> String {
        guard let table = table(id) else { return "" }
        if let columns = table.columns {
            var md = "| " + (table.rows.count > 1 ? "项目 | " : "") + columns.map { $0.path.replacing("/", with: "·") }.joined(separator: " | ") + " |\n"
            md += "|" + String(repeating: " --- |", count: columns.count + (table.rows.count > 1 ? 1 : 0)) + "\n"
            for row in drawn(table) {
                let label = table.rows.count > 1 ? path(row, in: table).joined(separator: " ") + " | " : ""
                md += "| " + label + columns.map { cell(row.code + "." + $0.code) }.joined(separator: " | ") + " |\n"
            }
            return md
        }
        // Table 2: a block of rows a 第二十条 item and set of columns.
        var md = ""
        for block in blocks(table) {
            md += "| \(block.heading.label) | " + block.columns.map(\.label).joined(separator: " | ") + " |\n"
            md += "|" + String(repeating: " --- |", count: block.columns.count + 1) + "\n"
            for row in block.rows {
                md += "| \(row.label) | " + block.columns.map { cell(row.code + "." + $0.code) }.joined(separator: " | ") + " |\n"
            }
            md += "\n"
        }
        return md
    }

    /// Table 2's blocks: the rows under each 第二十条 item that share their columns (2019's 政府集中采购
    /// is two rows of one column each, 采购项目数量 and 采购总金额: two blocks).
    func blocks(_ table: Form.Table) -> [(heading: Form.Indicator, columns: [Form.Column], rows: [Form.Indicator])] {
        var out: [(heading: Form.Indicator, columns: [Form.Column], rows: [Form.Indicator])] = []
        for heading in table.rows where heading.isHeading {
            for row in table.rows where row.parent == heading.code {
                let columns = row.columns ?? []
                if let last = out.last, last.heading.code == heading.code, last.columns == columns {
                    out[out.count - 1].rows.append(row)
                } else {
                    out.append((heading, columns, [row]))
                }
            }
        }
        return out
    }

    // MARK: HTML

    func html(_ id: String) -> String { spanned(id)?.html ?? "" }

    /// Table `id` as drawn: table 2 in blocks, each under its 第二十条 heading; tables 3 and 4 as
    /// matrices with merged headers.
    func spanned(_ id: String) -> SpannedTable? {
        guard let table = table(id) else { return nil }
        if let columns = table.columns { return grid(table, columns) }
        var out = SpannedTable(className: "nat t2")
        // The template's table 2: 信息内容 a third of the width, its figures the rest.
        let width = (blocks(table).map { $0.columns.count }.max() ?? 1) + 1
        out.columnWidths = [2845] + Array(repeating: 6000 / max(width - 1, 1), count: width - 1)
        for block in blocks(table) {
            out.body.append([.init(text: block.heading.label, colspan: block.columns.count + 1, header: true)])
            out.body.append([.init(text: "信息内容", header: true)] + block.columns.map { .init(text: $0.label, header: true) })
            for row in block.rows {
                out.body.append([.init(text: row.label)] + block.columns.map { .init(text: cell(row.code + "." + $0.code), numeric: true) })
            }
        }
        return out
    }

    /// A matrix: merged column headers from the columns' group paths, merged row labels from the
    /// rows' headings.
    private func grid(_ table: Form.Table, _ columns: [Form.Column]) -> SpannedTable {
        let dataRows = drawn(table)
        let paths = dataRows.map { path($0, in: table) }
        let labelDepth = dataRows.count > 1 ? (paths.map(\.count).max() ?? 1) : 0
        var heads = columns.map { ($0.group.map { $0.split(separator: "/").map(String.init) } ?? []) + [$0.label] }
        if table.id == "t3" { heads = heads.map { ["申请人情况"] + $0 } }
        let depth = heads.map(\.count).max() ?? 1
        var out = SpannedTable(className: "nat \(table.id)")
        // The template's widths: table 3's row labels over three columns, the first narrow (the
        // vertical 三、本年度办理结果), the last wide enough for a row's label on one to three lines;
        // the figures share the rest evenly.
        let labels: [Int] = switch labelDepth {
        case 0: []
        case 1: [4420]
        case 2: [1300, 3120]
        default: [420, 1100, 2900] + Array(repeating: 0, count: labelDepth - 3)
        }
        out.columnWidths = labels + Array(repeating: labelDepth == 0 ? 590 : 4424 / max(columns.count, 1), count: columns.count)
        for level in 0..<depth {
            var row: [SpannedTable.Cell] = []
            if level == 0 && labelDepth > 0 {
                let corner = table.id == "t3" ? "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）" : "项目"
                row.append(.init(text: corner, colspan: labelDepth, rowspan: depth, header: true))
            }
            var k = 0
            while k < heads.count {
                let head = heads[k]
                // A short path's last header spans the rows below it: nothing to draw here.
                guard level < head.count else { k += 1; continue }
                let prefix = Array(head.prefix(level + 1))
                var span = 1
                while k + span < heads.count, Array(heads[k + span].prefix(level + 1)) == prefix, heads[k + span].count > level { span += 1 }
                let rowspan = level == head.count - 1 ? depth - level : 1
                row.append(.init(text: head[level], colspan: span, rowspan: rowspan, header: true))
                k += span
            }
            out.head.append(row)
        }
        for (r, row) in dataRows.enumerated() {
            var cells: [SpannedTable.Cell] = []
            let p = paths[r]
            for level in 0..<p.count {
                let isLeaf = level == p.count - 1
                // A heading's cell is drawn on its first row, spanning the rows under it.
                if !isLeaf {
                    if r > 0 && paths[r - 1].count > level && Array(paths[r - 1].prefix(level + 1)) == Array(p.prefix(level + 1)) { continue }
                    let span = paths[r...].prefix { $0.count > level && Array($0.prefix(level + 1)) == Array(p.prefix(level + 1)) }.count
                    cells.append(.init(text: p[level], rowspan: span))
                } else {
                    cells.append(.init(text: p[level], colspan: labelDepth - level))
                }
            }
            out.body.append(cells + columns.map { .init(text: cell(row.code + "." + $0.code), numeric: true) })
        }
        return out
    }
}
