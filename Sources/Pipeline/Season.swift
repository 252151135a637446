import Core
import Foundation
import Load
import Report
import Store
import Transform

/// What the collection season's page asks of the pipeline besides the commands: the clerks'
/// reviews of findings, a resubmission received into the inbox, one body's figures and history.
/// Each returns values; the server words them, as the executable words the commands'.
extension Pipeline {
    // MARK: Reviews

    /// The year's marks, as the last review left them; none when nobody has marked anything.
    public func reviews() throws -> Reviews {
        let path = workspace.layout.reviews(year: year)
        guard FileIO.status(path) != nil else { return Reviews() }
        do {
            return Reviews(try JSONDecoder().decode([ReviewMark].self, from: Data(try FileIO.read(path))))
        } catch {
            throw UsageError("审核记录 state/reviews/\(year).json 无法读取（\(error)）：请从备份恢复该文件，或将其移走（已做的审核标记将丢失）")
        }
    }

    func save(_ reviews: Reviews) throws {
        let path = workspace.layout.reviews(year: year)
        var json = JSONWriter()
        json.beginArray()
        for m in reviews.sorted {
            json.beginObject()
            json.field("fingerprint", m.fingerprint)
            json.field("submitter", m.submitter)
            json.field("state", m.state.rawValue)
            json.field("note", m.note)
            json.field("by", m.by)
            json.field("at", m.at)
            json.endObject()
        }
        json.endArray()
        try FileIO.makeDirectories(String(path[..<path.lastIndex(of: "/")!]))
        try FileIO.write(json.bytes, to: path)
    }

    /// The marks that still match a finding; lapsed ones are dropped from the file (a finding
    /// whose figures changed is open again, and stays open if they later change back).
    func currentReviews(_ findings: () throws -> [Finding]) throws -> Reviews {
        let all = try reviews()
        if all.isEmpty { return all }
        let live = all.matching(try findings())
        if live != all { try save(live) }
        return live
    }

    /// Marks the year's finding with this fingerprint (nil `state`: open again), then writes the
    /// outputs that show it. Holds the workspace lock as a run does.
    /// - Returns: the finding marked.
    /// - Parameter body: the body whose page the mark was made on (any name the registry
    ///   resolves, or 全市 for the city's own findings): a finding of another body is refused.
    public func review(_ fingerprint: String, state: ReviewState?, note: String, by: String, body: String? = nil,
                       wait: Bool = true) throws -> (Finding, SessionResult) {
        var marked: Finding?
        let result = try session("review", submitter: nil, wait: wait) { p, _ in
            let findings = try p.workspace.dataset().findings(year: p.year)
            guard let finding = findings.first(where: { $0.fingerprint == fingerprint }) else {
                throw UsageError("这条审核意见已不存在（单位重新报送或数字已变化），请刷新页面后再看")
            }
            if let body {
                let owner = body == Consolidation.cityName ? body : try p.workspace.registry().resolve(body)?.name
                guard owner == finding.submitter else { throw UsageError("这条审核意见不属于“\(body)”，未作标记：请在该意见所属单位的页面上审核") }
            }
            marked = finding
            var reviews = try p.reviews().matching(findings)
            if let state {
                reviews.set(ReviewMark(fingerprint: fingerprint, submitter: finding.submitter, state: state, note: Self.clean(note, limit: 500),
                                       by: Self.clean(by, limit: 40), at: Timestamp.now()))
            } else {
                reviews.clear(fingerprint)
            }
            try p.save(reviews)
            _ = try p.report()
            return ""
        }
        return (marked!, result)
    }

    /// A single line of text a clerk typed, without control characters, at most `limit` characters.
    public static func clean(_ text: String, limit: Int) -> String {
        String(text.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }.map(Character.init).prefix(limit))
            .trimmingCharacters(in: .whitespaces)
    }

    // MARK: A resubmission

    /// The largest file the inbox takes (`inbox.maxFileMB`).
    public func uploadLimit() throws -> Int { try workspace.inboxLimits().maximumFileBytes }

    /// A file received for a body, as stored in its inbox folder.
    public struct Received: Sendable {
        /// Relative to the workspace ("inbox/2022/城区/报告.pdf").
        public var path: String
        public var bytes: Int
        /// The name it was sent with, when it had to be changed to be stored.
        public var renamedFrom: String?
    }

    /// Stores `bytes` in the body's inbox folder under the sent name reduced to a safe base name,
    /// never replacing an earlier file (a later one gets "（2）" before its extension). Nothing
    /// of `name` reaches the file system but that base name.
    public func receive(_ bytes: [UInt8], named name: String, for submitter: String) throws -> Received {
        try workspace.check()
        let registry = try workspace.registry()
        guard let body = registry.resolve(submitter) else { throw UsageError("“\(submitter)”不是登记的报送单位") }
        let limit = try workspace.inboxLimits().maximumFileBytes
        guard bytes.count <= limit else {
            throw UsageError("文件 \(bytes.count >> 20) MB，超过收件箱的上限 \(limit >> 20) MB（config/workspace.json 的 inbox.maxFileMB），未保存")
        }
        guard !bytes.isEmpty else { throw UsageError("收到的文件是空的（0 字节），未保存：请重新选择文件上传") }
        let base = Self.safeBaseName(name)
        let yearFolder = workspace.layout.inbox(year: year)
        // The body's folder as the inbox already has it (any name the registry resolves), else a new one.
        let existing = FileIO.list(yearFolder).first { registry.resolve($0)?.name == body.name && FileIO.status(yearFolder + "/" + $0)?.isDirectory == true }
        guard let folder = existing ?? ([body.name] + body.aliases + [body.code]).first(where: {
            !$0.isEmpty && !$0.contains("/") && !$0.hasPrefix(".") && registry.resolve($0)?.name == body.name
        }) else {
            throw UsageError("“\(body.name)”的名称含“/”，无法作为文件夹名：请在 config/submitters.csv 中为它登记一个不含“/”的简称或代码")
        }
        let target = yearFolder + "/" + folder
        try FileIO.makeDirectories(target)
        try FileIO.makeDirectories(workspace.layout.uploads)
        // Written whole outside the inbox, then linked in under a name nobody has: a run reading
        // the inbox meanwhile sees the file complete or not at all.
        let temp = workspace.layout.uploads + "/upload.tmp-\(getpid())-\(UInt64.random(in: 0 ... .max))"
        try FileIO.write(bytes, to: temp)
        defer { try? FileIO.remove(temp) }
        let (stem, ext) = Self.split(base)
        for n in 1 ... 1000 {
            let candidate = n == 1 ? base : "\(stem)（\(n)）\(ext)"
            if try FileIO.linkNew(temp, to: target + "/" + candidate) {
                return Received(path: WorkspaceLayout.inboxPrefix(year: year) + folder + "/" + candidate, bytes: bytes.count,
                                renamedFrom: candidate == name ? nil : name)
            }
        }
        throw UsageError("文件夹 inbox/\(year)/\(folder)/ 中同名文件过多，未保存：请改名后再上传")
    }

    /// The last component of a sent name (either slash), without control characters or leading
    /// dots, at most 180 bytes (its extension kept); "上传文件" when nothing is left.
    public static func safeBaseName(_ sent: String) -> String {
        let last = sent.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        var name = String(String.UnicodeScalarView(last.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F && $0 != ":" }))
            .trimmingCharacters(in: .whitespaces)
        while name.hasPrefix(".") { name.removeFirst() }
        if name.isEmpty { return "上传文件" }
        let (stem, ext) = split(name)
        if name.utf8.count > 180 {
            var cut = ""
            for c in stem where cut.utf8.count + String(c).utf8.count + ext.utf8.count <= 180 { cut.append(c) }
            name = (cut.isEmpty ? "上传文件" : cut) + (ext.utf8.count < 20 ? ext : "")
        }
        return name
    }

    private static func split(_ name: String) -> (String, String) {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return (name, "") }
        return (String(name[..<dot]), String(name[dot...]))
    }

    /// The body's stages again, with `received` read at once (it was written whole), then the city's outputs.
    public func rerun(_ submitter: String, received: [String]) throws -> SessionResult {
        var workspace = Workspace(root: workspace.root, year: year)
        workspace.written = Set(received)
        return try Pipeline(workspace: workspace).session("serve-upload", submitter: submitter, wait: true) { p, who in
            _ = try p.run(submitter: who)
            return ""
        }
    }

    // MARK: One body

    /// One body's page: its figures beside last year's, its findings with their marks, its versions.
    public struct BodyView: Sendable {
        public struct Figure: Sendable {
            public var indicator: Form.Indicator
            public var now: CurrentFact?
            public var before: Decimal?
        }

        public var name: String
        public var row: StatusReport.Row
        public var figures: [Figure]
        public var findings: [(Finding, ReviewMark?)]
        public var versions: [SubmissionVersion]
        /// feedback/<name>.md in out/<year>/, when the report wrote one.
        public var feedback: String?
    }

    public func body(_ submitter: String) throws -> BodyView? {
        guard let who = try workspace.registry().resolve(submitter)?.name else { return nil }
        let status = try status()
        guard let row = status.rows.first(where: { $0.name == who }) else { return nil }
        let dataset = try workspace.dataset()
        let index = try workspace.formIndex()
        let now = Dictionary(try dataset.currentFacts(year: year, of: [who]).map { ($0.code, $0) }) { a, _ in a }
        let before = Dictionary(try dataset.currentFacts(year: year - 1, of: [who]).map { ($0.code, $0.value) }) { a, _ in a }
        let figures = index.indicators.filter { !$0.isHeading && (now[$0.code] != nil || before[$0.code] != nil) }.map {
            BodyView.Figure(indicator: $0, now: now[$0.code], before: before[$0.code] ?? nil)
        }
        let findings = try dataset.findings(year: year, of: [who])[who] ?? []
        let reviews = try reviews()
        let feedback = FileIO.status(workspace.layout.output(Self.feedbackName(who), year: year)) != nil ? Self.feedbackName(who) : nil
        return BodyView(name: who, row: row, figures: figures, findings: findings.sorted().map { ($0, reviews[$0]) },
                        versions: try dataset.versions(year: year, submitter: who), feedback: feedback)
    }

    /// A registered body's feedback file, as the report wrote it; nil when it has none.
    public func feedback(of submitter: String) throws -> (name: String, bytes: [UInt8])? {
        guard let who = try workspace.registry().resolve(submitter)?.name else { return nil }
        let path = workspace.layout.output(Self.feedbackName(who), year: year)
        guard FileIO.status(path)?.isRegular == true else { return nil }
        return (who + ".md", try FileIO.read(path))
    }

    /// The body's feedback file in out/<year>/, as the report names it.
    static func feedbackName(_ submitter: String) -> String { ReportStage.feedbackFile(for: submitter) }
}

extension Pipeline {
    /// The year's page: every body's state, the city's figures by the form's tables, the outputs.
    public struct YearView: Sendable {
        public var status: StatusReport
        public var index: FormIndex
        /// The city's totals, as the report draws them.
        public var city: CityFigures
        /// The files of out/<year>/ (downloads), in name order.
        public var outputs: [String]
    }

    public func yearView() throws -> YearView {
        let status = try status()
        let index = try workspace.formIndex()
        let city = try workspace.dataset().cityFigures(year: year, index: index)
        return YearView(status: status, index: index, city: city, outputs: outputs())
    }

    /// The regular files of out/<year>/: the only names a download may ask for.
    public func outputs() -> [String] {
        let dir = workspace.layout.out(year: year)
        return FileIO.list(dir).filter { !$0.hasPrefix(".") && !$0.contains(".tmp-") && FileIO.status(dir + "/" + $0)?.isRegular == true }
    }

    /// A file of out/<year>/ by a name ``outputs()`` lists; nil for any other name.
    public func output(_ name: String) throws -> [UInt8]? {
        guard outputs().contains(name) else { return nil }
        let path = workspace.layout.output(name, year: year)
        guard FileIO.status(path)?.isRegular == true else { return nil }
        return try FileIO.read(path)
    }

    /// The years the workspace holds (an inbox, outputs or staged data), newest first.
    public static func years(_ layout: WorkspaceLayout) -> [Int] {
        let names = FileIO.list(layout.inbox) + FileIO.list(layout.out)
        return Set(names.compactMap { $0.count == 4 ? Int($0) : nil }.filter { $0 >= 2000 && $0 <= 2100 } + layout.stagedYears).sorted(by: >)
    }
}
