import Core
import Load
import Foundation
import Mustache
import Store
import Transform

/// Everything the report says, computed from the consolidation and the year's settings, as the
/// values a Mustache template reads.
struct ReportContent {
    let year: Int
    let settings: ReportSettings
    let figures: CityFigures
    /// The year's error findings, listed at the top of a draft.
    let errors: [Finding]
    var reviews = Reviews()
    let narrative: [String: String]
    let previous: CityFigures?

    var index: FormIndex { figures.index }

    func value(_ code: String) -> Decimal { figures.value(code) }

    func label(_ code: String) -> String { index[code: code]?.label ?? code }

    func number(_ d: Decimal) -> String { Amount.text(d) }

    /// "网络申请12件、信函申请2件": only the non-zero ones, as a published report names them.
    func nonZero(_ codes: [String], unit: String, label rename: (String) -> String = { $0 }) -> String {
        codes.filter { value($0) != 0 }.map { rename(label($0)) + number(value($0)) + unit }.joined(separator: "、")
    }

    func yearOverYear(_ code: String) -> String {
        guard let previous, let before = previous.totals[code], before != 0 else { return "" }
        let now = value(code)
        let change = (now - before) / before * 100
        var c = change < 0 ? -change : change
        var r = Decimal()
        NSDecimalRound(&r, &c, 2, .plain)
        return change < 0 ? "，同比下降\(Share.format(r))%" : change > 0 ? "，同比增长\(Share.format(r))%" : "，与上年持平"
    }

    func context() -> [String: Any] {
        let cats = index.form.categories
        let total = cats.map { value($0.total) } ?? 0
        var categories: [[String: Any]] = []
        var shareSum = Decimal(0)
        for (k, code) in (cats?.parts ?? []).enumerated() {
            let v = value(code)
            let share = Share.percent(v, of: total) ?? 0
            shareSum += share
            categories.append(["label": label(code), "count": number(v), "share": Share.text(v, of: total),
                               "last": k == (cats?.parts.count ?? 0) - 1])
        }
        let shareNote = total != 0 && shareSum != 100
            ? "（各类占比分别四舍五入，合计为\(Share.format(shareSum))%，与100%的差异系舍入所致。）" : ""
        let received = value("v2014.apply.received")
        let answered = value("v2014.apply.answered")
        let channels = nonZero(["v2014.apply.received.in_person", "v2014.apply.received.fax", "v2014.apply.received.online", "v2014.apply.received.letter"],
                               unit: "件") { $0.hasSuffix("数") ? String($0.dropLast()) : $0 }
        let answers = nonZero(["v2014.apply.answered.already_public", "v2014.apply.answered.granted", "v2014.apply.answered.partial",
                               "v2014.apply.answered.denied", "v2014.apply.answered.not_this_agency", "v2014.apply.answered.not_exist",
                               "v2014.apply.answered.amend_notice", "v2014.apply.answered.other_route"], unit: "件") {
            var s = $0
            if s.hasSuffix("答复数") { s.removeLast(3) } else if s.hasSuffix("数") { s.removeLast() }
            return s
        }
        let review = value("v2014.review.total"), litigation = value("v2014.litigation.total")
        let fees = value("v2014.apply.fees")
        var ctx: [String: Any] = [
            "year": String(year), "nextYear": String(year + 1), "city": settings.city, "basis": settings.basis, "compiler": settings.compiler,
            "website": settings.website, "contact": ["address": settings.contact.address, "postcode": settings.contact.postcode,
                                                      "phone": settings.contact.phone, "email": settings.contact.email],
            "dateLine": ChineseDate.text(iso: settings.date, zero: settings.dateZero ?? "〇") ?? settings.date,
            "proactive": ["total": number(total), "yoy": yearOverYear(cats?.total ?? ""), "categories": categories, "shareNote": shareNote],
            "apply": ["received": number(received), "any": received != 0, "channels": channels, "answers": answers,
                      "rate": received != 0 ? Share.text(answered, of: received) : "", "hasRate": received != 0],
            "consult": ["count": number(value("sx.consult.total")), "yoy": yearOverYear("sx.consult.total")],
            "review": ["total": number(review), "any": review != 0,
                       "outcomes": nonZero(["v2014.review.upheld", "v2014.review.corrected", "v2014.review.other"], unit: "件") { $0.hasSuffix("数") ? String($0.dropLast()) : $0 }],
            "litigation": ["total": number(litigation), "any": litigation != 0,
                           "outcomes": nonZero(["v2014.litigation.upheld", "v2014.litigation.corrected", "v2014.litigation.other"], unit: "件") { $0.hasSuffix("数") ? String($0.dropLast()) : $0 }],
            "spending": ["amount": number(value("sx.spend.total")), "yoy": yearOverYear("sx.spend.total")],
            "fees": ["none": fees == 0, "amount": number(fees)],
            "draft": !errors.isEmpty,
            "errorCount": errors.count,
            "errors": errors.map { f in
                // `reviewMark` only where a clerk marked the error: an empty string would still open its section.
                var e = ["submitter": f.submitter, "location": f.location, "title": f.rule.title, "code": f.rule.rawValue, "message": f.message]
                if let mark = reviews[f] { e["reviewMark"] = mark.text }
                return e
            },
            "facts": settings.facts ?? [:],
        ]
        // Narrative parts are templates too: they may quote the settings' facts and the figures above.
        var parts: [String: String] = [:]
        for (name, text) in narrative {
            parts[name] = (try? MustacheTemplate(string: "{{% CONTENT_TYPE: TEXT}}" + text))?.render(ctx) ?? text
        }
        ctx["narrative"] = parts
        return ctx
    }
}
