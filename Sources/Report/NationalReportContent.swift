import Core
import Load
import Foundation
import Transform

/// The national-format report's values for its template: the six parts, the figures in
/// sentences computed from tables 2-4, how many bodies reported each table, the tables themselves.
struct NationalReportContent {
    let year: Int
    let settings: ReportSettings
    let figures: CityFigures
    let errors: [Finding]
    var reviews = Reviews()
    let narrative: [String: String]
    /// Set when the year has no settings of its own and the form's shipped ones were used.
    let defaultsNote: String?
    /// Last year's figures, in last year's form (NAT-2019 before 2021).
    var previous: CityFigures? = nil

    var index: FormIndex { figures.index }
    var prefix: String { index.versionPrefix }

    func n(_ code: String) -> String { Amount.text(figures.value(code)) }

    /// The sum of the given cells.
    func sum(_ codes: [String]) -> String { Amount.text(codes.reduce(Decimal(0)) { $0 + figures.value($1) }) }

    /// The leaf rows under a heading of table 3, in the "total" column.
    func group(_ heading: String) -> [String] {
        guard let table = index.form.tables.first(where: { $0.id == "t3" }) else { return [] }
        return table.rows.filter { !$0.isHeading && NationalTables.chain($0, in: table).contains { $0.code == "\(prefix).t3.res.\(heading)" } }
            .map { $0.code + ".total" }
    }

    /// How many bodies reported at least one cell of a table.
    func bodies(_ table: String) -> Int {
        index.indicators.filter { $0.table == table && !$0.isHeading }.map { figures.reporting[$0.code] ?? 0 }.max() ?? 0
    }

    func context(tables: (String) -> String) -> [String: Any] {
        let t3 = "\(prefix).t3"
        let orgs = ["org.business", "org.research", "org.ngo", "org.legal", "org.other"]
        let otherRow = sum(group("other"))
        let t4 = "\(prefix).t4"
        var ctx: [String: Any] = [
            "year": String(year), "city": settings.city, "basis": settings.basis, "compiler": settings.compiler,
            "website": settings.website,
            "contact": ["address": settings.contact.address, "postcode": settings.contact.postcode,
                        "phone": settings.contact.phone, "email": settings.contact.email],
            "narrative": narrative,
            "applications": [
                "new": n("\(t3).new.total"), "natural": n("\(t3).new.natural"), "org": sum(orgs.map { "\(t3).new.\($0)" }),
                "carriedIn": n("\(t3).carried_in.total"), "granted": n("\(t3).res.granted.total"), "partial": n("\(t3).res.partial.total"),
                "denied": sum(group("denied")), "unable": sum(group("unable")), "notProcessed": sum(group("not_processed")),
                "other": otherRow, "total": n("\(t3).res.total.total"), "carryOut": n("\(t3).carry_out.total"),
            ],
            "review": ["total": n("\(t4).review.total"), "upheld": n("\(t4).review.upheld"), "corrected": n("\(t4).review.corrected"),
                       "other": n("\(t4).review.other"), "pending": n("\(t4).review.pending")],
            "litigation": [
                "total": sum(["\(t4).lit_direct.total", "\(t4).lit_after_review.total"]),
                "direct": n("\(t4).lit_direct.total"), "afterReview": n("\(t4).lit_after_review.total"),
                "upheld": sum(["\(t4).lit_direct.upheld", "\(t4).lit_after_review.upheld"]),
                "corrected": sum(["\(t4).lit_direct.corrected", "\(t4).lit_after_review.corrected"]),
                "other": sum(["\(t4).lit_direct.other", "\(t4).lit_after_review.other"]),
                "pending": sum(["\(t4).lit_direct.pending", "\(t4).lit_after_review.pending"]),
            ],
            "bodies": ["t2": bodies("t2"), "t3": bodies("t3"), "t4": bodies("t4")],
            "table2": tables("t2"), "table3": tables("t3"), "table4": tables("t4"), "chart": tables("chart"),
            "draft": !errors.isEmpty, "errorCount": errors.count,
            "errors": errors.prefix(200).map { f in
                // `reviewMark` only where a clerk marked the error: an empty string would still open its section.
                var e = ["submitter": f.submitter, "file": f.file, "line": f.line.map(String.init) ?? "", "message": f.message]
                if let mark = reviews[f] { e["reviewMark"] = mark.text }
                return e
            },
            // The form's shipped settings leave the date empty: the national deadline, 31 January.
            "date": ChineseDate.text(iso: settings.date.isEmpty ? "\(year + 1)-01-31" : settings.date, zero: settings.dateZero ?? "〇") ?? "",
        ]
        if let defaultsNote { ctx["defaultsNote"] = defaultsNote }
        if let comparison = comparison() {
            ctx["comparison"] = comparison
            ctx["hasComparison"] = true
        }
        if year >= 2021 {
            ctx["fees"] = ["amount": n("\(prefix).t2.fees.amount_wan")]
        }
        return ctx
    }

    /// The results of applications by type, for the chart. Each type is the sum of its rows in
    /// this year's form: （六）其他处理 is one row in the 2019 form and three in the 2021 one.
    var results: [(String, Decimal)] {
        let t3 = "\(prefix).t3"
        return [("予以公开", ["\(t3).res.granted.total"]), ("部分公开", ["\(t3).res.partial.total"]),
                ("不予公开", group("denied")), ("无法提供", group("unable")), ("不予处理", group("not_processed")), ("其他处理", group("other"))]
            .map { ($0.0, $0.1.reduce(Decimal(0)) { $0 + figures.value($1) }) }
    }

    /// The same types with last year's figures beside them, each summed in its own year's form,
    /// so that the comparison holds across the change of form (2020 → 2021).
    func comparison() -> [[String: String]]? {
        guard let previous else { return nil }
        let before = NationalReportContent(year: year - 1, settings: settings, figures: previous, errors: [], narrative: [:], defaultsNote: nil)
        let now = [("本年新收", figures.value("\(prefix).t3.new.total"))] + results
        let then = [("本年新收", previous.value("\(before.prefix).t3.new.total"))] + before.results
        return zip(now, then).map { a, b in
            var change = "持平"
            if b.1 != 0, a.1 != b.1 {
                var pct = (a.1 - b.1) / b.1 * 100, rounded = Decimal()
                NSDecimalRound(&rounded, &pct, 1, .plain)
                change = (rounded > 0 ? "增长" : "下降") + Amount.text(rounded < 0 ? -rounded : rounded) + "%"
            } else if b.1 == 0 && a.1 != 0 {
                change = "上年为0"
            }
            return ["label": a.0, "now": Amount.text(a.1), "before": Amount.text(b.1), "change": change]
        }
    }
}
