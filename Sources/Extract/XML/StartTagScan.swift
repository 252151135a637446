#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A pass over an XML document's bytes, before libxml2 sees them, that finds a start tag with
/// more attributes or more bytes than any real submission has: libxml2's attribute handling is
/// quadratic in their number (80,000 attributes cost 16 s), so such a tag is refused unparsed.
/// Comments, CDATA sections and processing instructions are skipped whole (a CMS puts pages of
/// HTML, inline images too, in CDATA: none of it is a tag libxml2 parses). It reads a chunk at a
/// time, so that a document streamed from disk is checked as it goes.
struct StartTagScan {
    static let maximumAttributes = 256
    static let maximumBytes = 64 * 1024

    struct Oversized: Error {
        var line: Int
        /// What was too large, in words.
        var what: String
    }

    private enum Mode {
        /// Character data: only a "<" matters.
        case text
        /// Just after a "<".
        case afterLT
        /// After "<!": how many bytes of "!--" and "![CDATA[" matched so far, and which still can.
        case bang(matched: Int, comment: Bool, cdata: Bool)
        /// Inside a comment, CDATA section or processing instruction: to the ">" after `count`
        /// of `byte` ("--", "]]", "?").
        case skipping(byte: UInt8, count: Int)
        /// Inside a start tag.
        case tag
    }

    private var mode = Mode.text
    /// The line the current chunk starts on.
    private var line = 1
    /// The line of a "<" that ended the chunk before.
    private var ltLine = 1
    /// The two bytes before the current chunk (the last first), for a terminator cut by a chunk end.
    private var before: (UInt8, UInt8) = (0, 0)
    private var quote: UInt8 = 0
    private var equals = 0
    private var tagBytes = 0
    /// The line of the open tag's "<" once known: a tag that started in this chunk has its line
    /// counted only if it turns out oversized or runs into the next chunk.
    private var tagLine = 1
    private(set) var found: Oversized?

    private static let comment = Array("!--".utf8), cdata = Array("![CDATA[".utf8)

    /// Scans the next chunk; false once an oversized tag is found (see ``found``).
    ///
    /// Between tags only "<" matters, and in a comment or CDATA section only ">": each is found
    /// with memchr. Lines are counted once a chunk, and a tag's line only when it is needed.
    mutating func scan(_ chunk: UnsafeRawBufferPointer) -> Bool {
        guard found == nil else { return false }
        guard let base = chunk.baseAddress?.assumingMemoryBound(to: UInt8.self), chunk.count > 0 else { return true }
        let end = chunk.count
        let startLine = line
        func lineOf(_ offset: Int) -> Int { startLine + Self.lineEnds(base, offset) }
        /// The byte `back` places before `offset` in the document (this chunk or the ones before).
        func byte(before offset: Int, _ back: Int) -> UInt8 {
            let k = offset - back
            return k >= 0 ? base[k] : (k == -1 ? before.0 : before.1)
        }
        func find(_ byte: UInt8, from i: Int) -> Int? {
            memchr(base + i, Int32(byte), end - i).map { UnsafePointer($0.assumingMemoryBound(to: UInt8.self)) - base }
        }
        /// Where in this chunk the open tag's "<" and the last "<" are (-1: before this chunk).
        var tagStart = -1, ltAt = -1
        var i = 0
        scanning: while i < end {
            switch mode {
            case .text:
                guard let next = find(0x3C, from: i) else { break scanning }
                ltAt = next
                mode = .afterLT
                i = next + 1
            case .skipping(let end, let count):
                guard let close = find(0x3E, from: i) else { break scanning }
                i = close + 1
                if byte(before: close, 1) == end && (count < 2 || byte(before: close, 2) == end) { mode = .text }
            case .afterLT:
                let b = base[i]
                switch b {
                case 0x21: mode = .bang(matched: 1, comment: true, cdata: true); i += 1
                case 0x3F: mode = .skipping(byte: 0x3F, count: 1); i += 1
                case 0x2F: mode = .text; i += 1  // an end tag carries no attributes
                default:
                    // A start tag from its name on (this byte is read again as the tag's).
                    mode = .tag
                    quote = 0
                    equals = 0
                    tagBytes = 1
                    if ltAt >= 0 { tagStart = ltAt } else { tagLine = ltLine }
                }
            case .bang(let matched, let comment, let cdata):
                let b = base[i]
                let isComment = comment && matched < Self.comment.count && Self.comment[matched] == b
                let isCDATA = cdata && matched < Self.cdata.count && Self.cdata[matched] == b
                if isComment && matched + 1 == Self.comment.count {
                    mode = .skipping(byte: 0x2D, count: 2)
                } else if isCDATA && matched + 1 == Self.cdata.count {
                    mode = .skipping(byte: 0x5D, count: 2)
                } else if isComment || isCDATA {
                    mode = .bang(matched: matched + 1, comment: isComment, cdata: isCDATA)
                } else {
                    // A declaration (DOCTYPE, ENTITY…): no attributes; this byte is read again as text.
                    mode = .text
                    continue scanning
                }
                i += 1
            case .tag:
                let b = base[i]
                i += 1
                tagBytes += 1
                if quote != 0 {
                    if b == quote { quote = 0 }
                } else if b == 0x22 || b == 0x27 {
                    quote = b
                } else if b == 0x3D {
                    equals += 1
                    if equals > Self.maximumAttributes {
                        found = Oversized(line: tagStart >= 0 ? lineOf(tagStart) : tagLine, what: "超过 \(Self.maximumAttributes) 个属性")
                        return false
                    }
                } else if b == 0x3E {
                    mode = .text
                    tagStart = -1
                }
                if tagBytes > Self.maximumBytes {
                    found = Oversized(line: tagStart >= 0 ? lineOf(tagStart) : tagLine, what: "超过 \(Self.maximumBytes / 1024) KB")
                    return false
                }
            }
        }
        // What runs into the next chunk has its line fixed now.
        if case .tag = mode, tagStart >= 0 { tagLine = lineOf(tagStart) }
        if case .afterLT = mode, ltAt >= 0 { ltLine = lineOf(ltAt) }
        before = (base[end - 1], end >= 2 ? base[end - 2] : before.0)
        line = lineOf(end)
        return true
    }

    /// The line ends among the first `count` bytes (found with memchr: a line is long next to its end).
    private static func lineEnds(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> Int {
        var n = 0, at = 0
        while at < count, let end = memchr(bytes + at, 0x0A, count - at) {
            n += 1
            at = UnsafePointer(end.assumingMemoryBound(to: UInt8.self)) - bytes + 1
        }
        return n
    }
}
