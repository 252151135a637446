import Core
import Foundation
import Logging
import Store

/// Appends log lines to `state/logs/<year>.log`, opened at the first line (a command that finds
/// no workspace writes nothing, and creates nothing).
struct FileLogHandler: LogHandler {
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info
    let label: String
    private let file: LogFile

    final class LogFile: @unchecked Sendable {
        let path: String
        private var opened = false
        private let lock = NSLock()

        init(path: String) { self.path = path }

        /// A log that cannot be written costs its lines, never the run.
        func write(_ line: String) {
            lock.withLock {
                if !opened {
                    opened = true
                    if let slash = path.lastIndex(of: "/") { try? FileIO.makeDirectories(String(path[..<slash])) }
                }
                try? FileIO.append(Array(line.utf8), creating: path)
            }
        }
    }

    init(label: String, path: String) {
        self.label = label
        file = LogFile(path: path)
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        guard event.level >= .info else { return }
        file.write("\(Timestamp.now()) \(event.level) \(event.message)\n")
    }
}

/// With DISCLOSURE_TRACE=1: each step the stages mark (`logger.trace("extract.scan")`) goes to
/// stderr with the wall time since the one before, for profiling a run by hand.
struct StepTimeLogHandler: LogHandler {
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace
    private let last = Locked<UInt64>(DispatchTime.now().uptimeNanoseconds)

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        guard event.level == .trace else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        let before = last.update { value in defer { value = now }; return value }
        FileHandle.standardError.write(Data("[trace] \(event.message): \(Double(now &- before) / 1e6) ms, peak \(FileIO.peakResidentBytes >> 20) MB, heap \(FileIO.heapInUseBytes >> 20) MB\n".utf8))
    }
}

/// What a person watching a run should see while it happens (a run waiting for files still being
/// copied in): notices go to stderr as they are logged, in the staff's words.
struct NoticeLogHandler: LogHandler {
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .notice

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        guard event.level == .notice else { return }
        FileHandle.standardError.write(Data("disclosure：\(event.message)\n".utf8))
    }
}
