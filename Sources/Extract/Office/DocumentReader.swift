import Core

/// Reads a .docx submission, the body's annual report as Word wrote it: its tables (`w:tbl`)
/// wherever they sit, each cell's text as displayed (runs joined, tabs and breaks as spaces,
/// soft hyphens dropped), merged cells (`w:gridSpan`, `w:vMerge`) left as a CSV export of the
/// table leaves them; the paragraphs around them are narrative and not read.
enum DocumentReader {
    struct Table {
        var rows: [[String]] = []
    }

    /// The most columns a Word table has: a cell spanning more (`w:gridSpan` of a billion, a few
    /// bytes in a hostile file) spans the table's width, not a billion blank cells.
    static let widestTable = 63

    static func read(_ package: ZipPackage, year: Int, into staged: inout StagedFile) {
        let tables: [Table]
        let pictures: Int
        let paragraphs: [String]
        do throws(OfficeProblem) {
            let rels = package.contains("word/_rels/document.xml.rels")
                ? try OfficeXML.relationships(try package.part("word/_rels/document.xml.rels"), part: "word/_rels/document.xml.rels") : []
            OfficeFile.noteExternal(rels.filter(\.external).map(\.target), into: &staged)
            (tables, pictures, paragraphs) = try Self.tables(try package.part("word/document.xml"))
        } catch {
            OfficeFile.refuse(error, kind: "Word 文档", into: &staged)
            return
        }
        staged.family = .document
        staged.narrative = paragraphs
        let read = OfficeFile.readTables(tables.map(\.rows), name: "文档中的表格", year: year, into: &staged)
        if !read {
            let message = tables.isEmpty && pictures > 0
                ? "文档中没有文字表格，只有 \(pictures) 张图片：统计表可能是以图片（截图）插入的，无法读取其中的数字。请把统计表以 Word 表格（文字）形式插入后重新报送，或报送统计表的 Excel/CSV 文件。"
                : "文档中\(tables.isEmpty ? "没有表格" : "的 \(tables.count) 个表格都不是统计表或国家格式表格")：请确认文档含有年度报告的统计表（以 Word 表格形式）后重新报送。"
            staged.findings.append(Finding(.tableNoValueColumn, submitter: staged.submitter, file: staged.file, message: message))
            staged.quarantined = true
        }
    }

    /// The document's tables (a table nested in a cell gives its text to that cell), the number
    /// of pictures it holds, and its paragraphs outside the tables (the narrative).
    static func tables(_ bytes: [UInt8]) throws(OfficeProblem) -> ([Table], Int, [String]) {
        var tables: [Table] = []
        var paragraphs: [String] = []
        var paragraph = ""
        var inTextOutside = false
        var depth = 0
        var row: [String] = []
        var cell = "", inCell = false, inText = false
        var span = 1, merged = false
        var pictures = 0
        var held = 0  // cells of every table, spans included
        try OfficeXML.stream(bytes, part: "word/document.xml") { event in
            switch event {
            case .start(let name, let a, _, _, _):
                switch name {
                case "tbl":
                    depth += 1
                    if depth == 1 { tables.append(Table()) }
                case "tr" where depth == 1: row = []
                case "tc" where depth == 1:
                    cell = ""; inCell = true; span = 1; merged = false
                case "gridSpan" where depth == 1 && inCell: span = max(1, min(Int(a["val"] ?? "1") ?? 1, Self.widestTable))
                case "vMerge" where depth == 1 && inCell: merged = (a["val"] ?? "continue") != "restart"
                case "p" where depth == 0: paragraph = ""
                case "t", "delText":
                    inText = name == "t"
                    inTextOutside = name == "t" && depth == 0
                case "tab", "br", "cr": if inCell { cell += " " }
                case "noBreakHyphen": if inCell { cell += "-" }
                case "drawing", "pict": pictures += 1
                default: break
                }
            case .text(let text):
                if inCell && inText { cell += text.replacingOccurrences(of: "\u{00AD}", with: "") }
                if inTextOutside { paragraph += text.replacingOccurrences(of: "\u{00AD}", with: "") }
            case .end(let name):
                switch name {
                case "t", "delText":
                    inText = false
                    inTextOutside = false
                case "p" where depth == 0:
                    let text = TextFold.trimmed(paragraph)
                    if !text.isEmpty { paragraphs.append(text) }
                case "tc" where depth == 1:
                    held += span
                    guard held <= OfficeFile.cellLimit else { break }
                    // A cell merged into the one above shows nothing, as a CSV export leaves it.
                    row.append(merged ? "" : TextFold.trimmed(cell))
                    for _ in 1..<span { row.append("") }
                    inCell = false
                case "tr" where depth == 1:
                    tables[tables.count - 1].rows.append(row)
                case "tbl": depth -= 1
                default: break
                }
            }
        }
        if held > OfficeFile.cellLimit {
            throw .xml(part: "word/document.xml", line: 0, message: "表格连同合并单元格留下的空白超过 \(OfficeFile.cellLimit) 个单元格，超出了读取的上限")
        }
        return (tables, pictures, paragraphs)
    }
}
