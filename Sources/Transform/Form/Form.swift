import Store

/// A statistical form as data: its indicators, their hierarchy and units, and the identities
/// between them. Loaded from `config/forms/*.json`; chosen by year.
public struct Form: Codable, Sendable {
    public struct Years: Codable, Sendable {
        public var from: Int
        public var to: Int
    }

    /// One reportable figure (or a heading that only groups others).
    public struct Indicator: Codable, Sendable, Hashable {
        public var code: String
        /// The canonical Chinese label, used in every output.
        public var label: String
        /// The label as the printed form shows it, numbering and notes included.
        public var printed: String?
        /// The form's own row number, e.g. "四" or "（二）".
        public var row: String?
        /// The reporting platform's row number (`seq`), e.g. "10.2".
        public var seq: String?
        /// "条", "件", "万元", …; nil for a heading.
        public var unit: String?
        public var parent: String?
        /// Whether submitters' values add up to the city's; shares and rates do not.
        public var additive: Bool?
        /// Other spellings known to mean exactly this indicator.
        public var aliases: [String]?

        public var isHeading: Bool { unit == nil }
        public var isMoney: Bool { unit == "万元" || unit == "元" }
        public var isAdditive: Bool { additive ?? true }
    }

    /// A block of the form: a column of values, or (for later forms) a matrix.
    public struct Table: Codable, Sendable {
        public var id: String
        public var title: String?
        /// Column codes of a matrix table; a single-value table has none.
        public var columns: [Column]?
        public var rows: [Indicator]
    }

    public struct Column: Codable, Sendable, Hashable {
        public var code: String
        public var label: String
    }

    /// An accounting identity between a total and its parts.
    public struct Identity: Codable, Sendable, Hashable {
        public enum Kind: String, Codable, Sendable {
            /// parts add up to the total
            case sum
            /// parts add up to at least the total (channels: one item in two channels counts once)
            case atLeast
            /// parts add up to at most the total (其中 rows)
            case atMost
        }

        public var id: String
        public var kind: Kind
        public var total: String
        public var parts: [String]
        /// "error" for the hard identities, "warning" for the soft ones.
        public var severity: String
        public var description: String?
    }

    /// The content categories of 主动公开 that item lists are counted into.
    public struct Categories: Codable, Sendable {
        public var total: String
        public var parts: [String]
    }

    public var id: String
    public var name: String
    public var years: Years
    public var tables: [Table]
    public var identities: [Identity]
    public var categories: Categories?

    /// Every indicator in form order (for a matrix table, one per row and column).
    public var indicators: [Indicator] {
        tables.flatMap { table -> [Indicator] in
            guard let columns = table.columns, !columns.isEmpty else { return table.rows }
            return table.rows.flatMap { row in
                row.isHeading ? [row] : columns.map { c in
                    var cell = row
                    cell.code = row.code + "." + c.code
                    cell.label = row.label + "（" + c.label + "）"
                    cell.printed = nil
                    cell.aliases = nil
                    return cell
                }
            }
        }
    }
}
