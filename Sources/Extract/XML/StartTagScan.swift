#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A pass over an XML document's bytes, before libxml2 sees them, that finds a start tag with
/// more attributes or more bytes than any real submission has: libxml2's attribute handling is
/// quadratic in their number (80,000 attributes cost 16 s), so such a tag is refused unparsed.
/// It reads a chunk at a time, so that a document streamed from disk is checked as it goes.
struct StartTagScan {
    static let maximumAttributes = 256
    static let maximumBytes = 64 * 1024

    struct Oversized: Error {
        var line: Int
        /// What was too large, in words.
        var what: String
    }

    private var line = 1
    private var afterLT = false
    private var inTag = false
    private var quote: UInt8 = 0
    private var equals = 0
    private var tagBytes = 0
    private var tagLine = 1
    private(set) var found: Oversized?

    /// Scans the next chunk; false once an oversized tag is found (see ``found``).
    mutating func scan(_ chunk: UnsafeRawBufferPointer) -> Bool {
        guard found == nil else { return false }
        guard let base = chunk.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return true }
        let end = chunk.count
        var i = 0
        while i < end {
            // Between tags only "<" and line ends matter: jump to the next "<" (memchr), counting
            // the lines passed in a loop the compiler vectorizes. Most of a file is text.
            if !inTag && !afterLT {
                let next = memchr(base + i, 0x3C, end - i).map { UnsafePointer($0.assumingMemoryBound(to: UInt8.self)) - base } ?? end
                var lines = 0
                for k in i..<next { lines &+= base[k] == 0x0A ? 1 : 0 }
                line += lines
                guard next < end else { return true }
                afterLT = true
                i = next + 1
                continue
            }
            let b = base[i]
            i += 1
            if b == 0x0A { line += 1 }
            if afterLT {
                afterLT = false
                // Comments, CDATA, DOCTYPE, processing instructions and end tags carry no attributes.
                if b != 0x21 && b != 0x3F && b != 0x2F {
                    inTag = true
                    quote = 0
                    equals = 0
                    tagBytes = 1
                    tagLine = b == 0x0A ? line - 1 : line
                }
            }
            if inTag {
                tagBytes += 1
                if quote != 0 {
                    if b == quote { quote = 0 }
                } else if b == 0x22 || b == 0x27 {
                    quote = b
                } else if b == 0x3D {
                    equals += 1
                    if equals > Self.maximumAttributes {
                        found = Oversized(line: tagLine, what: "超过 \(Self.maximumAttributes) 个属性")
                        return false
                    }
                } else if b == 0x3E {
                    inTag = false
                }
                if tagBytes > Self.maximumBytes {
                    found = Oversized(line: tagLine, what: "超过 \(Self.maximumBytes / 1024) KB")
                    return false
                }
            }
        }
        return true
    }
}
