/// What stops an Office file from being read: its container, or one of its XML parts.
enum OfficeProblem: Error {
    case zip(ZipPackage.ZipProblem)
    case xml(part: String, line: Int, message: String)
}

/// The XML parts inside Office files, read through the same hardened libxml2 reader as every
/// XML here (from memory, no network, no entities, start tags bounded), as simple events with
/// local names.
enum OfficeXML {
    enum Event {
        case start(name: String, attributes: [String: String], namespace: String, line: Int, isEmpty: Bool)
        case text(String)
        case end(name: String)
    }

    static func stream(_ bytes: [UInt8], part: String, _ handle: (Event) -> Void) throws(OfficeProblem) {
        guard let stream = XMLStream(bytes: bytes, encoding: nil) else { throw .xml(part: part, line: 0, message: "无法读取") }
        var names: [String] = []
        var refused: (Int, String)?
        let problems = stream.run { event in
            switch event {
            case .start(let element):
                var map: [String: String] = [:]
                for a in element.attributes where map[a.name] == nil { map[a.name] = a.value }
                let name = element.name
                handle(.start(name: name, attributes: map, namespace: element.namespace, line: element.line, isEmpty: element.isEmpty))
                if element.isEmpty { handle(.end(name: name)) } else { names.append(name) }
            case .text(let text):
                handle(.text(text.string))
            case .end:
                handle(.end(name: names.popLast() ?? ""))
            case .entity(let line, let name):
                refused = (line, name)
                return false
            }
            return true
        }
        // The source checked every start tag as the parser read it.
        if let tag = stream.source.oversized { throw .xml(part: part, line: tag.line, message: "开始标签过大（\(tag.what)）") }
        if let (line, name) = refused { throw .xml(part: part, line: line, message: "声明或引用了实体“\(name)”") }
        if let p = problems.first { throw .xml(part: part, line: p.line, message: p.explanation) }
    }

    /// Every element with its attributes, in document order (for small parts).
    static func elements(_ bytes: [UInt8], part: String) throws(OfficeProblem) -> [(name: String, attributes: [String: String])] {
        var out: [(String, [String: String])] = []
        try stream(bytes, part: part) { if case .start(let name, let attributes, _, _, _) = $0 { out.append((name, attributes)) } }
        return out
    }

    struct Relationship {
        var id: String
        var target: String
        var external: Bool
    }

    static func relationships(_ bytes: [UInt8], part: String) throws(OfficeProblem) -> [Relationship] {
        try elements(bytes, part: part).filter { $0.name == "Relationship" }.map {
            Relationship(id: $0.attributes["Id"] ?? "", target: $0.attributes["Target"] ?? "",
                         external: $0.attributes["TargetMode"] == "External")
        }
    }
}
