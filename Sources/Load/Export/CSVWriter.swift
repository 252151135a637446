/// CSV as Excel on a Chinese Windows opens it: UTF-8 with a BOM, CRLF, RFC 4180 quoting.
struct CSVWriter {
    private(set) var text = "\u{FEFF}"

    init(header: [String]) { row(header) }

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
