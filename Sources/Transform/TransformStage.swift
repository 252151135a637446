import Extract
import Foundation

/// The transform stage over a workspace: groups the staged files by submitter and writes one
/// ``SubmitterResult`` a submitter to `state/transform/<year>/`.
public struct TransformStage: Sendable {
    public let workspace: URL
    public let year: Int
    public let registry: Registry
    public let transformer: SubmitterTransformer

    public init(workspace: URL, year: Int, registry: Registry, transformer: SubmitterTransformer) {
        self.workspace = workspace
        self.year = year
        self.registry = registry
        self.transformer = transformer
    }

    public var directory: URL { workspace.appendingPathComponent("state/transform/\(year)") }

    /// Transforms every submitter with staged files (or only `submitter`), returning the results written.
    @discardableResult
    public func run(staged: [StagedFile], submitter only: String? = nil) throws -> [SubmitterResult] {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let groups = Dictionary(grouping: staged, by: \.submitter)
        let names = groups.keys.filter { only == nil || $0 == only }.sorted()
        let results = parallelMap(names) { name in
            transformer.transform(registry.resolve(name).flatMap { $0.name == name ? $0 : nil }, name: name, files: groups[name]!)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        for r in results {
            let url = directory.appendingPathComponent(Self.fileName(r.submitter))
            let data = try encoder.encode(r)
            if (try? Data(contentsOf: url)) != data { try data.write(to: url, options: .atomic) }
        }
        // A submitter whose files all left the inbox leaves the transform area too.
        if only == nil {
            let keep = Set(names.map(Self.fileName))
            for f in (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [] where f.hasSuffix(".json") && !keep.contains(f) {
                try? FileManager.default.removeItem(at: directory.appendingPathComponent(f))
            }
        }
        return results
    }

    /// Every transformed submitter of the year, by name.
    public func results() -> [SubmitterResult] {
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
        return files.compactMap { try? JSONDecoder().decode(SubmitterResult.self, from: Data(contentsOf: directory.appendingPathComponent($0))) }
            .sorted { $0.submitter < $1.submitter }
    }

    static func fileName(_ submitter: String) -> String { String(SHA256.hex(Array(submitter.utf8)).prefix(24)) + ".json" }
}
