import CPoppler
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
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
    /// `poppler_document_new_from_bytes` and `poppler_page_get_text_layout` (see `CPoppler`: the
    /// library is loaded here, when a worker first needs it).
    static func layout(_ bytes: [UInt8], pages limit: Int) -> PDFLayout {
        guard !bytes.isEmpty else { return PDFLayout(refusal: .damaged, detail: "empty") }
        var why: UnsafePointer<CChar>?
        // DISCLOSURE_POPPLER_LIBRARY: poppler-glib installed somewhere the loader does not look.
        guard let api = cpoppler_load(getenv(PDFLayout.libraryVariable), &why)?.pointee else {
            return PDFLayout(refusal: .libraryMissing, detail: why.map { String(cString: $0) } ?? "poppler-glib")
        }
        // GBytes copies the buffer: the document outlives this scope's array safely.
        let data = bytes.withUnsafeBytes { api.bytes_new($0.baseAddress, $0.count) }
        defer { api.bytes_unref(data) }
        var error: UnsafeMutablePointer<GError>?
        guard let document = api.document_new_from_bytes(data, nil, &error) else {
            defer { if let error { api.error_free(error) } }
            let detail = error?.pointee.message.map { String(cString: $0) } ?? ""
            let encrypted = error.map { $0.pointee.domain == api.error_quark() && $0.pointee.code == Int32(CPOPPLER_ERROR_ENCRYPTED) } ?? false
            return PDFLayout(refusal: encrypted ? .encrypted : .damaged, detail: detail)
        }
        defer { api.object_unref(UnsafeMutableRawPointer(document)) }
        let count = Int(api.document_get_n_pages(document))
        guard count <= limit else { return PDFLayout(refusal: .tooManyPages, detail: "\(count)") }
        var layout = PDFLayout()
        for k in 0..<count {
            guard let page = api.document_get_page(document, Int32(k)) else { continue }
            defer { api.object_unref(UnsafeMutableRawPointer(page)) }
            var width = 0.0, height = 0.0
            api.page_get_size(page, &width, &height)
            var glyphs: [PDFLayout.Glyph] = []
            if let text = api.page_get_text(page) {
                defer { api.free(text) }
                var rects: UnsafeMutablePointer<PopplerRectangle>?
                var n: guint = 0
                if api.page_get_text_layout(page, &rects, &n) != 0, let rects {
                    defer { api.free(rects) }
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
            var images = 0
            if glyphs.isEmpty {
                let list = api.page_get_image_mapping(page)
                images = Int(api.list_length(list))
                api.page_free_image_mapping(list)
            }
            layout.pages.append(PDFLayout.Page(width: width, height: height, images: images, glyphs: glyphs))
        }
        return layout
    }
}
