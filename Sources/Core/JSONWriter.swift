/// JSON written by hand for the state files of thousands of submitters, where Foundation's
/// `JSONEncoder` spent more time than reading the inbox. The output is ordinary JSON that
/// `JSONDecoder` reads back into the same `Codable` types: keys are the properties' names, an
/// absent optional is left out.
public struct JSONWriter {
    public private(set) var bytes: [UInt8] = []
    /// Whether the next value at this level follows one (a comma first); the levels around it
    /// are kept in `outer`, so that a value touches a flag, not an array.
    private var needsComma = false
    private var outer: [Bool] = []

    public init(capacity: Int = 1 << 16) { bytes.reserveCapacity(capacity) }

    private mutating func separate() {
        if needsComma { bytes.append(0x2C) }
        needsComma = true
    }

    public mutating func beginObject() { separate(); bytes.append(0x7B); outer.append(needsComma); needsComma = false }
    public mutating func endObject() { bytes.append(0x7D); needsComma = outer.removeLast() }
    public mutating func beginArray() { separate(); bytes.append(0x5B); outer.append(needsComma); needsComma = false }
    public mutating func endArray() { bytes.append(0x5D); needsComma = outer.removeLast() }

    /// Ends a top-level value with `byte` (the tab between a JSON-lines file's key and its value,
    /// or the line break after it): the next value starts afresh, no comma before it.
    public mutating func end(with byte: UInt8) {
        bytes.append(byte)
        needsComma = false
    }

    /// A key inside an object; the value written next belongs to it.
    public mutating func key(_ k: String) {
        separate()
        string(k, separated: false)
        bytes.append(0x3A)
        needsComma = false
    }

    public mutating func value(_ s: String) { separate(); string(s, separated: false) }
    public mutating func value(_ n: Int) { separate(); digits(n) }
    public mutating func value(_ d: Double) { separate(); bytes += Array("\(d)".utf8) }
    public mutating func value(_ b: Bool) { separate(); bytes.append(contentsOf: b ? "true".utf8 : "false".utf8) }

    public mutating func field(_ k: String, _ s: String) { key(k); value(s) }
    public mutating func field(_ k: String, _ n: Int) { key(k); value(n) }
    public mutating func field(_ k: String, _ d: Double) { key(k); value(d) }
    public mutating func field(_ k: String, _ b: Bool) { key(k); value(b) }
    public mutating func field(_ k: String, _ s: String?) { if let s { field(k, s) } }
    public mutating func field(_ k: String, _ n: Int?) { if let n { field(k, n) } }

    /// `s` quoted: runs of bytes that need no escape are copied whole.
    private mutating func string(_ s: String, separated: Bool) {
        bytes.append(0x22)
        var s = s
        s.withUTF8 { utf8 in
            var run = 0
            var i = Self.firstToEscape(utf8, from: 0)
            while i < utf8.count {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[run..<i]))
                escape(utf8[i])
                run = i + 1
                i = Self.firstToEscape(utf8, from: run)
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[run...]))
        }
        bytes.append(0x22)
    }

    /// The offset of the first byte at or after `start` that JSON escapes (a control byte, `"`
    /// or `\`), or the count. Eight bytes are tested at once (a label is tens of bytes of
    /// ideographs, none escaped); a word the test flags is looked through byte by byte.
    static func firstToEscape(_ utf8: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        let n = utf8.count
        var i = start
        while true {
            while i + 8 <= n {
                let w = UInt64(littleEndian: UnsafeRawPointer(utf8.baseAddress! + i).loadUnaligned(as: UInt64.self))
                let quote = w ^ (ones &* 0x22), backslash = w ^ (ones &* 0x5C)
                // A zero byte in `quote` or `backslash`, or a byte below 0x20 in `w`; the test
                // may flag a word that holds none (a borrow), which the bytes below then clear.
                if ((quote &- ones) & ~quote | (backslash &- ones) & ~backslash | (w &- ones &* 0x20) & ~w) & highs != 0 { break }
                i += 8
            }
            let end = min(i + 8, n)
            while i < end {
                let b = utf8[i]
                if b < 0x20 || b == 0x22 || b == 0x5C { return i }
                i += 1
            }
            if i >= n { return n }
        }
    }

    private mutating func escape(_ b: UInt8) {
        switch b {
        case 0x22: bytes += [0x5C, 0x22]
        case 0x5C: bytes += [0x5C, 0x5C]
        case 0x0A: bytes += [0x5C, 0x6E]
        case 0x0D: bytes += [0x5C, 0x72]
        case 0x09: bytes += [0x5C, 0x74]
        default:
            let hex = Array("0123456789abcdef".utf8)
            bytes += [0x5C, 0x75, 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 0xF)]]
        }
    }

    private mutating func digits(_ n: Int) { bytes.appendDecimal(n) }
}

extension Array where Element == UInt8 {
    /// Appends `n` in decimal digits, without a `String` in between: the digits are written from
    /// the right into a buffer on the stack, then appended at once (a byte at a time, each append
    /// checks the array's uniqueness and room; the shards and parts write millions of numbers).
    public mutating func appendDecimal(_ n: Int) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var m = n.magnitude, at = digits.count  // Int.min has 19 digits, and its sign
            repeat {
                at -= 1
                digits[at] = 0x30 + UInt8(truncatingIfNeeded: m % 10)
                m /= 10
            } while m > 0
            if n < 0 {
                at -= 1
                digits[at] = 0x2D
            }
            append(contentsOf: UnsafeBufferPointer(rebasing: digits[at...]))
        }
    }
}

/// A type that writes itself with ``JSONWriter`` exactly as its `Codable` conformance reads it.
public protocol JSONWritable {
    func write(to json: inout JSONWriter)
}

extension JSONWriter {
    public mutating func writeArray(_ elements: [some JSONWritable]) {
        beginArray()
        for e in elements { e.write(to: &self) }
        endArray()
    }

}

/// An object keyed by the dictionary's keys, in order.
extension Dictionary: JSONWritable where Key == String, Value: JSONWritable {
    public func write(to json: inout JSONWriter) {
        json.beginObject()
        for k in keys.sorted() {
            json.key(k)
            self[k]!.write(to: &json)
        }
        json.endObject()
    }
}
