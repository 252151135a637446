/// The key a matrix table's row or column label is matched by: ``LabelKey``'s, with quotes of
/// any kind dropped too ("危及“三安全一稳定”", '危及"三安全一稳定"'), and every other mark of
/// punctuation ("逾期不补正，行政机关" and "逾期不补正、行政机关" are one row). The slash of a
/// header path and the one inside 本年增/减 stay: they tell headers apart.
enum MatrixKey {
    static let dropped: Set<Character> = ["“", "”", "\"", "'", "‘", "’", "「", "」", "『", "』", "、", ",", "，", ";", "；", ":", "：",
                                          "。", ".", "．", "·", "・", "!", "！", "?", "？", "-", "—", "－", "–", "―", "~", "～", "…",
                                          "《", "》", "<", ">", "〈", "〉"]

    static func make(_ raw: String) -> String {
        let key = LabelKey.make(raw)
        return key.contains(where: dropped.contains) ? key.filter { !dropped.contains($0) } : key
    }
}
