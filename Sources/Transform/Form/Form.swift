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
        /// A row of an earlier layout that this form still reads (the 2019 table's single
        /// （六）其他处理 in a 2021 table): the layout's name. Counted under its parent, drawn only
        /// where reported, and noted to the body that used it.
        public var legacy: String?
        /// A row of a national table 2 with columns of its own (制发 / 废止 / 现行有效…).
        public var columns: [Column]?
        /// For a cell of a matrix table: its row's code and its column (set when the form is expanded).
        public var rowCode: String?
        public var column: Column?
        /// The table the indicator belongs to (set when the form is expanded).
        public var table: String?

        public var isHeading: Bool { unit == nil }
        /// By bytes: nothing else is canonically 万元 or 元, and `==` on Chinese text costs a
        /// Unicode comparison a call (every value parsed asks).
        public var isMoney: Bool { unit.map { $0.sameBytes(as: "万元") || $0.sameBytes(as: "元") } ?? false }
        public var isAdditive: Bool { additive ?? true }
    }

    /// A block of the form: a column of values, or (for later forms) a matrix.
    public struct Table: Codable, Sendable {
        public var id: String
        public var title: String?
        /// Column codes of a matrix table; a single-value table has none.
        public var columns: [Column]?
        public var rows: [Indicator]
        /// A word of the table's column header that tells it apart in a file (信息内容, 申请人情况, 行政复议).
        public var header: String?
    }

    public struct Column: Codable, Sendable, Hashable {
        public var code: String
        public var label: String
        /// The merged headers above it, outermost first, joined by "/" ("行政诉讼/复议后起诉").
        public var group: String?
        /// A signed figure (2019's 本年增/减): a negative value is no error.
        public var signed: Bool?

        /// The header path, as a platform XML writes it: "法人或其他组织/商业企业".
        public var path: String { group.map { $0 + "/" + label } ?? label }
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
            /// the parts add up to the `right` terms (一 + 二 = （七）总计 + 四)
            case balance
        }

        public var id: String
        public var kind: Kind
        public var total: String
        public var parts: [String]
        /// "error" for the hard identities, "warning" for the soft ones.
        public var severity: String
        public var description: String?
        /// For `balance`: the terms the parts add up to.
        public var right: [String]?
        /// "column": the identity holds in every column of its rows' table (codes are row codes).
        public var per: String?
        /// A table id: the identity holds across the columns of every row of that table (total
        /// and parts are column codes).
        public var across: String?
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
    /// "national" for the 2019 and 2021 formats (the report's six parts and tables 2-4).
    public var layout: String?

    public var isNational: Bool { layout == "national" }

    /// Every indicator in form order (for a matrix table, one per row and column).
    public var indicators: [Indicator] {
        tables.flatMap { table -> [Indicator] in
            table.rows.flatMap { row -> [Indicator] in
                var plain = row
                plain.table = table.id
                guard let columns = row.columns ?? table.columns, !columns.isEmpty, !row.isHeading else { return [plain] }
                return columns.map { c in
                    var cell = plain
                    cell.code = row.code + "." + c.code
                    cell.label = row.label + "（" + c.path + "）"
                    cell.printed = nil
                    cell.aliases = nil
                    cell.columns = nil
                    cell.rowCode = row.code
                    cell.column = c
                    return cell
                }
            }
        }
    }

    /// The identities with the per-column and across-column ones written out cell by cell.
    public var expandedIdentities: [Identity] {
        identities.flatMap { identity -> [Identity] in
            if identity.per == "column" {
                let table = tables.first { t in t.rows.contains { $0.code == identity.parts.first } }
                return (table?.columns ?? []).map { c in
                    var one = identity
                    one.id = identity.id + "." + c.code
                    one.total = identity.total + "." + c.code
                    one.parts = identity.parts.map { $0 + "." + c.code }
                    one.right = identity.right?.map { $0 + "." + c.code }
                    one.per = nil
                    return one
                }
            }
            if let id = identity.across, let table = tables.first(where: { $0.id == id }) {
                return table.rows.filter { !$0.isHeading }.map { row in
                    var one = identity
                    one.id = identity.id + "." + row.code
                    one.total = row.code + "." + identity.total
                    one.parts = identity.parts.map { row.code + "." + $0 }
                    one.across = nil
                    return one
                }
            }
            return [identity]
        }
    }
}
