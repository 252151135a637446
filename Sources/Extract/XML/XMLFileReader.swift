import Core
import Store

/// Reads one XML submission: platform statistics (family C) or an item list in a profiled
/// layout (family D), decided by the document element.
enum XMLFileReader {
    static let platformRoot = "GovInfoDisclosureReport"

    /// Reads the document `source` serves; `head` is its first bytes (for the declared encoding).
    static func read(_ source: XMLSource, head: [UInt8], profiles: [XMLProfile], year: Int, into staged: inout StagedFile) {
        let declared = declaredEncoding(head)
        var override: String?
        switch declared?.uppercased() {
        case "GB2312", "GBK", "CP936", "GB18030", "X-GBK", "EUC-CN", "GB_2312-80":
            override = "GB18030"
            staged.encoding = EncodingDecision(.gb18030, evidence: "XML 声明编码为 \(declared!)，按其超集 GB18030 读取")
        case nil:
            staged.encoding = EncodingDecision(.utf8, evidence: "XML 未声明编码，按 UTF-8 读取")
        default:
            staged.encoding = EncodingDecision(.utf8, evidence: "XML 声明编码为 \(declared!)")
        }
        if head.starts(with: [0xEF, 0xBB, 0xBF]) { staged.encoding = EncodingDecision(.utf8BOM, evidence: "文件以 UTF-8 BOM 开头") }
        // UTF-16 is recognized by libxml2 itself from the byte-order mark or from "<?" written in two bytes.
        if head.starts(with: [0xFF, 0xFE]) || head.starts(with: [0x3C, 0x00, 0x3F, 0x00]) {
            override = nil
            staged.encoding = EncodingDecision(.utf16LE, evidence: head[0] == 0xFF ? "文件以 UTF-16 BOM（FF FE）开头" : "文件以“<?”的 UTF-16LE 字节（3C 00 3F 00）开头")
        } else if head.starts(with: [0xFE, 0xFF]) || head.starts(with: [0x00, 0x3C, 0x00, 0x3F]) {
            override = nil
            staged.encoding = EncodingDecision(.utf16BE, evidence: head[0] == 0xFE ? "文件以 UTF-16 BOM（FE FF）开头" : "文件以“<?”的 UTF-16BE 字节（00 3C 00 3F）开头")
        }
        guard let stream = XMLStream(source: source, encoding: override) else {
            staged.findings.append(Finding(.fileUnreadable, submitter: staged.submitter, file: staged.file,
                message: "无法打开该 XML 文件：请确认文件完整后重新报送。"))
            staged.quarantined = true
            return
        }
        var parser = Consumer(profiles: profiles, year: year)
        let problems = stream.run(&parser)
        // The read-ahead settled: the checks it made are final.
        source.stop()
        if let tag = source.oversized {
            staged.findings.append(Finding(
                .xmlOversizedTag, submitter: staged.submitter, file: staged.file, line: tag.line,
                message: "第 \(tag.line) 行的开始标签过大（\(tag.what)），正常的报送文件不会如此，出于安全原因未读取：请从报送系统重新导出后报送。",
                actual: tag.what))
            staged.quarantined = true
            return
        }
        if let failure = source.failure {
            staged.findings.append(Finding(.fileUnreadable, submitter: staged.submitter, file: staged.file,
                message: "文件读到一半时无法继续读取（\(failure.reason)）：请确认文件完整后重新运行。"))
            staged.quarantined = true
            return
        }
        // libxml2 may stop on an entity loop before it hands over the DOCTYPE: that is the same refusal.
        if parser.forbiddenEntity == nil, let p = problems.first(where: { $0.message.lowercased().contains("entit") }) {
            parser.forbiddenEntity = (p.line, p.message)
        }
        if let entity = parser.forbiddenEntity {
            // The line to fix is the DOCTYPE's, when the file starts with one.
            let doctype = head.firstRange(of: Array("<!DOCTYPE".utf8)).map { r in head[..<r.lowerBound].filter { $0 == 0x0A }.count + 1 }
            staged.findings.append(Finding(
                .xmlForbiddenEntity, submitter: staged.submitter, file: staged.file, line: doctype ?? max(1, entity.line),
                message: "文件声明或引用了实体“\(entity.name)”（DOCTYPE 实体声明可被用来读取服务器文件或耗尽内存），出于安全原因未读取。请从报送系统重新导出不含 DOCTYPE 的文件。"))
            staged.quarantined = true
            return
        }
        if let root = parser.unknownRoot {
            let known = ([platformRoot] + profiles.map(\.root)).joined(separator: "、")
            staged.findings.append(Finding(
                .xmlUnknownLayout, submitter: staged.submitter, file: staged.file, line: root.line,
                message: "XML 根元素 <\(root.name)> 不属于已知的格式（\(known)）。如这是新的导出格式，请在 config/xml-profiles/ 中为它添加一个配置文件。",
                actual: root.name))
            staged.quarantined = true
            return
        }
        if !problems.isEmpty {
            for p in problems.prefix(5) {
                staged.findings.append(Finding(
                    .xmlMalformed, submitter: staged.submitter, file: staged.file, line: p.line > 0 ? p.line : nil,
                    column: p.column > 0 ? p.column : nil,
                    message: "XML 格式错误\(p.line > 0 ? "（第 \(p.line) 行\(p.column > 0 ? "第 \(p.column) 列" : "")）" : "")：\(p.explanation)。文件可能不完整或被改动过，请从系统重新导出后报送。（解析器原文：\(p.message)）",
                    actual: p.message))
            }
            staged.quarantined = true
            return
        }
        staged.declaredSubmitter = parser.declaredSubmitter
        switch parser.mode {
        case .platform:
            staged.family = .platformXML
            staged.values = parser.values
        case .items:
            staged.family = .itemXML
            let counter = parser.counter?.finish()
            staged.items = counter?.tally()
            if let counter { staged.findings += counter.findings(in: staged) }
        case .undecided:
            staged.findings.append(Finding(.fileEmpty, submitter: staged.submitter, file: staged.file,
                message: "XML 文件中没有任何元素：请重新导出后报送。"))
            staged.quarantined = true
        }
    }

    /// The `encoding` of the XML declaration, if any.
    static func declaredEncoding(_ head: [UInt8]) -> String? {
        let text = String(decoding: head.prefix(400), as: UTF8.self)
        guard text.hasPrefix("<?xml") || text.hasPrefix("\u{FEFF}<?xml"), let end = text.firstRange(of: "?>") else { return nil }
        let decl = text[..<end.lowerBound]
        guard let r = decl.firstRange(of: "encoding") else { return nil }
        var rest = decl[r.upperBound...].drop { $0 == " " || $0 == "=" }
        guard let q = rest.first, q == "\"" || q == "'" else { return nil }
        rest = rest.dropFirst()
        return String(rest.prefix { $0 != q })
    }

    /// The streaming state machine over libxml2's events.
    struct Consumer: XMLHandler {
        enum Mode { case undecided, platform, items }

        let profiles: [XMLProfile]
        let year: Int
        var mode = Mode.undecided
        /// The open elements' name ids (``XMLStream/Element/id``), the document element first.
        var stack: [Int] = []
        var forbiddenEntity: (line: Int, name: String)?
        var unknownRoot: (line: Int, name: String)?
        var declaredSubmitter: String?
        // Family C
        var values: [StagedValue] = []
        var section: String?
        /// The `<Table no>` a national-format `<Cell>` sits in.
        var table: String?
        var indicator: (attributes: [String: String], line: Int, depth: Int, text: String)?
        var isCell = false
        // Family D
        var profile: XMLProfile?
        /// The steps of the record's path below the root, then those of each field's path below
        /// the record (split once here, not at every element).
        var steps: [XMLProfile.Step] = []
        var recordStepCount = 0
        /// Per field read from elements: its index, where its element steps start in `steps` and
        /// how many there are, and the index of the attribute step it is read from (-1: its text).
        var fieldPaths: [(field: Int, first: Int, count: Int, attribute: Int)] = []
        /// Per element name id seen: which of the first 64 steps it matches (bit k: `steps[k]`),
        /// so that a million records are matched by comparing bits, not strings.
        var matched: [UInt64] = []
        /// Per element name id seen: its name and namespace (for steps past the first 64).
        var elementNames: [(name: String, namespace: String)] = []
        /// The record being read: its depth (0: none) and the line it starts on.
        var recordDepth = 0
        var recordLine = 0
        /// The current record's fields as UTF-8: id, title, date, category.
        var fieldBytes: [[UInt8]] = [[], [], [], []]
        /// Fields already read for the current record: a repeated element (an RSS item's second
        /// <category>) does not run into the first.
        var filled: UInt8 = 0
        /// Per field, the depth of the element whose text is being read into it (0: none).
        var captureDepth = [0, 0, 0, 0]
        var counter: ItemFeed?

        init(profiles: [XMLProfile], year: Int) {
            self.profiles = profiles
            self.year = year
        }

        mutating func entity(line: Int, name: String) {
            forbiddenEntity = (line, name)
        }

        mutating func start(_ element: XMLStream.Element) -> Bool {
            if mode == .undecided && !decide(root: element.name, line: element.line) { return false }
            stack.append(element.id)
            if mode == .platform { startPlatform(element) } else { startItem(element) }
            if element.isEmpty { close() }
            return true
        }

        mutating func text(_ text: XMLStream.Text) -> Bool {
            if indicator != nil { indicator!.text += text.string }
            if mode == .items {
                let depth = stack.count
                for f in 0..<4 where captureDepth[f] == depth { fieldBytes[f].append(contentsOf: text.bytes) }
            }
            return true
        }

        mutating func end() -> Bool {
            close()
            return true
        }

        private mutating func decide(root: String, line: Int) -> Bool {
            if root == XMLFileReader.platformRoot { mode = .platform; return true }
            guard let p = profiles.first(where: { $0.root == root }) else {
                unknownRoot = (line, root)
                return false
            }
            mode = .items
            profile = p
            steps = p.steps(p.record)
            recordStepCount = steps.count
            let f = p.fields
            for (k, path) in [f.id ?? "", f.title, f.date, f.category].enumerated() where !path.isEmpty {
                var fieldSteps = p.steps(path)
                let attribute = fieldSteps.last?.isAttribute == true ? fieldSteps.removeLast() : nil
                fieldPaths.append((k, steps.count, fieldSteps.count, attribute.map { _ in steps.count + fieldSteps.count } ?? -1))
                steps += fieldSteps
                if let attribute { steps.append(attribute) }
            }
            counter = ItemFeed(year: year)
            return true
        }

        /// The element last started ends.
        private mutating func close() {
            let depth = stack.count
            if mode == .platform, let ind = indicator, ind.depth == depth, isCell {
                let row = ind.attributes["row"] ?? "", col = ind.attributes["col"] ?? ""
                values.append(StagedValue(
                    label: row, unit: ind.attributes["unit"], value: ind.text, line: ind.line,
                    element: "Table[@no='\(table ?? "")']/Cell[@row='\(row)'][@col='\(col)']", columnLabel: col,
                    table: table.map { "t" + $0 }))
                indicator = nil
            } else if mode == .platform, let ind = indicator, ind.depth == depth {
                values.append(StagedValue(
                    label: ind.attributes["name"] ?? ind.attributes["label"] ?? "", seq: ind.attributes["seq"],
                    context: section, unit: ind.attributes["unit"], value: ind.text, line: ind.line,
                    element: "Indicator" + (ind.attributes["seq"].map { "[@seq='\($0)']" } ?? "")))
                indicator = nil
            }
            if mode == .items {
                if recordDepth == depth {
                    counter?.add(fieldBytes, line: recordLine)
                    recordDepth = 0
                }
                for f in 0..<4 where captureDepth[f] == depth {
                    filled |= 1 << f
                    captureDepth[f] = 0
                }
            }
            stack.removeLast()
        }

        private mutating func startPlatform(_ element: XMLStream.Element) {
            var attrs: [String: String] = [:]
            for a in element.attributes { attrs[a.name] = a.value }
            let line = element.line
            switch element.name {
            case "Submitter": declaredSubmitter = attrs["name"] ?? attrs["code"]
            case "Section": section = attrs["name"]
            case "Indicator":
                indicator = (attrs, line, stack.count, "")
                isCell = false
            case "Table": table = attrs["no"].map(TextFold.compact)
            case "Cell":
                indicator = (attrs, line, stack.count, "")
                isCell = true
            default: break
            }
        }

        /// Whether the element named by `id` matches `steps[k]`.
        private mutating func matches(_ k: Int, _ id: Int) -> Bool {
            if k < 64 { return matched[id] & (1 << UInt64(k)) != 0 }
            return steps[k].matches(elementNames[id].name, elementNames[id].namespace)
        }

        /// Learns a name id on its first element: which steps it matches.
        private mutating func learn(_ element: XMLStream.Element) {
            while elementNames.count <= element.id {
                elementNames.append(("", ""))
                matched.append(0)
            }
            let name = element.name, namespace = element.namespace
            elementNames[element.id] = (name, namespace)
            var mask: UInt64 = 0
            for (k, step) in steps.prefix(64).enumerated() where step.matches(name, namespace) { mask |= 1 << UInt64(k) }
            matched[element.id] = mask
        }

        private mutating func startItem(_ element: XMLStream.Element) {
            if element.id >= elementNames.count || elementNames[element.id].name.isEmpty { learn(element) }
            let depth = stack.count
            if recordDepth == 0 {
                // Below the root, the path must equal the record path.
                guard depth == recordStepCount + 1 else { return }
                for k in 0..<recordStepCount where !matches(k, stack[k + 1]) { return }
                recordDepth = depth
                recordLine = element.line
                filled = 0
                for f in 0..<4 { fieldBytes[f].removeAll(keepingCapacity: true) }
            }
            // The elements below the record on the path to this one.
            let below = depth - recordDepth
            for (field, first, count, attribute) in fieldPaths where count == below {
                var ok = true
                for k in 0..<count where !matches(first + k, stack[recordDepth + k]) { ok = false; break }
                guard ok else { continue }
                if attribute >= 0 {
                    let step = steps[attribute]
                    if let a = element.attributes.first(where: { step.matches($0.name, $0.namespace) }) {
                        fieldBytes[field] = Array(a.value.utf8)
                    }
                } else if filled & (1 << field) == 0 {
                    captureDepth[field] = depth
                }
            }
        }
    }
}
