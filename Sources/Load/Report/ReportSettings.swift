import Foundation

/// A year's report settings, `config/report/<year>/settings.json`: who compiles, how to reach
/// them, the city-level facts no submitter reports.
public struct ReportSettings: Codable, Sendable {
    public struct Contact: Codable, Sendable {
        public var address: String
        public var postcode: String
        public var phone: String
        public var email: String
    }

    public var city: String
    /// The notice the report answers, without book-title marks.
    public var basis: String
    public var compiler: String
    public var website: String
    public var contact: Contact
    /// The publication date, YYYY-MM-DD.
    public var date: String
    /// How the year's zero is written in the date line ("0" as the 2016 report printed it, or "〇").
    public var dateZero: String?
    /// City-level figures for the narrative, e.g. {"feedReported": "1403", "feedAdopted": "436"}.
    public var facts: [String: String]?

    public static func load(_ url: URL) throws -> ReportSettings {
        try JSONDecoder().decode(ReportSettings.self, from: Data(contentsOf: url))
    }
}
