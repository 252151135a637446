import Store

/// CSV as Excel on a Chinese Windows opens it: UTF-8 with a BOM, CRLF, RFC 4180 quoting.
struct CSVWriter {
    private(set) var text: String

    /// A file: the BOM, then the header row.
    init(header: [String]) {
        text = "\u{FEFF}"
        row(header)
    }

    /// Rows to go after a header written elsewhere.
    init() { text = "" }

    mutating func row(_ cells: [String]) {
        for (k, c) in cells.enumerated() {
            if k > 0 { text += "," }
            if c.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) {
                text += "\"" + c.replacing("\"", with: "\"\"") + "\""
            } else {
                text += c
            }
        }
        text += "\r\n"
    }
}
