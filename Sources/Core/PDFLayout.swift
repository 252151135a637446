/// What the PDF worker hands back for a document: each page's size and every character it
/// prints with its box (points, y growing downward from the top of the page), or why there is
/// nothing to hand back. The worker writes it and the reader decodes it: the one format both
/// sides of the pipe share, a line of text a record, so a worker that dies half-way leaves a
/// prefix that fails to decode rather than a wrong document.
public struct PDFLayout: Sendable, Equatable {
    public struct Glyph: Sendable, Equatable {
        public var scalar: Unicode.Scalar
        public var x1: Double, y1: Double, x2: Double, y2: Double

        public init(_ scalar: Unicode.Scalar, x1: Double, y1: Double, x2: Double, y2: Double) {
            self.scalar = scalar
            self.x1 = x1; self.y1 = y1; self.x2 = x2; self.y2 = y2
        }
    }

    public struct Page: Sendable, Equatable {
        public var width: Double
        public var height: Double
        /// The pictures painted on a page without text (a scanned page is one picture); 0 on a page with text.
        public var images: Int
        public var glyphs: [Glyph]

        public init(width: Double, height: Double, images: Int, glyphs: [Glyph]) {
            self.width = width; self.height = height; self.images = images; self.glyphs = glyphs
        }
    }

    /// Why a document gave no layout.
    /// The environment variable that names poppler-glib's library file, when it is not where
    /// the system's loader looks; passed on to the worker.
    public static let libraryVariable = "DISCLOSURE_POPPLER_LIBRARY"

    public enum Refusal: String, Sendable, Equatable {
        /// It needs a password to open.
        case encrypted
        /// The library could not read it (damaged, truncated, not a PDF).
        case damaged
        /// More pages than any report has.
        case tooManyPages
        /// The PDF library itself could not be loaded on this machine (not the document's fault).
        case libraryMissing
    }

    public var pages: [Page]
    public var refusal: Refusal?
    /// The library's own words for a refusal (kept for the log, never shown as the message).
    public var detail: String

    public init(pages: [Page] = [], refusal: Refusal? = nil, detail: String = "") {
        self.pages = pages
        self.refusal = refusal
        self.detail = detail
    }

    static let magic = "%DISCLOSURE-PDF-LAYOUT 1"

    /// The argument `disclosure` is started with to be a PDF worker.
    public static let workerArgument = "__pdf-layout"

    /// What a worker may use, passed as its arguments: the worker limits itself to them before it
    /// reads a byte, and the run stops it past `seconds` of wall time.
    public struct Limits: Sendable, Equatable {
        public var memoryBytes: Int
        public var seconds: Int
        public var pages: Int
        public var inputBytes: Int

        public init(memoryBytes: Int = 1 << 30, seconds: Int = 30, pages: Int = 200, inputBytes: Int = 256 << 20) {
            self.memoryBytes = memoryBytes
            self.seconds = seconds
            self.pages = pages
            self.inputBytes = inputBytes
        }

        public var arguments: [String] {
            ["--memory", "\(memoryBytes)", "--cpu", "\(seconds)", "--pages", "\(pages)", "--input", "\(inputBytes)"]
        }

        /// Reads what `arguments` wrote; the defaults for anything missing or not a positive number.
        public init(arguments: [String]) {
            self.init()
            var k = 0
            while k + 1 < arguments.count {
                let value = Int(arguments[k + 1]) ?? 0
                switch arguments[k] {
                case "--memory" where value > 0: memoryBytes = value
                case "--cpu" where value > 0: seconds = value
                case "--pages" where value > 0: pages = value
                case "--input" where value > 0: inputBytes = value
                default: break
                }
                k += 2
            }
        }
    }

    /// The layout as the worker writes it.
    public func encoded() -> [UInt8] {
        var out = Self.magic + "\n"
        if let refusal {
            out += "refused \(refusal.rawValue) \(detail.unicodeScalars.filter { $0 != "\n" && $0 != "\r" }.map(String.init).joined())\n"
        }
        for page in pages {
            out += "page \(Self.number(page.width)) \(Self.number(page.height)) \(page.images) \(page.glyphs.count)\n"
            for g in page.glyphs {
                out += "\(String(g.scalar.value, radix: 16)) \(Self.number(g.x1)) \(Self.number(g.y1)) \(Self.number(g.x2)) \(Self.number(g.y2))\n"
            }
        }
        out += "end\n"
        return Array(out.utf8)
    }

    /// Two decimals: a hundredth of a point is far below any gap the reader looks at.
    static func number(_ d: Double) -> String {
        guard d.isFinite else { return "0" }
        let r = (d * 100).rounded() / 100
        return r == r.rounded() ? String(Int(r)) : String(r)
    }

    public enum DecodingError: Error, Equatable {
        /// The output stops before its end mark (the worker died or was stopped).
        case truncated
        /// A line that is not one the worker writes.
        case malformed(line: Int)
    }

    /// Reads what a worker wrote; anything that is not exactly its format is an error.
    public static func decode(_ bytes: [UInt8]) throws(DecodingError) -> PDFLayout {
        var layout = PDFLayout()
        var lineNumber = 0
        var remaining = 0
        var sawMagic = false, sawEnd = false
        var start = 0
        while start < bytes.count {
            guard let newline = bytes[start...].firstIndex(of: 0x0A) else { throw .truncated }
            let line = bytes[start..<newline]
            start = newline + 1
            lineNumber += 1
            if sawEnd { throw .malformed(line: lineNumber) }
            if !sawMagic {
                guard String(decoding: line, as: UTF8.self) == magic else { throw .malformed(line: lineNumber) }
                sawMagic = true
                continue
            }
            if remaining > 0 {
                // A glyph line, the bulk of the output: parsed from its bytes.
                guard let glyph = Self.glyph(line) else { throw .malformed(line: lineNumber) }
                layout.pages[layout.pages.count - 1].glyphs.append(glyph)
                remaining -= 1
                continue
            }
            let fields = line.split(separator: 0x20, maxSplits: 5, omittingEmptySubsequences: true)
            guard let keyword = fields.first.map({ String(decoding: $0, as: UTF8.self) }) else { throw .malformed(line: lineNumber) }
            switch keyword {
            case "page":
                guard fields.count == 5, let w = double(fields[1]), let h = double(fields[2]),
                      let images = Int(String(decoding: fields[3], as: UTF8.self)), let count = Int(String(decoding: fields[4], as: UTF8.self)),
                      count >= 0, count <= 1_000_000, images >= 0 else { throw .malformed(line: lineNumber) }
                layout.pages.append(Page(width: w, height: h, images: images, glyphs: []))
                layout.pages[layout.pages.count - 1].glyphs.reserveCapacity(count)
                remaining = count
            case "refused":
                guard fields.count >= 2, let refusal = Refusal(rawValue: String(decoding: fields[1], as: UTF8.self)) else {
                    throw .malformed(line: lineNumber)
                }
                layout.refusal = refusal
                // "refused KIND detail…": the detail is the rest of the line after KIND and a space.
                let detailStart = line.startIndex + "refused ".utf8.count + fields[1].count + 1
                layout.detail = detailStart < line.endIndex ? String(decoding: line[detailStart...], as: UTF8.self) : ""
            case "end":
                guard fields.count == 1 else { throw .malformed(line: lineNumber) }
                sawEnd = true
            default:
                throw .malformed(line: lineNumber)
            }
        }
        guard sawEnd, remaining == 0 else { throw .truncated }
        return layout
    }

    /// "4e00 72.1 87 86.1 105.2": a scalar in hex and four coordinates as `number` writes them.
    static func glyph(_ line: ArraySlice<UInt8>) -> Glyph? {
        var k = line.startIndex
        var code: UInt32 = 0, digits = 0
        while k < line.endIndex, line[k] != 0x20 {
            let b = line[k]
            let v: UInt32
            switch b {
            case 0x30...0x39: v = UInt32(b - 0x30)
            case 0x61...0x66: v = UInt32(b - 0x61 + 10)
            default: return nil
            }
            code = code << 4 | v
            digits += 1
            guard digits <= 6 else { return nil }
            k += 1
        }
        guard digits > 0, let scalar = Unicode.Scalar(code) else { return nil }
        var values: [Double] = []
        values.reserveCapacity(4)
        while values.count < 4 {
            guard k < line.endIndex, line[k] == 0x20 else { return nil }
            k += 1
            var negative = false
            if k < line.endIndex, line[k] == 0x2D { negative = true; k += 1 }
            var whole: Int = 0, fraction: Int = 0, scale = 1, seen = 0, point = false
            while k < line.endIndex, line[k] != 0x20 {
                let b = line[k]
                if b == 0x2E, !point { point = true; k += 1; continue }
                guard b >= 0x30 && b <= 0x39 else { return nil }
                if point {
                    guard scale < 1_000_000 else { return nil }
                    fraction = fraction * 10 + Int(b - 0x30); scale *= 10
                } else {
                    whole = whole * 10 + Int(b - 0x30)
                    guard whole < 10_000_000 else { return nil }
                }
                seen += 1
                k += 1
            }
            guard seen > 0 else { return nil }
            let value = Double(whole) + Double(fraction) / Double(scale)
            values.append(negative ? -value : value)
        }
        guard k == line.endIndex else { return nil }
        return Glyph(scalar, x1: values[0], y1: values[1], x2: values[2], y2: values[3])
    }

    private static func double(_ field: ArraySlice<UInt8>) -> Double? {
        guard field.count <= 24, let d = Double(String(decoding: field, as: UTF8.self)), d.isFinite, abs(d) < 1e7 else { return nil }
        return d
    }
}
