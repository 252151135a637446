import Core
import Foundation
import Store

/// Reads one inbox file into a ``StagedFile``: decides the family, decodes exactly, stages
/// every value or item tally with its provenance, and turns anything wrong into findings.
public struct Extractor: Sendable {
    public let registry: Registry
    public let profiles: [XMLProfile]
    public let year: Int
    public let limits: InboxLimits
    /// The process environment (where a PDF worker is found: `DISCLOSURE_PDF_WORKER`).
    public let environment: [String: String]

    public init(registry: Registry, profiles: [XMLProfile], year: Int, limits: InboxLimits = InboxLimits(),
                environment: [String: String] = [:]) {
        self.registry = registry
        self.profiles = profiles
        self.year = year
        self.limits = limits
        self.environment = environment
    }

    /// Reads `file`; `now` is when this run began (a file changed since the settle window before
    /// it is left for the next run).
    public func extract(_ file: InboxFile, now: Double = .infinity) -> StagedFile {
        let submitter = registry.resolve(file.folder)
        var staged = StagedFile(submitter: submitter?.name ?? file.folder, file: file.path, sha256: "", size: file.size)
        staged.received = file.modified
        func refuse(_ rule: Rule, line: Int? = nil, _ message: String, actual: String? = nil) -> StagedFile {
            staged.findings.append(Finding(rule, submitter: staged.submitter, file: file.path, line: line, message: message, actual: actual ?? ""))
            staged.quarantined = true
            return staged
        }
        if let refusal = file.refusal { return refuse(.entryNotFollowed, Self.message(for: refusal, year: year)) }
        if !file.renamed.isEmpty {
            let readable = file.renamed.filter { $0.reading == .gb18030 }
            let escaped = file.renamed.filter { $0.reading == .escaped }
            var parts: [String] = []
            if !readable.isEmpty { parts.append("已按 GB18030 读作“\(readable.map(\.text).joined(separator: "”“"))”") }
            if !escaped.isEmpty { parts.append("“\(escaped.map(\.text).joined(separator: "”“"))”无法按 GB18030 解读（字节 \(escaped.map(\.hex).joined(separator: "；"))）") }
            staged.findings.append(Finding(.nameNotUTF8, submitter: staged.submitter, file: file.path,
                message: "路径中的名称不是 UTF-8 编码（常见于 Windows 压缩包在服务器上解压）：\(parts.joined(separator: "；"))。如需改名，请按 UTF-8 重新命名。"))
        }
        guard submitter != nil else {
            // Nothing of a file in a folder nobody registered is read.
            let message = file.folder.isEmpty
                ? "文件直接放在 inbox/\(year)/ 下，无法判断报送单位：请放入以报送单位命名的文件夹（如 inbox/\(year)/盂县/）。"
                : "文件夹“\(file.folder)”不是登记的报送单位（config/submitters.csv 中的名称、简称或代码），其中的文件未读取：请改用登记的名称，或在登记表中补充该单位。"
            return refuse(.fileUnknownFolder, message, actual: file.folder)
        }
        // A time ahead of the clock (a copy that kept a skewed server's times) is not taken as a write in progress.
        if now - file.modified < limits.settleSeconds && file.modified - now < limits.settleSeconds && !limits.complete.contains(file.path) {
            staged.sha256 = Self.pending
            return refuse(.fileStillWriting, Self.stillWriting(seconds: max(0, now - file.modified), limits: limits))
        }
        // An XML document is streamed to its parser, never held whole (a province's item list
        // runs to gigabytes); anything else is read in one piece.
        let head: [UInt8]
        do { head = try FileIO.head(bytes: file.location, count: 512) } catch {
            return refuse(.fileUnreadable, "文件无法读取（\(error.reason)）：请确认文件仍在收件箱中、有读取权限后重新运行。")
        }
        if file.path.lowercased().hasSuffix(".xml") || Self.looksLikeXML(head),
           !Self.isPackage(head), !Self.isCompoundFile(head), Self.binaryKind(head) == nil, !Self.looksLikeHTML(head) {
            return streamXML(file, head: head, into: staged)
        }
        let contents: FileIO.Contents
        do {
            contents = try FileIO.read(bytes: file.location, limit: limits.maximumFileBytes)
        } catch {
            return refuse(.fileUnreadable, "文件无法读取（\(error.reason)）：请确认文件仍在收件箱中、有读取权限后重新运行。")
        }
        if contents.tooLarge {
            return refuse(.fileTooLarge, Self.tooLargeMessage(contents.before.size, limits: limits), actual: "\(contents.before.size)")
        }
        if contents.before.size != contents.after.size || contents.before.modified != contents.after.modified
            || contents.bytes.count != contents.before.size {
            staged.sha256 = Self.pending
            return refuse(.fileStillWriting, Self.changedWhileRead)
        }
        let bytes = contents.bytes
        staged.size = bytes.count
        staged.sha256 = SHA256.hex(bytes)
        if bytes.isEmpty { return refuse(.fileEmpty, "文件为空（0 字节）：请重新导出后报送。") }
        if Self.isPackage(bytes) {
            readPackage(bytes, into: &staged)
            return finish(staged)
        }
        if Self.isCompoundFile(bytes) {
            return refuse(.fileWrongFormat, line: 1, Self.compoundFileMessage(bytes, name: file.path), actual: "OLE")
        }
        let lower = file.path.lowercased()
        if lower.hasSuffix(".htm") || lower.hasSuffix(".html") || Self.looksLikeHTML(bytes) {
            WebPageReader.read(bytes, year: year, into: &staged)
            return finish(staged)
        }
        if bytes.starts(with: Array("%PDF".utf8)) || Self.isPDF(bytes) {
            PDFReader.read(bytes, year: year, environment: environment, into: &staged)
            return finish(staged)
        }
        if let kind = Self.binaryKind(bytes) {
            return refuse(.fileWrongFormat, line: 1, Self.advice(kind), actual: kind)
        }
        readCSV(bytes, into: &staged)
        return finish(staged)
    }

    private func streamXML(_ file: InboxFile, head: [UInt8], into staged: StagedFile) -> StagedFile {
        var staged = staged
        func refuse(_ rule: Rule, _ message: String, pending: Bool = false) -> StagedFile {
            staged.findings.append(Finding(rule, submitter: staged.submitter, file: file.path, message: message))
            staged.quarantined = true
            if pending { staged.sha256 = Self.pending }
            return staged
        }
        let handle: FileIO.OpenFile
        do { handle = try FileIO.openForReading(bytes: file.location) } catch {
            return refuse(.fileUnreadable, "文件无法读取（\(error.reason)）：请确认文件仍在收件箱中、有读取权限后重新运行。")
        }
        guard let before = handle.status() else { return refuse(.fileUnreadable, "文件无法读取：请确认文件仍在收件箱中后重新运行。") }
        if before.size > limits.maximumFileBytes {
            return refuse(.fileTooLarge, Self.tooLargeMessage(before.size, limits: limits))
        }
        let source = XMLSource(file: handle, limit: limits.maximumFileBytes, size: before.size)
        XMLFileReader.read(source, head: head, profiles: profiles, year: year, into: &staged)
        staged.sha256 = source.finish()
        if source.tooLarge { return refuse(.fileTooLarge, Self.tooLargeMessage(source.bytesRead, limits: limits)) }
        staged.size = source.bytesRead
        guard let after = handle.status(), after.size == before.size, after.modified == before.modified, source.bytesRead == before.size else {
            staged = StagedFile(submitter: staged.submitter, file: staged.file, sha256: "", size: file.size)
            staged.received = file.modified
            return refuse(.fileStillWriting, Self.changedWhileRead, pending: true)
        }
        return finish(staged)
    }

    static func tooLargeMessage(_ size: Int, limits: InboxLimits) -> String {
        "文件有 \(megabytes(size))，超过单个文件 \(megabytes(limits.maximumFileBytes)) 的上限，未读取：请确认是否导出了错误的内容；确需报送，请在 config/workspace.json 的 inbox.maxFileMB 中调高上限。"
    }

    /// What every read file gets last: the 填报单位 it names checked against its folder.
    private func finish(_ staged: StagedFile) -> StagedFile {
        var staged = staged
        if let declared = staged.declaredSubmitter, let resolved = registry.resolve(declared), resolved.name != staged.submitter {
            staged.findings.append(Finding(
                .submitterMismatch, submitter: staged.submitter, file: staged.file,
                message: "文件内写明的填报单位是“\(declared)”\(TextFold.compact(declared) == resolved.name ? "" : "（即“\(resolved.name)”）")，但文件放在“\(staged.submitter)”的文件夹中：已按文件夹计入“\(staged.submitter)”，如放错请移到正确的文件夹。",
                expected: staged.submitter, actual: declared))
        }
        return staged
    }

    static let maximumColumns = 1024
    static let maximumRows = 20_000

    /// A ZIP container: an .xlsx workbook or a .docx document is read; anything else is not.
    private func readPackage(_ bytes: [UInt8], into staged: inout StagedFile) {
        let package: ZipPackage
        do { package = try ZipPackage(bytes: bytes) } catch {
            staged.findings.append(Finding(.fileWrongFormat, submitter: staged.submitter, file: staged.file,
                                           message: ZipPackage.message(error, kind: "文件")))
            staged.quarantined = true
            return
        }
        if package.contains("xl/workbook.xml") {
            WorkbookReader.read(package, year: year, into: &staged)
        } else if package.contains("word/document.xml") {
            DocumentReader.read(package, year: year, into: &staged)
        } else if package.contains("OFD.xml") {
            staged.findings.append(Finding(.fileWrongFormat, submitter: staged.submitter, file: staged.file, line: 1,
                message: "这是 OFD 版式文件，无法直接读取：请在 WPS 或数科阅读器中另存为 PDF，或报送年度报告的 Word 文档或网页，原文件不会被改动。",
                actual: "OFD"))
            staged.quarantined = true
        } else {
            staged.findings.append(Finding(.fileWrongFormat, submitter: staged.submitter, file: staged.file, line: 1,
                message: "这是一个压缩文件（ZIP），不是 Excel 工作簿或 Word 文档，未解压读取：请解压后把其中的文件放入收件箱，原文件不会被改动。",
                actual: "ZIP"))
            staged.quarantined = true
        }
    }

    /// An Office 97–2003 compound file: which kind, and what to do with it.
    static func compoundFileMessage(_ bytes: [UInt8], name: String) -> String {
        let utf16 = { (s: String) in Array(s.utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] } }
        if bytes.firstRange(of: utf16("EncryptedPackage")) != nil {
            return "这个文件设置了打开密码（加密的 Office 文件），无法读取：请在 Excel/WPS/Word 中取消密码（“文件—信息—保护”）后重新报送。"
        }
        let lower = name.lowercased()
        if lower.hasSuffix(".et") || lower.hasSuffix(".wps") || lower.hasSuffix(".dps") {
            return "这是 WPS 自有格式的文件（.et/.wps），不是 .xlsx/.docx：请在 WPS 中“另存为” Excel 工作簿（.xlsx）或 Word 文档（.docx）后重新报送。"
        }
        if bytes.firstRange(of: utf16("WordDocument")) != nil || lower.hasSuffix(".doc") {
            return "这是 Word 97–2003 文档（.doc），无法直接读取：请在 Word/WPS 中“另存为” Word 文档（.docx）后重新报送。"
        }
        return "这是 Excel 97–2003 工作簿（.xls，可能被改了扩展名），无法直接读取：请在 Excel/WPS 中“另存为” Excel 工作簿（.xlsx）或 CSV 后重新报送。"
    }

    /// The content hash of a file left for the next run: never equal to a real one.
    public static let pending = "pending"

    static let changedWhileRead = "文件在读取过程中被改动（可能仍在复制中），本次未读取，原有数据保持不变：请确认复制完成后重新运行，或等下次定时运行时读取。"

    static func stillWriting(seconds: Double, limits: InboxLimits) -> String {
        "本次运行等了 \(Int(limits.waitSeconds)) 秒，文件仍在变化（\(Int(seconds.rounded(.down))) 秒前刚被改动，可能仍在复制中或正被其他程序写入），本次未读取，原有数据保持不变：请确认复制完成后重新运行，或等下次定时运行时读取。"
    }

    static func megabytes(_ bytes: Int) -> String {
        bytes >= 1 << 20 ? "\(bytes >> 20) MB" : "\(bytes) 字节"
    }

    static func message(for refusal: InboxFile.Refusal, year: Int) -> String {
        switch refusal {
        case .linkOutside: "这是一个指向 inbox/\(year)/ 之外的符号链接，出于安全原因未读取：请把要报送的文件本身复制到收件箱中。"
        case .linkRepeated: "这是一个符号链接，指向的文件夹或文件已经读过（指向自身或上级文件夹会形成循环）：未重复读取，请删除该链接。"
        case .linkDangling: "这是一个符号链接，但它指向的文件不存在：请删除该链接，或把文件本身放入收件箱。"
        case .hiddenFolder: "文件夹名以“.”开头（隐藏文件夹），其中的文件未读取：如需报送，请去掉名称开头的“.”。"
        case .tooDeep: "文件夹嵌套超过 \(InboxFile.maximumDepth) 层，更深的内容未读取：请把报送文件放在报送单位文件夹的上面几层。"
        case .notAFile: "这不是普通文件（是命名管道、设备或套接字），未读取：请把要报送的文件本身放入收件箱。"
        }
    }

    private func readCSV(_ bytes: [UInt8], into staged: inout StagedFile) {
        let text: [UInt8]
        switch TextDecoder.decode(bytes) {
        case .success(let decoded):
            text = decoded.utf8
            staged.encoding = decoded.decision
        case .failure(let u):
            staged.findings.append(Finding(
                .encodingUndecodable, submitter: staged.submitter, file: staged.file, line: u.line,
                message: "文件既不是 UTF-8（偏移 \(u.utf8Offset) 处出现非法字节），也不是 GB18030/GBK（第 \(u.line) 行、偏移 \(u.gb18030Offset) 处字节 \(u.bytes) 无法解码）：请在 Excel 中“另存为 CSV UTF-8”后重新报送。",
                actual: u.bytes))
            staged.quarantined = true
            return
        }
        Self.readText(text, year: year, into: &staged)
    }

    /// Reads decoded text as a table, a national-format template or an item list, whichever its
    /// first lines show it to be (a CSV file, or a sheet or document's tables written out as CSV).
    static func readText(_ text: [UInt8], delimiter: UInt8? = nil, year: Int, into staged: inout StagedFile) {
        var scanner = CSVScanner(utf8: text, delimiter: delimiter)
        var head: [CSVScanner.Record] = []
        var raw = CSVScanner.RawRecord()
        // No table or list a body sends is this wide or this long: beyond, the file is refused
        // rather than held in memory a string a cell.
        func tooLarge(_ what: String, line: Int) {
            staged.findings.append(Finding(
                .tableTooLarge, submitter: staged.submitter, file: staged.file, line: line,
                message: "\(what)，不像报送的统计表，未读取：请确认导出的是统计表或公开目录后重新报送。", actual: what))
            staged.quarantined = true
        }
        while head.count < 12, scanner.next(into: &raw) {
            guard raw.count <= Self.maximumColumns else { return tooLarge("第 \(raw.line) 行有 \(raw.count) 列", line: raw.line) }
            head.append(scanner.record(raw))
        }
        if let header = ItemListReader.findHeader(head) {
            ItemListReader.read(&scanner, header: header, head: head, year: year, into: &staged)
        } else if let partial = ItemListReader.incompleteHeader(head) {
            staged.family = .itemList
            staged.findings.append(Finding(
                .itemsMissingColumn, submitter: staged.submitter, file: staged.file, line: partial.line,
                message: "第 \(partial.line) 行像公开目录的表头，但缺少必需的列：\(partial.missing.joined(separator: "、"))。请在 CMS 导出时勾选这些列后重新报送。",
                expected: partial.missing.joined(separator: "、")))
            staged.quarantined = true
        } else {
            // Runs of blank lines kept as one: where a table ends is all they tell.
            var rows = head
            while scanner.next(into: &raw) {
                guard raw.count <= Self.maximumColumns else { return tooLarge("第 \(raw.line) 行有 \(raw.count) 列", line: raw.line) }
                if rows.last?.isBlank == true && scanner.isBlank(raw) { continue }
                rows.append(scanner.record(raw))
                guard rows.count <= Self.maximumRows else { return tooLarge("超过 \(Self.maximumRows) 行", line: raw.line) }
            }
            if MatrixTableReader.detect(rows) {
                MatrixTableReader.read(rows: rows, into: &staged)
            } else {
                TableReader.read(rows: rows, into: &staged)
            }
        }
        for case .unterminatedQuote(let line) in scanner.problems {
            staged.findings.append(Finding(
                .csvUnterminatedQuote, submitter: staged.submitter, file: staged.file, line: line,
                message: "第 \(line) 行的引号没有闭合，其后的内容被读成了同一个单元格：请检查该行后重新导出。"))
        }
    }

    /// A ZIP container (an .xlsx, a .docx, or any other archive).
    static func isPackage(_ bytes: [UInt8]) -> Bool {
        bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) || bytes.starts(with: [0x50, 0x4B, 0x05, 0x06])
    }

    /// An Office 97–2003 compound file (.xls, .doc, a WPS .et, an encrypted OOXML file).
    static func isCompoundFile(_ bytes: [UInt8]) -> Bool { bytes.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) }

    /// A binary format that is not read: what it is, in words.
    static func binaryKind(_ bytes: [UInt8]) -> String? {
        func starts(_ s: String) -> Bool { bytes.starts(with: Array(s.utf8)) }
        if starts("{\\rtf") { return "RTF 文档" }
        // libxml2 would decompress these behind a .xml name and read what they hold as data.
        if bytes.starts(with: [0x1F, 0x8B]) { return "gzip 压缩文件" }
        if bytes.starts(with: [0x42, 0x5A, 0x68]) { return "bzip2 压缩文件" }
        if bytes.starts(with: [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]) { return "xz 压缩文件" }
        if starts("Rar!") { return "RAR 压缩文件" }
        if bytes.starts(with: [0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C]) { return "7z 压缩文件" }
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]) { return "PNG 图片" }
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { return "JPEG 图片" }
        if starts("GIF8") { return "GIF 图片" }
        if starts("BM") && bytes.count > 26 && bytes[6] == 0 && bytes[7] == 0 { return "BMP 图片" }
        if bytes.starts(with: [0x49, 0x49, 0x2A, 0x00]) || bytes.starts(with: [0x4D, 0x4D, 0x00, 0x2A]) { return "TIFF 图片（常见于扫描件）" }
        if starts("RIFF") && bytes.count > 12 && Array(bytes[8..<12]) == Array("WEBP".utf8) { return "WebP 图片" }
        return nil
    }

    /// What to do with a file of a kind that is not read, in the clerk's words.
    static func advice(_ kind: String) -> String {
        if kind.hasSuffix("压缩文件") {
            return "这是 \(kind)，未解压读取：请解压后把其中的统计表、XML 或年度报告文件放入收件箱，原文件不会被改动。"
        }
        if kind.contains("图片") {
            return "这是一张 \(kind)，其中的数字无法读取：请报送统计表的 Excel/CSV 文件、年度报告的 Word 文档或网页，或由 WPS/Word 直接导出的 PDF，原文件不会被改动。"
        }
        return "这是 \(kind)，无法直接读取：请在 Word/WPS 中“另存为” Word 文档（.docx）或 PDF 后重新报送，原文件不会被改动。"
    }

    /// A PDF: "%PDF-" within the first kilobyte (some writers put bytes before it, as readers allow).
    static func isPDF(_ bytes: [UInt8]) -> Bool {
        let magic: StaticString = "%PDF-"
        return bytes.prefix(1024).withUnsafeBytes {
            ByteString.occurs(UnsafeRawBufferPointer(start: magic.utf8Start, count: magic.utf8CodeUnitCount), in: $0)
        }
    }

    /// A web page: a saved report page, or Excel's "网页" format under a .xls or .csv name.
    static func looksLikeHTML(_ bytes: [UInt8]) -> Bool {
        // Every opening looked for starts with "<": a head without one (a CSV's) is no page.
        guard bytes.prefix(256).contains(0x3C) else { return false }
        let head = String(decoding: bytes.prefix(256), as: UTF8.self).lowercased().drop { $0.isWhitespace || $0 == "\u{FEFF}" }
        return ["<html", "<!doctype html", "<table", "<meta"].contains { head.hasPrefix($0) }
    }

    static func looksLikeXML(_ bytes: [UInt8]) -> Bool {
        let start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        return bytes.dropFirst(start).first(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }) == 0x3C
    }

    /// SHA-256 of a file read a chunk at a time, so a large file never sits in memory whole.
    public static func hash(_ file: InboxFile) -> String? { FileIO.sha256(bytes: file.location) }
}
