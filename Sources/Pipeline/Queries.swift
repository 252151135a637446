import Core
import Extract
import Foundation
import Load
import Transform

/// The read-only commands: who has submitted, where a figure comes from, what a resubmission
/// changed. Each returns values; the executable words them.
extension Pipeline {
    /// Every registered submitter of the year (and any other whose files were read), and the city's own findings.
    public struct StatusReport: Sendable {
        public struct Row: Sendable {
            public enum State: Sendable { case submitted, missing, quarantined }
            public var name: String
            public var state: State
            /// How many versions it has, and the current one's content hash and arrival time.
            public var versions: Int
            public var contentHash: String?
            public var received: String?
            public var files: [FileState]
            public var errors: Int
            public var warnings: Int
            public var notes: Int
            /// How many of its errors and warnings a clerk marked (已核实 or 忽略).
            public var reviewed: Int = 0
            public var openErrors: Int = 0
            public var openWarnings: Int = 0

            /// Where the body stands in the season, as the page and `/api/<year>/status` say it.
            public var season: Season {
                if state == .missing { return .missing }
                if state == .quarantined || openErrors > 0 { return .errors }
                if openWarnings > 0 { return .warnings }
                return reviewed > 0 ? .reviewed : .submitted
            }
        }

        /// A body's state in the season: `missing` 未报送, `submitted` 已报送, `errors` 有错误,
        /// `warnings` 有警告, `reviewed` 已审核 (every error and warning marked).
        public enum Season: String, Sendable, CaseIterable {
            case missing, submitted, errors, warnings, reviewed

            public var label: String {
                switch self {
                case .missing: "未报送"
                case .submitted: "已报送"
                case .errors: "有错误"
                case .warnings: "有警告"
                case .reviewed: "已审核"
                }
            }
        }

        public var rows: [Row]
        public var city: [Finding]
        /// The year's error findings (the report is a draft while there is one), and how many are marked.
        public var errors: Int = 0
        public var reviewedErrors: Int = 0
        public var reviews = Reviews()
        public var draft: Bool { errors > 0 }
    }

    public func status() throws -> StatusReport {
        try workspace.check()
        let registry = try workspace.registry()
        let dataset = try workspace.dataset()
        let versions = try dataset.versions(year: year)
        let findings = try dataset.findings(year: year)
        let reviews = try self.reviews()
        // A body's files are its current version's, as loaded; stored results (a province's are
        // tens of MB) are read only for the bodies without one.
        let byName = Dictionary(grouping: versions, by: \.submitter)
        let findingsByName = Dictionary(grouping: findings, by: \.submitter)
        let stage = workspace.transformStage(logger: logger)
        let stored = try stage.results.index()
        let withoutVersion = Set(stored.keys.filter { name in byName[name]?.contains(where: \.current) != true })
        let results = Dictionary(uniqueKeysWithValues: try stage.results.load(withoutVersion).map { ($0.submitter, $0) })
        var names = registry.submitters(in: year).map(\.name)
        names += stored.keys.filter { registry.resolve($0) == nil }.sorted()
        let rows = names.map { name -> StatusReport.Row in
            let mine = byName[name] ?? []
            let current = mine.first { $0.current }
            let files = current?.files ?? results[name]?.files ?? []
            let f = findingsByName[name] ?? []
            // Each finding's mark looked up once (a look-up hashes the finding).
            let marked = f.map { reviews[$0] != nil }
            let n = { (s: Severity) in f.filter { $0.severity == s }.count }
            let open = { (s: Severity) in zip(f, marked).filter { $0.0.severity == s && !$0.1 }.count }
            return StatusReport.Row(name: name, state: current != nil ? .submitted : files.isEmpty ? .missing : .quarantined,
                                    versions: mine.count, contentHash: current?.contentHash, received: current?.received,
                                    files: files, errors: n(.error), warnings: n(.warning), notes: n(.note),
                                    reviewed: zip(f, marked).filter { $0.0.severity != .note && $0.1 }.count,
                                    openErrors: open(.error), openWarnings: open(.warning))
        }
        let errors = findings.filter { $0.severity == .error }
        return StatusReport(rows: rows, city: findings.filter { $0.submitter == Consolidation.cityName },
                            errors: errors.count, reviewedErrors: errors.filter { reviews[$0] != nil }.count, reviews: reviews)
    }

    /// A consolidated figure and the submitters' facts behind it.
    public struct Explanation: Sendable {
        public var indicator: Form.Indicator
        public var total: Decimal
        public var contributions: [CurrentFact]
    }

    /// The submitters, files and lines behind a consolidated figure, named by label or code.
    public func explain(_ label: String, column: String? = nil) throws -> Explanation {
        try workspace.check()
        let index = try workspace.formIndex()
        let key = LabelKey.make(label)
        var matches = index.indicators.filter { !$0.isHeading && (LabelKey.make($0.label) == key || $0.printed.map(LabelKey.make) == key) }
        if let column {
            // A cell of a matrix table: its row by label, its column by label or header path.
            let rows = Set(index.form.tables.flatMap(\.rows).filter { LabelKey.make($0.label) == key || $0.printed.map(LabelKey.make) == key }.map(\.code))
            let columnKey = LabelKey.make(column)
            matches = index.indicators.filter { cell in
                guard let row = cell.rowCode, rows.contains(row), let c = cell.column else { return false }
                return LabelKey.make(c.label) == columnKey || LabelKey.make(c.path) == columnKey || c.code == column
            }
            if matches.isEmpty { throw UsageError("“\(label)”没有“\(column)”这一列：请核对行和列的名称") }
        }
        if index[code: label] == nil && matches.count > 1 {
            throw UsageError("“\(label)”在表单中不止一处：" + matches.map { "\(index[code: index.section(of: $0.code)]?.label ?? "")下的\($0.label)（\($0.code)）" }.joined(separator: "、") + "，请用代码指明")
        }
        guard let ind = index[code: label] ?? matches.first else {
            throw UsageError("“\(label)”不是 \(year) 年表单中的指标")
        }
        // The figure's own facts only: its total is theirs (a province's other facts are never read).
        let c = Consolidation(facts: try workspace.dataset().currentFacts(year: year, code: ind.code), index: index)
        return Explanation(indicator: ind, total: c.value(ind.code), contributions: c.contributions(ind.code))
    }

    /// A submitter's last two versions and what moved between them, with the city's totals.
    public struct Difference: Sendable {
        public struct Change: Sendable {
            public var label: String
            /// nil: not reported (a blank and a reported 0 differ).
            public var before: Decimal?
            public var after: Decimal?
            /// The city's total of the figure now, and as it was before this change.
            public var cityNow: Decimal
            public var cityBefore: Decimal
        }

        public var submitter: String
        public var versions: [SubmissionVersion]
        public var changes: [Change]
    }

    /// What changed between a submitter's last two versions, and what it did to the city's totals.
    public func diff(submitter: String) throws -> Difference {
        try workspace.check()
        guard let who = try workspace.registry().resolve(submitter)?.name else { throw UsageError("“\(submitter)”不是登记的报送单位") }
        let dataset = try workspace.dataset()
        let versions = try dataset.versions(year: year, submitter: who)
        guard versions.count >= 2 else { return Difference(submitter: who, versions: versions, changes: []) }
        let index = try workspace.formIndex()
        let new = Dictionary(uniqueKeysWithValues: try dataset.facts(submission: versions[0].id).map { ($0.code, $0) })
        let old = Dictionary(uniqueKeysWithValues: try dataset.facts(submission: versions[1].id).map { ($0.code, $0) })
        let city = Consolidation(facts: try dataset.currentFacts(year: year), index: index)
        var changes: [Difference.Change] = []
        for code in Set(new.keys).union(old.keys).sorted(by: { index.position(of: $0) < index.position(of: $1) }) {
            let a = old[code]?.value, b = new[code]?.value
            guard a != b else { continue }
            let delta = (b ?? 0) - (a ?? 0)
            changes.append(Difference.Change(label: index[code: code]?.label ?? code, before: a, after: b,
                                             cityNow: city.value(code), cityBefore: city.value(code) - delta))
        }
        return Difference(submitter: who, versions: versions, changes: changes)
    }
}
