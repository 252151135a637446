import Foundation
import ZIPFoundation

/// A Word (.docx) document written part by part: headings in Word's heading styles, paragraphs,
/// real tables (merged cells as `w:gridSpan` and `w:vMerge`, header rows repeated on each page),
/// pictures; A4 pages. The package has fixed entry times, so the same document is the same bytes.
struct WordDocument {
    private var body = ""
    private var pictures: [[UInt8]] = []

    enum Alignment: String { case left, center, right }

    struct Run {
        var text: String
        var bold = false
    }

    mutating func title(_ text: String) { paragraph([Run(text: text, bold: true)], style: "Title", align: .center) }

    mutating func heading(_ level: Int, _ text: String) {
        paragraph([Run(text: text)], style: "Heading\(min(max(level, 1), 3))")
    }

    mutating func paragraph(_ runs: [Run], style: String? = nil, align: Alignment? = nil) {
        var props = ""
        if let style { props += "<w:pStyle w:val=\"\(style)\"/>" }
        if let align { props += "<w:jc w:val=\"\(align.rawValue)\"/>" }
        body += "<w:p>" + (props.isEmpty ? "" : "<w:pPr>\(props)</w:pPr>") + runs.map(Self.run).joined() + "</w:p>"
    }

    static func run(_ r: Run) -> String {
        "<w:r>" + (r.bold ? "<w:rPr><w:b/></w:rPr>" : "") + "<w:t xml:space=\"preserve\">\(escape(r.text))</w:t></w:r>"
    }

    mutating func table(_ table: SpannedTable) {
        let (width, rows) = table.placed()
        guard width > 0 else { return }
        // A4 less margins: 9,026 twentieths of a point, shared evenly but for a wider first column.
        let first = width > 1 ? 9026 * 2 / (width + 1) : 9026
        let other = width > 1 ? (9026 - first) / (width - 1) : 0
        func span(_ column: Int, _ n: Int) -> Int { (column..<(column + n)).reduce(0) { $0 + ($1 == 0 ? first : other) } }
        let borders: String = ["top", "left", "bottom", "right", "insideH", "insideV"]
            .map { (side: String) -> String in "<w:\(side) w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>" }.joined()
        let grid: String = (0..<width).map { (k: Int) -> String in "<w:gridCol w:w=\"\(k == 0 ? first : other)\"/>" }.joined()
        var xml = "<w:tbl><w:tblPr><w:tblStyle w:val=\"ReportTable\"/><w:tblW w:w=\"9026\" w:type=\"dxa\"/><w:tblLayout w:type=\"fixed\"/>"
        xml += "<w:tblBorders>" + borders + "</w:tblBorders>"
        xml += "<w:tblCellMar><w:left w:w=\"60\" w:type=\"dxa\"/><w:right w:w=\"60\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr>"
        xml += "<w:tblGrid>" + grid + "</w:tblGrid>"
        for (r, row) in rows.enumerated() {
            xml += "<w:tr>" + (r < table.head.count ? "<w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>" : "<w:trPr><w:cantSplit/></w:trPr>")
            for (column, cell, n) in row {
                var props = "<w:tcW w:w=\"\(span(column, n))\" w:type=\"dxa\"/>" + (n > 1 ? "<w:gridSpan w:val=\"\(n)\"/>" : "")
                guard let cell else {
                    xml += "<w:tc><w:tcPr>\(props)<w:vMerge/></w:tcPr><w:p/></w:tc>"
                    continue
                }
                if cell.rowspan > 1 { props += "<w:vMerge w:val=\"restart\"/>" }
                if cell.header { props += "<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"EDEDED\"/>" }
                props += "<w:vAlign w:val=\"center\"/>"
                let align = cell.numeric ? "right" : cell.header ? "center" : "left"
                xml += "<w:tc><w:tcPr>\(props)</w:tcPr><w:p><w:pPr><w:pStyle w:val=\"TableText\"/><w:jc w:val=\"\(align)\"/></w:pPr>"
                    + (cell.text.isEmpty ? "" : Self.run(Run(text: cell.text, bold: cell.header))) + "</w:p></w:tc>"
            }
            xml += "</w:tr>"
        }
        body += xml + "</w:tbl><w:p/>"
    }

    /// A PNG shown `width` × `height` (in centimetres), centred, with its caption below.
    mutating func picture(_ png: [UInt8], width: Double, height: Double, caption: String) {
        pictures.append(png)
        let n = pictures.count
        let cx = Int(width * 360_000), cy = Int(height * 360_000)
        // Its own line height: the body's exact line spacing would clip the picture to one line.
        body += "<w:p><w:pPr><w:spacing w:before=\"120\" w:line=\"240\" w:lineRule=\"auto\"/><w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/><w:jc w:val=\"center\"/></w:pPr><w:r><w:drawing><wp:inline distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\">"
            + "<wp:extent cx=\"\(cx)\" cy=\"\(cy)\"/><wp:docPr id=\"\(n)\" name=\"\(Self.escape(caption))\"/>"
            + "<wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect=\"1\"/></wp:cNvGraphicFramePr>"
            + "<a:graphic><a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/picture\"><pic:pic>"
            + "<pic:nvPicPr><pic:cNvPr id=\"\(n)\" name=\"chart\(n).png\"/><pic:cNvPicPr/></pic:nvPicPr>"
            + "<pic:blipFill><a:blip r:embed=\"rIdPicture\(n)\"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>"
            + "<pic:spPr><a:xfrm><a:off x=\"0\" y=\"0\"/><a:ext cx=\"\(cx)\" cy=\"\(cy)\"/></a:xfrm><a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom></pic:spPr>"
            + "</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"
        paragraph([Run(text: caption)], style: "Caption", align: .center)
    }

    static func escape(_ s: String) -> String {
        if !s.utf8.contains(where: { $0 < 0x20 || $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 }) { return s }
        var out = ""
        for ch in s.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            // Characters XML 1.0 does not allow are dropped rather than making Word refuse the file.
            case _ where ch.value < 0x20 && ch != "\t" && ch != "\n" && ch != "\r": continue
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    // MARK: The package

    /// Every entry dated the same moment: the bytes depend on the content alone.
    static let entryDate = Date(timeIntervalSince1970: 1_262_304_000)  // 2010-01-01

    func package(title: String) throws -> [UInt8] {
        let ns = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\" xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" xmlns:pic=\"http://schemas.openxmlformats.org/drawingml/2006/picture\""
        let head = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
        let document = head + "<w:document \(ns)><w:body>\(body)<w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/>"
            + "<w:pgMar w:top=\"1440\" w:right=\"1440\" w:bottom=\"1440\" w:left=\"1440\" w:header=\"851\" w:footer=\"992\" w:gutter=\"0\"/></w:sectPr></w:body></w:document>"
        var rels = head + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
            + "<Relationship Id=\"rIdStyles\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>"
        for n in pictures.indices {
            rels += "<Relationship Id=\"rIdPicture\(n + 1)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/image\" Target=\"media/chart\(n + 1).png\"/>"
        }
        rels += "</Relationships>"
        let types = head + "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
            + "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
            + "<Default Extension=\"xml\" ContentType=\"application/xml\"/><Default Extension=\"png\" ContentType=\"image/png\"/>"
            + "<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
            + "<Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>"
            + "<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/></Types>"
        let root = head + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
            + "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>"
            + "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/></Relationships>"
        let core = head + "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">"
            + "<dc:title>\(Self.escape(title))</dc:title><dc:creator>disclosure</dc:creator></cp:coreProperties>"
        var parts: [(String, [UInt8])] = [
            ("[Content_Types].xml", Array(types.utf8)), ("_rels/.rels", Array(root.utf8)), ("docProps/core.xml", Array(core.utf8)),
            ("word/document.xml", Array(document.utf8)), ("word/_rels/document.xml.rels", Array(rels.utf8)),
            ("word/styles.xml", Array(WordStyles.xml.utf8)),
        ]
        for (n, png) in pictures.enumerated() { parts.append(("word/media/chart\(n + 1).png", png)) }
        let archive = try Archive(data: Data(), accessMode: .create)
        for (name, bytes) in parts {
            let data = Data(bytes)
            try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(data.count), modificationDate: Self.entryDate,
                                 // Stored, not deflated: the report is rewritten on every change, and a
                                 // few hundred KB more is cheaper than compressing it each time.
                                 permissions: 0o644, compressionMethod: .none) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return Array(archive.data ?? Data())
    }
}
