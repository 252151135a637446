import Core
import Store

/// Reviewed label aliases, `config/aliases.csv` (`alias,code,submitter,note`): a spelling the staff
/// have confirmed means an indicator, for everyone or for one submitter only.
public struct AliasTable: Sendable {
    struct Entry: Sendable {
        var code: String
        var submitter: String
    }

    private var entries: [String: [Entry]] = [:]

    public init() {}

    public init(csv bytes: [UInt8]) throws(ConfigError) {
        for row in try ConfigCSV.rows(bytes, file: WorkspaceLayout.Config.aliases, columns: ["alias", "code"]) {
            let alias = row["alias"], code = row["code"]
            guard !alias.isEmpty, !code.isEmpty else { continue }
            entries[LabelKey.make(alias), default: []].append(Entry(code: TextFold.trimmed(code), submitter: TextFold.trimmed(row["submitter"])))
        }
    }

    func lookup(key: String, submitter: String) -> String? {
        guard let list = entries[key] else { return nil }
        return (list.first { $0.submitter == submitter } ?? list.first { $0.submitter.isEmpty })?.code
    }
}
