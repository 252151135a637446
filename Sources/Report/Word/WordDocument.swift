import Core
import Foundation
import Transform
import ZIPFoundation

/// A Word (.docx) document written part by part: headings in Word's heading styles, paragraphs,
/// real tables (merged cells as `w:gridSpan` and `w:vMerge`, header rows repeated on each page),
/// charts drawn by Word itself; A4 pages with the official margins. The package has fixed entry times, so the same document is the same bytes.
struct WordDocument {
    private var body = ""
    private var charts: [String] = []

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

    /// The page as the official documents lay it out (GB/T 9704): A4, margins 3.7 cm top, 3.5 cm
    /// bottom, 2.8 cm left and 2.6 cm right, in twentieths of a point.
    static let page = (width: 11906, height: 16838, top: 2098, bottom: 1984, left: 1587, right: 1474)
    static let textWidth = page.width - page.left - page.right

    mutating func table(_ table: SpannedTable) {
        let (width, rows) = table.placed()
        guard width > 0 else { return }
        // The template's widths scaled to the page, else an even share with a wider first column.
        var widths: [Int]
        if let given = table.columnWidths, given.count == width, given.reduce(0, +) > 0 {
            let total = given.reduce(0, +)
            widths = given.map { $0 * Self.textWidth / total }
        } else {
            let first = width > 1 ? Self.textWidth * 2 / (width + 1) : Self.textWidth
            let other = width > 1 ? (Self.textWidth - first) / (width - 1) : 0
            widths = (0..<width).map { $0 == 0 ? first : other }
        }
        widths[width - 1] += Self.textWidth - widths.reduce(0, +)
        func span(_ column: Int, _ n: Int) -> Int { widths[column..<(column + n)].reduce(0, +) }
        let borders: String = ["top", "left", "bottom", "right", "insideH", "insideV"]
            .map { (side: String) -> String in "<w:\(side) w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>" }.joined()
        let grid: String = widths.map { "<w:gridCol w:w=\"\($0)\"/>" }.joined()
        var xml = "<w:tbl><w:tblPr><w:tblStyle w:val=\"ReportTable\"/><w:tblW w:w=\"\(Self.textWidth)\" w:type=\"dxa\"/><w:tblLayout w:type=\"fixed\"/>"
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
                // The header rows and the first row kept with what follows: a table never starts on a page's last lines.
                let keep = r <= table.head.count ? "<w:keepNext/>" : ""
                xml += "<w:tc><w:tcPr>\(props)</w:tcPr><w:p><w:pPr><w:pStyle w:val=\"TableText\"/>\(keep)<w:jc w:val=\"\(align)\"/></w:pPr>"
                    + (cell.text.isEmpty ? "" : Self.run(Run(text: cell.text, bold: cell.header))) + "</w:p></w:tc>"
            }
            xml += "</w:tr>"
        }
        body += xml + "</w:tbl><w:p/>"
    }

    /// A bar chart Word and WPS draw themselves (a DrawingML chart part): each category named
    /// on its axis, its figure at the end of its bar, and the figures again as the alt text.
    mutating func chart(_ values: [(String, Decimal)], unit: String, caption: String, width: Double) {
        let n = charts.count + 1
        let height = Double(max(values.count, 1)) * 0.9 + 1.2
        let cx = Int(width * 360_000), cy = Int(height * 360_000)
        let alt = caption + "：" + values.map { "\($0.0)\(Amount.text($0.1))\(unit)" }.joined(separator: "，")
        body += "<w:p><w:pPr><w:keepNext/><w:spacing w:before=\"120\" w:line=\"240\" w:lineRule=\"auto\"/><w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/><w:jc w:val=\"center\"/></w:pPr><w:r><w:drawing><wp:inline distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\">"
            + "<wp:extent cx=\"\(cx)\" cy=\"\(cy)\"/><wp:docPr id=\"\(100 + n)\" name=\"\(Self.escape(caption))\" descr=\"\(Self.escape(alt))\"/>"
            + "<wp:cNvGraphicFramePr/><a:graphic><a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/chart\">"
            + "<c:chart xmlns:c=\"http://schemas.openxmlformats.org/drawingml/2006/chart\" r:id=\"rIdChart\(n)\"/>"
            + "</a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"
        charts.append(Self.chartPart(values, unit: unit))
        paragraph([Run(text: caption)], style: "Caption", align: .center)
    }

    /// The chart part: one series of horizontal bars, categories top to bottom, figures shown.
    static func chartPart(_ values: [(String, Decimal)], unit: String) -> String {
        let count = values.count
        let cats = values.enumerated().map { "<c:pt idx=\"\($0.offset)\"><c:v>\(escape($0.element.0))</c:v></c:pt>" }.joined()
        let nums = values.enumerated().map { "<c:pt idx=\"\($0.offset)\"><c:v>\(Amount.text($0.element.1))</c:v></c:pt>" }.joined()
        let font = "<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz=\"1000\"><a:latin typeface=\"Times New Roman\"/><a:ea typeface=\"仿宋\"/></a:defRPr></a:pPr><a:endParaRPr lang=\"zh-CN\"/></a:p></c:txPr>"
        return "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
            + "<c:chartSpace xmlns:c=\"http://schemas.openxmlformats.org/drawingml/2006/chart\" xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
            + "<c:roundedCorners val=\"0\"/><c:chart><c:autoTitleDeleted val=\"1\"/><c:plotArea><c:layout/>"
            + "<c:barChart><c:barDir val=\"bar\"/><c:grouping val=\"clustered\"/><c:varyColors val=\"0\"/>"
            + "<c:ser><c:idx val=\"0\"/><c:order val=\"0\"/><c:tx><c:v>\(escape(unit))</c:v></c:tx>"
            + "<c:spPr><a:solidFill><a:srgbClr val=\"B22222\"/></a:solidFill></c:spPr><c:invertIfNegative val=\"0\"/>"
            + "<c:dLbls><c:spPr><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr>\(font)<c:showLegendKey val=\"0\"/><c:showVal val=\"1\"/><c:showCatName val=\"0\"/><c:showSerName val=\"0\"/><c:showPercent val=\"0\"/><c:showBubbleSize val=\"0\"/></c:dLbls>"
            + "<c:cat><c:strRef><c:f>Sheet1!$A$2:$A$\(count + 1)</c:f><c:strCache><c:ptCount val=\"\(count)\"/>\(cats)</c:strCache></c:strRef></c:cat>"
            + "<c:val><c:numRef><c:f>Sheet1!$B$2:$B$\(count + 1)</c:f><c:numCache><c:formatCode>General</c:formatCode><c:ptCount val=\"\(count)\"/>\(nums)</c:numCache></c:numRef></c:val>"
            + "</c:ser><c:gapWidth val=\"60\"/><c:axId val=\"10\"/><c:axId val=\"20\"/></c:barChart>"
            + "<c:catAx><c:axId val=\"10\"/><c:scaling><c:orientation val=\"maxMin\"/></c:scaling><c:delete val=\"0\"/><c:axPos val=\"l\"/><c:numFmt formatCode=\"General\" sourceLinked=\"0\"/><c:majorTickMark val=\"none\"/><c:minorTickMark val=\"none\"/><c:tickLblPos val=\"nextTo\"/>\(font)<c:crossAx val=\"20\"/><c:crosses val=\"autoZero\"/><c:auto val=\"1\"/><c:lblAlgn val=\"ctr\"/><c:lblOffset val=\"100\"/><c:noMultiLvlLbl val=\"0\"/></c:catAx>"
            + "<c:valAx><c:axId val=\"20\"/><c:scaling><c:orientation val=\"minMax\"/></c:scaling><c:delete val=\"1\"/><c:axPos val=\"t\"/><c:numFmt formatCode=\"General\" sourceLinked=\"0\"/><c:majorTickMark val=\"none\"/><c:minorTickMark val=\"none\"/><c:tickLblPos val=\"nextTo\"/><c:crossAx val=\"10\"/><c:crosses val=\"max\"/><c:crossBetween val=\"between\"/></c:valAx>"
            + "</c:plotArea><c:plotVisOnly val=\"1\"/><c:dispBlanksAs val=\"gap\"/></c:chart></c:chartSpace>"
    }

    static func escape(_ s: String) -> String { Markup.escape(s, droppingControls: true) }

    // MARK: The package

    /// Every entry dated the same moment: the bytes depend on the content alone.
    static let entryDate = Date(timeIntervalSince1970: 1_262_304_000)  // 2010-01-01

    func package(title: String) throws -> [UInt8] {
        let ns = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\" xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" xmlns:pic=\"http://schemas.openxmlformats.org/drawingml/2006/picture\""
        let head = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
        let p = Self.page
        let document = head + "<w:document \(ns)><w:body>\(body)<w:sectPr><w:pgSz w:w=\"\(p.width)\" w:h=\"\(p.height)\"/>"
            + "<w:pgMar w:top=\"\(p.top)\" w:right=\"\(p.right)\" w:bottom=\"\(p.bottom)\" w:left=\"\(p.left)\" w:header=\"851\" w:footer=\"992\" w:gutter=\"0\"/></w:sectPr></w:body></w:document>"
        var rels = head + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
            + "<Relationship Id=\"rIdStyles\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>"
        for n in charts.indices {
            rels += "<Relationship Id=\"rIdChart\(n + 1)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart\" Target=\"charts/chart\(n + 1).xml\"/>"
        }
        rels += "</Relationships>"
        let types = head + "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
            + "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
            + "<Default Extension=\"xml\" ContentType=\"application/xml\"/><Default Extension=\"png\" ContentType=\"image/png\"/>"
            + "<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
            + "<Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>"
            + charts.indices.map { "<Override PartName=\"/word/charts/chart\($0 + 1).xml\" ContentType=\"application/vnd.openxmlformats-officedocument.drawingml.chart+xml\"/>" }.joined()
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
        for (n, chart) in charts.enumerated() { parts.append(("word/charts/chart\(n + 1).xml", Array(chart.utf8))) }
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
