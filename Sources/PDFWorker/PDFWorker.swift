import CPoppler
import Core
import Store

/// The child side of reading a PDF: poppler opens the document from memory and lays out its
/// pages (each character and its box), and the layout goes back on standard output. It runs in
/// a process of its own, limited in memory and CPU before it reads a byte, so a document that
/// crashes or hangs the library ends this process, not the run.
public enum PDFWorker {
    /// The argument the executable is started with to be a worker.
    public static let argument = PDFLayout.workerArgument

    /// Runs as a worker: limits itself, reads the document from standard input, writes its
    /// layout. Returns the exit status (0 whenever a layout or a refusal was written).
    public static func main(arguments: [String]) -> Int32 {
        let limits = PDFLayout.Limits(arguments: arguments)
        ChildProcess.limitSelf(memoryBytes: limits.memoryBytes, cpuSeconds: limits.seconds)
        guard let bytes = ChildProcess.readStandardInput(limit: limits.inputBytes) else { return 3 }
        let layout = Self.layout(bytes, pages: limits.pages)
        return ChildProcess.writeStandardOutput(layout.encoded()) ? 0 : 4
    }

    /// The layout of a document held in memory. The corresponding poppler functions are
    /// `poppler_document_new_from_bytes` and `poppler_page_get_text_layout`.
    static func layout(_ bytes: [UInt8], pages limit: Int) -> PDFLayout {
        guard !bytes.isEmpty else { return PDFLayout(refusal: .damaged, detail: "empty") }
        // GBytes copies the buffer: the document outlives this scope's array safely.
        let data = bytes.withUnsafeBytes { g_bytes_new($0.baseAddress, gsize($0.count)) }
        defer { g_bytes_unref(data) }
        var error: UnsafeMutablePointer<GError>?
        guard let document = poppler_document_new_from_bytes(data, nil, &error) else {
            defer { cpoppler_error_free(error) }
            let detail = error?.pointee.message.map { String(cString: $0) } ?? ""
            return PDFLayout(refusal: cpoppler_is_encrypted(error) != 0 ? .encrypted : .damaged, detail: detail)
        }
        defer { cpoppler_unref(UnsafeMutableRawPointer(document)) }
        let count = Int(poppler_document_get_n_pages(document))
        guard count <= limit else { return PDFLayout(refusal: .tooManyPages, detail: "\(count)") }
        var layout = PDFLayout()
        for k in 0..<count {
            guard let page = poppler_document_get_page(document, Int32(k)) else { continue }
            defer { cpoppler_unref(UnsafeMutableRawPointer(page)) }
            var width = 0.0, height = 0.0
            poppler_page_get_size(page, &width, &height)
            var glyphs: [PDFLayout.Glyph] = []
            if let text = poppler_page_get_text(page) {
                defer { cpoppler_free(text) }
                var rects: UnsafeMutablePointer<PopplerRectangle>?
                var n: guint = 0
                if poppler_page_get_text_layout(page, &rects, &n) != 0, let rects {
                    defer { cpoppler_free(rects) }
                    // One rectangle a Unicode scalar of the text, line breaks included.
                    var k = 0
                    for scalar in String(cString: text).unicodeScalars {
                        guard k < Int(n) else { break }
                        let r = rects[k]
                        k += 1
                        if scalar == "\n" || scalar == "\r" { continue }
                        glyphs.append(PDFLayout.Glyph(scalar, x1: min(r.x1, r.x2), y1: min(r.y1, r.y2), x2: max(r.x1, r.x2), y2: max(r.y1, r.y2)))
                    }
                }
            }
            // Pictures are counted only on a page without text (a scan): finding them is a pass of
            // its own over the page's content.
            let images = glyphs.isEmpty ? Int(cpoppler_image_count(page)) : 0
            layout.pages.append(PDFLayout.Page(width: width, height: height, images: images, glyphs: glyphs))
        }
        return layout
    }
}
