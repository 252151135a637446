import Extract
import Foundation
import Load
import Transform

/// A city's workspace: its configuration, inbox, outputs and state, and the stages over it.
/// Unchecked: its configuration cache is filled from the calling thread only; the stages invoke the
/// builders they are given before they fan work out to both cores.
struct Workspace: @unchecked Sendable {
    let root: URL
    let year: Int
    /// Configuration read once per process: several stages ask for the same registry and form.
    private let cache = Cache()

    final class Cache {
        var registry: Registry?
        var formIndex: FormIndex?
        var dataset: Dataset?
        var transformFingerprint: String?
        var reportFingerprint: String?
        /// Started by ``warmUp()``; nil once taken (or when it failed: then made here, to report why).
        var formIndexAhead: Prefetch<FormIndex?>?
        var datasetAhead: Prefetch<Dataset?>?
        var extractStage: ExtractStage?
    }

    /// Keeps what `make` computes, once per process.
    func cached<T, E: Error>(_ slot: ReferenceWritableKeyPath<Cache, T?>, _ make: () throws(E) -> T) throws(E) -> T {
        if let value = cache[keyPath: slot] { return value }
        let value = try make()
        cache[keyPath: slot] = value
        return value
    }

    init(root: URL, year: Int) {
        self.root = root
        self.year = year
    }

    struct Settings: Codable {
        var city: String
        var cityCode: String?
    }

    var config: URL { root.appendingPathComponent("config") }
    var state: URL { root.appendingPathComponent("state") }

    static func locate(_ option: String?) -> URL {
        let path = option ?? ProcessInfo.processInfo.environment["DISCLOSURE_WORKSPACE"] ?? FileManager.default.currentDirectoryPath
        return URL(fileURLWithPath: path).standardizedFileURL
    }

    func read(_ relative: String) throws(ConfigProblem) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: config.appendingPathComponent(relative).path) else {
            throw ConfigProblem(file: relative, message: "文件不存在：请先运行 disclosure init，或恢复该配置文件")
        }
        return Array(data)
    }

    func settings() throws(ConfigProblem) -> Settings {
        do { return try JSONDecoder().decode(Settings.self, from: Data(try read("workspace.json"))) } catch let p as ConfigProblem { throw p } catch {
            throw ConfigProblem(file: "workspace.json", message: "无法读取：\(error)")
        }
    }

    func registry() throws(ConfigProblem) -> Registry {
        try cached(\.registry) { () throws(ConfigProblem) in try readRegistry() }
    }

    private func readRegistry() throws(ConfigProblem) -> Registry {
        let city = try settings().city
        do { return try Registry(csv: try read("submitters.csv"), city: city) } catch let p as Registry.Problem {
            throw ConfigProblem(file: "submitters.csv", message: p.description)
        } catch let p as ConfigProblem { throw p } catch { throw ConfigProblem(file: "submitters.csv", message: "\(error)") }
    }

    func profiles() throws(ConfigProblem) -> [XMLProfile] {
        let dir = config.appendingPathComponent("xml-profiles")
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
        var out: [XMLProfile] = []
        for name in names {
            do { out.append(try JSONDecoder().decode(XMLProfile.self, from: Data(try read("xml-profiles/" + name)))) } catch {
                throw ConfigProblem(file: "xml-profiles/" + name, message: "无法读取 XML 格式配置：\(error)")
            }
        }
        return out
    }

    func form() throws(ConfigProblem) -> Form { try formIndex().form }

    func formIndex() throws(ConfigProblem) -> FormIndex {
        try cached(\.formIndex) { () throws(ConfigProblem) in
            if let ahead = cache.formIndexAhead.take(), let index = ahead.value { return index }
            return try FormCatalog.index(for: year, in: config.appendingPathComponent("forms"))
        }
    }

    /// Starts reading the form and opening the dataset on the other core, while this one reads
    /// the registry: every stage command needs all three first.
    func warmUp() {
        let forms = config.appendingPathComponent("forms"), year = year, state = state
        cache.formIndexAhead = Prefetch { try? FormCatalog.index(for: year, in: forms) }
        cache.datasetAhead = Prefetch { try? Self.openDataset(state) }
    }

    /// A digest of everything in config/ that shapes staged records.
    func extractFingerprint() throws(ConfigProblem) -> String {
        var h = SHA256()
        h.update(try read("submitters.csv"))
        h.update(try read("workspace.json"))
        let dir = config.appendingPathComponent("xml-profiles")
        for name in ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).sorted() {
            h.update(Array(name.utf8))
            h.update(try read("xml-profiles/" + name))
        }
        return h.finalize()
    }

    /// A digest of every file under the given config folders and files (missing ones count as empty).
    func digest(_ entries: [String]) -> String {
        var h = SHA256()
        func add(_ relative: String) {
            let path = config.appendingPathComponent(relative).path
            guard let st = FileIO.status(path) else { return }
            if st.isDirectory {
                for name in FileIO.list(path) where !name.hasPrefix(".") { add(relative + "/" + name) }
            } else if let bytes = try? FileIO.read(path) {
                h.update(Array((relative + "\u{0}").utf8))
                h.update(bytes)
            }
        }
        for e in entries { add(e) }
        return h.finalize()
    }

    /// Everything that shapes facts and findings out of staged records.
    func transformFingerprint() -> String {
        cached(\.transformFingerprint) { digest(["forms", "aliases.csv", "category-map.csv", "submitters.csv", "workspace.json"]) }
    }

    /// Everything that shapes the outputs out of the loaded data: the whole configuration.
    func reportFingerprint() -> String { cached(\.reportFingerprint) { digest(["."]) } }

    func extractStage() throws -> ExtractStage {
        try cached(\.extractStage) {
            let workspace = self
            return ExtractStage(workspace: root, year: year, configFingerprint: try extractFingerprint()) {
                Extractor(registry: try workspace.registry(), profiles: try workspace.profiles(), year: workspace.year)
            }
        }
    }

    func transformStage() -> TransformStage {
        let workspace = self
        return TransformStage(workspace: root, year: year, configFingerprint: transformFingerprint()) {
            let index = try workspace.formIndex()
            let form = index.form
            let aliases = try AliasTable(csv: (try? workspace.read("aliases.csv")) ?? Array("alias,code,submitter,note\n".utf8))
            let categories = try CategoryMap(csv: try workspace.read("category-map.csv"),
                                             categories: form.categories?.parts.compactMap { index[code: $0]?.label } ?? [])
            return (try workspace.registry(), SubmitterTransformer(index: index, aliases: aliases, categories: categories))
        }
    }

    func dataset() throws -> Dataset {
        try cached(\.dataset) {
            if let ahead = cache.datasetAhead.take(), let dataset = ahead.value { return dataset }
            return try Self.openDataset(state)
        }
    }

    private static func openDataset(_ state: URL) throws -> Dataset {
        try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
        return try Dataset(path: state.appendingPathComponent("disclosure.sqlite").path)
    }
}

extension Optional {
    /// The value, leaving nil behind.
    mutating func take() -> Wrapped? {
        defer { self = nil }
        return self
    }
}
