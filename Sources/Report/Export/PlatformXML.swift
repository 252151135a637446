import Core
import Load
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
        if c.index.form.isNational { return out + national(c) + "</GovInfoDisclosureReport>\n" }
        out += "  <Indicators>\n"
        // An indicator every submitter left blank is written empty: read back, it is not reported either.
        for ind in c.index.indicators where !ind.isHeading && c.reported.contains(ind.code) {
            let seq = ind.seq.map { " seq=\"\($0)\"" } ?? ""
            out += "    <Indicator\(seq) name=\"\(HTMLParts.escape(ind.label))\" unit=\"\(HTMLParts.escape(ind.unit ?? ""))\">\(c.reportedValue(ind.code).map(Amount.text) ?? "")</Indicator>\n"
        }
        out += "  </Indicators>\n</GovInfoDisclosureReport>\n"
        return out
    }

    /// The national layout: one `<Cell>` a cell, its row and column as full label paths.
    private static func national(_ c: CityFigures) -> String {
        var out = ""
        for table in c.index.form.tables {
            out += "  <Table no=\"\(HTMLParts.escape(String(table.id.dropFirst())))\" name=\"\(HTMLParts.escape(table.title ?? ""))\">\n"
            for row in table.rows where !row.isHeading {
                let path = NationalTables.chain(row, in: table).map(NationalTables.numbered).joined(separator: "/")
                let rowPath = table.rows.filter { !$0.isHeading }.count == 1 && table.columns != nil ? "" : path
                for column in row.columns ?? table.columns ?? [] {
                    let code = row.code + "." + column.code
                    guard c.reported.contains(code) else { continue }
                    out += "    <Cell row=\"\(HTMLParts.escape(rowPath))\" col=\"\(HTMLParts.escape(column.path))\">\(c.reportedValue(code).map(Amount.text) ?? "")</Cell>\n"
                }
            }
            out += "  </Table>\n"
        }
        return out
    }
}
