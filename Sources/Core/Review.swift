/// What a clerk decided about a finding on the season's page.
public enum ReviewState: String, Codable, Sendable, CaseIterable {
    /// Checked with the body: the figures stand as reported.
    case verified
    /// Not worth acting on this year.
    case ignored

    /// The Chinese word the staff read.
    public var label: String {
        switch self {
        case .verified: "已核实"
        case .ignored: "忽略"
        }
    }
}

/// A review of one finding. It holds while the finding is the same finding about the same
/// figures (its ``Finding/fingerprint``); once a rerun changes either, it no longer matches any
/// finding and the finding is open again.
public struct ReviewMark: Codable, Sendable, Hashable {
    public var fingerprint: String
    /// The body the finding is about (全市 for the city's own).
    public var submitter: String
    public var state: ReviewState
    public var note: String
    /// Who marked it, as they gave their name.
    public var by: String
    /// When, as ISO 8601 UTC ("2027-02-03T08:15:00Z").
    public var at: String

    public init(fingerprint: String, submitter: String, state: ReviewState, note: String, by: String, at: String) {
        self.fingerprint = fingerprint
        self.submitter = submitter
        self.state = state
        self.note = note
        self.by = by
        self.at = at
    }

    /// "已核实（张三：与原件一致）", as findings.csv, the feedback and the draft list say it.
    public var text: String {
        let who = [by, note].filter { !$0.isEmpty }.joined(separator: "：")
        return state.label + (who.isEmpty ? "" : "（\(who)）")
    }
}

extension Finding {
    /// The finding's identity across reruns: its rule, body, place and every figure it names.
    /// A resubmission that changes the figures (or moves the finding) gives another fingerprint.
    public var fingerprint: String {
        var h = SHA256()
        for part in [rule.rawValue, severity.rawValue, submitter, file, line.map(String.init) ?? "", column.map(String.init) ?? "",
                     message, expected, actual] {
            h.update(Array(part.utf8))
            h.update([0])
        }
        return String(h.finalize().prefix(32))
    }
}

/// The year's reviews by fingerprint.
public struct Reviews: Sendable, Hashable {
    public private(set) var marks: [String: ReviewMark]

    public init(_ marks: [ReviewMark] = []) {
        self.marks = Dictionary(marks.map { ($0.fingerprint, $0) }) { _, b in b }
    }

    public subscript(_ finding: Finding) -> ReviewMark? { marks.isEmpty ? nil : marks[finding.fingerprint] }

    public mutating func set(_ mark: ReviewMark) { marks[mark.fingerprint] = mark }
    public mutating func clear(_ fingerprint: String) { marks[fingerprint] = nil }

    /// The marks in a stable order, as the state file holds them.
    public var sorted: [ReviewMark] { marks.values.sorted { $0.fingerprint < $1.fingerprint } }

    public var isEmpty: Bool { marks.isEmpty }

    /// A digest of every mark: what the outputs drawn with them depend on.
    public var digest: String { Self.digest(sorted) }

    /// Each body's marks' digest: what its rows of the outputs depend on.
    public var digests: [String: String] {
        Dictionary(grouping: sorted, by: \.submitter).mapValues(Self.digest)
    }

    private static func digest(_ marks: [ReviewMark]) -> String {
        guard !marks.isEmpty else { return "" }
        var h = SHA256()
        for m in marks {
            for part in [m.fingerprint, m.submitter, m.state.rawValue, m.note, m.by, m.at] { h.update(Array(part.utf8)); h.update([0]) }
        }
        return String(h.finalize().prefix(16))
    }

    /// Only the marks that still match one of `findings`: the rest have lapsed.
    public func matching(_ findings: [Finding]) -> Reviews {
        guard !marks.isEmpty else { return self }
        let live = Set(findings.map(\.fingerprint))
        return Reviews(marks.values.filter { live.contains($0.fingerprint) })
    }
}
