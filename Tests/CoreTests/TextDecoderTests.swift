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
