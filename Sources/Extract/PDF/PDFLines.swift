import Core

/// A PDF's printed text as lines and the pieces of text on them: characters grouped into lines
/// by their vertical centre, a line cut into chunks where a gap wider than about half a
/// character opens (a cell's padding), page numbers and running heads left out, and a word
/// printed one character a line (a vertical label) put back together.
struct PDFLines {
    struct Chunk {
        /// The text as printed, and folded (width, no spaces) for comparisons: kept together.
        var text: String { didSet { compact = TextFold.compact(text) } }
        private(set) var compact: String
        var x1: Double, x2: Double, y1: Double, y2: Double
        /// The line it sits on, counted through the whole document, and the last line it
        /// reaches down to (a word printed down the page spans several).
        var line: Int
        var lastLine: Int
        var page: Int

        var height: Double { y2 - y1 }
        var centerX: Double { (x1 + x2) / 2 }

        init(text: String, x1: Double, x2: Double, y1: Double, y2: Double, line: Int, lastLine: Int, page: Int) {
            self.text = text
            compact = TextFold.compact(text)
            self.x1 = x1; self.x2 = x2; self.y1 = y1; self.y2 = y2
            self.line = line; self.lastLine = lastLine; self.page = page
        }

        func overlapX(_ other: Chunk) -> Double { min(x2, other.x2) - max(x1, other.x1) }
    }

    struct Line {
        var page: Int
        var y1: Double, y2: Double
        var chunks: [Chunk]
        var text: String { chunks.map(\.text).joined(separator: " ") }
        var center: Double { (y1 + y2) / 2 }
    }

    var lines: [Line] = []

    init(_ layout: PDFLayout) {
        var all: [[Line]] = []
        for (p, page) in layout.pages.enumerated() {
            all.append(Self.lines(of: page, number: p + 1))
        }
        for line in Self.withoutFurniture(all, layout: layout).joined() {
            var line = line
            let index = lines.count
            for k in line.chunks.indices { line.chunks[k].line = index; line.chunks[k].lastLine = index }
            lines.append(line)
        }
        lines = Self.joiningVertical(lines).map(Self.joiningSpaced)
    }

    /// The page's characters as lines, top to bottom, each cut into chunks left to right.
    static func lines(of page: PDFLayout.Page, number: Int) -> [Line] {
        let glyphs = page.glyphs.filter { $0.y2 > $0.y1 && $0.x2 >= $0.x1 }
            .sorted { ($0.y1 + $0.y2, $0.x1) < ($1.y1 + $1.y2, $1.x1) }
        var groups: [[PDFLayout.Glyph]] = []
        var center = 0.0, height = 0.0
        for g in glyphs {
            let c = (g.y1 + g.y2) / 2, h = g.y2 - g.y1
            if let last = groups.indices.last, abs(c - center) <= 0.4 * max(h, height) {
                groups[last].append(g)
                let n = Double(groups[last].count)
                center += (c - center) / n
                height = max(height, h)
            } else {
                groups.append([g])
                center = c
                height = h
            }
        }
        var out: [Line] = []
        for group in groups {
            let sorted = group.sorted { $0.x1 < $1.x1 }
            var chunks: [Chunk] = []
            var text = "", x1 = 0.0, x2 = 0.0, y1 = Double.infinity, y2 = -Double.infinity
            var typical = 0.0
            func close() {
                let trimmed = Self.trimmed(text)
                if !trimmed.isEmpty { chunks.append(Chunk(text: trimmed, x1: x1, x2: x2, y1: y1, y2: y2, line: 0, lastLine: 0, page: number)) }
                text = ""; y1 = .infinity; y2 = -.infinity
            }
            for g in sorted {
                let blank = g.scalar.properties.isWhitespace
                let h = g.y2 - g.y1
                typical = max(typical, h)
                if !text.isEmpty && g.x1 - x2 > 0.6 * typical { close() }
                if text.isEmpty {
                    if blank { continue }
                    x1 = g.x1
                }
                text.unicodeScalars.append(g.scalar)
                if !blank {
                    x2 = max(x2, g.x2)
                    y1 = min(y1, g.y1); y2 = max(y2, g.y2)
                }
            }
            close()
            guard !chunks.isEmpty else { continue }
            out.append(Line(page: number, y1: chunks.map(\.y1).min()!, y2: chunks.map(\.y2).max()!, chunks: chunks))
        }
        return out
    }

    /// A word set in spaced-out letters (a header cell aligned 分散对齐: 申  请  人  情  况) as one
    /// chunk: single characters, none a figure, a gap apart under two and a half characters wide
    /// and, three or more, evenly spaced. Figures in neighbouring columns stay apart.
    static func joiningSpaced(_ line: Line) -> Line {
        var line = line
        var out: [Chunk] = []
        var k = 0
        let chunks = line.chunks
        func single(_ c: Chunk) -> Bool { c.compact.count == 1 && !PDFTables.isValue(c.compact) }
        while k < chunks.count {
            var run = [chunks[k]]
            if single(chunks[k]) {
                var j = k + 1
                while j < chunks.count, single(chunks[j]) {
                    let width = max(chunks[j - 1].x2 - chunks[j - 1].x1, 1)
                    let gap = chunks[j].x1 - chunks[j - 1].x2
                    guard gap < 2.5 * width else { break }
                    if run.count >= 2 {
                        let first = run[1].x1 - run[0].x2
                        guard abs(gap - first) <= max(1.5, 0.2 * first) else { break }
                    }
                    run.append(chunks[j])
                    j += 1
                }
            }
            if run.count >= 2 {
                var merged = run[0]
                merged.text = run.map(\.text).joined()
                merged.x2 = run.last!.x2
                merged.y1 = run.map(\.y1).min()!
                merged.y2 = run.map(\.y2).max()!
                out.append(merged)
            } else {
                out.append(run[0])
            }
            k += run.count
        }
        line.chunks = out
        return line
    }

    /// White space off both ends; the characters as printed (full-width brackets stay full-width:
    /// a finding quotes what the page shows).
    static func trimmed(_ s: String) -> String {
        let scalars = s.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return String(scalars[first...last])
    }

    /// Page numbers ("-4-", "第 4 页", "4/12") and running heads or feet (the same text at the
    /// top or the bottom of two pages or more) are not the document's text.
    static func withoutFurniture(_ pages: [[Line]], layout: PDFLayout) -> [[Line]] {
        func key(_ line: Line) -> String { String(TextFold.compact(line.text).filter { !$0.isNumber }) }
        var edges: [String: Int] = [:]
        for lines in pages {
            var seen = Set<String>()
            for line in lines.prefix(2) + lines.suffix(2) where seen.insert(key(line)).inserted { edges[key(line), default: 0] += 1 }
        }
        return pages.enumerated().map { p, lines in
            let height = layout.pages[p].height
            return lines.enumerated().filter { k, line in
                let atEdge = k < 2 || k >= lines.count - 2
                guard atEdge else { return true }
                if line.chunks.count <= 3 && isPageNumber(line.text) && (line.y1 > height * 0.8 || line.y2 < height * 0.2 || k == lines.count - 1 || k == 0) {
                    return false
                }
                let inMargin = line.y1 > height * 0.88 || line.y2 < height * 0.12
                return !(inMargin && pages.count > 1 && (edges[key(line)] ?? 0) >= 2)
            }.map(\.1)
        }
    }

    /// "4", "-4-", "— 4 —", "第 4 页", "第4页 共12页", "4/12", "Page 4".
    static func isPageNumber(_ text: String) -> Bool {
        let c = TextFold.compact(text).lowercased()
        // Arabic digits only: 三 is a number to Unicode, and a row label to a report.
        func digit(_ ch: Character) -> Bool { ch.isASCII && ch.isNumber }
        // A page number is 1 to 4 digits, never 0 (a row of zeros at a page's foot is data).
        let digits = c.filter(digit)
        guard !digits.isEmpty, digits.count <= 4, digits.contains(where: { $0 != "0" }), c.count <= 16 else { return false }
        let stripped = c.filter { !digit($0) && !"-—–－/第页共of.page·".contains($0) }
        return stripped.isEmpty
    }

    /// A word printed one character a line (the vertical 三、本年度办理结果) as one chunk: three
    /// characters or more stacked at the same place, each on a line of its own (other lines of
    /// the table may sit between them). Figures are never a word: a column of zeros stays one.
    static func joiningVertical(_ lines: [Line]) -> [Line] {
        var lines = lines
        func letter(_ c: Chunk) -> Bool {
            c.compact.count == 1 && !PDFTables.isValue(c.compact)
        }
        for k in lines.indices {
            for c in lines[k].chunks.indices.reversed() where c < lines[k].chunks.count {
                let start = lines[k].chunks[c]
                guard letter(start) else { continue }
                var run: [(line: Int, chunk: Int)] = [(k, c)]
                var next = k + 1
                while next < lines.count, lines[next].page == start.page {
                    let previous = lines[run.last!.line].chunks[run.last!.chunk]
                    if lines[next].y1 - previous.y2 > 1.6 * previous.height { break }
                    if let j = lines[next].chunks.firstIndex(where: { letter($0) && abs($0.centerX - start.centerX) < max(2, start.height * 0.3) }) {
                        run.append((next, j))
                    }
                    next += 1
                }
                guard run.count >= 3 else { continue }
                var merged = start
                merged.text = run.map { lines[$0.line].chunks[$0.chunk].text }.joined()
                merged.y2 = lines[run.last!.line].chunks[run.last!.chunk].y2
                merged.lastLine = lines[run.last!.line].chunks[run.last!.chunk].lastLine
                merged.x1 = run.map { lines[$0.line].chunks[$0.chunk].x1 }.min()!
                merged.x2 = run.map { lines[$0.line].chunks[$0.chunk].x2 }.max()!
                lines[k].chunks[c] = merged
                for (l, j) in run.dropFirst() { lines[l].chunks.remove(at: j) }
            }
        }
        // A line left empty keeps its place (line numbers stay the document's).
        return lines
    }
}
