/// An exact set of byte strings, for telling repeated item ids apart at item-list speed:
/// keys are copied into one arena and compared byte for byte on a hash match.
struct ByteKeySet {
    private var arena: [UInt8] = []
    private var entries: [(hash: UInt64, start: Int, count: Int)] = []
    private var slots: [Int32]
    private var mask: Int

    init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = Array(repeating: -1, count: size)
        mask = size - 1
    }

    var count: Int { entries.count }

    subscript(_ index: Int) -> ArraySlice<UInt8> {
        let e = entries[index]
        return arena[e.start..<(e.start + e.count)]
    }

    /// Adds `key`; `inserted` is false when it was already there. `index` numbers the keys in
    /// the order they were first inserted.
    @discardableResult
    mutating func insert(_ key: UnsafeBufferPointer<UInt8>) -> (inserted: Bool, index: Int) {
        let h = Self.hash(key)
        var slot = Int(truncatingIfNeeded: h) & mask
        while true {
            let e = slots[slot]
            if e < 0 { break }
            let entry = entries[Int(e)]
            if entry.hash == h && entry.count == key.count && arena[entry.start..<(entry.start + entry.count)].elementsEqual(key) {
                return (false, Int(e))
            }
            slot = (slot + 1) & mask
        }
        slots[slot] = Int32(entries.count)
        entries.append((h, arena.count, key.count))
        arena.append(contentsOf: key)
        if entries.count * 2 > slots.count { grow() }
        return (true, entries.count - 1)
    }

    private mutating func grow() {
        slots = Array(repeating: -1, count: slots.count * 2)
        mask = slots.count - 1
        for (k, entry) in entries.enumerated() {
            var slot = Int(truncatingIfNeeded: entry.hash) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(k)
        }
    }

    /// FNV-1a, 64-bit.
    static func hash<C: Collection<UInt8>>(_ key: C) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in key { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        return h
    }
}
