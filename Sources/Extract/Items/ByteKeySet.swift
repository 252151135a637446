import Core
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exact set of byte strings, for telling repeated item ids apart at item-list speed and in
/// little memory (a 1 GB export holds millions of ids): each key is stored once in an arena
/// (a varint length, the ordinal when order is kept, the bytes) and an open-addressing table
/// points at them, each slot 32 bits of the key's hash beside its 32-bit arena offset. A probe
/// reads the arena only when the hash bits agree (a new id, the common case, touches only the
/// table), and growing the table never rehashes a key. Keys are compared byte for byte, so a
/// hash collision can never merge two ids.
struct ByteKeySet {
    private var arena: [UInt8] = []
    /// Per slot: the key's hash bits (``tag(_:)``) in the high half, its arena offset + 1 in
    /// the low half; 0 for an empty slot.
    private var slots: [UInt64]
    private var mask: Int
    private(set) var count = 0
    private let keepOrder: Bool
    /// Arena offset of each key by ordinal, kept only when asked (for subscripting).
    private var offsets: [Int] = []
    /// Keys beyond a 4 GiB arena (never met in practice, but never a crash either).
    private var overflow: [[UInt8]: Int] = [:]

    init(capacity: Int = 1024, keepOrder: Bool = false) {
        var size = 16
        while size * 3 < capacity * 4 { size <<= 1 }
        slots = Array(repeating: 0, count: size)
        mask = size - 1
        self.keepOrder = keepOrder
    }

    /// The key inserted `index`-th (only for a set made with `keepOrder`).
    subscript(_ index: Int) -> ArraySlice<UInt8> {
        if index >= offsets.count, let key = overflow.first(where: { $0.value == index })?.key { return key[...] }
        let (length, start) = Self.header(arena, offsets[index], ordinal: keepOrder)
        return arena[start..<(start + length)]
    }

    /// Adds `key`; `inserted` is false when it was already there. `index` numbers the keys in
    /// the order they were first inserted.
    @discardableResult
    mutating func insert(_ key: UnsafeBufferPointer<UInt8>) -> (inserted: Bool, index: Int) {
        let tag = Self.tag(key)
        var slot = Int(truncatingIfNeeded: tag) & mask
        while true {
            let stored = slots[slot]
            if stored == 0 { break }
            if stored >> 32 == tag {
                let at = Int(truncatingIfNeeded: stored & 0xFFFF_FFFF) - 1
                let (length, start) = Self.header(arena, at, ordinal: keepOrder)
                if length == key.count {
                    let equal = arena.withUnsafeBufferPointer { a in
                        key.isEmpty || memcmp(a.baseAddress! + start, key.baseAddress!, key.count) == 0
                    }
                    if equal { return (false, keepOrder ? Self.ordinal(arena, at) : 0) }
                }
            }
            slot = (slot + 1) & mask
        }
        let at = arena.count
        guard at + key.count + 16 < Int(UInt32.max) else {
            let copy = Array(key)
            if let known = overflow[copy] { return (false, known) }
            overflow[copy] = count
            count += 1
            return (true, count - 1)
        }
        Self.appendVarint(&arena, key.count)
        if keepOrder {
            for shift in stride(from: 0, to: 32, by: 8) { arena.append(UInt8(truncatingIfNeeded: count >> shift)) }
            offsets.append(at)
        }
        arena.append(contentsOf: key)
        slots[slot] = tag << 32 | UInt64(at + 1)
        count += 1
        // Three quarters full at most: a probe compares slots, not keys, so it stays cheap.
        if (count - overflow.count) * 4 > slots.count * 3 { grow() }
        return (true, count - 1)
    }

    /// Doubles the table: each key's slot comes from the hash bits its slot keeps.
    private mutating func grow() {
        var bigger = [UInt64](repeating: 0, count: slots.count * 2)
        let newMask = bigger.count - 1
        for stored in slots where stored != 0 {
            var slot = Int(truncatingIfNeeded: stored >> 32) & newMask
            while bigger[slot] != 0 { slot = (slot + 1) & newMask }
            bigger[slot] = stored
        }
        slots = bigger
        mask = newMask
    }

    /// The 32 bits of a key's hash a slot keeps, which also choose its slot (a table never has
    /// 2³² slots).
    private static func tag(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 { hash(key) >> 32 }

    /// The key's length and where its bytes start.
    private static func header(_ a: [UInt8], _ at: Int, ordinal: Bool) -> (length: Int, start: Int) {
        var length = 0, shift = 0, i = at
        while true {
            let b = a[i]
            length |= Int(b & 0x7F) << shift
            i += 1
            if b < 0x80 { break }
            shift += 7
        }
        return (length, i + (ordinal ? 4 : 0))
    }

    private static func ordinal(_ a: [UInt8], _ at: Int) -> Int {
        var i = at
        while a[i] >= 0x80 { i += 1 }
        i += 1
        return Int(a[i]) | Int(a[i + 1]) << 8 | Int(a[i + 2]) << 16 | Int(a[i + 3]) << 24
    }

    private static func appendVarint(_ a: inout [UInt8], _ v: Int) {
        var v = v
        while v >= 0x80 {
            a.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        a.append(UInt8(v))
    }

    /// Eight bytes at a time, each word multiplied in and folded, then the whole mixed so the low
    /// bits (the slot) depend on every byte; the length is mixed in, so a key's trailing zero
    /// bytes count.
    static func hash(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
        let multiplier: UInt64 = 0xff51_afd7_ed55_8ccd
        var h: UInt64 = 0x9e37_79b9_7f4a_7c15 ^ UInt64(key.count)
        guard let base = key.baseAddress else { return h }
        let p = UnsafeRawPointer(base)
        let n = key.count
        var i = 0
        while i + 8 <= n {
            h = (h ^ p.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* multiplier
            h ^= h >> 32
            i += 8
        }
        if i < n {
            // The last eight bytes, overlapping the words before, when the key has them.
            var word: UInt64 = 0
            if n >= 8 {
                word = p.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
            } else {
                for k in i..<n { word |= UInt64(base[k]) << UInt64(8 * (k - i)) }
            }
            h = (h ^ word) &* multiplier
            h ^= h >> 32
        }
        h ^= h >> 33
        h = h &* 0xc4ce_b9fe_1a85_ec53
        h ^= h >> 33
        return h
    }
}
