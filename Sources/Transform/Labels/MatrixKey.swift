/// The key a matrix table's row or column label is matched by: ``LabelKey``'s, with quotes of
/// any kind dropped too ("危及“三安全一稳定”", '危及"三安全一稳定"').
enum MatrixKey {
    static let quotes: Set<Character> = ["“", "”", "\"", "'", "‘", "’", "「", "」", "『", "』"]

    static func make(_ raw: String) -> String {
        let key = LabelKey.make(raw)
        return key.contains(where: quotes.contains) ? key.filter { !quotes.contains($0) } : key
    }
}
