import Core

/// The national tables of a published report, found in its printed lines: each table by its
/// header (信息内容, 申请人情况, 行政复议 beside 行政诉讼) wherever it sits, continued over page
/// breaks (its header repeated or not), its columns by the header's leaf cells and its rows by
/// the lines that carry figures. A row label wrapped over several lines is put together by its
/// numbering (一、（一）1.) and by where its pieces sit; a label that owns no figures of its own
/// (（三）不予公开 beside its eight rows, the vertical 三、本年度办理结果) is the heading of the
/// rows beside it.
struct PDFTables {
    struct Cell: Equatable {
        /// "t2", "t3" or "t4".
        var table: String
        /// The row's label path as printed ("（三）不予公开/1.属于国家秘密"); empty for table 4.
        var row: String
        /// Table 2's 第二十条 heading above the row.
        var context: String?
        var column: String
        var columnNumber: Int
        var value: String
        var page: Int
    }

    var cells: [Cell] = []
    /// The lines the tables took (headers and rows): the others are the report's text.
    var used = Set<Int>()
    /// The pages each table's header is printed on, and how many lines each row label took:
    /// what a check of a printed report's layout reads.
    var headerPages: [String: Set<Int>] = [:]
    var labelLines: [String: Int] = [:]
    /// Tables whose header was found (a table of all blank rows has a header and no cell).
    var found: [String] = []

    static let t3Terms = ["申请人情况", "自然人", "法人或其他组织", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
    static let t4Terms = ["行政复议", "行政诉讼", "未经复议直接起诉", "复议后起诉", "结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    /// Every piece a header cell of table 3 or 4 may be wrapped into (a run of its characters).
    static let t3Pieces = pieces(t3Terms)
    static let t4Pieces = pieces(t4Terms)

    static func pieces(_ terms: [String]) -> Set<String> {
        var out = Set<String>()
        for term in terms {
            let c = Array(term)
            for i in c.indices { for j in i..<c.count { out.insert(String(c[i...j])) } }
        }
        return out
    }

    /// Table 3's columns that no group header covers.
    static let t3Ungrouped: Set<String> = ["自然人", "总计"]

    /// A column of figures: its header path and where it sits.
    struct Column {
        var path: String
        var center: Double
        var left: Double
        var right: Double
    }

    /// What the body of one table has gathered: label pieces and lines of figures.
    struct Body {
        var kind: String
        var columns: [Column]
        var fragments: [PDFLines.Chunk] = []
        /// Line → (column → text), and the columns the header above that line gave.
        var figures: [Int: [Int: String]] = [:]
        var columnsAt: [Int: [Column]] = [:]
        var figurePages: [Int: Int] = [:]
        var lastLine = -1
        var lastPage = 0

        var boundary: Double { columns.first?.left ?? 0 }
    }

    init(_ lines: [PDFLines.Line]) {
        var body: Body?
        var k = 0
        while k < lines.count {
            let line = lines[k]
            if let kind = Self.headerKind(line) {
                let (columns, next) = Self.header(lines, at: k, kind: kind)
                if !columns.isEmpty {
                    used.formUnion(k..<next)
                    headerPages[kind, default: []].insert(line.page)
                    if let open = body, open.kind == kind {
                        body?.columns = columns   // the header repeated on a new page, or table 2's next block
                    } else {
                        if let open = body { finish(open) }
                        body = Body(kind: kind, columns: columns)
                        if !found.contains(kind) { found.append(kind) }
                    }
                    k = next
                    continue
                }
            }
            guard var open = body else { k += 1; continue }
            if add(line, to: &open) {
                used.insert(k)
                body = open
            } else if line.page != open.lastPage && Self.nearTop(lines, k) {
                // A running head this reader did not recognise: the table may go on below it.
            } else {
                finish(open)
                body = nil
            }
            k += 1
        }
        if let open = body { finish(open) }
    }

    /// True when the line is among the first two of its page.
    static func nearTop(_ lines: [PDFLines.Line], _ k: Int) -> Bool {
        k == 0 || lines[k - 1].page != lines[k].page || (k >= 2 && lines[k - 2].page != lines[k].page)
    }

    /// The table a header line starts.
    static func headerKind(_ line: PDFLines.Line) -> String? {
        let texts = line.chunks.map(\.compact)
        if texts.contains("申请人情况") { return "t3" }
        if texts.contains("行政复议") && texts.contains("行政诉讼") { return "t4" }
        if texts.contains("信息内容") { return "t2" }
        return nil
    }

    // MARK: Headers

    /// The header's columns, and the first line after it. The header is the keyword's line, the
    /// lines just above it that hold only header text (a cell centred between two wrapped
    /// neighbours), and the lines below until one carries a figure or a numbered row label.
    static func header(_ lines: [PDFLines.Line], at k: Int, kind: String) -> ([Column], Int) {
        guard let keyword = lines[k].chunks.first(where: { ["申请人情况", "信息内容", "行政复议"].contains($0.compact) }) else { return ([], k + 1) }
        func isHeaderPiece(_ c: PDFLines.Chunk) -> Bool {
            switch kind {
            case "t3": return t3Pieces.contains(c.compact)
            case "t4": return t4Pieces.contains(c.compact)
            default: return c.x1 >= keyword.x2 - 1 && !isValue(c.compact) && !c.compact.hasPrefix("第二十条")
            }
        }
        func headerOnly(_ line: PDFLines.Line) -> Bool {
            line.chunks.allSatisfy { c in
                guard !isValue(c.compact), level(c.compact) == nil, !c.compact.hasPrefix("第二十条") else { return false }
                // Table 3's corner note sits left of its header; table 2's row labels are no header.
                if isHeaderPiece(c) { return true }
                return kind == "t3" && c.x2 <= keyword.x1
            }
        }
        var band: [PDFLines.Chunk] = lines[k].chunks.filter(isHeaderPiece)
        var up = k - 1
        while up >= 0, up >= k - 2, lines[up].page == lines[k].page, headerOnly(lines[up]),
              lines[up].chunks.contains(where: isHeaderPiece), headerKind(lines[up]) == nil {
            band += lines[up].chunks.filter(isHeaderPiece)
            up -= 1
        }
        var next = k + 1
        while next < lines.count, next <= k + 12, headerOnly(lines[next]), headerKind(lines[next]) == nil {
            band += lines[next].chunks.filter(isHeaderPiece)
            next += 1
        }
        if kind == "t3" { band.removeAll { $0.compact == "申请人情况" } }
        return (columns(band, kind: kind), next)
    }

    /// The leaf cells of a header, left to right, each with the groups above it.
    static func columns(_ band: [PDFLines.Chunk], kind: String) -> [Column] {
        // Pieces of one wrapped cell stacked one under the next are one cell again.
        let lineHeight = band.map(\.height).min() ?? 10
        var cells = band.sorted { ($0.line, $0.x1) < ($1.line, $1.x1) }
        var merged = true
        while merged {
            merged = false
            outer: for a in cells.indices {
                for b in cells.indices where b != a && cells[b].y1 >= cells[a].y2 - 1 && cells[b].y1 - cells[a].y2 < 0.8 * lineHeight {
                    var head = cells[a].compact
                    if let last = head.last, "-‐‑".contains(last) { head.removeLast() }
                    let joined = head + cells[b].compact
                    let overlap = cells[a].overlapX(cells[b]) > 0.3 * min(cells[a].x2 - cells[a].x1, cells[b].x2 - cells[b].x1)
                    let known = kind == "t2" || (kind == "t3" ? t3Terms : t4Terms).contains { $0.hasPrefix(joined) }
                    guard overlap, known else { continue }
                    cells[a].text = (cells[a].text.last.map { "-‐‑".contains($0) } == true ? String(cells[a].text.dropLast()) : cells[a].text) + cells[b].text
                    cells[a].x1 = min(cells[a].x1, cells[b].x1); cells[a].x2 = max(cells[a].x2, cells[b].x2)
                    cells[a].y2 = cells[b].y2; cells[a].lastLine = cells[b].lastLine
                    cells.remove(at: b)
                    merged = true
                    break outer
                }
            }
        }
        // A leaf has no header cell below it.
        let leaves = cells.filter { a in !cells.contains { b in b.y1 >= a.y2 - 1 && a.overlapX(b) > 0 } }
            .sorted { $0.centerX < $1.centerX }
        guard !leaves.isEmpty else { return [] }
        var columns: [Column] = []
        for (j, leaf) in leaves.enumerated() {
            let left = j == 0 ? leaf.x1 - max(6, j + 1 < leaves.count ? (leaves[j + 1].centerX - leaf.centerX) / 2 - (leaf.x2 - leaf.x1) / 2 : 6)
                : (leaves[j - 1].centerX + leaf.centerX) / 2
            let right = j + 1 < leaves.count ? (leaf.centerX + leaves[j + 1].centerX) / 2 : leaf.x2 + 400
            columns.append(Column(path: leaf.compact, center: leaf.centerX, left: min(left, leaf.x1 - 1), right: right))
        }
        // Groups: leaves in runs (a leaf name repeated starts a new run: table 4's three groups of
        // five); a header cell above a run that overlaps any of its columns names the whole run.
        var runs: [[Int]] = [[0]]
        for j in 1..<leaves.count {
            let run = runs[runs.count - 1]
            if run.contains(where: { leaves[$0].compact == leaves[j].compact }) { runs.append([j]) } else { runs[runs.count - 1].append(j) }
        }
        let groups = cells.filter { c in !leaves.contains { $0.line == c.line && $0.x1 == c.x1 } }
        for run in runs {
            let above = groups.filter { g in
                run.contains { j in min(g.x2, columns[j].right) - max(g.x1, columns[j].left) > 0 && g.y2 <= leaves[j].y1 + 1 }
            }.sorted { $0.y1 < $1.y1 }
            let prefix = above.map(\.compact)
            // 自然人 and 总计 stand beside 法人或其他组织, under no group, wherever its text sits.
            for j in run where !prefix.isEmpty && !(kind == "t3" && t3Ungrouped.contains(leaves[j].compact)) {
                columns[j].path = (prefix + [leaves[j].compact]).joined(separator: "/")
            }
        }
        return columns
    }

    // MARK: Bodies

    /// Takes a line into the table: its figures by column and its row-label pieces. False when
    /// the line is not the table's (a note, a title, the narrative after it).
    func add(_ line: PDFLines.Line, to body: inout Body) -> Bool {
        guard let first = line.chunks.first else { return true }
        let start = first.compact
        if CellText.isNote(start) || line.chunks.contains(where: { c in
            MatrixTableReader.isTitle(c.compact)
        }) {
            return false
        }
        var figures: [Int: String] = [:]
        var pieces: [PDFLines.Chunk] = []
        for c in line.chunks {
            if c.centerX < body.boundary || (body.kind == "t2" && Self.isArticleHeading(c.compact)) {
                pieces.append(c)
                continue
            }
            guard Self.isValue(c.compact) else { return false }
            // By its overlap with a column, else the nearest centre.
            let j = body.columns.indices.max { a, b in
                let oa = min(c.x2, body.columns[a].right) - max(c.x1, body.columns[a].left)
                let ob = min(c.x2, body.columns[b].right) - max(c.x1, body.columns[b].left)
                return oa != ob ? oa < ob : abs(c.centerX - body.columns[a].center) > abs(c.centerX - body.columns[b].center)
            }!
            // Two figures in one cell are both kept, as written: the value is not a number then.
            figures[j] = figures[j].map { $0 + " " + c.text } ?? c.text
        }
        if body.kind == "t4" && !pieces.isEmpty && figures.isEmpty { return false }
        body.fragments += pieces
        if !figures.isEmpty {
            body.figures[first.line] = figures
            body.columnsAt[first.line] = body.columns
            body.figurePages[first.line] = line.page
        }
        body.lastLine = first.line
        body.lastPage = line.page
        return true
    }

    static func isValue(_ compact: String) -> Bool { CellText.isFigure(compact) }

    static func isArticleHeading(_ compact: String) -> Bool {
        compact.hasPrefix("第二十条") || (compact.hasPrefix("第(") && compact.hasSuffix("项")) || compact == "项"
    }

    /// The numbering level a label starts with: 1 for 一、, 2 for （一）, 3 for 1. 1、 （1） ⑴ ①.
    static func level(_ compact: String) -> Int? {
        let s = Array(compact.unicodeScalars)
        guard let first = s.first else { return nil }
        let numerals: Set<Unicode.Scalar> = Set("一二三四五六七八九十".unicodeScalars)
        func isDigit(_ u: Unicode.Scalar) -> Bool { u.value >= 0x30 && u.value <= 0x39 }
        if (0x2460...0x249B).contains(first.value) { return 3 }
        if first == "(" {
            var i = 1
            while i < s.count, numerals.contains(s[i]) || isDigit(s[i]) { i += 1 }
            guard i > 1, i < s.count, s[i] == ")" else { return nil }
            return numerals.contains(s[1]) ? 2 : 3
        }
        var i = 0
        let chinese = numerals.contains(first)
        while i < s.count, chinese ? numerals.contains(s[i]) : isDigit(s[i]) { i += 1 }
        guard i > 0, i < s.count, i + 1 < s.count || !chinese else { return nil }
        if chinese { return s[i] == "、" || s[i] == "." ? 1 : nil }
        return ["、", ".", ")", ","].contains(s[i]) && i + 1 < s.count ? 3 : nil
    }

    struct Label {
        var pieces: [PDFLines.Chunk]
        var level: Int?
        /// The pieces joined; a hyphen that ends a wrapped piece is the soft hyphen Word prints
        /// where it broke the line, not text.
        var text: String {
            var out = ""
            for (k, piece) in pieces.enumerated() {
                var t = piece.text
                if k + 1 < pieces.count, let last = t.last, "-‐‑".contains(last) { t.removeLast() }
                out += t
            }
            return out
        }
        var first: Int { pieces.first!.line }
        var last: Int { pieces.map(\.lastLine).max()! }
        var x1: Double { pieces.first!.x1 }
        var heading: Bool { Self.isHeading(pieces.first!.compact) }
        static func isHeading(_ s: String) -> Bool { PDFTables.isArticleHeading(s) }
    }

    /// The body's rows: each line of figures, its label, and the label's heading.
    mutating func finish(_ body: Body) {
        let anchors = body.figures.keys.sorted()
        guard !anchors.isEmpty else { return }
        let labels = Self.labels(body, anchors: anchors)
        // Each line of figures belongs to the deepest label whose lines reach it; one reaching
        // none (table 4's single row) has no label.
        var owner: [Int: Int] = [:]
        var owned = Set<Int>()
        for a in anchors {
            let reaching = labels.indices.filter { labels[$0].first <= a && labels[$0].last >= a && !labels[$0].heading }
            let near = reaching.isEmpty
                ? labels.indices.filter { !labels[$0].heading && (labels[$0].last == a - 1 || labels[$0].first == a + 1) && !owned.contains($0) }
                : reaching
            if let best = near.max(by: { (labels[$0].level ?? 3, labels[$0].x1) < (labels[$1].level ?? 3, labels[$1].x1) }) {
                owner[a] = best
                owned.insert(best)
                labelLines[labels[best].text] = Set(labels[best].pieces.map(\.line)).count
            }
        }
        // A run of numbered rows (1. 2. 3.) takes as heading the label of a level above it that
        // owns no figures and sits beside the run.
        var parent: [Int: Int] = [:]
        var run: [Int] = []
        func closeRun() {
            defer { run = [] }
            guard let firstLine = run.first.flatMap({ owner[$0] }).map({ labels[$0].first }),
                  let lastLine = run.last.flatMap({ owner[$0] }).map({ labels[$0].last }) else { return }
            let candidates = labels.indices.filter { !owned.contains($0) && !labels[$0].heading && (labels[$0].level ?? 0) == 2 }
            let beside = candidates.filter { labels[$0].first <= lastLine && labels[$0].last >= firstLine }
            let pick = beside.first ?? candidates.filter { labels[$0].last < firstLine && labels[$0].last >= firstLine - 2 }.last
            if let pick { for a in run { parent[a] = pick } }
        }
        for a in anchors {
            let level = owner[a].flatMap { labels[$0].level }
            let number = owner[a].map { String(TextFold.compact(labels[$0].text).drop { !$0.isNumber }.prefix { $0.isNumber }) }
            if level == 3, let number, !(number == "1" && !run.isEmpty) {
                run.append(a)
            } else {
                closeRun()
                if level == 3 { run.append(a) }
            }
        }
        closeRun()
        for a in anchors {
            var path = owner[a].map { labels[$0].text } ?? ""
            if let p = parent[a] { path = labels[p].text + "/" + path }
            let context = body.kind == "t2"
                ? labels.filter { $0.heading && $0.first <= a }.last.map(\.text) : nil
            for (j, column) in (body.columnsAt[a] ?? body.columns).enumerated() {
                cells.append(Cell(table: body.kind, row: path, context: context, column: column.path, columnNumber: j + 1,
                                  value: body.figures[a]?[j] ?? "", page: body.figurePages[a] ?? 0))
            }
        }
    }

    /// The label pieces put together: a piece that starts with a numbering starts a label; one
    /// that does not goes on the label just above it that it lines up with (a wrapped line), unless
    /// (in a table without numbering, table 2) it sits nearer another line of figures.
    static func labels(_ body: Body, anchors: [Int]) -> [Label] {
        var labels: [Label] = []
        let numbered = body.fragments.contains { level($0.compact) != nil }
        let pieces = body.fragments.sorted { ($0.line, $0.x1) < ($1.line, $1.x1) }
        func nearestAnchor(_ line: Int) -> Int? { anchors.min { abs($0 - line) < abs($1 - line) } }
        for piece in pieces {
            let lvl = level(piece.compact)
            if lvl == nil && !Label.isHeading(piece.compact) {
                let above = labels.indices.filter { k in
                    let last = labels[k].pieces.last!
                    // A 第二十条 heading takes only its own pieces (第（五）项), never a row label.
                    guard !labels[k].heading else { return false }
                    return labels[k].last < piece.line && labels[k].last >= piece.line - 3
                        && last.overlapX(piece) > 0.2 * min(last.x2 - last.x1, piece.x2 - piece.x1)
                }.max { labels[$0].last < labels[$1].last }
                if let k = above {
                    var split = false
                    if !numbered, !labels[k].heading {
                        let own = anchors.first { $0 >= labels[k].first && $0 <= labels[k].last }
                        let mine = body.figures[piece.line] != nil ? piece.line : nearestAnchor(piece.line)
                        if let own, let mine, own != mine, abs(mine - piece.line) < abs(own - piece.line) || body.figures[piece.line] != nil {
                            split = true
                        }
                    }
                    if !split {
                        labels[k].pieces.append(piece)
                        continue
                    }
                }
            } else if lvl == nil, let k = labels.indices.last, labels[k].heading, labels[k].last >= piece.line - 2,
                      isArticleHeading(piece.compact) && !piece.compact.hasPrefix("第二十条") {
                labels[k].pieces.append(piece)
                continue
            }
            labels.append(Label(pieces: [piece], level: lvl))
        }
        return labels
    }
}
