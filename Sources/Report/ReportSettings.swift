import Core
import Load
import Foundation
import Store
import Transform

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

    /// The settings in `config/report/<key>/settings.json` (`key` the year, or the form whose defaults stand in).
    public static func load(_ layout: WorkspaceLayout, key: String, year: Int) throws(ConfigError) -> ReportSettings {
        guard let document = layout.configFile(WorkspaceLayout.Config.reportSettings(key)) else {
            throw ConfigError(file: WorkspaceLayout.Config.reportSettings("\(year)"), message: "\(year) 年的报告设置不存在：请把上一年的 config/report/<年度>/ 文件夹复制为 config/report/\(year)/，改好编制单位、联系方式、发布日期和叙述后重新运行（数据已载入，只差报告）")
        }
        let file = document.name
        let bytes = Array(try document.text().utf8)
        let settings: ReportSettings
        do {
            settings = try JSONDecoder().decode(ReportSettings.self, from: Data(bytes))
        } catch let DecodingError.keyNotFound(key, _) {
            throw ConfigError(file: file, message: "缺少“\(key.stringValue)”一项")
        } catch {
            throw ConfigError(file: file, message: "不是有效的设置文件（JSON）：请检查引号、逗号和括号")
        }
        // Left empty, the national report dates itself (31 January of the next year); written, it is printed.
        if !settings.date.isEmpty && ChineseDate.parse(settings.date) == nil {
            throw ConfigError(file: file, message: "发布日期“\(settings.date)”不是有效的日期：请写成 YYYY-MM-DD，如 \(year + 1)-01-31")
        }
        return settings
    }
}
