#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Strict conversion to UTF-8 through glibc's iconv: an invalid or truncated sequence is an error, never a substitute.
enum Iconv {
    struct Failure: Error { var offset: Int }

    static func convert(_ input: [UInt8], from encoding: String, to target: String = "UTF-8") -> Result<[UInt8], Failure> {
        let cd = iconv_open(target, encoding)
        guard cd != iconv_t(bitPattern: -1) else { return .failure(Failure(offset: 0)) }
        defer { iconv_close(cd) }
        var output = [UInt8](repeating: 0, count: input.count * 2 + 16)
        var produced = 0
        var consumed = 0
        var failedAt: Int?
        input.withUnsafeBufferPointer { inBuf in
            var inPtr = UnsafeMutablePointer(mutating: inBuf.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) })
            var inLeft = inBuf.count
            while inLeft > 0 {
                let capacity = output.count - produced
                var outLeft = capacity
                let rc: Int = output.withUnsafeMutableBufferPointer { outBuf in
                    var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBuf.baseAddress! + produced)
                        .assumingMemoryBound(to: CChar.self)
                    return iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
                }
                produced += capacity - outLeft
                consumed = inBuf.count - inLeft
                if rc == -1 {
                    if errno == E2BIG {
                        output.append(contentsOf: repeatElement(0, count: max(1024, inLeft * 2)))
                        continue
                    }
                    failedAt = consumed  // EILSEQ: invalid; EINVAL: truncated at the end
                    return
                }
            }
        }
        if let failedAt { return .failure(Failure(offset: failedAt)) }
        output.removeSubrange(produced...)
        return .success(output)
    }
}

extension Iconv {
    /// UTF-8 to another encoding, strictly (used by tests and exports).
    static func convertFromUTF8(_ input: [UInt8], to encoding: String) -> Result<[UInt8], Failure> {
        let cd = iconv_open(encoding, "UTF-8")
        guard cd != iconv_t(bitPattern: -1) else { return .failure(Failure(offset: 0)) }
        iconv_close(cd)
        return convert(input, from: "UTF-8", to: encoding)
    }
}
