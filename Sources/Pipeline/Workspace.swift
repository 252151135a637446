import Core
import Extract
import Foundation
import Load
import Report
import Logging
import PostgresDataset
import Store
import Transform

/// A city's workspace for one report year: its configuration, inbox, outputs and state, and the
/// stages over them. Configuration is read once per process and kept (several stages ask for
/// the same registry and form); the form and the dataset can be opened ahead on the other core.
public struct Workspace: Sendable {
    public let root: URL
    public let year: Int
    /// Where everything is: every path the pipeline uses comes from it.
    public let layout: WorkspaceLayout
    /// Every file the stages write goes through it (see ``FileStore``).
    public let files: FileStore
    /// Inbox files this process wrote whole (an upload): read at once, not waited for as a copy in progress.
    public var written: Set<String> = []
    private let cache = Locked(Cache())

    struct Cache: Sendable {
        var registry: Registry?
        var formIndex: FormIndex?
        var dataset: Dataset?
        var datasetSetting: DatasetSetting?
        var transformFingerprint: String?
        var reportFingerprint: String?
        /// Started by ``warmUp()``; nil once taken (or when it failed: then made here, to report why).
        var formIndexAhead: Prefetch<FormIndex?>?
        var datasetAhead: Prefetch<Dataset?>?
        var extractStage: ExtractStage?
    }

    public init(root: URL, year: Int) {
        self.root = root
        self.year = year
        layout = WorkspaceLayout(root: root.path)
        files = FileStore(layout: layout)
    }

    /// Keeps what `make` computes, once per process.
    private func cached<T: Sendable, E: Error>(_ slot: WritableKeyPath<Cache, T?>, _ make: () throws(E) -> T) throws(E) -> T {
        if let value = cache.value[keyPath: slot] { return value }
        let value = try make()
        cache.update { $0[keyPath: slot] = value }
        return value
    }

    struct Settings: Codable {
        var city: String
        var cityCode: String?
        /// The province a shared PostgreSQL dataset files the city under.
        var province: String?
        /// `"sqlite"` (or absent) or a `postgresql://` address (see ``DatasetSetting``).
        var dataset: String?
        var inbox: InboxSettings?
    }

    /// `inbox` in workspace.json: `{"maxFileMB": 256, "settleSeconds": 10, "waitSeconds": 120}`, any may be left out.
    struct InboxSettings: Codable {
        var maxFileMB: Int?
        var settleSeconds: Double?
        var waitSeconds: Double?
    }

    /// The largest `inbox.maxFileMB` taken (1 TB: a file is read whole, and a larger number of
    /// bytes no longer fits a machine word), and the longest `settleSeconds` and `waitSeconds` (a day).
    static let largestFileMB = 1 << 20, longestWait = 86_400.0

    func inboxLimits() throws(ConfigError) -> InboxLimits {
        let given = try settings().inbox
        var limits = InboxLimits()
        limits.complete = written
        if let mb = given?.maxFileMB {
            guard (1...Self.largestFileMB).contains(mb) else {
                throw ConfigError(file: Config.settings, message: "inbox.maxFileMB 应为 1 到 \(Self.largestFileMB) 之间的整数（单个文件的上限，单位 MB），现为 \(mb)")
            }
            limits.maximumFileBytes = mb << 20
        }
        func seconds(_ given: Double?, _ name: String) throws(ConfigError) -> Double? {
            guard let given else { return nil }
            guard given >= 0 && given <= Self.longestWait else {
                throw ConfigError(file: Config.settings, message: "inbox.\(name) 应在 0 到 \(Int(Self.longestWait)) 秒（一天）之间，现为 \(given)")
            }
            return given
        }
        if let settle = try seconds(given?.settleSeconds, "settleSeconds") { limits.settleSeconds = settle }
        if let wait = try seconds(given?.waitSeconds, "waitSeconds") { limits.waitSeconds = wait }
        return limits
    }


    /// The workspace `--workspace` names, else `DISCLOSURE_WORKSPACE`, else the current directory.
    public static func locate(_ option: String?) -> URL {
        let path = option ?? ProcessInfo.processInfo.environment["DISCLOSURE_WORKSPACE"] ?? FileIO.currentDirectory
        return URL(fileURLWithPath: path).standardizedFileURL
    }

    /// Refuses a folder that is not a workspace, before anything is written there: a run never
    /// creates one (interface.md), and a file where the workspace or its `state/` should be is
    /// named as such.
    public func check() throws(UsageError) {
        guard let folder = FileIO.status(layout.root) else {
            throw UsageError("工作区 \(root.path) 不存在：请先运行 disclosure init \(root.path)，或用 --workspace 指明工作区")
        }
        guard folder.isDirectory else { throw UsageError("\(root.path) 是一个文件，不是工作区文件夹：请用 --workspace 指明工作区") }
        guard FileIO.status(layout.config)?.isDirectory == true else {
            throw UsageError("\(root.path) 不是 disclosure 工作区（没有 config/ 文件夹）：请先运行 disclosure init，或用 --workspace 指明工作区")
        }
        if let state = FileIO.status(layout.state), !state.isDirectory {
            throw UsageError("\(layout.state) 是一个文件，而这里应是工作区的 state/ 文件夹：请把它移走后重新运行")
        }
    }

    /// Makes a workspace at `target` with the shipped default configuration.
    public static func create(at target: URL) throws(UsageError) {
        let layout = WorkspaceLayout(root: target.path)
        if FileIO.status(layout.config) != nil {
            throw UsageError("\(target.path) 已有 config/，未覆盖。请换一个目录，或手动更新配置。")
        }
        guard let defaults = Bundle.module.url(forResource: "Defaults", withExtension: nil) else {
            throw UsageError("找不到随程序发布的默认配置（Defaults）")
        }
        do throws(FileError) {
            try FileIO.copyTree(defaults.path + "/config", to: layout.config)
            for dir in [layout.inbox, layout.out, layout.state] { try FileIO.makeDirectories(dir) }
        } catch {
            throw UsageError("无法在 \(target.path) 建立工作区：\(error.path)：\(error.reason)")
        }
    }

    public func read(_ name: String) throws(ConfigError) -> [UInt8] { try layout.readConfig(name).bytes }

    func settings() throws(ConfigError) -> Settings {
        do { return try JSONDecoder().decode(Settings.self, from: Data(try read(Config.settings))) } catch let p as ConfigError { throw p } catch {
            throw ConfigError(file: Config.settings, message: "无法读取：\(error)")
        }
    }

    public func registry() throws(ConfigError) -> Registry {
        try cached(\.registry) { () throws(ConfigError) in try readRegistry() }
    }

    private func readRegistry() throws(ConfigError) -> Registry {
        let city = try settings().city
        do { return try Registry(csv: try read(Config.registry), city: city) } catch let p as RegistryError {
            throw ConfigError(file: Config.registry, message: p.description)
        } catch let p as ConfigError { throw p } catch { throw ConfigError(file: Config.registry, message: "\(error)") }
    }

    func profiles() throws(ConfigError) -> [XMLProfile] {
        var out: [XMLProfile] = []
        for file in layout.configFiles(in: Config.xmlProfiles, suffix: ".json") {
            let text = try file.text()
            do { out.append(try JSONDecoder().decode(XMLProfile.self, from: Data(text.utf8))) } catch {
                throw ConfigError(file: file.name, message: "无法读取 XML 格式配置：\(error)")
            }
        }
        return out
    }

    public func formIndex() throws(ConfigError) -> FormIndex {
        try cached(\.formIndex) { () throws(ConfigError) in
            if let ahead = cache.update({ $0.formIndexAhead.take() }), let index = ahead.value { return index }
            return try FormCatalog.index(for: year, in: layout)
        }
    }

    /// Starts reading the form and opening the dataset on the other core, while this one reads
    /// the registry: every stage command needs all three first.
    func warmUp() {
        let layout = layout, year = year
        let form = Prefetch { try? FormCatalog.index(for: year, in: layout) }
        let setting = try? datasetSetting()
        let dataset = Prefetch { setting.flatMap { try? Self.openDataset(layout, $0) } }
        cache.update {
            $0.formIndexAhead = form
            $0.datasetAhead = dataset
        }
    }

    /// A digest of everything in config/ that shapes staged records.
    func extractFingerprint() throws(ConfigError) -> String {
        var h = SHA256()
        h.update(try read(Config.registry))
        h.update(try read(Config.settings))
        for file in layout.configFiles(in: Config.xmlProfiles, suffix: "") {
            h.update(Array(file.name.dropFirst(Config.xmlProfiles.count + 1).utf8))
            h.update(file.bytes)
        }
        return h.finalize()
    }

    /// A digest of every file under the given config folders and files (missing ones count as empty).
    func digest(_ entries: [String]) -> String {
        var h = SHA256()
        func add(_ relative: String) {
            let path = layout.config(relative)
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
        cached(\.transformFingerprint) { digest([Config.forms, Config.aliases, Config.categoryMap, Config.registry, Config.settings]) }
    }

    /// Everything that shapes the outputs out of the loaded data: the whole configuration.
    func reportFingerprint() -> String { cached(\.reportFingerprint) { digest(["."]) } }

    func extractStage(logger: Logger) throws -> ExtractStage {
        try cached(\.extractStage) {
            let workspace = self
            return ExtractStage(layout: layout, year: year, configFingerprint: try extractFingerprint(), files: files, logger: logger) {
                Extractor(registry: try workspace.registry(), profiles: try workspace.profiles(), year: workspace.year,
                          limits: try workspace.inboxLimits(), environment: ProcessInfo.processInfo.environment)
            }
        }
    }

    func transformStage(logger: Logger) -> TransformStage {
        let workspace = self
        return TransformStage(layout: layout, year: year, configFingerprint: transformFingerprint(), files: files, logger: logger) {
            let index = try workspace.formIndex()
            let form = index.form
            let aliases = try AliasTable(csv: (try? workspace.read(Config.aliases)) ?? Array("alias,code,submitter,note\n".utf8))
            let categories = try CategoryMap(csv: try workspace.read(Config.categoryMap),
                                             categories: form.categories?.parts.compactMap { index[code: $0]?.label } ?? [])
            return (try workspace.registry(), SubmitterTransformer(index: index, aliases: aliases, categories: categories))
        }
    }

    func loadStage(logger: Logger) throws -> LoadStage {
        let workspace = self
        return LoadStage(dataset: try dataset(), year: year, salt: transformFingerprint(), logger: logger) {
            CityRules(index: try workspace.formIndex(), registry: try workspace.registry(), salt: workspace.transformFingerprint())
        }
    }

    func reportStage(logger: Logger) throws -> ReportStage {
        ReportStage(layout: layout, year: year, index: try formIndex(), files: files, logger: logger)
    }

    /// Lets go of the dataset (so that a damaged file can be moved aside and a new one opened).
    func forgetDataset() {
        cache.update {
            $0.dataset = nil
            $0.datasetAhead = nil
        }
    }

    public func dataset() throws -> Dataset {
        try cached(\.dataset) {
            if let ahead = cache.update({ $0.datasetAhead.take() }), let dataset = ahead.value { return dataset }
            return try Self.openDataset(layout, try datasetSetting())
        }
    }

    private static func openDataset(_ layout: WorkspaceLayout, _ setting: DatasetSetting) throws -> Dataset {
        switch setting {
        case .embedded:
            try FileIO.makeDirectories(layout.state)
            return try Dataset(path: layout.database)
        case .postgres(let location, let city):
            return Dataset(engine: try PostgresEngine(location: location, city: city))
        }
    }

    /// Where the dataset lives: `DISCLOSURE_DATASET`, else workspace.json's `dataset`, else the
    /// embedded SQLite file. A malformed address is a configuration error (exit 2). Read once per
    /// process, as the dataset it names is opened once.
    public func datasetSetting() throws -> DatasetSetting {
        try cached(\.datasetSetting) { try readDatasetSetting() }
    }

    private func readDatasetSetting() throws -> DatasetSetting {
        let settings = try settings()
        let environment = ProcessInfo.processInfo.environment
        let fromEnvironment = environment["DISCLOSURE_DATASET"].flatMap { $0.isEmpty ? nil : $0 }
        guard let text = fromEnvironment ?? settings.dataset, text != "sqlite" else { return .embedded }
        func refuse(_ message: String) -> any Error {
            fromEnvironment != nil ? UsageError("环境变量 DISCLOSURE_DATASET：" + message) : ConfigError(file: Config.settings, message: message)
        }
        guard PostgresLocation.names(text) else {
            throw refuse("dataset 应为 \"sqlite\" 或 postgresql://用户名@主机:端口/数据库")
        }
        do {
            let location = try PostgresLocation(text, defaultUser: environment["PGUSER"] ?? environment["USER"] ?? NSUserName())
            let key = settings.cityCode ?? settings.city
            return .postgres(location, PostgresEngine.City(key: key, name: settings.city, province: settings.province ?? ""))
        } catch {
            throw refuse(error.description)
        }
    }
}

/// Where a workspace's dataset lives.
public enum DatasetSetting: Sendable {
    /// `state/disclosure.sqlite` (the default).
    case embedded
    /// A city's schema in a PostgreSQL database.
    case postgres(PostgresLocation, PostgresEngine.City)
}

/// The names of config/'s files, as the layout gives them.
private typealias Config = WorkspaceLayout.Config

extension Optional {
    /// The value, leaving nil behind.
    mutating func take() -> Wrapped? {
        defer { self = nil }
        return self
    }
}
