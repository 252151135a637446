import Core
import Foundation

/// The line break written after each shard line: one array for all.
private let shardLineBreak: ArraySlice<UInt8> = [0x0A]

/// Values kept under `directory` in a fixed number of shard files, a key's shard decided by its
/// hash: a change rewrites only the shards it touches (one submitter's resubmission reads and
/// writes one small file), and a province's thousands of submitters cost a few hundred files, not
/// thousands.
///
/// A shard holds one line a key: the key as a JSON string, a tab, the value as JSON (written with
/// ``JSONWriter``, which escapes every control character, so neither holds a raw tab or line
/// break). Reading some keys decodes their values only, and an update copies the other lines as
/// they are.
public struct ShardedStore<Value: Codable & JSONWritable & Sendable>: Sendable {
    public let directory: String
    public let shards: Int

    public init(directory: String, shards: Int = 256) {
        self.directory = directory
        self.shards = shards
    }

    /// FNV-1a of the key, 64-bit: part of the on-disk layout, so never to be changed.
    public func shard(of key: String) -> Int {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in key.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        return Int(h % UInt64(shards))
    }

    private func path(_ shard: Int) -> String {
        directory + "/shard-" + String(repeating: "0", count: max(0, 3 - String(shard).count)) + "\(shard).jsonl"
    }

    /// The shard's lines by key, undecoded (`line` is the whole line, key and value); a damaged
    /// line is skipped (a cache: its key is then computed again).
    private func lines(_ shard: Int) -> [(key: String, value: ArraySlice<UInt8>, line: ArraySlice<UInt8>)] {
        guard let bytes = try? FileIO.read(path(shard)) else { return [] }
        var out: [(key: String, value: ArraySlice<UInt8>, line: ArraySlice<UInt8>)] = []
        for line in bytes.split(separator: 0x0A) {
            guard let tab = line.firstIndex(of: 0x09), let key = Self.key(line[..<tab]) else { continue }
            out.append((key, line[(tab + 1)...], line))
        }
        return out
    }

    private static func key(_ json: ArraySlice<UInt8>) -> String? {
        guard json.count >= 2, json.first == 0x22, json.last == 0x22 else { return nil }
        let inner = json.dropFirst().dropLast()
        if !inner.contains(0x5C) { return String(decoding: inner, as: UTF8.self) }
        return try? JSONDecoder().decode(String.self, from: Data(json))
    }

    private static func decode(_ value: ArraySlice<UInt8>) -> Value? {
        try? JSONDecoder().decode(Value.self, from: Data(value))
    }

    public func load(shard: Int) -> [String: Value] {
        var out: [String: Value] = [:]
        for (key, value, _) in lines(shard) { out[key] = Self.decode(value) }
        return out
    }

    /// The values of the given keys (all shards they fall in are read once, only these decoded).
    public func load(keys: some Sequence<String>) -> [String: Value] {
        var out: [String: Value] = [:]
        let wanted = Set(keys)
        for s in Set(wanted.map(shard(of:))).sorted() {
            for (key, value, _) in lines(s) where wanted.contains(key) { out[key] = Self.decode(value) }
        }
        return out
    }

    public func loadAll() -> [String: Value] {
        var out: [String: Value] = [:]
        for s in 0..<shards { out.merge(load(shard: s)) { a, _ in a } }
        return out
    }

    /// Sets (or, for nil, removes) the given keys; shards are written on both cores through
    /// `files`, the lines of other keys copied as they were.
    public func update(_ changes: [String: Value?], in files: FileStore) throws(FileError) {
        try write(Pending(changes, in: self), in: files)
    }

    /// Changes grouped by shard: each shard's values are let go as soon as that shard is written,
    /// so that a province's staged files leave memory shard by shard, not at the end.
    public final class Pending: @unchecked Sendable {
        /// One shard's changes; each slot is touched by the one task writing its shard.
        final class Slot: @unchecked Sendable {
            let shard: Int
            var changes: [(key: String, value: Value?)]
            init(shard: Int, changes: [(key: String, value: Value?)]) {
                self.shard = shard
                self.changes = changes
            }
        }

        let slots: [Slot]

        public var isEmpty: Bool { slots.isEmpty }

        public init(_ changes: [String: Value?], in store: ShardedStore) {
            let byShard = Dictionary(grouping: changes, by: { store.shard(of: $0.key) })
            slots = byShard.keys.sorted().map { Slot(shard: $0, changes: byShard[$0]!.map { (key: $0.key, value: $0.value) }) }
        }
    }

    /// Writes the pending changes, shard by shard on both cores.
    public func write(_ pending: Pending, in files: FileStore) throws(FileError) {
        guard !pending.isEmpty else { return }
        try FileIO.makeDirectories(directory)
        let failures = parallelMap(pending.slots) { slot -> FileError? in
            let s = slot.shard
            // Each key's whole line: as read, or written anew for a changed key (each in its own
            // array, written from there): a province's shard, megabytes, is never copied into one.
            var entries: [String: ArraySlice<UInt8>] = [:]
            for (key, _, line) in lines(s) { entries[key] = line }
            for (key, value) in slot.changes {
                guard let value else { entries[key] = nil; continue }
                var line = JSONWriter()
                line.value(key)
                line.end(with: 0x09)
                value.write(to: &line)
                entries[key] = line.bytes[...]
            }
            slot.changes = []  // this shard's values are in `entries` now, as text
            if entries.isEmpty {
                do throws(FileError) { try FileIO.remove(path(s)) } catch { return error }
                return nil
            }
            var out = ByteChunks()
            for line in entries.values.sorted(by: { a, b in a.withUnsafeBytes { x in b.withUnsafeBytes { ByteString.precedes(x, $0) } } }) {
                out.append(line)
                out.append(shardLineBreak)
            }
            do throws(FileError) { try files.publish(out, to: path(s)) } catch { return error }
            return nil
        }
        if let failure = failures.compactMap({ $0 }).first { throw failure }
    }

    /// Removes every shard file, of this layout or an earlier one.
    public func removeAll() throws(FileError) {
        for name in FileIO.list(directory) where name.hasPrefix("shard-") && (name.hasSuffix(".json") || name.hasSuffix(".jsonl")) {
            try FileIO.remove(directory + "/" + name)
        }
    }
}
