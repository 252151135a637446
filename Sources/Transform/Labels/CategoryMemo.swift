import Core
import Foundation

/// The content category each item-list label resolved to this run, keyed by the label's bytes: a
/// province's lists repeat the same hundred or so labels, and resolving one (the table, then its
/// last path part, width folded) costs more than hashing its bytes. A label spelled with other
/// bytes (a canonically equal form) is resolved on its own, to the same category.
final class CategoryMemo: @unchecked Sendable {
    private var resolved: [ByteString: String?] = [:]
    private let lock = NSLock()

    func category(for label: String, in map: CategoryMap) -> String? {
        let key = ByteString(label)
        if let known = lock.withLock({ resolved[key] }) { return known }
        let found = map.category(for: label)
        lock.withLock { resolved[key] = found }
        return found
    }
}
