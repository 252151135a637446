import Core
import Store

/// CMS menu labels to the form's content categories, `config/category-map.csv` (`label,category`).
///
/// A path such as "政务公开>工作动态" maps by its last part; each category's own name, with or
/// without 类, maps to itself. A label not in the table maps to nothing: it is reported, never guessed.
public struct CategoryMap: Sendable {
    private var table: [String: String] = [:]
    public let categories: [String]

    /// - Parameter categories: the canonical category labels of the form, e.g. 工作动态类.
    public init(csv bytes: [UInt8], categories: [String]) throws(ConfigError) {
        self.categories = categories
        for c in categories {
            table[TextFold.compact(c)] = c
            if c.hasSuffix("类") { table[TextFold.compact(String(c.dropLast()))] = c }
        }
        // A form without content categories (the national format) counts no item list into them.
        for row in try ConfigCSV.rows(bytes, file: WorkspaceLayout.Config.categoryMap, columns: ["label", "category"]) where !categories.isEmpty {
            let category = row["category"]
            guard let canonical = categories.first(where: { TextFold.compact($0) == TextFold.compact(category) || TextFold.compact($0) == TextFold.compact(category) + "类" }) else {
                throw ConfigError(file: WorkspaceLayout.Config.categoryMap, line: row.line, message: "类别“\(category)”不是表单中的内容类别（\(categories.joined(separator: "、"))）")
            }
            table[Self.key(row["label"])] = canonical
        }
    }

    public func category(for label: String) -> String? { table[label] ?? table[Self.key(label)] }

    /// The last part of a path, width folded, without spaces.
    static func key(_ label: String) -> String {
        let folded = TextFold.compact(label)
        let last = folded.split(whereSeparator: { $0 == ">" || $0 == "/" || $0 == "\\" || $0 == "》" || $0 == "→" }).last.map(String.init) ?? folded
        return last
    }

    /// Known labels most like `label`, for a finding's suggestion.
    public func suggestions(for label: String) -> [String] {
        let k = Self.key(label)
        return table.map { (key: $0.key, cat: $0.value, score: LabelKey.similarity(k, $0.key)) }
            .filter { $0.score > 0.3 }
            .sorted { ($0.score, $1.key) > ($1.score, $0.key) }
            .prefix(2).map(\.cat)
    }
}
