import Store

/// Where an item-list XML layout (family D) keeps its records and their fields: configuration,
/// one JSON file a layout in `config/xml-profiles/`.
///
/// A field is a path below the record: `title` (a child element), `meta/date` (a grandchild),
/// `@id` (an attribute of the record), `meta/@date` (an attribute of a child), `dc:subject`
/// (a child in the namespace `namespaces["dc"]`).
public struct XMLProfile: Codable, Sendable, Hashable {
    public var name: String
    public var description: String?
    /// The document element's local name.
    public var root: String
    /// The record element's path below the root, e.g. `channel/item`.
    public var record: String
    public var namespaces: [String: String]?
    public var fields: Fields

    public struct Fields: Codable, Sendable, Hashable {
        public var id: String?
        public var title: String
        public var date: String
        public var category: String
    }

    public init(name: String, root: String, record: String, namespaces: [String: String]? = nil, fields: Fields) {
        self.name = name
        self.root = root
        self.record = record
        self.namespaces = namespaces
        self.fields = fields
    }

    struct Step: Hashable {
        var name: String
        var namespace: String?
        var isAttribute: Bool

        /// Whether an element or attribute of this local name and namespace is this step (a step
        /// written without a prefix matches the name in any namespace).
        func matches(_ name: String, _ namespace: String) -> Bool {
            self.name == name && (self.namespace == nil || self.namespace == namespace)
        }
    }

    func steps(_ path: String) -> [Step] {
        path.split(separator: "/").map { raw in
            var s = String(raw)
            let attribute = s.hasPrefix("@")
            if attribute { s.removeFirst() }
            if let colon = s.firstIndex(of: ":") {
                let prefix = String(s[..<colon])
                return Step(name: String(s[s.index(after: colon)...]), namespace: namespaces?[prefix] ?? prefix, isAttribute: attribute)
            }
            return Step(name: s, namespace: nil, isAttribute: attribute)
        }
    }
}
