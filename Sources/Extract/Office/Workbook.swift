import Core
import Foundation

/// An .xlsx workbook as a grid per sheet, each cell's text as Excel displays it for the purposes
/// here: shared and inline strings, numbers as written (no binary-float digits), dates by their
/// number format, merged ranges left as a CSV export leaves them (the text in the top-left cell).
struct Workbook {
    struct Sheet {
        var name: String
        var hidden: Bool
        /// Rows as the sheet numbers them, each dense from column A.
        var rows: [Row] = []
        var hiddenRows: [Int] = []
    }

    struct Row {
        var number: Int
        var cells: [String]
    }

    var sheets: [Sheet] = []
    /// Relationships that point outside the package (a linked workbook, a web address): never followed.
    var externalTargets: [String] = []

    init(package zip: ZipPackage) throws(OfficeProblem) {
        let part = zip.part
        for name in zip.names where name.hasSuffix(".rels") {
            for rel in try OfficeXML.relationships(try part(name), part: name) where rel.external {
                externalTargets.append(rel.target)
            }
        }
        let workbook = try OfficeXML.elements(try part("xl/workbook.xml"), part: "xl/workbook.xml")
        let rels = zip.contains("xl/_rels/workbook.xml.rels")
            ? try OfficeXML.relationships(try part("xl/_rels/workbook.xml.rels"), part: "xl/_rels/workbook.xml.rels") : []
        let targets = Dictionary(rels.map { ($0.id, $0.target) }) { a, _ in a }
        let date1904 = workbook.contains { $0.name == "workbookPr" && ["1", "true"].contains($0.attributes["date1904"] ?? "") }
        let shared = zip.contains("xl/sharedStrings.xml") ? try Self.sharedStrings(try part("xl/sharedStrings.xml")) : []
        let dateStyles = zip.contains("xl/styles.xml") ? try Self.dateStyles(try part("xl/styles.xml")) : []
        for sheet in workbook where sheet.name == "sheet" {
            let name = sheet.attributes["name"] ?? "Sheet"
            let hidden = ["hidden", "veryHidden"].contains(sheet.attributes["state"] ?? "")
            guard let id = sheet.attributes["id"], let target = targets[id] else { continue }
            let path = target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
            var s = Sheet(name: name, hidden: hidden)
            if !hidden {
                try Self.read(try part(path), part: path, shared: shared, dateStyles: dateStyles, date1904: date1904, into: &s)
            }
            sheets.append(s)
        }
    }

    /// `xl/sharedStrings.xml`: each `<si>`'s text, its runs joined, phonetic guides (`<rPh>`) left out.
    static func sharedStrings(_ bytes: [UInt8]) throws(OfficeProblem) -> [String] {
        var out: [String] = []
        var current = "", inText = false, phonetic = 0
        try OfficeXML.stream(bytes, part: "xl/sharedStrings.xml") { event in
            switch event {
            case .start(let name, _, _, _, let empty):
                if name == "si" { current = "" }
                if name == "rPh" && !empty { phonetic += 1 }
                inText = name == "t" && !empty
            case .text(let text):
                if inText && phonetic == 0 { current += text }
            case .end(let name):
                if name == "t" { inText = false }
                if name == "rPh" { phonetic -= 1 }
                if name == "si" { out.append(current) }
            }
        }
        return out
    }

    /// The `cellXfs` indexes whose number format shows a date.
    static func dateStyles(_ bytes: [UInt8]) throws(OfficeProblem) -> Set<Int> {
        var custom: [Int: String] = [:]
        var formats: [Int] = []
        var inXfs = false
        try OfficeXML.stream(bytes, part: "xl/styles.xml") { event in
            switch event {
            case .start(let name, let attributes, _, _, let empty):
                if name == "numFmt", let id = attributes["numFmtId"].flatMap(Int.init) { custom[id] = attributes["formatCode"] ?? "" }
                if name == "cellXfs" && !empty { inXfs = true }
                if name == "xf" && inXfs { formats.append(attributes["numFmtId"].flatMap(Int.init) ?? 0) }
            case .end(let name):
                if name == "cellXfs" { inXfs = false }
            case .text: break
            }
        }
        let builtinDates: Set<Int> = Set(14...22).union(27...36).union(45...47).union(50...58)
        return Set(formats.indices.filter { i in
            let id = formats[i]
            if let code = custom[id] { return isDateFormat(code) }
            return builtinDates.contains(id)
        })
    }

    /// A format code that shows a date: y, m or d outside quoted text, brackets and escapes
    /// ("[Red]", "\"年\"" and "\\-" carry no date).
    static func isDateFormat(_ code: String) -> Bool {
        var quoted = false, bracket = false, escape = false
        for ch in code.lowercased() {
            if escape { escape = false; continue }
            switch ch {
            case "\\": escape = true
            case "\"": quoted.toggle()
            case "[" where !quoted: bracket = true
            case "]" where !quoted: bracket = false
            case "y", "d", "m": if !quoted && !bracket { return true }
            default: break
            }
        }
        return false
    }

    private static func read(_ bytes: [UInt8], part: String, shared: [String], dateStyles: Set<Int>, date1904: Bool,
                             into sheet: inout Sheet) throws(OfficeProblem) {
        var row: Row?
        var cell: (column: Int, type: String, style: Int, line: Int)?
        var value = "", inline = "", inValue = false, inInline = false
        var nextRow = 1
        var rows: [Row] = []
        var hiddenRows: [Int] = []
        // What makes the part a damaged workbook rather than a sheet (a reference no spreadsheet
        // writes): the line and what; nothing after it is read.
        var damage: (line: Int, what: String)?
        var held = 0
        try OfficeXML.stream(bytes, part: part) { event in
            guard damage == nil else { return }
            switch event {
            case .start(let name, let a, _, let line, let empty):
                switch name {
                case "row":
                    let given = a["r"].flatMap(Int.init)
                    if let given, !(1...Self.lastRow).contains(given) {
                        damage = (line, "行号“\(a["r"]!)”超出了 Excel 的行号范围 1–\(Self.lastRow)")
                        return
                    }
                    let number = given ?? nextRow
                    nextRow = number + 1
                    if ["1", "true"].contains(a["hidden"] ?? "") {
                        hiddenRows.append(number)
                        row = nil
                    } else {
                        row = Row(number: number, cells: [])
                    }
                    if empty, let r = row { rows.append(r); row = nil }
                case "c":
                    var column = (row?.cells.count ?? 0) + 1
                    if let reference = a["r"] {
                        guard let given = Self.columnIndex(reference) else {
                            damage = (line, "单元格引用“\(reference.prefix(40))”超出了 Excel 的最后一列 XFD")
                            return
                        }
                        column = given
                    }
                    cell = (column, a["t"] ?? "n", a["s"].flatMap(Int.init) ?? 0, line)
                    value = ""
                    inline = ""
                    if empty { cell = nil }
                case "v": inValue = !empty
                case "is": inInline = !empty
                default: break
                }
            case .text(let text):
                if inValue { value += text } else if inInline { inline += text }
            case .end(let name):
                switch name {
                case "v": inValue = false
                case "is": inInline = false
                case "c":
                    guard let c = cell, row != nil else { cell = nil; break }
                    let text: String
                    switch c.type {
                    case "s":
                        // An index no shared string has is a damaged workbook, not an empty cell.
                        guard let k = Int(value), shared.indices.contains(k) else {
                            if !value.isEmpty { damage = (c.line, "单元格引用了不存在的共享字符串“\(value.prefix(20))”（共 \(shared.count) 个）") }
                            text = ""
                            break
                        }
                        text = shared[k]
                    case "inlineStr": text = inline
                    case "str", "e": text = value
                    case "b": text = value == "1" ? "TRUE" : "FALSE"
                    default:
                        text = dateStyles.contains(c.style) ? (excelDate(value, date1904: date1904) ?? value) : number(value)
                    }
                    if !text.isEmpty {
                        // A row is dense from column A: a cell far to the right holds the blanks before it too.
                        held += max(0, c.column - row!.cells.count)
                        if held > OfficeFile.cellLimit {
                            damage = (c.line, "工作表连同其间的空白单元格超过 \(OfficeFile.cellLimit) 个，超出了读取的上限")
                            break
                        }
                        while row!.cells.count < c.column { row!.cells.append("") }
                        row!.cells[c.column - 1] = text
                    }
                    cell = nil
                case "row":
                    if let r = row { rows.append(r) }
                    row = nil
                default: break
                }
            }
        }
        if let damage { throw .xml(part: part, line: damage.line, message: damage.what) }
        sheet.rows = rows
        sheet.hiddenRows = hiddenRows
    }

    /// Excel's last column (XFD) and last row: a cell beyond them is in no workbook Excel or WPS writes.
    static let lastColumn = 16_384, lastRow = 1_048_576

    /// "C14" → 3; "AB2" → 28; nil past the last column (XFD).
    static func columnIndex(_ reference: String) -> Int? {
        var n = 0
        for scalar in reference.unicodeScalars {
            guard scalar.value >= 65 && scalar.value <= 90 else { break }
            n = n * 26 + Int(scalar.value - 64)
            if n > lastColumn { return nil }
        }
        return max(n, 1)
    }

    /// 3 → "C"; 28 → "AB".
    static func columnName(_ index: Int) -> String {
        var n = index, out = ""
        while n > 0 {
            let r = (n - 1) % 26
            out = String(UnicodeScalar(UInt8(65 + r))) + out
            n = (n - 1) / 26
        }
        return out
    }

    /// A number as written, without the digits of its binary form: Excel stores 14.51 as
    /// "14.51", older writers as "14.509999999999998"; both show as 14.51 (Excel's 15 digits).
    static func number(_ text: String) -> String {
        let digits = text.filter(\.isNumber).drop { $0 == "0" }.count
        guard digits > 15 || text.contains("E") || text.contains("e"), let value = Double(text) else { return text }
        var shown = String(format: "%.15g", value)
        if shown.contains("e") {
            // 1.2345E+20 and the like: written out plainly.
            shown = Decimal(string: shown).map { "\($0)" } ?? shown
        }
        return shown
    }

    /// A date serial shown as the date it is ("2016-03-05", with the time when it has one).
    static func excelDate(_ text: String, date1904: Bool) -> String? {
        guard let serial = Double(text), serial >= 0, serial < 2_958_466 else { return nil }
        // Excel counts 1900-02-29, which never was: serials from 61 on are one day ahead.
        let base = date1904 ? -24_107.0 : (serial < 61 ? -25_568.0 : -25_569.0)
        let seconds = ((serial + base) * 86_400).rounded()
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: Date(timeIntervalSince1970: seconds))
        func two(_ n: Int?) -> String { let v = n ?? 0; return v < 10 ? "0\(v)" : "\(v)" }
        var out = "\(parts.year ?? 0)-\(two(parts.month))-\(two(parts.day))"
        if serial.truncatingRemainder(dividingBy: 1) != 0 { out += " \(two(parts.hour)):\(two(parts.minute)):\(two(parts.second))" }
        return out
    }
}
