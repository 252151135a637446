/// One body that reports to the centre: a county or district government, or a city department.
public struct Submitter: Codable, Sendable, Hashable {
    public enum Level: String, Codable, Sendable { case county, department }

    public var name: String
    public var aliases: [String]
    public var code: String
    public var level: Level
    /// The first and last report years the body exists for (nil: no bound).
    public var from: Int?
    public var to: Int?
    /// The bodies it was formed from (2019: 食药监局 + 工商局 → 市场监督管理局), by official name.
    public var predecessors: [String]

    public init(name: String, aliases: [String] = [], code: String = "", level: Level,
                from: Int? = nil, to: Int? = nil, predecessors: [String] = []) {
        self.name = name
        self.aliases = aliases
        self.code = code
        self.level = level
        self.from = from
        self.to = to
        self.predecessors = predecessors
    }

    /// Whether the body reports for `year`.
    public func isValid(in year: Int) -> Bool { (from ?? Int.min) <= year && year <= (to ?? Int.max) }
}
