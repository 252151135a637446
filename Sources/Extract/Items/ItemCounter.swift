import Core
import Store

/// Counts an item list's items by category label, dropping duplicates and items outside the year.
///
/// Shared by the CSV (family B) and XML (family D) readers, which differ only in where the
/// fields sit.
struct ItemCounter {
    let year: Int
    /// Category cells exactly as written, each counted; folded into labels only in ``tally()``.
    private var rawLabels = ByteKeySet(capacity: 64, keepOrder: true)
    private var rawCounts: [Int] = []
    private var rawFirstLines: [Int] = []
    private var rawBlank: [Bool] = []
    private var seenIDs = ByteKeySet()
    private var seenTitleDates: Set<String> = []
    private(set) var rows = 0
    private(set) var duplicateLines: [Int] = []
    private(set) var outOfYearLines: [Int] = []
    private(set) var badDateLines: [(Int, String)] = []
    private(set) var noCategoryLines: [Int] = []

    init(year: Int) { self.year = year }

    mutating func add(id: String, title: String, date: String, category: String, line: Int) {
        var (id, title, date, category) = (id, title, date, category)
        id.withUTF8 { id in
            title.withUTF8 { title in
                date.withUTF8 { date in
                    category.withUTF8 { category in add(id: id, title: title, date: date, category: category, line: line) }
                }
            }
        }
    }

    /// Counts one item given its cells as UTF-8.
    mutating func add(id rawID: UnsafeBufferPointer<UInt8>, title: UnsafeBufferPointer<UInt8>, date rawDate: UnsafeBufferPointer<UInt8>,
                      category rawCategory: UnsafeBufferPointer<UInt8>, line: Int) {
        rows += 1
        let duplicate: Bool = ByteText.withTrimmed(rawID) { id in
            // "—", "-", "/", "无": a placeholder for a missing 索引号, not an id shared by every such item.
            if !id.isEmpty && !Self.isPlaceholder(id) { return !seenIDs.insert(id).inserted }
            let title = TextFold.compact(String(decoding: title, as: UTF8.self))
            guard !title.isEmpty else { return false }
            let date = ByteText.withTrimmed(rawDate) { String(decoding: $0, as: UTF8.self) }
            return !seenTitleDates.insert(title + "\u{1F}" + date).inserted
        }
        if duplicate { duplicateLines.append(line); return }
        guard let date = ItemDate(utf8: rawDate) else {
            badDateLines.append((line, String(decoding: rawDate, as: UTF8.self)))
            return
        }
        guard date.year == year else { outOfYearLines.append(line); return }
        let (isNew, k) = rawLabels.insert(rawCategory)
        if isNew {
            rawCounts.append(0)
            rawFirstLines.append(line)
            rawBlank.append(TextFold.trimmed(String(decoding: rawCategory, as: UTF8.self)).isEmpty)
        }
        if rawBlank[k] { noCategoryLines.append(line); return }
        rawCounts[k] += 1
    }

    private static let placeholders: [[UInt8]] = ["-", "--", "—", "——", "/", "无", "空", "N/A", "n/a", "null", "NULL"].map { Array($0.utf8) }

    static func isPlaceholder(_ id: UnsafeBufferPointer<UInt8>) -> Bool {
        id.count <= 6 && placeholders.contains { $0.elementsEqual(id) }
    }

    /// The counts by label: cells that differ only in surrounding spaces, or in the spelling of
    /// equal text, are one label, listed where its first spelling came.
    func tally() -> ItemTally {
        var position: [String: Int] = [:]
        position.reserveCapacity(rawLabels.count)
        var labels: [ItemTally.Label] = []
        for k in 0..<rawLabels.count where !rawBlank[k] {
            let label = TextFold.trimmed(String(decoding: rawLabels[k], as: UTF8.self))
            let at = position[label, default: labels.count]
            if at == labels.count {
                position[label] = at
                labels.append(ItemTally.Label(label: label, count: rawCounts[k], firstLine: rawFirstLines[k]))
            } else {
                labels[at].count += rawCounts[k]
                labels[at].firstLine = min(labels[at].firstLine, rawFirstLines[k])
            }
        }
        return ItemTally(
            labels: labels, rows: rows, duplicates: duplicateLines.count,
            outOfYear: outOfYearLines.count, undated: badDateLines.count + noCategoryLines.count)
    }

    /// One finding per kind of exclusion, listing the lines, so a long list stays readable.
    func findings(in staged: StagedFile) -> [Finding] {
        var out: [Finding] = []
        func lines(_ l: [Int]) -> String {
            let shown = l.prefix(20).map(String.init).joined(separator: "、")
            return l.count > 20 ? shown + " 等 \(l.count) 行" : shown
        }
        if !duplicateLines.isEmpty {
            out.append(Finding(
                .itemsDuplicate, submitter: staged.submitter, file: staged.file, line: duplicateLines[0],
                message: "\(duplicateLines.count) 个条目与前面的条目重复（索引号相同，无索引号时标题和日期相同），每条只计一次；重复行：\(lines(duplicateLines))。如确为不同信息，请更正索引号后重新报送。",
                actual: "\(duplicateLines.count)"))
        }
        if !outOfYearLines.isEmpty {
            out.append(Finding(
                .itemsOutOfYear, submitter: staged.submitter, file: staged.file, line: outOfYearLines[0],
                message: "\(outOfYearLines.count) 个条目的日期不在 \(year) 年，未计入本年度：\(lines(outOfYearLines))。如日期填错，请更正后重新报送。",
                expected: "\(year)", actual: "\(outOfYearLines.count)"))
        }
        if !badDateLines.isEmpty {
            let sample = badDateLines.prefix(5).map { "第 \($0.0) 行“\($0.1)”" }.joined(separator: "，")
            out.append(Finding(
                .itemsBadDate, submitter: staged.submitter, file: staged.file, line: badDateLines[0].0,
                message: "\(badDateLines.count) 个条目的日期无法识别，未计入：\(sample)。请按 2016-03-05 的格式填写日期后重新报送。",
                actual: "\(badDateLines.count)"))
        }
        if !noCategoryLines.isEmpty {
            out.append(Finding(
                .itemsMissingCategory, submitter: staged.submitter, file: staged.file, line: noCategoryLines[0],
                message: "\(noCategoryLines.count) 个条目没有填写信息类别，未计入：\(lines(noCategoryLines))。请补填类别后重新报送。",
                actual: "\(noCategoryLines.count)"))
        }
        return out
    }
}
