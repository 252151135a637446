import Core
import Extract

/// Maps the labels of one file, in file order, onto a form's indicators, in tiers: exact; the
/// normalized key; the reviewed aliases; otherwise a finding with suggestions, never applied.
///
/// A label the form uses twice (被依法纠错数 under both 行政复议 and 行政诉讼) is settled by the
/// platform's `seq`, by the merged heading or `<Section>` above it, or by the section of the
/// rows before it; if none decides, it is a finding, not a guess.
struct LabelResolver {
    /// `structure`: read by its number and its place under its heading, the words a little off.
    enum Tier: String, Codable, Sendable { case exact, normalized, alias, seq, structure }

    enum Outcome {
        case resolved(Form.Indicator, Tier)
        case total   // a 合计 / 小计 row: an assertion, not data
        case unknown(suggestions: [Form.Indicator])
        case ambiguous([Form.Indicator])
    }

    let index: FormIndex
    let aliases: AliasTable
    let submitter: String
    private var section: String?

    init(index: FormIndex, aliases: AliasTable, submitter: String) {
        self.index = index
        self.aliases = aliases
        self.submitter = submitter
    }

    mutating func resolve(_ value: StagedValue) -> Outcome {
        let key = LabelKey.make(value.label)
        if ["合计", "小计", "总计"].contains(key) { return .total }
        var tier = Tier.normalized
        let trimmed = TextFold.trimmed(value.label)
        var candidates = index.candidates(key: key)
        if candidates.contains(where: { $0.label == trimmed || $0.printed == trimmed }) {
            tier = .exact
            candidates = candidates.filter { $0.label == trimmed || $0.printed == trimmed }
        }
        if candidates.isEmpty, let code = aliases.lookup(key: key, submitter: submitter), let ind = index[code: code] {
            candidates = [ind]
            tier = .alias
        }
        if candidates.isEmpty, key.isEmpty, let seq = value.seq.map(TextFold.compact), let bySeq = index.indicator(seq: seq) {
            // No name at all, only the platform's row number: the row number is the identity.
            section = index.section(of: bySeq.code)
            return .resolved(bySeq, .seq)
        }
        if candidates.isEmpty {
            // A bare platform seq with an unknown name still is no reason to guess.
            return .unknown(suggestions: suggestions(for: key))
        }
        if candidates.count > 1 { candidates = narrow(candidates, value) }
        guard candidates.count == 1 else { return .ambiguous(candidates) }
        let hit = candidates[0]
        section = index.section(of: hit.code)
        return .resolved(hit, tier)
    }

    private func narrow(_ candidates: [Form.Indicator], _ value: StagedValue) -> [Form.Indicator] {
        if let seq = value.seq.map(TextFold.compact), let bySeq = index.indicator(seq: seq), candidates.contains(bySeq) {
            return [bySeq]
        }
        if let context = value.context {
            let contextKey = LabelKey.make(context)
            let heads = Set(index.candidates(key: contextKey).map(\.code))
            if !heads.isEmpty {
                let within = candidates.filter { c in !heads.isDisjoint(with: [c.code] + index.ancestors(of: c.code)) || heads.contains(index.section(of: c.code)) }
                if within.count == 1 { return within }
            }
        }
        if let section {
            let within = candidates.filter { index.section(of: $0.code) == section }
            if within.count == 1 { return within }
        }
        return candidates
    }

    private func suggestions(for key: String) -> [Form.Indicator] {
        var best: [(score: Double, code: String)] = []
        var seen = Set<String>()
        for (k, code) in index.keys {
            let score = LabelKey.similarity(key, k)
            if score >= 0.4, seen.insert(code).inserted { best.append((score, code)) }
        }
        return best.sorted { ($0.score, $1.code) > ($1.score, $0.code) }.prefix(3).compactMap { index[code: $0.code] }
    }
}
