import Core

/// What workbooks, Word documents and saved web pages share: their tables become grids, and a
/// grid is read as a CSV export of it would be, its values and findings placed in the file.
enum OfficeFile {
    /// The cells an Office file's or web page's tables may hold once merged cells have left their
    /// blanks (a statistical table is a few hundred; a CMS item list of 100,000 rows under a
    /// million): a few bytes of spans or far-right cells, repeated, would otherwise ask for gigabytes.
    static let cellLimit = 4_000_000

    /// Reads a grid (a sheet, a document's or a page's tables) as a table, a national-format
    /// template or an item list. Returns false, leaving `staged` as it was, when it is none.
    /// - Parameter place: where a row and column sit in the file, for values and findings.
    /// - Parameter name: the grid in words (“工作表“统计表””), for findings.
    static func readGrid(_ rows: [CSVScanner.Record], place: (_ line: Int, _ column: Int) -> String, name: String,
                         year: Int, into staged: inout StagedFile) -> Bool {
        var grid = StagedFile(submitter: staged.submitter, file: staged.file, sha256: staged.sha256, size: staged.size)
        Extractor.readText(csv(rows), delimiter: 0x2C, year: year, into: &grid)
        guard !grid.values.isEmpty || grid.items != nil || grid.family == .itemList else { return false }
        for var value in grid.values {
            value.element = place(value.line, value.column ?? 1)
            staged.values.append(value)
        }
        if let items = grid.items {
            if staged.items == nil { staged.items = items } else {
                staged.findings.append(Finding(.partSkipped, submitter: staged.submitter, file: staged.file,
                    message: "\(name)是第二份公开目录，未计入（一个文件只计一份目录）：请分成两个文件报送，或合并到同一张表中。"))
            }
        }
        if grid.quarantined { staged.quarantined = true }
        staged.declaredSubmitter = staged.declaredSubmitter ?? grid.declaredSubmitter
        for var finding in grid.findings {
            if let line = finding.line {
                finding.message = "\(name)（\(place(line, finding.column ?? 1))）：" + finding.message
            } else {
                finding.message = "\(name)：" + finding.message
            }
            staged.findings.append(finding)
        }
        return true
    }

    /// Reads a document's or a page's tables as one grid: one after another, a blank row between,
    /// each row placed by its table, row and column.
    static func readTables(_ tables: [[[String]]], name: String, year: Int, into staged: inout StagedFile) -> Bool {
        var records: [CSVScanner.Record] = []
        var places: [Int: (table: Int, row: Int)] = [:]
        var line = 0
        for (t, table) in tables.enumerated() {
            for (r, row) in table.enumerated() {
                line += 1
                places[line] = (t + 1, r + 1)
                records.append(CSVScanner.Record(line: line, fields: row))
            }
            line += 1
        }
        return !records.isEmpty && readGrid(records, place: { line, column in
            places[line].map { "第 \($0.table) 个表格第 \($0.row) 行第 \(column) 列" } ?? "第 \(line) 行"
        }, name: name, year: year, into: &staged)
    }

    /// The grid as CSV, one line a row of the file (row numbers kept, so that line N is row N);
    /// a line break inside a cell is written as a space.
    static func csv(_ rows: [CSVScanner.Record]) -> [UInt8] {
        var out: [UInt8] = []
        var line = 1
        for row in rows.sorted(by: { $0.line < $1.line }) {
            while line < row.line { out.append(0x0A); line += 1 }
            for (k, cell) in row.fields.enumerated() {
                if k > 0 { out.append(0x2C) }
                let flat = cell.replacingOccurrences(of: "\r\n", with: " ").replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " ")
                if flat.contains(",") || flat.contains("\"") {
                    out.append(0x22)
                    out += Array(flat.replacingOccurrences(of: "\"", with: "\"\"").utf8)
                    out.append(0x22)
                } else {
                    out += Array(flat.utf8)
                }
            }
            out.append(0x0A)
            line += 1
        }
        return out
    }

    static func refuse(_ problem: OfficeProblem, kind: String, into staged: inout StagedFile) {
        let message: String
        switch problem {
        case .zip(let zip): message = ZipPackage.message(zip, kind: kind)
        case .xml(let part, let line, let what):
            message = "这个\(kind)的部件“\(part)”\(line > 0 ? "第 \(line) 行" : "")无法读取（\(what)），文件可能已损坏：请用 Excel/WPS/Word 重新保存后报送。"
        }
        staged.findings.append(Finding(.fileWrongFormat, submitter: staged.submitter, file: staged.file, message: message))
        staged.quarantined = true
    }

    static func noteExternal(_ targets: [String], into staged: inout StagedFile) {
        guard !targets.isEmpty else { return }
        let shown = targets.prefix(3).map { "“\($0)”" }.joined(separator: "、")
        staged.findings.append(Finding(.partSkipped, submitter: staged.submitter, file: staged.file,
            message: "文件含有指向外部的链接（\(shown)\(targets.count > 3 ? " 等" : "")），未打开也未读取，只读了文件本身的内容：如数据来自链接的文件，请把数值粘贴为文本后重新报送。"))
    }
}
