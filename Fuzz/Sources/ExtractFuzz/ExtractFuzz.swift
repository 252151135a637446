import Core
import Extract
import Foundation

/// One input: the first byte picks the reader (2: the PDF reader's side of the worker's pipe,
/// else even: CSV, odd: XML), the rest is the file.
/// Any crash, hang or leak is libFuzzer's to report; the checks below turn silent corruption
/// into a crash too: every file gives a staged record, an unreadable one is quarantined with
/// a finding, and no U+FFFD appears that the input did not contain.
enum Harness {
    nonisolated(unsafe) static var workspace: URL = {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("extract-fuzz-\(getpid())")
        try? FileManager.default.createDirectory(at: root.appendingPathComponent("inbox/2016/盂县"), withIntermediateDirectories: true)
        return root
    }()
    nonisolated(unsafe) static var extractor: Extractor = {
        let registry = try! Registry(csv: Array("name,aliases,code,level\n盂县,,140322,county\n".utf8), city: "阳泉市")
        // The profiles `disclosure init` ships.
        let shipped = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/Pipeline/Defaults/config/xml-profiles")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: shipped.path)) ?? []
        let profiles = names.sorted().compactMap { try? JSONDecoder().decode(XMLProfile.self, from: Data(contentsOf: shipped.appendingPathComponent($0))) }
        precondition(profiles.count >= 2, "shipped XML profiles not found at \(shipped.path)")
        return Extractor(registry: registry, profiles: profiles, year: 2016)
    }()

    static func run(_ data: UnsafeRawBufferPointer) {
        guard let selector = data.first else { return }
        let body = Array(data.dropFirst())
        if selector == 2 { return pdf(body) }
        let path = workspace.appendingPathComponent("inbox/2016/盂县/input." + (selector & 1 == 0 ? "csv" : "xml")).path
        FileManager.default.createFile(atPath: path, contents: Data(body))
        guard let file = InboxFile.scan(workspace: workspace, year: 2016).first(where: { $0.absolutePath == path }) else { fatalError("scan lost the file") }
        let staged = extractor.extract(file)
        unlink(path)
        if staged.quarantined && staged.findings.isEmpty { fatalError("quarantined without a finding") }
        if staged.sha256.count != 64 && !body.isEmpty { fatalError("no content hash") }
        let replacement: [UInt8] = [0xEF, 0xBF, 0xBD]
        // U+FFFD as the input may spell it: UTF-8, UTF-16 either way round, GB18030.
        let spellings: [[UInt8]] = [[0xEF, 0xBF, 0xBD], [0xFD, 0xFF], [0xFF, 0xFD], [0x84, 0x31, 0xA4, 0x37]]
        let hadReplacement = spellings.contains { body.firstRange(of: $0) != nil }
        if !hadReplacement {
            let texts = staged.values.flatMap { [$0.label, $0.value] } + (staged.items?.labels.map(\.label) ?? [])
            if texts.contains(where: { $0.utf8.contains(0xEF) && Array($0.utf8).firstRange(of: replacement) != nil }) {
                fatalError("U+FFFD in staged text that the input did not contain")
            }
        }
    }
}

extension Harness {
    /// What a PDF worker hands back, as the run reads it: its output decoded (anything but its
    /// exact format is refused), and, when the bytes are no layout, characters placed on a page
    /// by the bytes themselves (two bytes a character, four a coordinate), through the geometry
    /// that puts the tables back together. Every value must come with a place and a table.
    static func pdf(_ body: [UInt8]) {
        let values: [StagedValue]
        if let decoded = PDFReader.values(fromWorkerOutput: body) {
            values = decoded
        } else {
            var glyphs: [PDFLayout.Glyph] = []
            var k = 0
            while k + 6 <= body.count, glyphs.count < 4000 {
                let code = UInt32(body[k]) << 8 | UInt32(body[k + 1])
                let scalar = Unicode.Scalar(code < 0x80 ? 0x30 + code % 10 : 0x4E00 + code % 0x500) ?? "0"
                let x = Double(body[k + 2]) * 2.3, y = Double(body[k + 3]) * 3.3
                let w = 3 + Double(body[k + 4] % 16), h = 6 + Double(body[k + 5] % 8)
                glyphs.append(PDFLayout.Glyph(scalar, x1: x, y1: y, x2: x + w, y2: y + h))
                k += 6
            }
            values = PDFReader.values(page: glyphs)
        }
        for v in values where v.element == nil || v.table == nil || v.columnLabel == nil {
            fatalError("a PDF value without its place: \(v)")
        }
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    Harness.run(UnsafeRawBufferPointer(start: start, count: count))
    return 0
}

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafeRawPointer?, Int) -> CInt) -> CInt

/// SwiftPM names an executable's entry point after its module; libFuzzer's driver runs from it.
@_cdecl("ExtractFuzz_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var values = argv
    return LLVMFuzzerRunDriver(&count, &values) { fuzzOne($0, $1) }
}
