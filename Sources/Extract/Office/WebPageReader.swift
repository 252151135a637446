import Core
import Foundation

internal import CLibXML2

/// Reads a saved web page (the body's published report page, or Word's "网页" format): decoded
/// exactly (byte-order mark, then the page's meta charset, then the strict ladder; never
/// U+FFFD), parsed by libxml2's HTML parser with the network off, its tables read cell by cell
/// (colspan and rowspan left as a CSV export leaves them; text inside spans and `<o:p>` joined,
/// `&nbsp;` a space). Scripts, styles and comments are not text.
enum WebPageReader {
    static func read(_ bytes: [UInt8], year: Int, into staged: inout StagedFile) {
        let text: [UInt8]
        switch decode(bytes) {
        case .success(let decoded):
            text = decoded.utf8
            staged.encoding = decoded.decision
        case .failure(let u):
            staged.findings.append(Finding(.encodingUndecodable, submitter: staged.submitter, file: staged.file, line: u.line,
                message: "网页既不是 UTF-8，也不是 GB18030/GBK（第 \(u.line) 行字节 \(u.bytes) 无法解码）：请在浏览器中另存为 UTF-8 网页后重新报送。",
                actual: u.bytes))
            staged.quarantined = true
            return
        }
        staged.family = .webPage
        let (tables, narrative, overflow) = Self.contents(text)
        staged.narrative = narrative
        if overflow {
            staged.findings.append(Finding(.tableTooLarge, submitter: staged.submitter, file: staged.file,
                message: "网页中的表格连同合并单元格（colspan/rowspan）留下的空白超过 \(OfficeFile.cellLimit) 个单元格，不像报送的统计表，未读取：请报送含有统计表的年度报告网页，或统计表的 Excel/CSV 文件。"))
            staged.quarantined = true
            return
        }
        let read = OfficeFile.readTables(tables, name: "网页中的表格", year: year, into: &staged)
        if !read {
            staged.findings.append(Finding(.tableNoValueColumn, submitter: staged.submitter, file: staged.file,
                message: "网页中\(tables.isEmpty ? "没有表格" : "的 \(tables.count) 个表格都不是统计表或国家格式表格")（统计表如是图片则无法读取）：请报送含有文字统计表的年度报告网页，或统计表的 Excel/CSV 文件。"))
            staged.quarantined = true
        }
    }

    /// The page as UTF-8: its byte-order mark, else the charset its meta tag declares (GB2312
    /// and GBK read as their superset GB18030, UTF-8 and the GB family by the ladder, any other
    /// strictly by its name), else the strict ladder.
    static func decode(_ bytes: [UInt8]) -> Result<TextDecoder.Decoded, TextDecodingError> {
        let head = String(decoding: bytes.prefix(4096), as: UTF8.self).lowercased()
        var declared: String?
        if let r = head.range(of: "charset=") {
            let rest = head[r.upperBound...].drop { $0 == "\"" || $0 == "'" || $0 == " " }
            declared = String(rest.prefix { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
        }
        // A charset outside the ladder (Big5, Shift_JIS…) is the page's word: read by it, strictly.
        let ladder = ["utf-8", "utf8", "gb2312", "gbk", "gb18030", "x-gbk", "cp936", "utf-16", "unicode"]
        let bom = bytes.starts(with: [0xEF, 0xBB, 0xBF]) || bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF])
        if let declared, !declared.isEmpty, !ladder.contains(declared), !bom, let decoded = TextDecoder.decode(bytes, declared: declared) {
            return .success(decoded)
        }
        switch TextDecoder.decode(bytes) {
        case .success(var decoded):
            if let declared, decoded.decision.encoding == .gb18030, ["gb2312", "gbk", "gb18030", "x-gbk", "cp936"].contains(declared) {
                decoded.decision = EncodingDecision(.gb18030, evidence: "网页声明编码为 \(declared)，按其超集 GB18030 读取")
            }
            return .success(decoded)
        case .failure(let e):
            return .failure(e)
        }
    }

    /// Block elements whose text is a paragraph of the narrative (outside the tables).
    static let paragraphTags: Set<String> = ["p", "h1", "h2", "h3", "h4", "h5", "h6", "li"]

    /// The page's tables (outermost ones, each as rows of cell texts), its paragraphs outside them
    /// (the narrative), and whether the tables' cells, spans' blanks included, passed
    /// ``OfficeFile/cellLimit`` (the tables then stop there).
    static func contents(_ utf8: [UInt8]) -> (tables: [[[String]]], narrative: [String], overflow: Bool) {
        let options = Int32(HTML_PARSE_NONET.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
            | HTML_PARSE_IGNORE_ENC.rawValue | HTML_PARSE_NOIMPLIED.rawValue)
        XMLStream.prepare()
        guard let doc = utf8.withUnsafeBufferPointer({ buf in
            buf.withMemoryRebound(to: CChar.self) { htmlReadMemory($0.baseAddress, Int32($0.count), nil, "UTF-8", options) }
        }) else { return ([], [], false) }
        defer { xmlFreeDoc(doc) }
        var out: [[[String]]] = []
        var narrative: [String] = []
        var held = 0
        func visit(_ node: xmlNodePtr?) {
            var n = node
            while let current = n {
                if current.pointee.type == XML_ELEMENT_NODE, name(current) == "table" {
                    if held <= OfficeFile.cellLimit { out.append(table(current, held: &held)) }
                } else if current.pointee.type == XML_ELEMENT_NODE, paragraphTags.contains(name(current)) {
                    let paragraph = TextFold.trimmed(text(current))
                    if !paragraph.isEmpty { narrative.append(paragraph) }
                } else if current.pointee.type == XML_ELEMENT_NODE, !["script", "style"].contains(name(current)) {
                    visit(current.pointee.children)
                }
                n = current.pointee.next
            }
        }
        visit(xmlDocGetRootElement(doc))
        return (out, narrative, held > OfficeFile.cellLimit)
    }

    private static func name(_ node: xmlNodePtr) -> String {
        node.pointee.name.map { String(cString: $0).lowercased() } ?? ""
    }

    private static func attribute(_ node: xmlNodePtr, _ key: String) -> Int {
        guard let value = xmlGetProp(node, key) else { return 1 }
        defer { clx_free(value) }
        return max(1, min(Int(String(cString: value).trimmingCharacters(in: .whitespaces)) ?? 1, 1000))
    }

    /// A table's rows; a cell spanning right leaves blanks after it, one spanning down leaves
    /// blanks in the rows below, as a CSV export of the table does.
    private static func table(_ node: xmlNodePtr, held: inout Int) -> [[String]] {
        var rows: [[String]] = []
        var below: [Int: Int] = [:]  // column → rows it is still covered for
        func collectRows(_ parent: xmlNodePtr) {
            var n = parent.pointee.children
            while let tr = n {
                defer { n = tr.pointee.next }
                guard tr.pointee.type == XML_ELEMENT_NODE else { continue }
                let tag = name(tr)
                if ["thead", "tbody", "tfoot"].contains(tag) { collectRows(tr); continue }
                guard tag == "tr", held <= OfficeFile.cellLimit else { continue }
                var row: [String] = []
                var cell = tr.pointee.children
                func fillCovered() {
                    while let left = below[row.count], left > 0 {
                        below[row.count] = left - 1
                        row.append("")
                    }
                }
                while let td = cell, held + row.count <= OfficeFile.cellLimit {
                    defer { cell = td.pointee.next }
                    guard td.pointee.type == XML_ELEMENT_NODE, ["td", "th"].contains(name(td)) else { continue }
                    fillCovered()
                    let span = attribute(td, "colspan"), down = attribute(td, "rowspan")
                    let start = row.count
                    row.append(TextFold.trimmed(text(td)))
                    for _ in 1..<span { row.append("") }
                    if down > 1 { for c in start..<(start + span) { below[c] = down - 1 } }
                }
                fillCovered()
                held += row.count
                rows.append(row)
            }
        }
        collectRows(node)
        return rows
    }

    /// The text a cell displays: text nodes joined, scripts, styles and comments left out, a
    /// non-breaking space as a space.
    private static func text(_ node: xmlNodePtr) -> String {
        var out = ""
        var n = node.pointee.children
        while let current = n {
            switch current.pointee.type {
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let content = current.pointee.content { out += String(cString: content) }
            case XML_ELEMENT_NODE:
                let tag = name(current)
                if tag == "br" { out += " " } else if !["script", "style", "table"].contains(tag) { out += text(current) }
            default:
                break
            }
            n = current.pointee.next
        }
        return out.replacingOccurrences(of: "\u{00A0}", with: " ")
    }
}
