import Core
import Store

/// CSV as Excel on a Chinese Windows opens it: UTF-8 with a BOM, CRLF, RFC 4180 quoting.
/// Written as bytes: a province's `by_submitter.csv` is a million rows.
struct CSVWriter {
    private(set) var bytes: [UInt8] = []

    /// A file: the BOM, then the header row.
    init(header: [String]) {
        bytes = [0xEF, 0xBB, 0xBF]
        row(header)
    }

    /// Rows to go after a header written elsewhere.
    init() {}

    mutating func row(_ cells: [String]) {
        fields(cells)
        end()
    }

    /// Cells and the commas between them, the row left open.
    mutating func fields(_ cells: [String]) {
        for (k, c) in cells.enumerated() {
            if k > 0 { comma() }
            field(c)
        }
    }

    /// One cell, quoted when it holds a comma, a quote or a line break.
    mutating func field(_ cell: String) {
        Self.escape(cell, into: &bytes)
    }

    /// Bytes already escaped (several cells and their commas, made once and reused).
    mutating func raw(_ escaped: [UInt8]) { bytes += escaped }

    /// A whole number's cell, or an empty one: the digits `String(n)` writes.
    mutating func number(_ n: Int?) {
        if let n { bytes.appendDecimal(n) }
    }

    mutating func comma() { bytes.append(0x2C) }

    /// Ends the row.
    mutating func end() { bytes += [0x0D, 0x0A] }

    /// A cell as CSV writes it.
    static func escape(_ cell: String, into out: inout [UInt8]) {
        var cell = cell
        cell.withUTF8 { utf8 in
            if utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) {
                out.append(0x22)
                for b in utf8 {
                    out.append(b)
                    if b == 0x22 { out.append(0x22) }
                }
                out.append(0x22)
            } else {
                out.append(contentsOf: utf8)
            }
        }
    }
}
