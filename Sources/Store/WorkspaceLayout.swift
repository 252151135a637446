import Core

/// Where everything lives in a workspace: the one owner of its layout. Every stage, the recovery,
/// the commands and the server ask it for a path; nothing else spells one.
///
/// ```
/// config/                    data the staff edit (workspace.json, submitters.csv, forms/, …)
/// inbox/<year>/<submitter>/  what arrived, as it arrived
/// out/<year>/                the outputs; out/.<year>.prev/ one version back
/// state/                     the dataset, its seal, the lock, logs/, staging/, transform/, report/, spare/, damaged/
/// ```
public struct WorkspaceLayout: Sendable, Hashable {
    /// The workspace's folder, absolute, without a trailing slash.
    public let root: String

    public init(root: String) {
        var root = root
        while root.count > 1 && root.hasSuffix("/") { root.removeLast() }
        self.root = root
    }

    // MARK: config/

    /// The names of config/'s files and folders, as messages and readers name them.
    public enum Config {
        public static let settings = "workspace.json"
        public static let registry = "submitters.csv"
        public static let aliases = "aliases.csv"
        public static let categoryMap = "category-map.csv"
        public static let forms = "forms"
        public static let xmlProfiles = "xml-profiles"
        public static func template(_ name: String) -> String { "templates/" + name }
        /// A year's report settings and narrative (`key` a year), or a form's defaults (`key` its id).
        public static func report(_ key: String) -> String { "report/" + key }
        public static func reportSettings(_ key: String) -> String { report(key) + "/settings.json" }
    }

    public var config: String { root + "/config" }
    /// A file or folder of config/, by its name there ("submitters.csv", "forms", "report/2022").
    public func config(_ name: String) -> String { config + "/" + name }

    /// The name a config file is known by in messages ("report/2022/settings.json").
    public func configName(_ path: String) -> String {
        path.hasPrefix(config + "/") ? String(path.dropFirst(config.count + 1)) : path
    }

    // MARK: inbox/

    public var inbox: String { root + "/inbox" }
    public func inbox(year: Int) -> String { inbox + "/\(year)" }
    /// The prefix every inbox file's path is written with in the outputs ("inbox/2016/").
    public static func inboxPrefix(year: Int) -> String { "inbox/\(year)/" }

    // MARK: out/

    public var out: String { root + "/out" }
    public func out(year: Int) -> String { out + "/\(year)" }
    public func output(_ name: String, year: Int) -> String { out(year: year) + "/" + name }
    public func report(year: Int) -> String { output("report.md", year: year) }

    // MARK: state/

    public var state: String { root + "/state" }
    public var database: String { state + "/disclosure.sqlite" }
    /// The dataset's size, time and inode as the last run left them.
    public var seal: String { state + "/disclosure.seal" }
    public var lock: String { state + "/lock" }
    public var damaged: String { state + "/damaged" }
    /// Spare files whose blocks a large output reuses.
    public var spare: String { state + "/spare" }
    public func log(year: Int) -> String { state + "/logs/\(year).log" }
    public var stagingRoot: String { state + "/staging" }
    public func staging(year: Int) -> String { stagingRoot + "/\(year)" }
    /// The extract index: each inbox file's size, time, hash and submitter.
    public func stagingIndex(year: Int) -> String { staging(year: year) + "/index.tsv" }
    /// The inbox folders' listings as the last full scan saw them.
    public func folderListings(year: Int) -> String { staging(year: year) + "/folders.tsv" }
    public var transformRoot: String { state + "/transform" }
    public func transform(year: Int) -> String { transformRoot + "/\(year)" }
    /// The transform index: each submitter's files' hashes and its result's digest.
    public func transformIndex(year: Int) -> String { transform(year: year) + "/index.tsv" }
    public var reportState: String { state + "/report" }
    /// What the last report of the year wrote (sizes and times of its outputs).
    public func reportManifest(year: Int) -> String { reportState + "/\(year).tsv" }
    /// The journal of the last swap of out/<year>/.
    public func swapJournal(year: Int) -> String { reportState + "/swap-\(year).txt" }
    /// Each submitter's rendered rows.
    public func reportParts(year: Int) -> String { reportState + "/\(year).parts" }

    /// The clerks' marks on the year's findings (made on the `serve` page).
    public func reviews(year: Int) -> String { state + "/reviews/\(year).json" }
    /// The `serve` page's password, hashed.
    public var servePassword: String { state + "/serve-password" }
    /// Where an upload is written whole before it is renamed into the inbox.
    public var uploads: String { state + "/uploads" }

    /// The years whose staged files are kept (state/staging/<year>/ holding an index).
    public var stagedYears: [Int] {
        FileIO.list(stagingRoot).compactMap(Int.init).filter { FileIO.status(stagingIndex(year: $0)) != nil }.sorted()
    }

    /// The folders a run may leave temporary files in when it is cut short.
    public var temporaryFolders: [String] {
        var dirs = [state, spare, reportState, uploads, state + "/reviews"]
        for y in FileIO.list(stagingRoot) { dirs.append(stagingRoot + "/" + y) }
        for y in FileIO.list(transformRoot) { dirs.append(transformRoot + "/" + y) }
        for y in FileIO.list(out) { dirs += [out + "/" + y, out + "/" + y + "/feedback"] }
        return dirs
    }
}

/// The configuration read in one place: every file of config/ a stage, the report or the server
/// uses comes through here, and a missing or mis-encoded one is a ``ConfigError`` naming it.
extension WorkspaceLayout {
    /// A file of config/ by its name there; nil when it is not there.
    public func configFile(_ name: String) -> ConfigDocument? {
        (try? FileIO.read(config(name))).map { ConfigDocument(name: name, bytes: $0) }
    }

    /// A file of config/ that must be there.
    public func readConfig(_ name: String) throws(ConfigError) -> ConfigDocument {
        guard let file = configFile(name) else { throw .missing(name) }
        return file
    }

    /// The files of a folder of config/ ending in `suffix`, in name order; none when the folder is not there.
    public func configFiles(in folder: String, suffix: String) -> [ConfigDocument] {
        FileIO.list(config(folder)).filter { $0.hasSuffix(suffix) && !$0.hasPrefix(".") }
            .compactMap { configFile(folder + "/" + $0) }
    }

    /// True when config/ holds this file or folder.
    public func hasConfig(_ name: String) -> Bool { FileIO.status(config(name)) != nil }
}
