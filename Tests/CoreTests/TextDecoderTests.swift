import Testing
@testable import Core

struct TextDecoderTests {
    @Test func decodesGB18030WithFourByteCharacters() throws {
        // "统计表 㐀" in GB18030; 㐀 (U+3400) is a four-byte sequence.
        let bytes: [UInt8] = [0xCD, 0xB3, 0xBC, 0xC6, 0xB1, 0xED, 0x20, 0x81, 0x39, 0xEE, 0x39]
        let decoded = try TextDecoder.decode(bytes).get()
        #expect(String(decoding: decoded.utf8, as: UTF8.self) == "统计表 㐀")
        #expect(decoded.decision.encoding == .gb18030)
        #expect(decoded.decision.evidence.contains("偏移 2"))  // CD B3 happens to be valid UTF-8
    }

    @Test func stripsUTF8ByteOrderMark() throws {
        let decoded = try TextDecoder.decode([0xEF, 0xBB, 0xBF] + Array("指标,1".utf8)).get()
        #expect(decoded.utf8 == Array("指标,1".utf8))
        #expect(decoded.decision.encoding == .utf8BOM)
    }

    @Test func decodesUTF16LittleEndianWithBOM() throws {
        let text = "盂县\t12\r\n"
        let bytes: [UInt8] = [0xFF, 0xFE] + text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let decoded = try TextDecoder.decode(bytes).get()
        #expect(String(decoding: decoded.utf8, as: UTF8.self) == text)
        #expect(decoded.decision.encoding == .utf16LE)
    }

    @Test func refusesBytesValidInNoEncodingAndSaysWhere() {
        let bytes = Array("第一行\n".utf8) + [0x41, 0xFF, 0xFF, 0x42]
        guard case .failure(let u) = TextDecoder.decode(bytes) else {
            Issue.record("expected a failure")
            return
        }
        #expect(u.line == 2)
        #expect(u.utf8Offset == 11)
        #expect(u.bytes.hasPrefix("FF FF"))
    }

    @Test func validatesUTF8StrictlyAndFindsTheFirstBadByte() {
        #expect(TextDecoder.firstInvalidUTF8(Array("abc中文".utf8)) == nil)
        #expect(TextDecoder.firstInvalidUTF8([0x61, 0xC0, 0x80]) == 1)         // overlong
        #expect(TextDecoder.firstInvalidUTF8([0x61, 0xED, 0xA0, 0x80]) == 1)   // surrogate
        #expect(TextDecoder.firstInvalidUTF8(Array(repeating: 0x61, count: 20) + [0xE4, 0xB8]) == 20)  // truncated
    }

    /// Every boundary case of strict UTF-8 at every position of a block and across blocks,
    /// between ASCII and between Chinese text: the block check answers as the standard library.
    @Test func blockCheckAgreesWithTheStandardLibraryAtEveryOffset() {
        let cases: [[UInt8]] = [
            [0xC2, 0x80], [0xDF, 0xBF], [0xE0, 0xA0, 0x80], [0xED, 0x9F, 0xBF], [0xEE, 0x80, 0x80], [0xEF, 0xBF, 0xBF],
            [0xF0, 0x90, 0x80, 0x80], [0xF4, 0x8F, 0xBF, 0xBF], [0xF3, 0xBF, 0xBF, 0xBF], [0x00],
            [0x80], [0xBF], [0xC0, 0x80], [0xC1, 0xBF], [0xE0, 0x9F, 0xBF], [0xED, 0xA0, 0x80], [0xED, 0xBF, 0xBF],
            [0xF0, 0x8F, 0xBF, 0xBF], [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80], [0xFF], [0xFE],
            [0xC3], [0xE4, 0xB8], [0xF0, 0x9F, 0x98], [0xE4, 0xB8, 0xAD, 0xAD], [0xC3, 0xA9, 0xA9], [0xE4, 0x41, 0xAD],
            [0xCD, 0xB3, 0xBC, 0xC6],
        ]
        let fillers: [[UInt8]] = [Array("a".utf8), Array("中".utf8), Array("é".utf8), Array("😀".utf8)]
        var checked = 0
        for filler in fillers {
            for piece in cases {
                for before in 0...40 {
                    for after in [0, 1, 2, 3, 15, 16, 17, 33] {
                        let bytes = Array(Array(repeating: filler, count: before).joined()) + piece
                            + Array(Array(repeating: filler, count: after).joined())
                        let expected = String(validating: bytes, as: UTF8.self) != nil
                        if UTF8Check.isValid(bytes) != expected {
                            Issue.record("\(bytes.map { String($0, radix: 16) }): expected \(expected)")
                            return
                        }
                        checked += 1
                    }
                }
            }
        }
        // And random mixtures of the same pieces, from a fixed seed.
        var state: UInt64 = 0x2016_2019_2021
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(truncatingIfNeeded: state >> 33) % bound
        }
        for _ in 0..<20_000 {
            var bytes: [UInt8] = []
            for _ in 0..<next(40) {
                bytes += next(8) == 0 ? cases[next(cases.count)] : fillers[next(fillers.count)]
            }
            let expected = String(validating: bytes, as: UTF8.self) != nil
            if UTF8Check.isValid(bytes) != expected {
                Issue.record("\(bytes.map { String($0, radix: 16) }): expected \(expected)")
                return
            }
            checked += 1
        }
        #expect(checked == 4 * 29 * 41 * 8 + 20_000)
    }
}

struct SHA256Tests {
    @Test func matchesTheStandardVectors() {
        #expect(SHA256.hex(Array("".utf8)) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let long = Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
        #expect(SHA256.hex(long) == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test func givesTheSameDigestWhateverTheChunking() {
        let data = (0..<1000).map { UInt8($0 % 251) }
        var h = SHA256()
        h.update(data[0..<7])
        h.update(data[7..<500])
        h.update(data[500...])
        #expect(h.finalize() == SHA256.hex(data))
    }
}
