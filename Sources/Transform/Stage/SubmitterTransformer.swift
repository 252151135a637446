import Core
import Extract
import Foundation
import Store

/// Turns one submitter's staged files into canonical facts and findings.
public struct SubmitterTransformer: Sendable {
    public let index: FormIndex
    public let aliases: AliasTable
    /// The national tables' cells as resolved so far this run, shared by every submitter.
    let memo = MatrixMemo()
    public let categories: CategoryMap
    /// Each item-list label's category code as resolved so far this run (nil: none), by the
    /// label's bytes, shared by every submitter: a province's lists repeat the same hundred or so
    /// labels, and resolving one (its last path part, width folded) costs more than hashing its
    /// bytes. A canonically equal label spelled with other bytes is resolved once more, alike.
    let labelCodes = Locked<[ByteString: String?]>([:])

    public init(index: FormIndex, aliases: AliasTable, categories: CategoryMap) {
        self.index = index
        self.aliases = aliases
        self.categories = categories
    }

    public func transform(_ submitter: Submitter?, name: String, files staged: [StagedFile]) -> SubmitterResult {
        var findings = Self.gathered(staged.flatMap(\.findings))
        var states: [FileState] = []
        // The newest usable file of each role is current; older ones stay in the history. A
        // national-format table sent a file each (表二, 表三, 表四) is a role of its own: only a newer
        // file holding the same table supersedes it.
        var winner: [String: StagedFile] = [:]
        var won: [String: Set<String>] = [:]
        let usable = staged.filter { !$0.quarantined && $0.family != nil }
            .sorted { ($0.received, $0.file) > ($1.received, $1.file) }
        for file in usable {
            for slot in Self.slots(of: file) where winner[slot] == nil {
                winner[slot] = file
                won[file.file, default: []].insert(slot)
            }
        }
        for file in staged {
            let status: FileState.Status = file.quarantined || file.family == nil ? .quarantined
                : won[file.file] != nil ? .current : .superseded
            if status == .superseded, let newer = Self.slots(of: file).compactMap({ winner[$0] }).first {
                findings.append(Finding(.fileSuperseded, submitter: name, file: file.file,
                    message: "已被同一单位较新的文件“\(newer.file)”替代，不再计入；本文件保留在收件箱和历史中。"))
            }
            states.append(FileState(path: file.file, sha256: file.sha256, family: file.family, status: status,
                                    encoding: file.encoding, received: file.received))
        }
        var facts: [String: Fact] = [:]
        facts.reserveCapacity(usable.reduce(0) { $0 + $1.values.count })
        let declaredFiles = usable.filter { Self.roles(of: $0).contains(.declared) && won[$0.file]?.contains { $0.hasPrefix(Family.Role.declared.rawValue) } == true }
        for file in declaredFiles.reversed() {
            let tables = Set(won[file.file]!.filter { $0.hasPrefix(Family.Role.declared.rawValue + ":") }
                .map { String($0.dropFirst(Family.Role.declared.rawValue.count + 1)) })
            declare(file, tables: tables, into: &facts, findings: &findings)
        }
        var current: [Family.Role: StagedFile] = [:]
        current[.declared] = declaredFiles.first
        current[.items] = usable.first { won[$0.file]?.contains(Family.Role.items.rawValue) == true }
        var compared = Set<String>()
        if let items = current[.items] { compared = count(items, name: name, into: &facts, findings: &findings) }
        let declaredFile = current[.declared]?.file ?? current[.items]?.file ?? ""
        findings += TotalDerivation(index: index).derive(&facts, submitter: name, file: declaredFile)
        // The same table's buckets with other values: no key hashed again.
        let values = facts.mapValues(\.value)
        let stated = facts
        findings += Reconciler(index: index).check(values, submitter: name, file: declaredFile, lines: { stated[$0]?.line }, skipping: compared)
        // A published report's text against its own tables (and those of the body's other current files).
        let report = declaredFiles.first(where: { $0.narrative?.isEmpty == false })
        if let report {
            findings += NarrativeChecks(index: index).check(report.narrative ?? [], values: values, submitter: name, file: report.file)
        }
        return SubmitterResult(
            submitter: name, code: submitter?.code ?? "", level: submitter?.level, files: states,
            facts: inFormOrder(facts),
            findings: findings.sorted(), narrative: report?.narrative?.joined(separator: "\n"))
    }

    /// The facts in the form's order: each one's position looked up once, and the positions
    /// sorted rather than the facts (a national body's 190 facts are large values to move).
    private func inFormOrder(_ facts: [String: Fact]) -> [Fact] {
        let values = Array(facts.values)
        let positions = values.map { index.position(of: $0.code) }
        return values.indices.sorted { positions[$0] < positions[$1] }.map { values[$0] }
    }

    /// One finding for a folder's many files that could not be read, or whose folder nobody
    /// registered: a folder of thousands gives a line a clerk reads, not thousands.
    static func gathered(_ findings: [Finding]) -> [Finding] {
        let limits: [Rule: Int] = [.fileUnknownFolder: 1, .fileUnreadable: 3]
        var groups: [Rule: [Finding]] = [:]
        var out: [Finding] = []
        for f in findings {
            if limits[f.rule] != nil { groups[f.rule, default: []].append(f) } else { out.append(f) }
        }
        for (rule, group) in groups.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            guard group.count > limits[rule]! else { out += group; continue }
            let files = group.map(\.file).sorted()
            var first = group.min { $0.file < $1.file }!
            let names = files.prefix(3).map { String($0.split(separator: "/").last ?? "") }
            first.file = Self.commonFolder(files)
            first.line = nil
            first.column = nil
            first.message += "（共 \(files.count) 个文件，如 \(names.joined(separator: "、"))\(files.count > 3 ? " 等" : "")）"
            first.actual = "\(files.count)"
            out.append(first)
        }
        return out
    }

    /// The deepest folder holding every one of the paths, with a trailing slash.
    static func commonFolder(_ paths: [String]) -> String {
        var common = paths.first.map { Array($0.split(separator: "/").dropLast()) } ?? []
        for p in paths.dropFirst() {
            let parts = Array(p.split(separator: "/").dropLast())
            var n = 0
            while n < min(common.count, parts.count), common[n] == parts[n] { n += 1 }
            common = Array(common.prefix(n))
        }
        return common.joined(separator: "/") + "/"
    }

    /// The roles a file fills: its role, and for declared figures each national-format table it holds.
    static func slots(of file: StagedFile) -> [String] {
        var slots: [String] = []
        for role in roles(of: file) {
            guard role == .declared else { slots.append(role.rawValue); continue }
            let tables = Set(file.values.compactMap(\.table))
            slots += tables.isEmpty ? [role.rawValue + ":"] : tables.sorted().map { role.rawValue + ":" + $0 }
        }
        return slots
    }

    /// What a file gives: a workbook may hold declared figures and an item list both.
    static func roles(of file: StagedFile) -> [Family.Role] {
        switch file.family! {
        case .workbook, .document, .webPage, .pdf:
            return (file.values.isEmpty ? [] : [.declared]) + (file.items == nil ? [] : [.items])
        default:
            return [file.family!.role]
        }
    }

    private func declare(_ file: StagedFile, tables: Set<String>, into facts: inout [String: Fact], findings: inout [Finding]) {
        var resolver = LabelResolver(index: index, aliases: aliases, submitter: file.submitter)
        var matrix = index.form.isNational ? MatrixResolver(index: index, aliases: aliases, submitter: file.submitter, memo: memo) : nil
        var lastParent: String?
        var readByStructure = Set<String>(), legacyRows = Set<String>()
        for v in file.values where tables.contains(v.table ?? "") {
            func finding(_ rule: Rule, _ message: String, expected: String = "", actual: String = "") {
                // In a workbook or a document the cell is named ("统计表!C14"): a line alone does not find it.
                findings.append(Finding(rule, submitter: file.submitter, file: file.file, line: v.line, column: v.column,
                                        message: v.element.map { "（\($0)）" + message } ?? message, expected: expected, actual: actual))
            }
            // The label as a finding quotes it: made only when a finding needs it (a cell's hot path is without one).
            var shown: String {
                let label = TextFold.trimmed(v.label).replacing("\n", with: " ")
                return v.columnLabel.map { label + "（\(TextFold.trimmed($0))）" } ?? label
            }
            switch matrix?.resolve(v) ?? resolver.resolve(v) {
            case .total:
                checkTotalRow(v, parent: lastParent, facts: facts, file: file, findings: &findings)
            case .unknown(let suggestions):
                let hint = suggestions.isEmpty ? "" : "最接近的指标：\(suggestions.map { "“\($0.label)”（\($0.code)）" }.joined(separator: "、"))。"
                let line = "\(shown),\(suggestions.first?.code ?? "<指标代码>"),,"
                finding(.labelUnknown,
                    "指标“\(shown)”无法识别，其数值“\(v.value)”未计入。\(hint)如确属某一指标，请核对后在 config/aliases.csv 中添加一行：\(line)",
                    expected: suggestions.first?.label ?? "", actual: shown)
            case .ambiguous(let list) where matrix != nil:
                finding(.labelAmbiguous,
                    "单元格“\(shown)”可能是\(list.map { "“\(index[code: $0.rowCode ?? ""]?.label ?? $0.label)”的“\($0.column?.path ?? "")”列" }.joined(separator: "或"))，行或列的名称不完整，其数值未计入：请写出完整的行、列名称（如“行政诉讼/复议后起诉/结果维持”）后重新报送。",
                    actual: shown)
            case .ambiguous(let list):
                finding(.labelAmbiguous,
                    "指标“\(shown)”可能是\(list.map { "“\(index[code: index.section(of: $0.code)]?.label ?? "")”下的“\($0.label)”" }.joined(separator: "或"))，无法从行号或所在部分判断，其数值未计入：请在标签前写明所属部分（如“行政复议被依法纠错数”）后重新报送。",
                    actual: shown)
            case .resolved(let ind, let tier):
                if ind.isHeading {
                    continue
                }
                lastParent = ind.parent
                if tier == .structure, let row = index.row(of: ind.code), readByStructure.insert(v.label).inserted {
                    let heading = row.parent.flatMap { index[code: $0] }.map { "“\($0.label)”下" } ?? ""
                    finding(.labelByStructure,
                        "行名称印作“\(v.label.trimmingCharacters(in: .whitespacesAndNewlines).replacing("\n", with: " "))”，与表格\(heading)第 \(String((row.row ?? "").filter { $0.isNumber || $0.isLetter })) 项“\(row.label)”只差几个字，已按该行读取：请核对；如不是该行，请更正后重新报送。",
                        expected: row.label, actual: TextFold.trimmed(v.label))
                }
                if let layout = ind.legacy, !TextFold.compact(v.value).isEmpty, let row = index.row(of: ind.code), legacyRows.insert(row.code).inserted {
                    let parent = row.parent.flatMap { index[code: $0] }
                    let children = index.form.tables.flatMap(\.rows).filter { $0.parent == row.parent && $0.legacy == nil && !$0.isHeading }
                    finding(.layoutLegacy,
                        "表三按 \(layout) 的旧版格式只填了一行“\(row.printed ?? row.label)”，没有分为\(children.map { "“\($0.label)”" }.joined(separator: "、"))\(children.count) 项：这一行的数字已计入（七）总计和全市的“\(parent?.label ?? row.label)”，\(children.count) 个分项按未填报处理。请下次按 \(index.form.id) 的表格分项填报。",
                        expected: index.form.id, actual: layout)
                }
                if let existing = facts[ind.code] {
                    finding(.labelDuplicate,
                        "指标“\(ind.label)”在第 \(existing.line ?? 0) 行已填报过，本行的“\(v.value)”未计入：请删去重复的行。",
                        expected: existing.raw, actual: v.value)
                    continue
                }
                switch ValueParser.parse(v.value, unitColumn: v.unit, indicator: ind) {
                case .notReported:
                    facts[ind.code] = Fact(code: ind.code, value: nil, unit: ind.unit, derived: false, file: file.file, line: v.line, column: v.table == nil ? nil : v.column, raw: v.value, via: tier.rawValue)
                case .invalid(let why):
                    finding(.valueNotNumber, "“\(ind.label)”的数值无法识别：\(why)。该项未计入，请更正后重新报送。", actual: v.value)
                case .number(let n, let repairs):
                    if !repairs.isEmpty {
                        let converted = repairs.contains { $0.contains("换算") }
                        finding(converted ? .valueUnitConverted : .valueNormalized,
                            "“\(ind.label)”的数值“\(v.value)”已按 \(Amount.text(n)) \(ind.unit ?? "") 读取（\(repairs.joined(separator: "；"))）。",
                            expected: Amount.text(n), actual: v.value)
                    }
                    if n < 0 && ind.column?.signed != true {
                        finding(.valueNegative, "“\(ind.label)”填报为负数 \(v.value)：数量不能为负，已按原值保留并标记，请更正后重新报送。", actual: v.value)
                    } else if !ind.isMoney && n != n.rounded0 {
                        finding(.valueNotCount, "“\(ind.label)”填报为 \(v.value)，但\(ind.unit ?? "")数应为整数：已按原值保留并标记，请更正后重新报送。", actual: v.value)
                    }
                    facts[ind.code] = Fact(code: ind.code, value: n, unit: ind.unit, derived: false, file: file.file, line: v.line, column: v.table == nil ? nil : v.column, raw: v.value, via: tier.rawValue)
                }
            }
        }
    }

    /// A 合计 row is an assertion about the rows above it, never data.
    private func checkTotalRow(_ v: StagedValue, parent: String?, facts: [String: Fact], file: StagedFile, findings: inout [Finding]) {
        guard let parent, case .number(let stated, _) = ValueParser.parse(v.value, unitColumn: v.unit, indicator: index[code: parent] ?? Form.Indicator(code: "", label: "", unit: "件")) else {
            findings.append(Finding(.tableRowSkipped, submitter: file.submitter, file: file.file, line: v.line,
                message: "“\(TextFold.trimmed(v.label))”行无法判断是哪些行的合计，已跳过（不计入数据）。"))
            return
        }
        let siblings = facts.values.filter { index[code: $0.code]?.parent == parent && $0.file == file.file }
        let sum = siblings.reduce(Decimal(0)) { $0 + ($1.value ?? 0) }
        if sum != stated {
            findings.append(Finding(.sumInconsistent, submitter: file.submitter, file: file.file, line: v.line,
                message: "合计行填报 \(v.value)，但“\(index[code: parent]?.label ?? parent)”各分项之和为 \(Amount.text(sum))：请核对后重新报送。",
                expected: v.value, actual: Amount.text(sum)))
        }
    }

    /// The code of the category `label` maps to (the first of `parts` it labels), nil for none.
    private func categoryCode(of label: String, among parts: [String]) -> String? {
        let key = ByteString(label)
        if let known = labelCodes.update({ $0[key] }) { return known }
        let code = categories.category(for: label).flatMap { category in parts.first { index[code: $0]?.label == category } }
        labelCodes.update { $0[key] = code }
        return code
    }

    /// Counts an item list into the content categories. A category the same submitter declared
    /// is checked against the list (R004), never replaced; one it left blank takes the list's
    /// count (R005), and so does the total when it too was left blank.
    /// - Returns: the identities this comparison has already covered (the reconciler skips them).
    private func count(_ file: StagedFile, name: String, into facts: inout [String: Fact], findings: inout [Finding]) -> Set<String> {
        guard let tally = file.items, let cats = index.form.categories else { return [] }
        var counts: [String: Int] = [:]
        var firstLine: [String: Int] = [:]
        for entry in tally.labels {
            guard let code = categoryCode(of: entry.label, among: cats.parts) else {
                let hint = categories.suggestions(for: entry.label).first ?? "<内容类别>"
                findings.append(Finding(.itemsUnknownCategory, submitter: name, file: file.file, line: entry.firstLine,
                    message: "栏目“\(entry.label)”（\(entry.count) 条，见 \(file.file) 第 \(entry.firstLine) 行起）不在内容类别对照表中，这些条目未计入。请在 config/category-map.csv 中添加一行：\(CategoryMap.key(entry.label)),\(hint)",
                    actual: "\(entry.count)"))
                continue
            }
            counts[code, default: 0] += entry.count
            firstLine[code] = min(firstLine[code] ?? Int.max, entry.firstLine)
        }
        let declared = cats.parts.filter { facts[$0]?.value != nil }
        var differences: [String] = []
        for code in declared {
            let stated = facts[code]!.value!
            let listed = Decimal(counts[code] ?? 0)
            if stated != listed {
                differences.append("\(index[code: code]!.label) 填报 \(Amount.text(stated))、目录 \(Amount.text(listed))（差 \(Amount.text(listed - stated))）")
            }
        }
        let blank = cats.parts.filter { facts[$0]?.value == nil }
        for code in blank {
            facts[code] = Fact(code: code, value: Decimal(counts[code] ?? 0), unit: index[code: code]?.unit, derived: true, file: file.file,
                               line: firstLine[code], raw: "\(counts[code] ?? 0)", via: Fact.viaItems)
        }
        let listedTotal = counts.values.reduce(0, +)
        let sum = cats.parts.reduce(Decimal(0)) { $0 + (facts[$1]?.value ?? 0) }
        var covered = Set<String>()
        if !blank.isEmpty, let statedTotal = facts[cats.total]?.value {
            // The declared total against the categories the list completed: the list's check, not the table's.
            covered = Set(index.identities.filter { $0.total == cats.total && Set($0.parts) == Set(cats.parts) }.map(\.id))
            if statedTotal != sum {
                differences.append("\(index[code: cats.total]?.label ?? "主动公开") 填报 \(Amount.text(statedTotal))，而\(declared.isEmpty ? "" : "已填类别与")目录按类别统计合计 \(Amount.text(sum))（差 \(Amount.text(sum - statedTotal))）")
            }
        } else if !blank.isEmpty {
            facts[cats.total] = Fact(code: cats.total, value: sum, unit: index[code: cats.total]?.unit, derived: true, file: file.file,
                                     line: nil, raw: "\(sum)", via: Fact.viaItems)
        }
        if !differences.isEmpty {
            findings.append(Finding(.itemsDisagree, submitter: name, file: file.file,
                message: "公开目录按类别统计的条数与统计表填报数不符：\(differences.joined(separator: "；"))。以统计表为准计入，请核对后重新报送。",
                expected: "统计表", actual: "目录"))
        }
        guard !blank.isEmpty else { return covered }
        let totalLabel = index[code: cats.total]?.label ?? "主动公开"
        let summary = "目录共 \(tally.rows) 行，去除重复 \(tally.duplicates) 条、非本年度 \(tally.outOfYear) 条、日期或类别缺失 \(tally.undated) 条"
        let message: String
        if declared.isEmpty {
            message = "未报送按类别的统计数，\(totalLabel)按公开目录统计为 \(listedTotal) 条（\(summary)）。"
        } else {
            let filled = blank.map { "\(index[code: $0]!.label) \(counts[$0] ?? 0) 条" }.joined(separator: "、")
            message = "统计表未填报的类别按公开目录统计：\(filled)（\(summary)）；已填报的类别以统计表为准。"
        }
        findings.append(Finding(.itemsDerived, submitter: name, file: file.file, message: message, actual: "\(listedTotal)"))
        return covered
    }
}

extension Decimal {
    var rounded0: Decimal {
        var copy = self, out = Decimal()
        NSDecimalRound(&out, &copy, 0, .plain)
        return out
    }
}
