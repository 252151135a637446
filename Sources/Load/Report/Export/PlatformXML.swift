import Core
import Foundation
import Store
import Transform

/// The consolidated table in the reporting platform's own layout (family C), so the province
/// ingests the city's result the way the city ingests its counties.
enum PlatformXML {
    static func render(_ c: CityFigures, year: Int, city: String, code: String) -> String {
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<GovInfoDisclosureReport year=\"\(year)\" form=\"\(HTMLParts.escape(c.index.form.id))\">\n"
        out += "  <Submitter code=\"\(HTMLParts.escape(code))\" name=\"\(HTMLParts.escape(city))\"/>\n"
        out += "  <Indicators>\n"
        // An indicator every submitter left blank is written empty: read back, it is not reported either.
        for ind in c.index.indicators where !ind.isHeading && c.reported.contains(ind.code) {
            let seq = ind.seq.map { " seq=\"\($0)\"" } ?? ""
            out += "    <Indicator\(seq) name=\"\(HTMLParts.escape(ind.label))\" unit=\"\(HTMLParts.escape(ind.unit ?? ""))\">\(c.reportedValue(ind.code).map(Amount.text) ?? "")</Indicator>\n"
        }
        out += "  </Indicators>\n</GovInfoDisclosureReport>\n"
        return out
    }
}
