import Foundation

/// The report's bar chart as a PNG for the Word report: one bar a value, drawn from the same
/// figures as the HTML report's SVG chart (the labels and figures go in the table beside it).
/// Written by hand: a four-colour palette image (a byte a pixel), stored deflate blocks, CRC-32
/// and Adler-32.
enum BarChartPNG {
    static func render(_ values: [Decimal], width: Int = 480, rowHeight: Int = 30) -> [UInt8] {
        let height = max(rowHeight * values.count + 12, 24)
        let maxValue = values.max() ?? 0
        // Palette: white, the axis's grey, the first bar's dark red, the others' red.
        let palette: [UInt8] = [255, 255, 255, 60, 60, 60, 160, 30, 30, 200, 80, 80]
        var pixels = [UInt8](repeating: 0, count: width * height)
        func fill(x0: Int, y0: Int, x1: Int, y1: Int, _ colour: UInt8) {
            for y in max(0, y0)..<min(height, y1) {
                for x in max(0, x0)..<min(width, x1) { pixels[y * width + x] = colour }
            }
        }
        fill(x0: 8, y0: 4, x1: 10, y1: height - 4, 1)
        for (k, v) in values.enumerated() {
            let share = maxValue == 0 ? 0 : NSDecimalNumber(decimal: v / maxValue).doubleValue
            let w = max(1, Int((share * Double(width - 24)).rounded()))
            let y = 8 + k * rowHeight
            fill(x0: 10, y0: y, x1: 10 + w, y1: y + rowHeight - 10, k == 0 ? 2 : 3)
        }
        var raw: [UInt8] = []
        raw.reserveCapacity((width + 1) * height)
        for y in 0..<height {
            raw.append(0)
            raw += pixels[(y * width)..<((y + 1) * width)]
        }
        let ihdr = be(UInt32(width)) + be(UInt32(height)) + [8, 3, 0, 0, 0]
        return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + chunk("IHDR", ihdr) + chunk("PLTE", palette)
            + chunk("IDAT", zlibStored(raw)) + chunk("IEND", [])
    }

    private static func be(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }

    private static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let body = Array(type.utf8) + data
        return be(UInt32(data.count)) + body + be(crc32(body))
    }

    /// A zlib stream of stored blocks (at most 65,535 bytes each).
    private static func zlibStored(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x78, 0x01]
        var offset = 0
        repeat {
            let n = min(65_535, data.count - offset)
            let last: UInt8 = offset + n == data.count ? 1 : 0
            out += [last, UInt8(n & 0xFF), UInt8(n >> 8), UInt8(~n & 0xFF), UInt8((~n >> 8) & 0xFF)]
            out += data[offset..<(offset + n)]
            offset += n
        } while offset < data.count
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in data {
            a = (a + UInt32(byte)) % 65_521
            b = (b + a) % 65_521
        }
        return out + be(b << 16 | a)
    }

    private static let table: [UInt32] = (0..<256).map { n -> UInt32 in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 == 1 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    private static func crc32(_ data: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for byte in data { c = table[Int((c ^ UInt32(byte)) & 0xFF)] ^ (c >> 8) }
        return c ^ 0xFFFF_FFFF
    }
}
