import Testing
@testable import Core
@testable import Store
@testable import Extract

struct ByteKeySetTests {
    func insert(_ set: inout ByteKeySet, _ s: String) -> (inserted: Bool, index: Int) {
        var s = s
        return s.withUTF8 { set.insert($0) }
    }

    @Test func tellsEveryDistinctKeyApartAcrossManyGrowths() {
        var set = ByteKeySet(capacity: 4)
        for k in 0..<50_000 { #expect(insert(&set, "YQ-2016-\(k)").inserted) }
        for k in stride(from: 0, to: 50_000, by: 7) { #expect(!insert(&set, "YQ-2016-\(k)").inserted) }
        // Prefixes and extensions of known keys are different keys.
        #expect(insert(&set, "YQ-2016-1234x").inserted)
        #expect(insert(&set, "YQ-2016-").inserted)
        #expect(insert(&set, "").inserted && !insert(&set, "").inserted)
        #expect(set.count == 50_003)
    }

    @Test func numbersKeysInFirstInsertionOrder() {
        var set = ByteKeySet(capacity: 2, keepOrder: true)
        let labels = ["工作动态", "政务公开>通知公告", "行政许可", String(repeating: "长", count: 100)]
        for (k, l) in labels.enumerated() { #expect(insert(&set, l) == (true, k)) }
        #expect(insert(&set, "行政许可") == (false, 2))
        for (k, l) in labels.enumerated() { #expect(String(decoding: set[k], as: UTF8.self) == l) }
    }
}
