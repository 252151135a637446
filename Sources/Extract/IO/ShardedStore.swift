import Foundation

/// Values kept under `directory` in a fixed number of JSON shard files, a key's shard decided
/// by its hash: a change rewrites only the shards it touches (one submitter's resubmission reads
/// and writes one small file), and a province's thousands of submitters cost a few hundred files,
/// not thousands.
/// Shards are written with ``JSONWriter`` and read with `JSONDecoder`.
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
        directory + "/shard-" + String(repeating: "0", count: max(0, 3 - String(shard).count)) + "\(shard).json"
    }

    public func load(shard: Int) -> [String: Value] {
        guard let bytes = try? FileIO.read(path(shard)),
              let values = try? JSONDecoder().decode([String: Value].self, from: Data(bytes)) else { return [:] }
        return values
    }

    /// The values of the given keys (all shards they fall in are read once).
    public func load(keys: some Sequence<String>) -> [String: Value] {
        var out: [String: Value] = [:]
        let wanted = Set(keys)
        for s in Set(wanted.map(shard(of:))).sorted() {
            for (k, v) in load(shard: s) where wanted.contains(k) { out[k] = v }
        }
        return out
    }

    public func loadAll() -> [String: Value] {
        var out: [String: Value] = [:]
        for s in 0..<shards { out.merge(load(shard: s)) { a, _ in a } }
        return out
    }

    /// Sets (or, for nil, removes) the given keys; shards are encoded and written on both cores.
    public func update(_ changes: [String: Value?]) throws {
        guard !changes.isEmpty else { return }
        FileIO.makeDirectories(directory)
        let byShard = Dictionary(grouping: changes.keys, by: shard(of:))
        let failures = parallelMap(Array(byShard.keys).sorted()) { s -> String? in
            var values = load(shard: s)
            for key in byShard[s]! { values[key] = changes[key]! }
            do {
                if values.isEmpty { FileIO.remove(path(s)); return nil }
                var json = JSONWriter()
                values.write(to: &json)
                try FileIO.write(json.bytes, to: path(s))
                return nil
            } catch {
                return "\(error)"
            }
        }
        if let failure = failures.compactMap({ $0 }).first { throw FileIO.Failure(path: directory + "：" + failure, code: EIO) }
    }

    /// Removes every shard file, of this layout or an earlier one.
    public func removeAll() {
        for name in FileIO.list(directory) where name.hasPrefix("shard-") && name.hasSuffix(".json") {
            FileIO.remove(directory + "/" + name)
        }
    }
}
