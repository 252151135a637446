/// A pass over an XML document's bytes, before libxml2 sees them, that finds a start tag with
/// more attributes or more bytes than any real submission has: libxml2's attribute handling is
/// quadratic in their number (80,000 attributes cost 16 s), so such a tag is refused unparsed.
enum StartTagScan {
    static let maximumAttributes = 256
    static let maximumBytes = 64 * 1024

    struct Oversized {
        var line: Int
        /// What was too large, in words.
        var what: String
    }

    static func firstOversized(_ bytes: [UInt8]) -> Oversized? {
        bytes.withUnsafeBufferPointer { buf -> Oversized? in
            let n = buf.count
            var i = 0, line = 1
            while i < n {
                let c = buf[i]
                if c == 0x0A { line += 1 }
                guard c == 0x3C, i + 1 < n else { i += 1; continue }
                let next = buf[i + 1]
                // Comments, CDATA, DOCTYPE, processing instructions and end tags carry no attributes.
                if next == 0x21 || next == 0x3F || next == 0x2F { i += 2; continue }
                let start = i, startLine = line
                var quote: UInt8 = 0, equals = 0
                i += 1
                while i < n {
                    let b = buf[i]
                    if b == 0x0A { line += 1 }
                    if quote != 0 {
                        if b == quote { quote = 0 }
                    } else if b == 0x22 || b == 0x27 {
                        quote = b
                    } else if b == 0x3D {
                        equals += 1
                    } else if b == 0x3E {
                        break
                    }
                    if equals > maximumAttributes { return Oversized(line: startLine, what: "超过 \(maximumAttributes) 个属性") }
                    if i - start > maximumBytes { return Oversized(line: startLine, what: "超过 \(maximumBytes / 1024) KB") }
                    i += 1
                }
                i += 1
            }
            return nil
        }
    }
}
