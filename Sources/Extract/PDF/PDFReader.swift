import Core
import Store

/// Reads a body's published report as a PDF (exported by WPS or Word, or printed to PDF): its
/// pages are laid out by poppler in a worker process of this same program (bounded in memory,
/// CPU and time, so a document that crashes or hangs the library is a finding, not a dead run),
/// and the national tables are found in the printed lines (``PDFTables``). A value's place is
/// its page, table, row and column ("第 4 页 表三 （四）无法提供/1.本机关不掌握相关政府信息 自然人").
public enum PDFReader {
    /// The most a worker may write back: a report's layout is a few hundred kilobytes.
    static let outputLimit = 64 << 20

    /// The executable a worker is started from: `DISCLOSURE_PDF_WORKER`, else this program when it
    /// is `disclosure`, else the `disclosure` built beside it (a test runner's case).
    static func worker(environment: [String: String]) -> String? {
        if let set = environment["DISCLOSURE_PDF_WORKER"], !set.isEmpty { return set }
        guard let own = ChildProcess.ownExecutable else { return nil }
        if own.hasSuffix("/disclosure") { return own }
        let beside = String(own[..<(own.lastIndex(of: "/") ?? own.startIndex)]) + "/disclosure"
        return FileIO.status(beside)?.isRegular == true ? beside : nil
    }

    static func read(_ bytes: [UInt8], year: Int, limits: PDFLayout.Limits = PDFLayout.Limits(), environment: [String: String], into staged: inout StagedFile) {
        staged.family = .pdf
        func refuse(_ rule: Rule, _ message: String, actual: String = "") {
            staged.findings.append(Finding(rule, submitter: staged.submitter, file: staged.file, message: message, actual: actual))
            staged.quarantined = true
        }
        guard isComplete(bytes) else {
            return refuse(.fileWrongFormat, "这个 PDF 不完整（文件末尾缺少结束标记，可能在下载或复制时中断），未读取：请重新导出或重新下载后报送。", actual: "PDF")
        }
        guard let executable = worker(environment: environment) else {
            return refuse(.fileUnreadable, "找不到读取 PDF 的程序（disclosure 本身），这个 PDF 未读取：请确认 disclosure 安装完整，或设置 DISCLOSURE_PDF_WORKER 指向它。")
        }
        let result: ChildProcess.Result
        do {
            result = try ChildProcess.run(
                executable, arguments: [PDFLayout.workerArgument] + limits.arguments,
                environment: ["SWIFT_BACKTRACE": "enable=no", "LC_ALL": "C.UTF-8"]
                    .merging(environment.filter { $0.key == PDFLayout.libraryVariable }) { $1 },
                input: bytes, outputLimit: outputLimit, timeout: Double(limits.seconds))
        } catch {
            return refuse(.fileUnreadable, "无法启动读取 PDF 的程序（\(error.reason)），这个 PDF 未读取：请检查 disclosure 的安装后重新运行。")
        }
        let layout: PDFLayout
        switch result.ending {
        case .exited(0):
            do { layout = try PDFLayout.decode(result.output) } catch {
                return refuse(.fileWrongFormat, Self.crashed, actual: "PDF")
            }
        case .timedOut:
            return refuse(.fileWrongFormat, "读取这个 PDF 超过 \(limits.seconds) 秒仍未完成，已停止（文件可能构造异常）：请用 WPS/Word 重新导出 PDF，或报送年度报告的 Word 文档或网页。", actual: "PDF")
        case .outputTooLarge:
            return refuse(.fileWrongFormat, "这个 PDF 的文字量远超年度报告（超过 \(outputLimit >> 20) MB），未读取：请确认报送的是年度报告本身。", actual: "PDF")
        case .exited, .signaled:
            return refuse(.fileWrongFormat, Self.crashed, actual: "PDF")
        }
        switch layout.refusal {
        case .encrypted:
            return refuse(.fileWrongFormat, "这个 PDF 设置了打开密码（已加密），无法读取：请报送未加密的 PDF（导出时不要设置密码），或年度报告的 Word 文档或网页。", actual: "PDF")
        case .damaged:
            return refuse(.fileWrongFormat, "这个 PDF 已损坏或不完整（可能在下载或复制时中断），无法读取：请重新导出或重新下载后报送。", actual: "PDF")
        case .tooManyPages:
            return refuse(.fileWrongFormat, "这个 PDF 共 \(layout.detail) 页，超过 \(limits.pages) 页的上限，不像一份年度报告，未读取：请报送年度报告本身。", actual: layout.detail)
        case .libraryMissing:
            return refuse(.fileUnreadable, "这台机器缺少读取 PDF 的组件（poppler，Debian 软件包 libpoppler-glib8），这个 PDF 未读取：文件本身没有问题，请让维护人员安装（make deps）后重新运行。", actual: layout.detail)
        case nil:
            break
        }
        let printed = layout.pages.reduce(0) { $0 + $1.glyphs.filter { !$0.scalar.properties.isWhitespace }.count }
        if printed == 0 {
            let pictures = layout.pages.reduce(0) { $0 + $1.images }
            return refuse(.fileWrongFormat, pictures > 0
                ? "这个 PDF 没有文字层（共 \(layout.pages.count) 页，是扫描或拍照得到的图片），无法读取其中的数字：请报送年度报告的 Word 文档或网页，或由 WPS/Word 直接导出（而不是扫描）的 PDF。"
                : "这个 PDF 没有任何文字（共 \(layout.pages.count) 页）：请确认报送的是年度报告，或改报 Word 文档或网页。", actual: "PDF")
        }
        let lines = PDFLines(layout).lines
        let tables = PDFTables(lines)
        staged.values = Self.values(tables)
        staged.narrative = Self.paragraphs(lines.indices.filter { !tables.used.contains($0) }.map { lines[$0] })
        if staged.values.isEmpty {
            let pictures = layout.pages.reduce(0) { $0 + $1.images }
            let found = tables.found.map(tableName)
            refuse(.tableNoValueColumn, found.isEmpty
                ? "PDF 中没有找到表二、表三或表四（按表头“信息内容”“申请人情况”“行政复议”查找）\(pictures > 0 ? "，统计表可能是以图片插入的" : "")：请报送统计表为文字的年度报告，或统计表的 Excel/CSV 文件。"
                : "PDF 中找到了\(found.joined(separator: "、"))的表头，但没有读到任何数字：请确认表格中的数字是文字而不是图片后重新报送。")
        }
    }

    /// The values a document's layout gives, each placed by page, table, row and column; and
    /// the tables whose header was found.
    static func values(_ layout: PDFLayout) -> ([StagedValue], PDFTables) {
        let tables = PDFTables(PDFLines(layout).lines)
        return (values(tables), tables)
    }

    static func values(_ tables: PDFTables) -> [StagedValue] {
        tables.cells.map { cell in
            let place = "第 \(cell.page) 页 \(Self.tableName(cell.table))\(cell.row.isEmpty ? "" : " " + cell.row.replacingOccurrences(of: "/", with: " ")) \(cell.column.replacingOccurrences(of: "/", with: " "))"
            return StagedValue(label: cell.row, context: cell.context, value: cell.value, line: cell.page,
                               column: cell.columnNumber, element: place, columnLabel: cell.column, table: cell.table)
        }
    }

    /// The report's printed lines outside its tables as paragraphs: a line goes on the one before
    /// unless that one ended a sentence (。：；) or this one starts a numbered heading (一、 （一）).
    static func paragraphs(_ lines: [PDFLines.Line]) -> [String] {
        var out: [String] = []
        var closed = true
        for line in lines {
            let text = line.chunks.map(\.text).joined(separator: " ")
            let compact = TextFold.compact(text)
            let heading = PDFTables.level(compact) != nil
            if closed || heading { out.append(text) } else { out[out.count - 1] += text }
            // A sentence's end closes a paragraph; so does a short heading line ("五、存在的主要问题及改进情况").
            closed = ["。", "：", ":", "；", ";"].contains { compact.hasSuffix($0) } || (heading && compact.count <= 30)
        }
        return out
    }

    /// What a worker's output gives, for the fuzzer: nil when it is not a layout.
    public static func values(fromWorkerOutput output: [UInt8]) -> [StagedValue]? {
        guard let layout = try? PDFLayout.decode(output) else { return nil }
        return values(layout).0
    }

    /// What a page of characters placed anywhere gives (the fuzzer's way into the geometry).
    public static func values(page glyphs: [PDFLayout.Glyph]) -> [StagedValue] {
        values(PDFLayout(pages: [PDFLayout.Page(width: 595, height: 842, images: 0, glyphs: glyphs)])).0
    }

    /// True when a PDF ends as every complete one does, with "%%EOF" near its end.
    static func isComplete(_ bytes: [UInt8]) -> Bool {
        bytes.suffix(2048).firstRange(of: Array("%%EOF".utf8)) != nil
    }

    static let crashed = "读取这个 PDF 时解析程序异常退出（文件可能已损坏或构造异常），未读取：请用 WPS/Word 重新导出 PDF，或报送年度报告的 Word 文档或网页。"

    static func tableName(_ id: String) -> String {
        switch id {
        case "t2": "表二"
        case "t3": "表三"
        case "t4": "表四"
        default: id
        }
    }
}
