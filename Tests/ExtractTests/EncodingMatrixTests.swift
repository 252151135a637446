import Foundation
import TestSupport
import Testing
@testable import Core
@testable import Store
@testable import Extract

/// Fixtures/matrix/<family>/: one content per family written in every encoding submitters'
/// systems use. Whatever the encoding, a family's files read to the same records, and each
/// file's decision names the encoding it was written in.
struct EncodingMatrixTests {
    static let matrix = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/matrix")
    let registry = try! Registry(csv: Array("name,aliases,code,level\n盂县,,140322,county\n".utf8), city: "阳泉市")

    static let expected: [String: SourceEncoding] = [
        "utf-8": .utf8, "utf-8-bom": .utf8BOM, "gb18030": .gb18030, "gb18030-bom": .gb18030, "gbk": .gb18030,
        "gbk-declared-gb2312": .gb18030, "utf-16le": .utf16LE, "utf-16be": .utf16BE, "utf-16le-nobom": .utf16LE,
    ]

    func read(_ family: String) throws -> [(name: String, staged: StagedFile)] {
        let source = Self.matrix.appendingPathComponent(family)
        let root = Scratch.directory.appendingPathComponent("matrix-\(UUID().uuidString)")
        let inbox = root.appendingPathComponent("inbox/2016/盂县")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        let names = try FileManager.default.contentsOfDirectory(atPath: source.path).sorted()
        for name in names { try FileManager.default.copyItem(at: source.appendingPathComponent(name), to: inbox.appendingPathComponent(name)) }
        let profiles = try Self.shippedProfiles()
        let extractor = Extractor(registry: registry, profiles: profiles, year: 2016)
        return InboxFile.scan(workspace: root, year: 2016).map { file in
            (String(file.path.split(separator: "/").last!), extractor.extract(file))
        }
    }

    /// The XML profiles `disclosure init` puts in a workspace.
    static func shippedProfiles() throws -> [XMLProfile] {
        let dir = matrix.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Sources/Pipeline/Defaults/config/xml-profiles")
        return try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted().filter { $0.hasSuffix(".json") }.map {
            try JSONDecoder().decode(XMLProfile.self, from: Data(contentsOf: dir.appendingPathComponent($0)))
        }
    }

    func checkDecisions(_ files: [(name: String, staged: StagedFile)]) {
        for (name, staged) in files {
            let stem = String(name.prefix { $0 != "." })
            #expect(!staged.quarantined, "\(name): \(staged.findings.map(\.message))")
            #expect(!staged.findings.contains { $0.severity == .error }, "\(name): \(staged.findings.map(\.message))")
            #expect(staged.encoding?.encoding == Self.expected[stem], "\(name) decided \(String(describing: staged.encoding))")
            #expect(staged.encoding?.evidence.isEmpty == false)
        }
    }

    @Test(arguments: ["A", "C"])
    func statisticalTablesReadTheSameInEveryEncoding(family: String) throws {
        let files = try read(family)
        #expect(files.count >= 6)
        checkDecisions(files)
        let reference = files[0].staged.values.map { "\($0.label)=\($0.value)" }
        #expect(reference.count > 30)
        #expect(reference.contains { $0.hasPrefix("主动公开政府信息数") && $0.hasSuffix("=4210") })
        for (name, staged) in files.dropFirst() {
            #expect(staged.values.map { "\($0.label)=\($0.value)" } == reference, "\(name) differs from \(files[0].name)")
            #expect(staged.declaredSubmitter == files[0].staged.declaredSubmitter, "\(name)")
        }
    }

    @Test(arguments: ["B", "D"])
    func itemListsCountTheSameInEveryEncoding(family: String) throws {
        let files = try read(family)
        #expect(files.count >= 3)
        checkDecisions(files)
        let reference = try #require(files[0].staged.items)
        #expect(reference.counted > 0)
        for (name, staged) in files.dropFirst() { #expect(staged.items == reference, "\(name) differs from \(files[0].name)") }
        if family == "B" {
            #expect(reference.duplicates == 1 && reference.outOfYear == 1 && reference.counted == 16)
        }
    }
}
