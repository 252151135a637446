import Core

/// The kinds of file submitters send.
public enum Family: String, Codable, Sendable {
    /// A statistical table exported as CSV (统计表).
    case table = "A"
    /// An item list exported from a website CMS as CSV (公开目录).
    case itemList = "B"
    /// Aggregate figures as XML from the reporting platform.
    case platformXML = "C"
    /// An item list as XML, in a layout described by a source profile.
    case itemXML = "D"
    /// An Excel workbook (.xlsx): a table, a template, an item list, or a table and its list.
    case workbook = "E"
    /// A Word document (.docx): the body's published report, its tables read.
    case document = "F"
    /// A saved web page: the body's published report page, its tables read.
    case webPage = "G"
    /// The body's published report as a PDF: its tables found in the printed text.
    case pdf = "H"

    /// Declared figures (A, C) or a list of items (B, D): a newer file supersedes an older one of the same role.
    public var role: Role { self == .itemList || self == .itemXML ? .items : .declared }

    public enum Role: String, Codable, Sendable { case declared, items }

    public var label: String {
        switch self {
        case .table: "统计表（CSV）"
        case .itemList: "公开目录（CSV）"
        case .platformXML: "报送系统 XML"
        case .itemXML: "公开目录（XML）"
        case .workbook: "Excel 工作簿"
        case .document: "Word 文档"
        case .webPage: "网页"
        case .pdf: "PDF 报告"
        }
    }
}

/// Where a staged record came from.
public struct Provenance: Codable, Sendable, Hashable {
    /// The submitter's official name, resolved from the inbox folder.
    public var submitter: String
    /// Path relative to the workspace.
    public var file: String
    public var sha256: String
    public var size: Int
    public var line: Int
    public var column: Int?
    /// The element path, for XML.
    public var element: String?

    public init(submitter: String, file: String, sha256: String, size: Int, line: Int, column: Int? = nil, element: String? = nil) {
        self.submitter = submitter
        self.file = file
        self.sha256 = sha256
        self.size = size
        self.line = line
        self.column = column
        self.element = element
    }
}

/// One indicator as a table row or platform element states it, before any interpretation.
public struct StagedValue: Codable, Sendable, Hashable {
    /// The label exactly as written (numbering, brackets, line breaks and all).
    public var label: String
    /// The row number the file gives (a 序号 column or the platform's `seq`).
    public var seq: String?
    /// The enclosing heading the file gives: a merged first column or a `<Section>`.
    public var context: String?
    public var unit: String?
    /// The value cell exactly as written.
    public var value: String
    public var line: Int
    public var column: Int?
    public var element: String?
    /// For a matrix table's cell: its column header path as written ("法人或其他组织/商业企业").
    public var columnLabel: String?
    /// For a national-format table: "t2", "t3" or "t4", as the file tells it.
    public var table: String?

    /// Short names in the staging area, where a province's cells are millions.
    enum CodingKeys: String, CodingKey {
        case label = "l", seq = "s", context = "x", unit = "u", value = "v", line = "n", column = "c", element = "e"
        case columnLabel = "h", table = "t"
    }

    public init(label: String, seq: String? = nil, context: String? = nil, unit: String? = nil, value: String,
                line: Int, column: Int? = nil, element: String? = nil, columnLabel: String? = nil, table: String? = nil) {
        self.columnLabel = columnLabel
        self.table = table
        self.label = label
        self.seq = seq
        self.context = context
        self.unit = unit
        self.value = value
        self.line = line
        self.column = column
        self.element = element
    }
}

/// An item list reduced to what consolidation needs: how many distinct items of the year each
/// category label carries, with the line of the first one.
public struct ItemTally: Codable, Sendable, Hashable {
    public struct Label: Codable, Sendable, Hashable {
        public var label: String
        public var count: Int
        public var firstLine: Int
    }

    public var labels: [Label]
    public var rows: Int
    public var duplicates: Int
    public var outOfYear: Int
    public var undated: Int

    public var counted: Int { labels.reduce(0) { $0 + $1.count } }
}

/// Everything Extract learned from one file.
public struct StagedFile: Codable, Sendable {
    public var submitter: String
    public var file: String
    public var sha256: String
    public var size: Int
    /// When the file arrived: its modification time, seconds since 1970. Decides which of two
    /// files of the same role is the newer version.
    public var received: Double = 0
    public var family: Family?
    public var encoding: EncodingDecision?
    /// The submitter the file names inside itself (填报单位, `<Submitter>`), as written.
    public var declaredSubmitter: String?
    public var values: [StagedValue]
    public var items: ItemTally?
    /// A published report's text outside its tables, a paragraph (or a printed line) an entry:
    /// what the narrative checks read. Nil for a file that is no report.
    public var narrative: [String]?
    public var findings: [Finding]
    /// The file could not be used at all; it stays in the inbox, listed as quarantined.
    public var quarantined: Bool

    public init(submitter: String, file: String, sha256: String, size: Int) {
        self.submitter = submitter
        self.file = file
        self.sha256 = sha256
        self.size = size
        self.values = []
        self.findings = []
        self.quarantined = false
    }

    public func provenance(line: Int, column: Int? = nil, element: String? = nil) -> Provenance {
        Provenance(submitter: submitter, file: file, sha256: sha256, size: size, line: line, column: column, element: element)
    }
}

/// The staged records as the staging shards hold them.
extension StagedValue: JSONWritable {
    public func write(to json: inout JSONWriter) {
        json.beginObject()
        json.field(CodingKeys.label.rawValue, label)
        json.field(CodingKeys.seq.rawValue, seq)
        json.field(CodingKeys.context.rawValue, context)
        json.field(CodingKeys.unit.rawValue, unit)
        json.field(CodingKeys.value.rawValue, value)
        json.field(CodingKeys.line.rawValue, line)
        json.field(CodingKeys.column.rawValue, column)
        json.field(CodingKeys.element.rawValue, element)
        json.field(CodingKeys.columnLabel.rawValue, columnLabel)
        json.field(CodingKeys.table.rawValue, table)
        json.endObject()
    }
}

extension ItemTally: JSONWritable {
    public func write(to json: inout JSONWriter) {
        json.beginObject()
        json.key("labels")
        json.beginArray()
        for l in labels {
            json.beginObject()
            json.field("label", l.label)
            json.field("count", l.count)
            json.field("firstLine", l.firstLine)
            json.endObject()
        }
        json.endArray()
        json.field("rows", rows)
        json.field("duplicates", duplicates)
        json.field("outOfYear", outOfYear)
        json.field("undated", undated)
        json.endObject()
    }
}

extension StagedFile: JSONWritable {
    public func write(to json: inout JSONWriter) {
        json.beginObject()
        json.field("submitter", submitter)
        json.field("file", file)
        json.field("sha256", sha256)
        json.field("size", size)
        json.field("received", received)
        json.field("family", family?.rawValue)
        if let encoding { json.key("encoding"); encoding.write(to: &json) }
        json.field("declaredSubmitter", declaredSubmitter)
        json.key("values")
        json.writeArray(values)
        if let items { json.key("items"); items.write(to: &json) }
        if let narrative {
            json.key("narrative")
            json.beginArray()
            for paragraph in narrative { json.value(paragraph) }
            json.endArray()
        }
        json.key("findings")
        json.writeArray(findings)
        json.field("quarantined", quarantined)
        json.endObject()
    }
}
