import Core
import Extract
import Foundation
import Load
import Store

extension Pipeline {
    var databasePath: String { workspace.layout.database }

    /// The years whose staged data the workspace holds.
    var stagedYears: [Int] { workspace.layout.stagedYears }

    /// Rebuilds the dataset when its file is missing or empty but staged data remains (it was
    /// deleted, or truncated: SQLite would silently start an empty one); nil when it is there.
    ///
    /// A city's schema in a shared PostgreSQL dataset that holds nothing yet while staged data
    /// remains (the workspace has just been moved onto the server) is filled the same way, so
    /// the versions received so far go with it.
    func recoverIfLost() throws -> String? {
        if !embedded {
            guard !stagedYears.isEmpty, try workspace.dataset().isEmpty() else { return nil }
            return try recover(because: "共享数据集（PostgreSQL）中还没有本市的数据")
        }
        guard lost else { return nil }
        return try recover(because: FileIO.status(databasePath) == nil ? "数据库文件不存在" : "数据库文件为空（0 字节）")
    }

    /// Moves the damaged database aside under `state/damaged/` (kept, never deleted) and rebuilds
    /// it from what the workspace holds: every year's staged files, each submitter's versions in
    /// the order its files arrived. Returns the message for the staff.
    func recover(because reason: String) throws -> String {
        // The server's connection (and the city's hold on it) stays; a damaged file is set aside.
        var moved: String?
        if embedded {
            workspace.forgetDataset()
            let stamp = Timestamp.iso(Date().timeIntervalSince1970).replacingOccurrences(of: ":", with: "")
            moved = try Dataset.moveAside(databasePath, into: workspace.layout.damaged, stamp: stamp)
        }
        var versions = 0, submitters = Set<String>()
        let years = stagedYears
        for year in years {
            let ws = year == self.year ? workspace : Workspace(root: workspace.root, year: year)
            let extract = try ws.extractStage(logger: logger).stored()
            let transform = ws.transformStage(logger: logger)
            let history = try transform.history(extract)
            let load = try ws.loadStage(logger: logger)
            try load.loadHistory(history)
            let outcome = try load.reload(try transform.stored(after: extract))
            versions += history.count + outcome.loaded.count
            submitters.formUnion(outcome.loaded.map { "\(year)/\($0.submitter)" })
            if embedded { ws.forgetDataset() }
        }
        if embedded { workspace.forgetDataset() }
        let message = "注意：\(reason)。"
            + (moved.map { "原文件已移到 state/damaged/\(($0 as NSString).lastPathComponent)，未删除；" } ?? "")
            + "已根据收件箱中保存的文件重建数据库：\(years.count) 个年度、\(submitters.count) 个单位、\(versions) 个版本（版本按各单位文件的到达顺序重建；已不在收件箱中的文件和以往的运行记录无法恢复）。"
        logger.warning("\(message)")
        return message
    }
}

extension Pipeline {
    /// What a read-only command printed, and what happened to the dataset first, if anything.
    public struct QueryResult<Value: Sendable>: Sendable {
        /// The command's own answer (printed on stdout: scripts read it).
        public var value: Value
        /// A recovery of the dataset, in words (for stderr).
        public var notice: String?
    }

    /// Runs a read-only command: without the lock while the dataset is sound; a dataset that is
    /// lost or damaged is first rebuilt under the lock (see ``recover(because:)``).
    public func query<Value: Sendable>(_ body: (Pipeline) throws -> Value) throws -> QueryResult<Value> {
        try workspace.check()
        func exclusively(_ repair: () throws -> String?) throws -> String? {
            let lock = try WorkspaceLock(workspace.layout, wait: true)
            defer { withExtendedLifetime(lock) {} }
            return try repair()
        }
        var note: String?
        do {
            if lost { note = try exclusively { try recoverIfLost() } }
            if !sealIsCurrent { try workspace.dataset().verify() }
            return QueryResult(value: try body(self), notice: note)
        } catch where Dataset.isDamage(error) {
            note = try exclusively { try recover(because: "SQLite 报告数据库文件已损坏（\(error)）") }
            return QueryResult(value: try body(self), notice: note)
        }
    }

    var sealPath: String { workspace.layout.seal }

    /// The dataset is the embedded file (the checks below are of that file; a server keeps its own).
    var embedded: Bool {
        guard case .postgres = try? workspace.datasetSetting() else { return true }
        return false
    }

    /// The dataset file is as the last run left it (a server's dataset always counts as such).
    var sealIsCurrent: Bool {
        guard embedded else { return true }
        let sealed = (try? FileIO.read(sealPath)).map { String(decoding: $0, as: UTF8.self) }
        return sealed != nil && sealed == Dataset.stamp(databasePath)
    }

    /// The dataset file is missing or empty while staged data remains.
    var lost: Bool {
        guard embedded else { return false }
        let status = FileIO.status(databasePath)
        return (status == nil || status!.size == 0) && !stagedYears.isEmpty
    }
}
