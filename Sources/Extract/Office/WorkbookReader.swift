import Core

/// Reads an .xlsx submission: each visible sheet is a table, a national-format template (one
/// table a sheet, or all on one) or an item list, decided as for a CSV file; a workbook may hold
/// a table and its list on two sheets. Values and findings name the sheet and the cell
/// (`统计表!C14`).
enum WorkbookReader {
    static func read(_ package: ZipPackage, year: Int, into staged: inout StagedFile) {
        let workbook: Workbook
        do { workbook = try Workbook(package: package) } catch {
            OfficeFile.refuse(error, kind: "Excel 工作簿", into: &staged)
            return
        }
        staged.family = .workbook
        OfficeFile.noteExternal(workbook.externalTargets, into: &staged)
        var read = 0
        for sheet in workbook.sheets {
            if sheet.hidden {
                staged.findings.append(Finding(.partSkipped, submitter: staged.submitter, file: staged.file,
                    message: "工作表“\(sheet.name)”是隐藏的，未读取：如其中有报送数据，请取消隐藏后重新报送。"))
                continue
            }
            if !sheet.hiddenRows.isEmpty {
                let rows = sheet.hiddenRows.prefix(10).map(String.init).joined(separator: "、")
                staged.findings.append(Finding(.partSkipped, submitter: staged.submitter, file: staged.file, line: sheet.hiddenRows[0],
                    message: "工作表“\(sheet.name)”的第 \(rows)\(sheet.hiddenRows.count > 10 ? " 等" : "") 行是隐藏行，未读取：如其中有报送数据，请取消隐藏后重新报送。"))
            }
            let records = sheet.rows.map { CSVScanner.Record(line: $0.number, fields: $0.cells) }
            if OfficeFile.readGrid(records, place: { line, column in "\(sheet.name)!\(Workbook.columnName(column))\(line)" },
                                   name: "工作表“\(sheet.name)”", year: year, into: &staged) { read += 1 }
        }
        if read == 0 {
            staged.findings.append(Finding(.tableNoValueColumn, submitter: staged.submitter, file: staged.file,
                message: "工作簿的各工作表（\(workbook.sheets.map(\.name).joined(separator: "、"))）中都找不到统计表、国家格式表格或公开目录：请确认报送的是填好的统计表或目录。"))
            staged.quarantined = true
        }
    }
}
