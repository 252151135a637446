internal import CCrypto

/// SHA-256 content hashes of submitted files, through the system's libcrypto (which uses the
/// CPU's SHA extensions where present).
public struct SHA256: Sendable {
    private var context = SHA256_CTX()

    public init() { _ = SHA256_Init(&context) }

    public mutating func update<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        let done: Void? = bytes.withContiguousStorageIfAvailable { buffer in
            _ = SHA256_Update(&context, buffer.baseAddress, buffer.count)
        }
        if done == nil {
            let copy = Array(bytes)
            copy.withUnsafeBufferPointer { _ = SHA256_Update(&context, $0.baseAddress, $0.count) }
        }
    }

    /// The digest as 64 lowercase hexadecimal digits.
    public mutating func finalize() -> String {
        var digest = [UInt8](repeating: 0, count: 32)
        _ = SHA256_Final(&digest, &context)
        let hex = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(64)
        for b in digest {
            out.append(hex[Int(b >> 4)])
            out.append(hex[Int(b & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    public static func hex<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        var h = SHA256()
        h.update(bytes)
        return h.finalize()
    }
}
