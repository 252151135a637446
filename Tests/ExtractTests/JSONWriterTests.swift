import Foundation
import TestSupport
import Testing
@testable import Core
@testable import Store
@testable import Extract

/// The hand-written state JSON reads back through `JSONDecoder` into exactly what was written.
struct JSONWriterTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures")

    func canonical<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(value)
    }

    @Test func stagedFilesOfEveryFamilyRoundTrip() throws {
        let registry = try Registry(csv: Array(try Data(contentsOf: Self.fixtures.deletingLastPathComponent()
            .appendingPathComponent("Sources/Pipeline/Defaults/config/submitters.csv"))), city: "阳泉市")
        let root = Scratch.directory.appendingPathComponent("json-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("inbox"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Self.fixtures.appendingPathComponent("2016"), to: root.appendingPathComponent("inbox/2016"))
        let profiles = try EncodingMatrixTests.shippedProfiles()
        let staged = InboxFile.scan(workspace: root, year: 2016).map { Extractor(registry: registry, profiles: profiles, year: 2016).extract($0) }
        #expect(staged.count == 15)
        #expect(Set(staged.compactMap(\.family)) == [.table, .itemList, .platformXML, .itemXML])
        for file in staged {
            var json = JSONWriter()
            file.write(to: &json)
            let back = try JSONDecoder().decode(StagedFile.self, from: Data(json.bytes))
            #expect(try canonical(back) == canonical(file), "\(file.file)")
        }
    }

    @Test func escapesWhatJSONMust() throws {
        let tricky = Finding(.labelUnknown, submitter: "盂县", file: "a\\b.csv", line: 3,
                             message: "引号\"、反斜杠\\、换行\n、制表\t、回车\r、控制\u{01}字符", expected: "", actual: "“全角”")
        var json = JSONWriter()
        json.writeArray([tricky])
        let back = try JSONDecoder().decode([Finding].self, from: Data(json.bytes))
        #expect(back == [tricky])
    }

    @Test func writesIntegersAndBooleansAsJSONReadsThem() throws {
        let numbers = [0, 7, 10, -1, -90, 1_234_567_890, Int.max, Int.min]
        var json = JSONWriter()
        json.beginObject()
        for (i, n) in numbers.enumerated() { json.field("n\(i)", n) }
        json.field("yes", true)
        json.field("no", false)
        json.field("plain", "纯文本 without escapes")
        json.endObject()
        struct Back: Decodable { let n0, n1, n2, n3, n4, n5, n6, n7: Int; let yes, no: Bool; let plain: String }
        let back = try JSONDecoder().decode(Back.self, from: Data(json.bytes))
        #expect([back.n0, back.n1, back.n2, back.n3, back.n4, back.n5, back.n6, back.n7] == numbers)
        #expect(back.yes && !back.no && back.plain == "纯文本 without escapes")
    }

    /// What JSON must escape, one byte at a time: what the writer's word-at-a-time scan must equal.
    static func reference(_ s: String) -> [UInt8] {
        var out: [UInt8] = [0x22]
        for b in s.utf8 {
            switch b {
            case 0x22: out += [0x5C, 0x22]
            case 0x5C: out += [0x5C, 0x5C]
            case 0x0A: out += [0x5C, 0x6E]
            case 0x0D: out += [0x5C, 0x72]
            case 0x09: out += [0x5C, 0x74]
            case ..<0x20: out += Array(String(format: "\\u%04x", b).utf8)
            default: out.append(b)
            }
        }
        return out + [0x22]
    }

    @Test func escapesEveryByteThatNeedsItAtEveryOffsetAndLength() throws {
        // Fillers of one, three and two bytes, so that the special byte falls at every place of a word.
        let fillers = ["a", "中", "é", "\u{7F}", " ", "~"]
        let specials = ["\"", "\\", "\n", "\r", "\t", "\u{01}", "\u{1F}", "\u{00}"]
        var checked = 0
        for length in 0...24 {
            for at in 0...length {
                for special in specials {
                    for (k, filler) in fillers.enumerated() {
                        var chars = (0..<length).map { fillers[($0 + k) % fillers.count == 0 ? k : ($0 * 7 + k) % fillers.count] }
                        chars[..<min(at, chars.count)].indices.forEach { if $0 % 5 == 4 { chars[$0] = filler } }
                        chars.insert(special, at: at)
                        let text = chars.joined()
                        var json = JSONWriter()
                        json.value(text)
                        #expect(json.bytes == Self.reference(text), "\(length) \(at) \(Array(special.utf8))")
                        #expect(try JSONDecoder().decode(String.self, from: Data(json.bytes)) == text)
                        checked += 1
                    }
                }
            }
        }
        // And text with nothing to escape, long and short, copied as it is.
        for length in 0...40 {
            let text = String(repeating: "中a", count: length)
            var json = JSONWriter()
            json.value(text)
            #expect(json.bytes == Self.reference(text))
        }
        #expect(checked > 10_000)
    }
}

