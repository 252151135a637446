import Foundation
import Extract

/// With DISCLOSURE_TRACE=1, each step's wall time goes to stderr (for profiling runs by hand).
enum Trace {
    nonisolated(unsafe) static var last = DispatchTime.now().uptimeNanoseconds
    static let enabled = ProcessInfo.processInfo.environment["DISCLOSURE_TRACE"] == "1"

    static func install() {
        if enabled { Tracing.mark = { mark($0) } }
    }

    static func mark(_ step: String) {
        guard enabled else { return }
        let before = last
        let now = DispatchTime.now().uptimeNanoseconds
        FileHandle.standardError.write(Data("[trace] \(step): \(Double(now &- before) / 1e6) ms\n".utf8))
        last = now
    }
}
