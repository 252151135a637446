import Core
import Store

/// Reads a statistical table exported from Excel (family A): skips the title and 填报单位 rows,
/// finds the label, unit and value columns, carries merged-cell headings down, and stages every
/// row exactly as written. Interpreting labels and values is Transform's job.
struct TableReader {
    struct Columns {
        var seq: Int?
        var label: Int?
        var unit: Int?
        var value: Int
        var headerLine: Int?
    }


    static func read(rows: [CSVScanner.Record], into staged: inout StagedFile) {
        staged.family = .table
        guard let columns = findColumns(rows) else {
            staged.findings.append(Finding(
                .tableNoValueColumn, submitter: staged.submitter, file: staged.file, line: rows.first?.line,
                message: "找不到表头或数值列：这不像统计表，也不像公开目录。请确认报送的是统计表（含“指标名称、单位、数值”列）或公开目录（含“标题、日期、类别”列）。"))
            staged.quarantined = true
            return
        }
        var context: String?
        for row in rows {
            if row.isBlank { continue }
            let cells = row.fields.map(TextFold.trimmed)
            let firstText = cells.first { !$0.isEmpty } ?? ""
            if let declared = declaredSubmitter(cells) {
                staged.declaredSubmitter = declared
                continue
            }
            if let h = columns.headerLine, row.line <= h { continue }
            if CellText.isNote(firstText) { continue }
            // The value exactly as written: Transform reads it and notes every repair it makes.
            let value = columns.value < row.fields.count ? row.fields[columns.value] : ""
            let unit = columns.unit.flatMap { $0 < cells.count ? cells[$0] : nil }
            // The label is the last text cell before the unit and value columns; an earlier one is a
            // merged heading, which later rows inherit while their own first cell is blank.
            let end = [columns.unit, Optional(columns.value)].compactMap { $0 }.min() ?? cells.count
            var texts: [(Int, String)] = []
            for k in 0..<min(end, cells.count) where k != columns.seq && !cells[k].isEmpty { texts.append((k, cells[k])) }
            guard let last = texts.last else { continue }
            let leftmost = (0..<end).first { $0 != columns.seq } ?? 0
            if texts.count > 1 { context = texts[0].1 } else if last.0 == leftmost { context = nil }
            let seq = columns.seq.flatMap { $0 < cells.count && !cells[$0].isEmpty ? cells[$0] : nil }
            staged.values.append(StagedValue(
                label: row.fields[last.0], seq: seq, context: context,
                unit: unit, value: value, line: row.line, column: columns.value + 1))
        }
    }

    /// "填报单位：盂县人民政府" in one cell, or "填报单位" followed by the name in the next cell.
    static func declaredSubmitter(_ cells: [String]) -> String? {
        for (k, cell) in cells.enumerated() where CellText.mentions(cell, "位") {
            let c = TextFold.compact(cell)
            guard c.hasPrefix("填报单位") || c.hasPrefix("报送单位") else { continue }
            var rest = String(c.dropFirst(4))
            if rest.hasPrefix(":") || rest.hasPrefix("：") { rest.removeFirst() }
            if let cut = rest.firstRange(of: "填报日期") { rest = String(rest[..<cut.lowerBound]) }
            if rest.isEmpty, k + 1 < cells.count { rest = TextFold.compact(cells[k + 1]) }
            return rest.isEmpty ? nil : rest
        }
        return nil
    }

    static let unitWords: Set<String> = ["条", "件", "人次", "万元", "元", "个", "人", "次", "篇", "项", "家", "期"]

    static func findColumns(_ rows: [CSVScanner.Record]) -> Columns? {
        for (r, row) in rows.prefix(15).enumerated() {
            let cells = row.fields.map(TextFold.compact)
            var label: Int?, unit: Int?, value: Int?, seq: Int?
            for (k, c) in cells.enumerated() {
                if label == nil, c.contains("指标") || c == "项目" || c == "名称" || c == "统计项目" { label = k }
                else if unit == nil, c == "单位" || c == "计量单位" || c.hasPrefix("单位(") { unit = k }
                else if seq == nil, c == "序号" || c == "行次" || c == "编号" { seq = k }
                else if value == nil, c.hasSuffix("数") || c.contains("数值") || c.contains("数据") || c == "本年" || c.contains("数量")
                            || c == "统计值" || isYearHeading(c) { value = k }
            }
            // A header that names its label column but heads the values some other way ("2016年
            // 1-12月", "填报"): the values are the column after the label that holds numbers.
            if let label, value == nil {
                value = numericColumn(rows.dropFirst(r + 1), excluding: [label, unit, seq].compactMap { $0 }, after: label)
            }
            if let label, let value { return Columns(seq: seq, label: label, unit: unit, value: value, headerLine: row.line) }
        }
        // No header: the value column is the right-most one that holds numbers in most data rows,
        // and a column of unit words (条, 件, 万元…) is the unit column, not a label.
        guard let value = numericColumn(rows[...], excluding: [], after: 0) else { return nil }
        var unitVotes: [Int: Int] = [:]
        for row in rows {
            for (k, c) in row.fields.enumerated() where k < value && unitWords.contains(TextFold.compact(c)) { unitVotes[k, default: 0] += 1 }
        }
        let unit = unitVotes.max(by: { ($0.value, $0.key) < ($1.value, $1.key) }).flatMap { $0.value >= 2 ? $0.key : nil }
        return Columns(seq: nil, label: nil, unit: unit, value: value, headerLine: nil)
    }

    /// "2016", "2016年", "2016年度", "2016年1-12月": a year heading a column of values.
    static func isYearHeading(_ c: String) -> Bool {
        let digits = c.prefix { $0.isASCII && $0.isNumber }
        return digits.count == 4 && (c.count == 4 || c.dropFirst(4).hasPrefix("年"))
    }

    /// The column (right-most on a tie) that holds numbers in most rows, at least two.
    static func numericColumn(_ rows: ArraySlice<CSVScanner.Record>, excluding: [Int], after first: Int) -> Int? {
        var numeric: [Int: Int] = [:]
        for row in rows {
            for (k, c) in row.fields.enumerated() where k > first || (first == 0 && k > 0) {
                if !excluding.contains(k) && looksNumeric(c) { numeric[k, default: 0] += 1 }
            }
        }
        guard let best = numeric.max(by: { ($0.value, $0.key) < ($1.value, $1.key) }), best.value >= 2 else { return nil }
        return best.key
    }

    static func looksNumeric(_ s: String) -> Bool {
        let c = TextFold.compact(s)
        guard let f = c.unicodeScalars.first else { return false }
        return f.value >= 0x30 && f.value <= 0x39 && c.unicodeScalars.filter({ $0.value >= 0x30 && $0.value <= 0x39 }).count * 2 >= c.unicodeScalars.count
    }
}
