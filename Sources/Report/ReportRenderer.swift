import Core
import Foundation
import Ink
import Load
import Mustache
import Store
import Transform

/// Everything a year's report documents are made from, assembled by ``ReportStage``: the city's
/// figures (and last year's), the error findings, the settings and narrative, the templates and
/// the submitters' appendix rows.
struct ReportMaterials {
    var year: Int
    var settings: ReportSettings
    var figures: CityFigures
    var previous: CityFigures?
    var errors: [Finding]
    /// The clerks' marks, shown beside the errors of a draft.
    var reviews: Reviews
    var narrative: [String: String]
    /// Said when the year has no settings of its own and the form's shipped ones stand in.
    var defaultsNote: String?
    /// The appendix table of the submitters' headline figures, as HTML.
    var submitterTable: String
    var template: (String) throws -> MustacheTemplate
    var trace: (String) -> Void

    var title: String { "\(settings.city)\(year)年政府信息公开工作年度报告" }
}

/// The documents of one kind of report: report.md, report.html and report.docx. The national
/// format (2019 on: six parts, tables 2–4 drawn as the official tables) and the 2016 form
/// (eight parts, the statistical table as an appendix) are the two kinds.
protocol ReportRenderer {
    /// The templates this kind is written with (read ahead, on the other core).
    static var templates: [String] { get }
    func documents(_ m: ReportMaterials) throws -> [(String, [UInt8])]
}

/// The national format's report.
struct NationalReport: ReportRenderer {
    static let templates = ["report-national.md.mustache", "report-national.html.mustache"]

    func documents(_ m: ReportMaterials) throws -> [(String, [UInt8])] {
        var content = NationalReportContent(year: m.year, settings: m.settings, figures: m.figures, errors: m.errors, reviews: m.reviews,
                                            narrative: m.narrative, defaultsNote: m.defaultsNote)
        content.previous = m.previous.flatMap { $0.index.form.isNational ? $0 : nil }
        let tables = NationalTables(figures: m.figures)
        let md = try m.template("report-national.md.mustache")
        let markdown = md.render(content.context { $0 == "chart" ? "" : tables.markdown($0) })
        var out: [(String, [UInt8])] = [("report.md", Array(markdown.utf8))]
        let total = content.results.reduce(Decimal(0)) { $0 + $1.1 }
        var word = WordReport()
        for id in ["t2", "t3", "t4"] { word.tables[id] = tables.spanned(id) }
        word.chart = .init(values: content.results, total: total, unit: "件", caption: "政府信息公开申请办理结果")
        let docx = word.renderAhead(markdown: md.render(content.context { "TABLE-PLACEHOLDER-\($0)" }), title: m.title)
        // The HTML draws the official tables (merged headers) where the Markdown has its grids.
        // Placeholders in paragraphs of their own (Ink would fold an HTML comment into its neighbours).
        var html = content.context { "TABLE-PLACEHOLDER-\($0)" }
        // A "<" in the staff's narrative ("config/report/<年度>/") is text, not the start of a tag.
        html["narrative"] = m.narrative.mapValues { $0.replacing("<", with: "&lt;") }
        let body = MarkdownParser().html(from: md.render(html))
        var filled = body
        for id in ["t2", "t3", "t4"] {
            filled = filled.replacing("<p>TABLE-PLACEHOLDER-\(id)</p>", with: tables.html(id))
        }
        let chart = HTMLParts.barChart(content.results, total: total, unit: "件", title: "政府信息公开申请办理结果")
        html["body"] = filled.replacing("<p>TABLE-PLACEHOLDER-chart</p>", with: "<figure class=\"chart\">\(chart)<figcaption>政府信息公开申请办理结果</figcaption></figure>")
        html["submitterTable"] = m.submitterTable
        html["title"] = m.title
        out.append(("report.html", Array(try m.template("report-national.html.mustache").render(html).utf8)))
        m.trace("report.html")
        out.append(("report.docx", try docx.value.get()))
        m.trace("report.docx")
        return out
    }
}

/// The 2016 form's report (SX-2016: the 2014 national table with Shanxi's rows).
struct ProvincialReport: ReportRenderer {
    static let templates = ["report.md.mustache", "report.html.mustache"]

    func documents(_ m: ReportMaterials) throws -> [(String, [UInt8])] {
        let content = ReportContent(year: m.year, settings: m.settings, figures: m.figures, errors: m.errors, reviews: m.reviews,
                                    narrative: m.narrative, previous: m.previous)
        let context = content.context()
        m.trace("report.context")
        let markdown = try m.template("report.md.mustache").render(context)
        var out: [(String, [UInt8])] = [("report.md", Array(markdown.utf8))]
        m.trace("report.md")
        let docx = wordReport(m).renderAhead(markdown: markdown, title: m.title)
        let body = MarkdownParser().html(from: markdown)
        m.trace("report.ink")
        var html = context
        html["body"] = Self.insertChart(HTMLParts.categoryChart(m.figures), into: body)
        html["statisticalTable"] = HTMLParts.statisticalTable(m.figures)
        html["submitterTable"] = m.submitterTable
        html["title"] = m.title
        m.trace("report.tables")
        out.append(("report.html", Array(try m.template("report.html.mustache").render(html).utf8)))
        m.trace("report.html")
        out.append(("report.docx", try docx.value.get()))
        m.trace("report.docx")
        return out
    }

    /// The Word document's chart and appendix: the content categories and the statistical table.
    private func wordReport(_ m: ReportMaterials) -> WordReport {
        var word = WordReport()
        if let cats = m.figures.index.form.categories {
            word.chart = .init(values: cats.parts.map { (m.figures.index[code: $0]?.label ?? $0, m.figures.value($0)) },
                               total: m.figures.value(cats.total), unit: "条", caption: "主动公开政府信息分类", after: "主动公开政府信息情况")
        }
        var statistical = SpannedTable(className: "stat")
        statistical.head = [[.init(text: "指标", header: true), .init(text: "单位", header: true), .init(text: "全市", header: true)]]
        statistical.body = HTMLParts.statisticalRows(m.figures).map { row in
            [.init(text: String(repeating: "　", count: min(row.depth, 3)) + row.label, header: row.heading), .init(text: row.unit),
             .init(text: row.value, numeric: true)]
        }
        word.appendix = [("附表：\(m.settings.city)\(m.year)年政府信息公开情况统计表", statistical)]
        return word
    }

    /// The chart goes right after the 主动公开 part, before the next heading.
    static func insertChart(_ svg: String, into body: String) -> String {
        let figure = "<figure class=\"chart\">\(svg)<figcaption>主动公开政府信息分类</figcaption></figure>"
        guard let part = body.firstRange(of: "主动公开政府信息情况</h2>"),
              let next = body[part.upperBound...].firstRange(of: "<h2>") else { return body + figure }
        return String(body[..<next.lowerBound]) + figure + String(body[next.lowerBound...])
    }
}
