/// CSV as Excel on a Chinese Windows opens it: UTF-8 with a BOM, CRLF, RFC 4180 quoting.
struct CSVWriter {
    private(set) var text = "\u{FEFF}"

    init(header: [String]) { row(header) }

    mutating func row(_ cells: [String]) {
        text += cells.map { c in
            c.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                ? "\"" + c.replacing("\"", with: "\"\"") + "\"" : c
        }.joined(separator: ",") + "\r\n"
    }
}
