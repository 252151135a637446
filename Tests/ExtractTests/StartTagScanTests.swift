import Testing
@testable import Extract

/// The check of every start tag before libxml2 parses it, fed in chunks as a file is read.
struct StartTagScanTests {
    /// Scans `text` in chunks of `size` bytes; the tag found oversized, if any.
    func scan(_ text: String, chunks size: Int) -> StartTagScan.Oversized? {
        var scan = StartTagScan()
        let bytes = Array(text.utf8)
        var start = 0
        while start < bytes.count {
            let end = min(start + size, bytes.count)
            let go = bytes[start..<end].withUnsafeBytes { scan.scan($0) }
            if !go { break }
            start = end
        }
        return scan.found
    }

    static let sizes = [1, 2, 3, 7, 64, 1 << 20]

    @Test(arguments: sizes)
    func aTagWithTooManyAttributesIsFoundOnTheLineItStartsWhateverTheChunks(size: Int) {
        let attributes = (0...StartTagScan.maximumAttributes).map { " a\($0)=\"x\"" }.joined(separator: "\n")
        let xml = "<?xml version=\"1.0\"?>\n<root>\n<!-- a=b c=d -->\n<ok a=\"1\"/>\n  <many\(attributes)/>\n</root>\n"
        let found = scan(xml, chunks: size)
        #expect(found?.line == 5)
        #expect(found?.what == "超过 \(StartTagScan.maximumAttributes) 个属性")
    }

    @Test(arguments: sizes)
    func aTagLongerThanTheLimitIsFoundWhateverTheChunks(size: Int) {
        let xml = "<a>\n\n<b title=\"" + String(repeating: "长", count: StartTagScan.maximumBytes / 3 + 10) + "\">x</b></a>"
        #expect(scan(xml, chunks: size)?.line == 3)
        #expect(scan(xml, chunks: size)?.what == "超过 64 KB")
    }

    @Test(arguments: sizes)
    func equalsSignsInQuotesCommentsCDATAAndTextAreNotAttributes(size: Int) {
        let many = String(repeating: "=", count: StartTagScan.maximumAttributes * 2)
        let xml = "<a t=\"\(many)\" u='\(many)'>\(many)<![CDATA[<x \(many)> ]] > ]>]]><!-- <y \(many)> - -> --><?pi <z \(many)> ? >?></a>"
        #expect(scan(xml, chunks: size) == nil)
    }

    @Test(arguments: sizes)
    func aPageOfHTMLWithAnInlineImageInCDATAIsNoTag(size: Int) {
        // A CMS item's body: an <img> whose data URL is longer than any start tag may be.
        let image = "<img src=\"data:image/png;base64," + String(repeating: "QUJD", count: StartTagScan.maximumBytes / 2) + "\">"
        let xml = "<rss><item><description><![CDATA[<p>正文</p>\(image)]]></description></item></rss>"
        #expect(scan(xml, chunks: size) == nil)
    }

    @Test(arguments: sizes)
    func aTagAfterACommentCDATAOrDeclarationIsStillChecked(size: Int) {
        let attributes = (0...StartTagScan.maximumAttributes).map { " a\($0)=\"x\"" }.joined()
        for before in ["<!-- x -->", "<![CDATA[ x ]]>", "<?pi x?>", "<!DOCTYPE r>", "<!-->", "<!>", "</b>"] {
            let xml = "<r>\(before)\n<many\(attributes)/></r>"
            #expect(scan(xml, chunks: size)?.line == 2, "\(before)")
        }
    }
}
