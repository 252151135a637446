import Extract
import Foundation
import Logging

/// Appends log lines to `state/logs/<year>.log`.
struct FileLogHandler: LogHandler {
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info
    let label: String
    let handle: FileHandle?

    init(label: String, path: URL) {
        self.label = label
        try? FileManager.default.createDirectory(at: path.deletingLastPathComponent(), withIntermediateDirectories: true)
        if !FileManager.default.fileExists(atPath: path.path) { _ = FileManager.default.createFile(atPath: path.path, contents: nil) }
        handle = try? FileHandle(forWritingTo: path)
        _ = try? handle?.seekToEnd()
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let stamp = Timestamp.now()
        handle?.write(Data("\(stamp) \(event.level) \(event.message)\n".utf8))
    }
}
