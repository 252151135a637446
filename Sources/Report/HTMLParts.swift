import Core
import Foundation
import Load
import Store
import Transform

/// The parts of the HTML report that are drawn rather than written: the category chart and the
/// appendix tables.
enum HTMLParts {
    static func escape(_ s: String) -> String { Markup.escape(s) }

    /// A horizontal bar chart of the content categories, as inline SVG.
    static func categoryChart(_ c: CityFigures) -> String {
        guard let cats = c.index.form.categories else { return "" }
        return barChart(cats.parts.map { (c.index[code: $0]?.label ?? $0, c.value($0)) }, total: c.value(cats.total),
                        unit: "条", title: "主动公开政府信息分类")
    }

    /// A horizontal bar chart, each bar with its figure and its share of `total`, as inline SVG.
    static func barChart(_ values: [(String, Decimal)], total: Decimal, unit: String, title: String) -> String {
        let maxValue = values.map(\.1).max() ?? 0
        let rowHeight = 34, labelWidth = 110, barWidth = 430, height = rowHeight * values.count + 16
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"\(escape(title))\" viewBox=\"0 0 700 \(height)\" width=\"100%\">"
        for (k, (name, v)) in values.enumerated() {
            let y = 8 + k * rowHeight
            let w = maxValue == 0 ? 0 : Int((NSDecimalNumber(decimal: v * Decimal(barWidth) / maxValue)).doubleValue.rounded())
            let label = escape(name)
            svg += "<text x=\"\(labelWidth - 8)\" y=\"\(y + 21)\" text-anchor=\"end\" font-size=\"15\">\(label)</text>"
            svg += "<rect x=\"\(labelWidth)\" y=\"\(y + 4)\" width=\"\(max(w, 1))\" height=\"24\" fill=\"#b22222\" opacity=\"\(k == 0 ? "0.9" : "0.7")\"/>"
            svg += "<text x=\"\(labelWidth + max(w, 1) + 8)\" y=\"\(y + 21)\" font-size=\"14\">\(Amount.text(v))\(unit)（\(Share.text(v, of: total))）</text>"
        }
        return svg + "</svg>"
    }

    /// The consolidated statistical table: every indicator of the form with its city value.
    static func statisticalTable(_ c: CityFigures) -> String {
        var rows = ""
        for row in statisticalRows(c) {
            rows += "<tr class=\"d\(min(row.depth, 3))\(row.heading ? " h" : "")\"><td>\(escape(row.label))</td><td>\(escape(row.unit))</td><td class=\"n\">\(row.value)</td></tr>"
        }
        return "<table class=\"stat\"><thead><tr><th>指标</th><th>单位</th><th>全市</th></tr></thead><tbody>\(rows)</tbody></table>"
    }

    /// The statistical table's rows: every indicator of the form, its depth and its city value.
    static func statisticalRows(_ c: CityFigures) -> [(label: String, unit: String, value: String, depth: Int, heading: Bool)] {
        c.index.indicators.map { ind in
            ((ind.row.map { $0 + " " } ?? "") + ind.label, ind.unit ?? "",
             ind.isHeading ? "" : c.reportedValue(ind.code).map(Amount.text) ?? "未填", c.index.ancestors(of: ind.code).count, ind.isHeading)
        }
    }

    /// One submitter's row of the appendix table: a column a headline figure, ▲ where it moved
    /// by more than half against last year.
    static func submitterRow(_ name: String, facts: [String: CurrentFact], before: [String: CurrentFact], codes: [String]) -> String {
        var cells = "<td>\(escape(name))</td>"
        var flagged = false
        for code in codes {
            let fact = facts[code]
            var text = fact.map { $0.value.map(Amount.text) ?? "未填" } ?? ""
            if fact?.derived == true { text += "*" }
            if let m = CrossYearRules.movement(now: fact?.value, before: before[code]?.value), CrossYearRules.movedMuch(m) {
                text += " ▲"
                flagged = true
            }
            cells += "<td class=\"n\">\(escape(text))</td>"
        }
        return "<tr\(flagged ? " class=\"moved\"" : "")>\(cells)</tr>"
    }

    /// The appendix table around its rows: one row a submitter, one column a headline figure.
    static func submitterTable(index: FormIndex, rows: String) -> String {
        var head = "<th>报送单位</th>"
        for code in index.headlineCodes { head += "<th>\(escape(index[code: code]!.label))</th>" }
        return "<table class=\"sub\"><thead><tr>\(head)</tr></thead><tbody>\(rows)</tbody></table>"
            + "<p class=\"note\">* 统计表未填报，按公开目录统计或按分项之和推算。“未填”为统计表留空（未报送），不作 0 计。▲ 与上年相比变动超过一半。</p>"
    }
}
