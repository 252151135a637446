/// A table as the report draws it, whatever the format: cells that span columns and rows, header
/// cells apart from data cells. The HTML report and the Word report draw the same value.
struct SpannedTable {
    struct Cell {
        var text: String
        var colspan = 1
        var rowspan = 1
        var header = false
        var numeric = false
    }

    var className: String
    /// The columns' widths as the official template draws them (relative; the Word report scales
    /// them to the page), or nil for an even share. HTML leaves widths to the browser.
    var columnWidths: [Int]?
    /// Header rows (drawn in `<thead>`, repeated on each page in Word); may be empty.
    var head: [[Cell]] = []
    var body: [[Cell]] = []

    var html: String {
        func row(_ cells: [Cell]) -> String {
            "<tr>" + cells.map { c in
                let tag = c.header ? "th" : "td"
                let attrs = (c.numeric ? " class=\"n\"" : "") + (c.colspan > 1 ? " colspan=\"\(c.colspan)\"" : "")
                    + (c.rowspan > 1 ? " rowspan=\"\(c.rowspan)\"" : "")
                return "<\(tag)\(attrs)>\(c.numeric ? c.text : HTMLParts.escape(c.text))</\(tag)>"
            }.joined() + "</tr>"
        }
        return "<table class=\"\(className)\">" + (head.isEmpty ? "" : "<thead>" + head.map(row).joined() + "</thead>")
            + "<tbody>" + body.map(row).joined() + "</tbody></table>"
    }

    /// Each row's cells placed on the grid: (column, cell) for a cell starting there, and the
    /// columns a cell from above still covers (column, span), for Word's vertical merge.
    func placed() -> (width: Int, rows: [[(column: Int, cell: Cell?, span: Int)]]) {
        let all = head + body
        var covered: [Int: (rows: Int, span: Int)] = [:]
        var out: [[(Int, Cell?, Int)]] = []
        var width = 0
        for cells in all {
            var row: [(Int, Cell?, Int)] = []
            var column = 0
            var queue = cells[...]
            while !queue.isEmpty || covered.keys.contains(where: { $0 >= column }) {
                if let c = covered[column], c.rows > 0 {
                    row.append((column, nil, c.span))
                    covered[column] = c.rows > 1 ? (c.rows - 1, c.span) : nil
                    column += c.span
                    continue
                }
                guard let cell = queue.popFirst() else { column += 1; continue }
                row.append((column, cell, cell.colspan))
                if cell.rowspan > 1 { covered[column] = (cell.rowspan - 1, cell.colspan) }
                column += cell.colspan
            }
            width = max(width, column)
            out.append(row)
        }
        return (width, out)
    }
}
