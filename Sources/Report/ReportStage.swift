import Core
import Load
import Foundation
import Logging
import Mustache
import Store
import Transform

/// Writes `out/<year>/` from the loaded data: the report in Markdown and HTML, the CSV exports,
/// the platform XML, and each submitter's feedback. A file whose bytes would not change is not
/// touched, so a rerun with nothing new leaves every output as it was.
public struct ReportStage: Sendable {
    public let layout: WorkspaceLayout
    public let year: Int
    public let index: FormIndex
    let files: FileStore
    let logger: Logger

    public init(layout: WorkspaceLayout, year: Int, index: FormIndex, files: FileStore, logger: Logger) {
        self.layout = layout
        self.year = year
        self.index = index
        self.files = files
        self.logger = logger
    }

    var directoryPath: String { layout.out(year: year) }

    public struct Written: Sendable {
        public var files: [String]
        public var changed: [String]
        /// What the staff should know of this report (it ran on the form's default settings).
        public var warnings: [String] = []
    }

    public static let formatVersion = "report-7"

    /// What was written last time (size and time of each output; for `feedback/`, the folder's
    /// time and how many files it holds), so that an untouched output is not read again.
    struct Manifest {
        struct Entry: Equatable {
            var size: Int
            var modified: Double
        }

        var key: String
        var files: [String: Entry]
    }

    var manifestPath: String { layout.reportManifest(year: year) }

    /// What the last swap of `out/<year>/` changed (see `DirectorySwap`).
    var swapJournalPath: String { layout.swapJournal(year: year) }

    func loadManifest() -> Manifest? {
        guard let (key, rows) = TSV.read(manifestPath) else { return nil }
        var manifest = Manifest(key: key, files: [:])
        for row in rows where row.count == 3 {
            guard let size = Int(row[1]), let modified = Double(row[2]) else { return nil }
            manifest.files[row[0]] = Manifest.Entry(size: size, modified: modified)
        }
        return manifest
    }

    private func isIntact(_ name: String, _ entry: Manifest.Entry, in base: String) -> Bool {
        if name == Self.feedbackFolder { return feedbackFolderEntry(count: entry.size) == entry }
        guard let st = FileIO.status(base + "/" + name) else { return false }
        return st.size == entry.size && st.modified == entry.modified
    }

    private func feedbackFolderEntry(count: Int) -> Manifest.Entry? {
        FileIO.status(directoryPath + "/feedback").map { Manifest.Entry(size: count, modified: $0.modified) }
    }

    /// The outputs as they stand, when they were made from `key` and nobody touched them since
    /// (a feedback file deleted or added changes its folder's time).
    public func upToDate(key: String) -> Written? {
        let base = directoryPath
        guard let manifest = loadManifest(), manifest.key == key, manifest.files[Self.feedbackFolder] != nil,
              manifest.files.allSatisfy({ isIntact($0.key, $0.value, in: base) }) else { return nil }
        return Written(files: manifest.files.keys.sorted(), changed: [])
    }

    static let feedbackFolder = "feedback/"

    var partsPath: String { layout.reportParts(year: year) }

    /// What a report reads besides the dataset (the stored parts, the settings, the narrative,
    /// the templates), read on the other core while the earlier stages run.
    public struct Inputs: Sendable {
        fileprivate let parts: Prefetch<SubmitterParts>
        fileprivate let config: Prefetch<Config>
    }

    /// The year's report configuration, each part as read (a problem is reported when it is used).
    fileprivate struct Config: Sendable {
        var settings: Result<ReportSettings, ConfigError>
        var narrative: Result<[String: String], ConfigError>
        /// Said when the year has no settings of its own and the form's shipped ones stand in.
        var defaultsNote: String?
        var templates: [String: Result<MustacheTemplate, ConfigError>]
    }

    /// Starts reading the report's inputs; `layout` as for ``run(dataset:previousIndex:key:layout:inputs:)``.
    public func prefetch(layout: String) -> Inputs {
        let stage = self, path = partsPath, partsLayout = partsLayout(layout)
        let export = directoryPath + "/" + Self.bySubmitterFile, findingsExport = directoryPath + "/" + Self.findingsFile
        let header = CSVWriter(header: index.form.isNational ? Self.bySubmitterMatrixHeader : Self.bySubmitterHeader).bytes
        return Inputs(parts: Prefetch { SubmitterParts.load(path, layout: partsLayout, export: export, findingsExport: findingsExport, header: header) },
                      config: Prefetch { stage.loadConfig() })
    }

    private func loadConfig() -> Config {
        var key = "\(year)"
        var defaultsNote: String?
        if !layout.hasConfig(ConfigName.reportSettings("\(year)")), layout.hasConfig(ConfigName.reportSettings(index.form.id)) {
            // A new year's first run never stops on a missing file: the form's shipped settings stand in.
            key = index.form.id
            defaultsNote = "\(year) 年尚无自己的报告设置（config/report/\(year)/），本报告暂用表单 \(index.form.id) 的默认设置和叙述（config/report/\(index.form.id)/）：请复制该文件夹为 config/report/\(year)/ 并改好编制单位、发布日期和叙述。"
        }
        let layout = layout, year = year
        let settings = Result { () throws(ConfigError) in try ReportSettings.load(layout, key: key, year: year) }
        let narrative = Result { () throws(ConfigError) -> [String: String] in
            var parts: [String: String] = [:]
            for file in layout.configFiles(in: ConfigName.report(key), suffix: ".md") {
                parts[String(file.name.split(separator: "/").last!.dropLast(3))] = try file.text()
            }
            return parts
        }
        return Config(settings: settings, narrative: narrative, defaultsNote: defaultsNote,
                      templates: Dictionary(uniqueKeysWithValues: templateNames.map { ($0, loadTemplate($0)) }))
    }

    private func partsLayout(_ layout: String) -> String { "\(Self.formatVersion):\(year):\(layout)" }

    /// Writes the outputs from the dataset. Each submitter's rows come from its stored part
    /// while its result is the one the part was rendered from; the city's figures come from the
    /// dataset's running totals. So a rerun renders what changed and assembles the rest.
    /// - Parameter previousIndex: last year's form, when last year may be loaded (year-over-year figures).
    /// - Parameter key: what the outputs are made from, recorded for ``upToDate(key:)``.
    /// - Parameter layout: what every submitter's part depends on besides its data (configuration, format).
    /// - Parameter inputs: from ``prefetch(layout:)`` with the same `layout`, when started earlier.
    /// - Parameter reviews: the clerks' marks on findings, shown beside the findings they match.
    public func run(dataset: Dataset, previousIndex: FormIndex?, key: String = "", layout: String = "", inputs: Inputs? = nil,
                    reviews: Reviews = Reviews()) throws -> Written {
        let inputs = inputs ?? prefetch(layout: layout)
        let settings = try inputs.config.value.settings.get()
        trace("report.settings")
        let figures = try dataset.cityFigures(year: year, index: index)
        trace("report.figures")
        let lastYear = try previousIndex != nil && dataset.hasCurrentData(year: year - 1)
        let previous = try previousIndex.flatMap { lastYear ? try dataset.cityFigures(year: year - 1, index: $0) : nil }
        // SQLite orders by bytes; the outputs list names in `String` order, the same for plain text.
        let current = try dataset.currentDigests(year: year).sorted(byText: \.name)
        trace("report.versions")
        let errors = try dataset.findings(year: year, severity: .error)
        let city = try dataset.findings(year: year, of: [Consolidation.cityName])[Consolidation.cityName] ?? []
        trace("report.query")

        // Each submitter's part: reused, or rendered from its facts and findings.
        let old = loadManifest()
        let base = directoryPath
        var cache = inputs.parts.value
        let whole = !cache.isStored
        trace("report.partsfile")
        // Names as bytes from here on: thousands of look-ups, none of which needs Unicode equality
        // (every name is spelled as the registry spells it).
        let names = current.map(\.name)
        let keys = names.map(ByteString.init)
        // A body's rows show the clerks' marks on its findings: a new mark renders them again.
        let marked = reviews.digests
        let sources = current.map { "\($0.digest)|\(lastYear ? $0.before : "")" + (marked[$0.name].map { "|" + $0 } ?? "") }
        var stale = Set(keys.indices.filter { cache[key: keys[$0]]?.source != sources[$0] })
        // A feedback file deleted by hand (its folder's time moved) is written again.
        let feedbackDir = directoryPath + "/feedback"
        if !(old?.files[Self.feedbackFolder].map { isIntact(Self.feedbackFolder, $0, in: base) } ?? false) {
            for i in keys.indices where !stale.contains(i) && cache[key: keys[i]]!.hasFeedback
                && FileIO.status(base + "/" + Self.feedbackFile(for: names[i])) == nil { stale.insert(i) }
        }
        trace("report.stale")
        var changed: [String] = []
        // Nothing in out/ is touched until the whole next version is ready (see the end).
        var removals = Set<String>()
        func removeFeedback(_ name: String) {
            let file = Self.feedbackFile(for: name)
            if FileIO.status(base + "/" + file) != nil {
                removals.insert(file)
                changed.append(file)
            }
        }
        let live = Set(keys)
        for key in cache.keys.filter({ !live.contains($0) }).sorted() {
            if cache[key: key]!.hasFeedback { removeFeedback(key.text) }
            cache.remove(key)
        }
        var feedback: [(String, ByteChunks)] = []
        if !stale.isEmpty {
            // One submitter's rerun asks for its own rows; a first run reads everything at once.
            let bulk = stale.count > 64
            let wanted = Set(stale.map { names[$0] })
            let findings = try bulk ? Dictionary(grouping: dataset.findings(year: year), by: \.submitter) : dataset.findings(year: year, of: wanted)
            let last = lastYear ? try dataset.headlineFacts(year: year - 1, codes: index.headlineCodes, of: bulk ? nil : wanted) : [:]
            let position = Dictionary(stale.map { (names[$0], $0) }) { a, _ in a }
            let cells = codeCells()
            /// One submitter's part and feedback, rendered on any core.
            let draw = { @Sendable (name: String, facts: [CurrentFact]) -> (SubmitterParts.Part, [UInt8]?) in
                let i = position[name]!
                let list = findings[name] ?? []
                let part = self.part(name, facts: facts, findings: list, before: last[name] ?? [:], source: sources[i], reviews: reviews,
                                     cells: cells)
                return (part, list.isEmpty ? nil : Array(self.feedback(name, list, reviews: reviews).utf8))
            }
            func keep(_ name: String, _ drawn: (SubmitterParts.Part, [UInt8]?)) {
                let i = position[name]!
                if cache[key: keys[i]]?.hasFeedback == true && drawn.1 == nil { removeFeedback(name) }
                cache.store(keys[i], drawn.0)
                if let text = drawn.1 { feedback.append((Self.feedbackFile(for: name), ByteChunks(text))) }
            }
            if bulk {
                // Submitters' rows a batch at a time, rendered on both cores while the next batch
                // is read, and let go: a province's facts never sit in memory at once.
                var rendered = Set<String>()
                var batch: [(String, [CurrentFact])] = []
                var drawing: Prefetch<[(String, (SubmitterParts.Part, [UInt8]?))]>?
                func collect() {
                    for (name, drawn) in drawing?.value ?? [] { keep(name, drawn) }
                    drawing = nil
                }
                func flush() {
                    collect()
                    let taken = batch
                    batch = []
                    batch.reserveCapacity(Self.renderBatch)
                    drawing = Prefetch { zip(taken.map(\.0), parallelMap(taken, draw)).map { ($0, $1) } }
                }
                try dataset.eachSubmittersFacts(year: year) { name, facts in
                    guard position[name] != nil else { return }
                    batch.append((name, facts))
                    rendered.insert(name)
                    if batch.count == Self.renderBatch { flush() }
                }
                flush()
                collect()
                for i in stale.sorted() where !rendered.contains(names[i]) { keep(names[i], draw(names[i], [])) }
            } else {
                let facts = Dictionary(grouping: try dataset.currentFacts(year: year, of: wanted), by: \.submitter)
                for i in stale.sorted() { keep(names[i], draw(names[i], facts[names[i]] ?? [])) }
            }
        }
        // Every part's rows on disk before they are read.
        try cache.flush()
        let ordered = keys.map { cache[key: $0]! }
        trace("report.parts")

        // The two big exports are assembled on the other core while this one renders the report.
        let header = cache.headerPiece
        let exports = Prefetch { Self.exports(ordered, header: header, names: names, city: city, reviews: reviews) }

        var outputs: [(String, ByteChunks)] = []
        var rows: [UInt8] = []
        rows.reserveCapacity(ordered.reduce(0) { $0 + $1.html.count })
        for part in ordered { rows += part.html }
        let submitterTable = HTMLParts.submitterTable(index: index, rows: String(decoding: rows, as: UTF8.self))
        let narrative = try inputs.config.value.narrative.get()
        let materials = ReportMaterials(
            year: year, settings: settings, figures: figures, previous: previous, errors: errors, reviews: reviews, narrative: narrative,
            defaultsNote: inputs.config.value.defaultsNote, submitterTable: submitterTable,
            template: { try self.template($0, inputs) }, trace: { self.trace($0) })
        outputs += try renderer.documents(materials).map { ($0, ByteChunks($1)) }
        outputs.append(("totals.csv", ByteChunks(totalsCSV(figures))))
        outputs += exports.value.files
        outputs.append(("consolidated.xml", ByteChunks(Array(PlatformXML.render(figures, year: year, city: settings.city,
                                                                                 code: settings.facts?["cityCode"] ?? "").utf8))))
        trace("report.render")

        var manifest = Manifest(key: key, files: [:])
        let feedbackFiles = zip(names, ordered).filter(\.1.hasFeedback).map { Self.feedbackFile(for: $0.0) }
        if whole {
            // Written whole: whatever else lies in feedback/ is from submitters no longer current.
            let feedbackNames = Set(feedbackFiles.map { String($0.dropFirst(Self.feedbackFolder.count)) })
            for name in FileIO.list(feedbackDir) where !feedbackNames.contains(name) {
                removals.insert("feedback/" + name)
                changed.append("feedback/" + name)
            }
        }
        // Both cores: the big exports are compared side by side.
        let differing = parallelMap(outputs + feedback) { name, bytes -> Bool in
            // An intact file of another size differs; one of the same size is compared.
            let differs = old?.files[name].map { isIntact(name, $0, in: base) && $0.size != bytes.count } ?? false
            return differs || !FileIO.holds(bytes, at: base + "/" + name)
        }
        var writes = zip(outputs + feedback, differing).filter(\.1).map(\.0)
        changed += writes.map(\.0)
        // A first run's rows, written in order, are the export whole: moved into place, not copied.
        var moves: [(String, String)] = []
        if let k = writes.firstIndex(where: { $0.0 == Self.bySubmitterFile }), cache.isRowsFile(writes[k].1) {
            moves.append((Self.bySubmitterFile, cache.rowsPath))
            writes.remove(at: k)
        }
        // The year's outputs replaced as a whole: a report never sits beside older totals.
        if !writes.isEmpty || !moves.isEmpty || !removals.isEmpty || FileIO.status(feedbackDir) == nil {
            try FileIO.makeDirectories(self.layout.reportState)
            try DirectorySwap.replace(base, writing: writes, moving: moves, removing: removals, folders: ["feedback"], journal: swapJournalPath)
        }
        for (name, bytes) in outputs {
            manifest.files[name] = Manifest.Entry(size: bytes.count, modified: FileIO.status(base + "/" + name)?.modified ?? 0)
        }
        manifest.files[Self.feedbackFolder] = feedbackFolderEntry(count: feedbackFiles.count)
        trace("report.write")
        try FileIO.makeDirectories(self.layout.reportState)
        try files.publish(TSV.text(header: manifest.key, rows: manifest.files.sorted { $0.key < $1.key }.map { name, e in
            [name, "\(e.size)", "\(e.modified)"]
        }), to: manifestPath)
        // The parts, recorded against the export as it now stands (their rows are read from it).
        let exportWritten = changed.contains(Self.bySubmitterFile) || changed.contains(Self.findingsFile)
        if cache.hasChanges || exportWritten {
            let parts = cache, offsets = exports.value.offsets, findingOffsets = exports.value.findingOffsets
            if let export = FileIO.status(base + "/" + Self.bySubmitterFile), let findingsExport = FileIO.status(base + "/" + Self.findingsFile) {
                let files = files, path = partsPath
                files.later(touching: path) { () throws(FileError) in
                    try files.publish(parts.saved(export: export, findingsExport: findingsExport, order: keys, offsets: offsets,
                                                  findingOffsets: findingOffsets), to: path)
                }
            }
        }
        return Written(files: manifest.files.keys.sorted() + TSV.byteOrder(feedbackFiles), changed: changed.sorted(),
                       warnings: inputs.config.value.defaultsNote.map { [$0] } ?? [])
    }

    /// Submitters rendered together on both cores in a first run.
    static let renderBatch = 128

    /// What a code's rows take from the form, worked out once a run: its place in the form's
    /// order, its constant cells, and whether the report's appendix shows it.
    private struct CodeCells {
        var position: Int
        var cells: [UInt8]
        var headline: Bool
    }

    /// Each code's place on the form and its cells of `by_submitter.csv` that do not depend on
    /// the submitter (code, label, the matrix column, unit), escaped once: a province's million
    /// rows look them up instead of the form.
    private func codeCells() -> [String: CodeCells] {
        let headline = Set(index.headlineCodes)
        var out: [String: CodeCells] = [:]
        for ind in index.indicators {
            out[ind.code] = CodeCells(position: index.position(of: ind.code), cells: cells(of: ind.code), headline: headline.contains(ind.code))
        }
        return out
    }

    /// The constant cells of a code's rows, escaped and joined by commas.
    private func cells(of code: String) -> [UInt8] {
        let ind = index[code: code]
        var csv = CSVWriter()
        // A matrix cell as totals.csv names it: its row's label and its column apart.
        csv.fields(index.form.isNational ? [code, index.row(of: code)?.label ?? ind?.label ?? "", ind?.column?.path ?? "", ind?.unit ?? ""]
                                         : [code, ind?.label ?? "", ind?.unit ?? ""])
        return csv.bytes
    }

    /// One submitter's rows of every output, rendered.
    private func part(_ name: String, facts: [CurrentFact], findings: [Finding], before: [String: CurrentFact], source: String,
                      reviews: Reviews, cells: [String: CodeCells]) -> SubmitterParts.Part {
        var csv = CSVWriter()
        // What each fact's code takes from the form (one look-up a fact), and the facts' order in
        // the form: their positions sorted, not the facts themselves (large values to move).
        let forms = facts.map { cells[$0.code] }
        let positions = facts.indices.map { forms[$0]?.position ?? index.position(of: facts[$0].code) }
        let order = facts.indices.sorted {
            positions[$0] != positions[$1] ? positions[$0] < positions[$1] : facts[$0].code < facts[$1].code
        }
        let matrix = index.form.isNational
        // A body's rows name it, and mostly one file, again and again: each escaped once.
        var submitter: (name: String, cell: [UInt8])?
        var file: (path: String, cell: [UInt8])?
        for i in order {
            let f = facts[i], form = forms[i]
            if submitter?.name != f.submitter {
                var cell: [UInt8] = []
                CSVWriter.escape(f.submitter, into: &cell)
                submitter = (f.submitter, cell)
            }
            // By bytes: two files' names may differ only in how a character is composed.
            if !(file?.path.sameBytes(as: f.file) ?? false) {
                var cell: [UInt8] = []
                CSVWriter.escape(f.file, into: &cell)
                file = (f.file, cell)
            }
            csv.raw(submitter!.cell)
            csv.comma()
            csv.raw(form?.cells ?? self.cells(of: f.code))
            csv.comma()
            csv.field(f.value.map(Amount.text) ?? "")
            csv.comma()
            csv.field(f.derivation)
            csv.comma()
            csv.raw(file!.cell)
            csv.comma()
            csv.number(f.line)
            // A matrix table's cell also gives its column in the file.
            if matrix {
                csv.comma()
                csv.number(f.column)
            }
            csv.end()
        }
        // The appendix's row reads the headline figures only.
        let byCode = Dictionary(facts.indices.lazy.filter { forms[$0]?.headline ?? false }.map { (facts[$0].code, facts[$0]) }) { a, _ in a }
        let html = facts.isEmpty ? "" : HTMLParts.submitterRow(name, facts: byCode, before: before, codes: index.headlineCodes)
        // Kept for the whole report: in storage of its own size.
        return SubmitterParts.Part(source: source, hasFeedback: !findings.isEmpty, csv: .bytes(ArraySlice(csv.bytes.withExactCapacity())),
                                   findings: Self.findingBlocks(findings, reviews: reviews), html: ArraySlice(Array(html.utf8)))
    }

    /// `by_submitter.csv` and `findings.csv`, from each submitter's part in order: the parts'
    /// own bytes in sequence, never copied into one file's worth of memory.
    /// Also gives where each part's rows begin in `by_submitter.csv`, and its findings rows of
    /// each severity in `findings.csv`.
    private static func exports(_ ordered: [SubmitterParts.Part], header: ByteChunks.Piece, names: [String], city: [Finding],
                                reviews: Reviews) -> (files: [(String, ByteChunks)], offsets: [Int], findingOffsets: [[Int]]) {
        var bySubmitter = ByteChunks(header)
        var offsets: [Int] = []
        offsets.reserveCapacity(ordered.count)
        for part in ordered {
            offsets.append(bySubmitter.count)
            bySubmitter.append(part.csv)
        }
        // Severity first, then submitter: the order of every findings list.
        let cityBlocks = findingBlocks(city, reviews: reviews)
        var findingsCSV = ByteChunks(CSVWriter(header: findingsHeader).bytes)
        let cityAt = names.firstIndex { !($0 < Consolidation.cityName) } ?? names.count
        var findingOffsets = [[Int]](repeating: [], count: ordered.count)
        func append(_ i: Int, _ k: Int) {
            findingOffsets[i].append(findingsCSV.count)
            findingsCSV.append(ordered[i].findings[k])
        }
        for k in Severity.allCases.indices {
            for i in 0..<cityAt { append(i, k) }
            findingsCSV.append(cityBlocks[k])
            for i in cityAt..<ordered.count { append(i, k) }
        }
        return ([(bySubmitterFile, bySubmitter), (findingsFile, findingsCSV)], offsets, findingOffsets)
    }

    static let findingsFile = "findings.csv"

    static let bySubmitterFile = "by_submitter.csv"

    static let bySubmitterHeader = ["submitter", "code", "label", "unit", "value", "derived", "file", "line"]
    static let bySubmitterMatrixHeader = ["submitter", "code", "label", "column", "unit", "value", "derived", "file", "line", "file_column"]
    /// `review` last (a column added after the contract's eight): the clerk's mark, as "已核实（张三：…）".
    static let findingsHeader = ["severity", "submitter", "file", "line", "rule", "message", "expected", "actual", "review"]

    /// A sorted list of findings as CSV rows, one block a severity.
    static func findingBlocks(_ findings: [Finding], reviews: Reviews) -> [ByteChunks.Piece] {
        Severity.allCases.map { s in
            var csv = CSVWriter()
            for f in findings where f.severity == s {
                csv.row([f.severity.label, f.submitter, f.file, f.line.map(String.init) ?? "", f.rule.rawValue, f.message, f.expected, f.actual,
                         reviews[f]?.text ?? ""])
            }
            return .bytes(ArraySlice(csv.bytes.withExactCapacity()))
        }
    }

    private func trace(_ step: String) { logger.trace("\(step)") }

    /// `feedback/<submitter>.md`, the name made safe for a file: a registry name may hold a slash
    /// ("市人社局/市社保中心"), written full-width here.
    /// A name too long for the file system (255 bytes) is cut at a character boundary and given a
    /// stable suffix from its hash, so two long names never share a file.
    public static func feedbackFile(for submitter: String) -> String {
        let limit = 200
        if submitter.utf8.count <= limit, !submitter.utf8.contains(where: { $0 == 0x2F || $0 == 0 }), !submitter.hasPrefix(".") {
            return "feedback/\(submitter).md"
        }
        var name = submitter.replacing("/", with: "／").replacing("\u{0}", with: "")
        if name.hasPrefix(".") { name = "．" + name.dropFirst() }
        if name.utf8.count > limit {
            var cut = ""
            for c in name {
                if cut.utf8.count + String(c).utf8.count > limit - 12 { break }
                cut.append(c)
            }
            name = cut + "～" + String(SHA256.hex(Array(submitter.utf8)).prefix(8))
        }
        return "feedback/\(name).md"
    }

    /// The kind of report this form's year gets.
    var renderer: any ReportRenderer { index.form.isNational ? NationalReport() : ProvincialReport() }

    /// The templates this form's report is written with.
    var templateNames: [String] { type(of: renderer).templates }

    private func template(_ name: String, _ inputs: Inputs) throws -> MustacheTemplate {
        try (inputs.config.value.templates[name] ?? loadTemplate(name)).get()
    }

    private func loadTemplate(_ name: String) -> Result<MustacheTemplate, ConfigError> {
        guard let file = layout.configFile(ConfigName.template(name)) else {
            return .failure(ConfigError(file: ConfigName.template(name), message: "模板文件不存在或无法读取"))
        }
        let text: String
        do throws(ConfigError) { text = try file.text() } catch { return .failure(error) }
        do { return .success(try MustacheTemplate(string: text)) } catch {
            return .failure(ConfigError(file: ConfigName.template(name), message: "模板语法错误：\(error)"))
        }
    }

    private func totalsCSV(_ c: CityFigures) -> [UInt8] {
        // A form with matrix tables names each cell's row and column apart (scripts read them by code).
        let matrix = c.index.form.isNational
        var csv = CSVWriter(header: matrix ? ["code", "label", "column", "unit", "value"] : ["code", "label", "unit", "value"])
        for ind in c.index.indicators where !ind.isHeading {
            let value = c.reportedValue(ind.code).map(Amount.text) ?? ""
            if matrix {
                let row = c.index.row(of: ind.code)
                csv.row([ind.code, row?.label ?? ind.label, ind.column?.path ?? "", ind.unit ?? "", value])
            } else {
                csv.row([ind.code, ind.label, ind.unit ?? "", value])
            }
        }
        return csv.bytes
    }

    private func feedback(_ submitter: String, _ findings: [Finding], reviews: Reviews) -> String {
        let errors = findings.filter { $0.severity == .error }.count
        var md = "# \(submitter)：\(year)年政府信息公开统计报送审核意见\n\n"
        md += errors > 0 ? "本次报送有 \(errors) 处错误需要更正后重新报送，另有 \(findings.count - errors) 条提示。\n\n"
                         : "本次报送未发现错误，以下 \(findings.count) 条提示供参考。\n\n"
        for s in Severity.allCases {
            let list = findings.filter { $0.severity == s }
            guard !list.isEmpty else { continue }
            md += "## \(s.label)\n\n"
            for f in list {
                md += "- **\(f.rule.title)**（\(f.rule.rawValue)）\(f.file.isEmpty ? "" : "：`\(f.location)`")  \n  \(f.message)\n"
                if let mark = reviews[f] { md += "  审核情况：\(mark.text)\n" }
            }
            md += "\n"
        }
        return md
    }
}

private typealias ConfigName = WorkspaceLayout.Config
