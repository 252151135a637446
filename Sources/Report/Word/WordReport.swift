import Foundation
import Store
import Transform

/// The report as a Word document: the Markdown report's parts (rendered from the same template,
/// its tables left as placeholders), headings in Word's heading styles, the official tables as
/// Word tables with their merged headers, the chart drawn by Word with its figures beside it.
struct WordReport {
    struct Chart {
        var values: [(String, Decimal)]
        var total: Decimal
        var unit: String
        var caption: String
        /// The chart goes before the heading that follows the one holding this text.
        var after: String?
    }

    var tables: [String: SpannedTable] = [:]
    var chart: Chart?
    /// Tables drawn at the end, after the last part (the consolidated statistical table).
    var appendix: [(title: String, table: SpannedTable)] = []

    /// ``render(markdown:title:)`` on the other core, while the caller makes the HTML: the Word
    /// document is a third of a small report's time, and the two share nothing.
    func renderAhead(markdown: String, title: String) -> Prefetch<Result<[UInt8], any Error>> {
        Prefetch { [self] in Result { try render(markdown: markdown, title: title) } }
    }

    func render(markdown: String, title: String) throws -> [UInt8] {
        var doc = WordDocument()
        var paragraph: [String] = []
        var tableLines: [String] = []
        var chartPending = false
        var chartDone = false
        func flush() {
            if !paragraph.isEmpty {
                doc.paragraph(Self.runs(paragraph.joined()))
                paragraph = []
            }
            if !tableLines.isEmpty {
                doc.table(Self.table(tableLines))
                tableLines = []
            }
        }
        func drawChart() {
            guard let chart, !chartDone else { return }
            chartDone = true
            doc.chart(chart.values, unit: chart.unit, caption: chart.caption, width: 15)
            var legend = SpannedTable(className: "legend")
            legend.head = [[.init(text: "类别", header: true), .init(text: "数量（\(chart.unit)）", header: true), .init(text: "占比", header: true)]]
            legend.body = chart.values.map { [.init(text: $0.0), .init(text: Amount.text($0.1), numeric: true),
                                              .init(text: Share.text($0.1, of: chart.total), numeric: true)] }
            doc.table(legend)
        }
        for raw in markdown.utf8.split(separator: 0x0A, omittingEmptySubsequences: false).map(Substring.init) {
            let line = Self.trimmed(raw)
            if line.hasPrefix("|") {
                if !paragraph.isEmpty { flush() }
                tableLines.append(line)
                continue
            }
            if !tableLines.isEmpty { flush() }
            if line.isEmpty { flush(); continue }
            if line.hasPrefix("#") {
                flush()
                let level = line.prefix { $0 == "#" }.count
                let text = Self.plain(String(line.dropFirst(level)).trimmingCharacters(in: .whitespaces))
                if chartPending { drawChart(); chartPending = false }
                if level == 1 { doc.title(text) } else { doc.heading(level - 1, text) }
                if let after = chart?.after, text.contains(after) { chartPending = true }
                continue
            }
            if line.hasPrefix("TABLE-PLACEHOLDER-") {
                flush()
                let id = String(line.dropFirst("TABLE-PLACEHOLDER-".count))
                if id == "chart" { drawChart() } else if let table = tables[id] { doc.table(table) }
                continue
            }
            if line.hasPrefix(">") {
                flush()
                doc.paragraph(Self.runs(String(line.drop { $0 == ">" || $0 == " " })), style: "Notice")
                continue
            }
            if line.hasPrefix("- ") || line.hasPrefix("* ") {
                flush()
                doc.paragraph(Self.runs("• " + line.dropFirst(2)))
                continue
            }
            paragraph.append(line)
        }
        flush()
        if chartPending { drawChart() }
        for (title, table) in appendix {
            doc.heading(1, title)
            doc.table(table)
        }
        return try doc.package(title: title)
    }

    /// Text with `**bold**` spans as runs; other Markdown marks dropped.
    static func runs(_ text: String) -> [WordDocument.Run] {
        if !text.contains("**") { return [WordDocument.Run(text: plain(text))] }
        var out: [WordDocument.Run] = []
        for (k, part) in text.components(separatedBy: "**").enumerated() where !part.isEmpty {
            out.append(WordDocument.Run(text: plain(part), bold: k % 2 == 1))
        }
        return out
    }

    /// Markdown escapes and links as the text they show.
    static func plain(_ text: String) -> String {
        if !text.utf8.contains(0x5C) && !text.utf8.contains(0x5D) { return text }
        var s = text.replacingOccurrences(of: "\\", with: "")
        while let open = s.range(of: "]("), let start = s[..<open.lowerBound].lastIndex(of: "["),
              let close = s[open.upperBound...].firstIndex(of: ")") {
            s = String(s[..<start]) + s[s.index(after: start)..<open.lowerBound] + String(s[s.index(after: close)...])
        }
        return s
    }

    /// The line without the spaces around it.
    static func trimmed(_ s: Substring) -> String {
        let u = s.utf8
        var start = u.startIndex, end = u.endIndex
        func space(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0D }
        while start < end, space(u[start]) { start = u.index(after: start) }
        while end > start, space(u[u.index(before: end)]) { end = u.index(before: end) }
        return String(Substring(u[start..<end]))
    }

    /// A Markdown grid: its first row the header, the separator row dropped.
    static func table(_ lines: [String]) -> SpannedTable {
        func cells(_ line: String) -> [String] {
            var parts = line.utf8.split(separator: 0x7C, omittingEmptySubsequences: false).map { trimmed(Substring($0)) }
            if parts.first == "" { parts.removeFirst() }
            if parts.last == "" { parts.removeLast() }
            return parts
        }
        let rows = lines.map(cells).filter { row in !row.allSatisfy { !$0.isEmpty && $0.utf8.allSatisfy { $0 == 0x2D || $0 == 0x3A || $0 == 0x20 } } }
        var table = SpannedTable(className: "grid")
        guard let first = rows.first else { return table }
        table.head = [first.map { .init(text: plain($0), header: true) }]
        table.body = rows.dropFirst().map { row in
            row.map { text in
                let numeric = !text.isEmpty && text.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E || $0 == 0x2C || $0 == 0x25 || $0 == 0x2D }
                return SpannedTable.Cell(text: plain(text), numeric: numeric)
            }
        }
        return table
    }
}
