import Core
import Store

/// Reads an item list CSV (family B): finds the header whatever the CMS calls its columns, then
/// counts the items of the year by category label.
struct ItemListReader {
    /// Header names each CMS uses for the four fields consolidation needs.
    static let columns: [(field: Field, names: [String])] = [
        (.id, ["索引号", "信息索引号", "索引编号", "编号"]),
        (.title, ["信息名称", "标题", "名称", "信息标题", "文件名称", "题名"]),
        (.date, ["生成日期", "发布日期", "成文日期", "公开日期", "发文日期", "日期", "发布时间", "生成时间"]),
        (.category, ["信息类别", "主题分类", "公开类别", "所属栏目", "栏目", "类别", "信息分类", "分类", "栏目名称"]),
    ]

    enum Field { case id, title, date, category }

    /// Each header name's field (a name belongs to one): a cell is looked up once, not compared
    /// with every name, in the first rows of every CSV a run reads.
    private static let fieldOfName: [String: Field] = Dictionary(uniqueKeysWithValues: columns.flatMap { c in c.names.map { ($0, c.field) } })

    struct Header {
        var line: Int
        var index: [Field: Int]
    }

    /// The header row among the first rows, if the file is an item list.
    static func findHeader(_ rows: [CSVScanner.Record]) -> Header? {
        for row in rows.prefix(12) {
            var index: [Field: Int] = [:]
            for (k, cell) in row.fields.enumerated() {
                if let field = fieldOfName[TextFold.compact(cell)], index[field] == nil { index[field] = k }
            }
            if index[.title] != nil && index[.category] != nil && index[.date] != nil {
                return Header(line: row.line, index: index)
            }
        }
        return nil
    }

    /// A header row that names some of an item list's columns but not all three of title, date
    /// and category: the line and the names of the missing ones.
    static func incompleteHeader(_ rows: [CSVScanner.Record]) -> (line: Int, missing: [String])? {
        let required: [(Field, String)] = [(.title, "标题（信息名称）"), (.date, "日期（生成日期/发布日期）"), (.category, "类别（信息类别/所属栏目）")]
        for row in rows.prefix(12) {
            var found = Set<Field>()
            for cell in row.fields {
                if let field = fieldOfName[TextFold.compact(cell)] { found.insert(field) }
            }
            let present = required.filter { found.contains($0.0) }
            if present.count == 2 {
                return (row.line, required.filter { !found.contains($0.0) }.map(\.1))
            }
        }
        return nil
    }

    static func read(_ scanner: inout CSVScanner, header: Header, head: [CSVScanner.Record], year: Int, into staged: inout StagedFile) {
        var counter = ItemCounter(year: year)
        let id = header.index[.id], title = header.index[.title]!, date = header.index[.date]!, category = header.index[.category]!
        for row in head where row.line > header.line && !row.isBlank {
            counter.add(id: id.map { row[$0] } ?? "", title: row[title], date: row[date], category: row[category], line: row.line)
        }
        var row = CSVScanner.RawRecord()
        while scanner.next(into: &row) {
            scanner.withFields(of: row) { field in
                if (0..<row.count).allSatisfy({ ByteText.isBlank(field($0)) }) { return }
                counter.add(id: id.map(field) ?? UnsafeBufferPointer(start: nil, count: 0), title: field(title), date: field(date),
                            category: field(category), line: row.line)
            }
        }
        staged.family = .itemList
        staged.items = counter.tally()
        staged.findings += counter.findings(in: staged)
    }
}
