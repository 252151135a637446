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
        if !FileManager.default.fileExists(atPath: path.path) { FileManager.default.createFile(atPath: path.path, contents: nil) }
        handle = try? FileHandle(forWritingTo: path)
        _ = try? handle?.seekToEnd()
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String, file: String, function: String, line: UInt) {
        let stamp = ISO8601DateFormatter().string(from: Date())
        handle?.write(Data("\(stamp) \(level) \(message)\n".utf8))
    }
}
