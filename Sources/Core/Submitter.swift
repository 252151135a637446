/// One body that reports to the centre: a county or district government, or a city department.
public struct Submitter: Codable, Sendable, Hashable {
    public enum Level: String, Codable, Sendable { case county, department }

    public var name: String
    public var aliases: [String]
    public var code: String
    public var level: Level

    public init(name: String, aliases: [String] = [], code: String = "", level: Level) {
        self.name = name
        self.aliases = aliases
        self.code = code
        self.level = level
    }
}
