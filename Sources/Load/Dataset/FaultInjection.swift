import Foundation
import Store

/// A test hook: with `DISCLOSURE_FAULT=pause-in-<step>:<seconds>` the process stops at that step
/// (inside the load transaction for `load`), after creating the file named by
/// `DISCLOSURE_FAULT_READY`, so a test can kill it there or run a second process against it.
/// Unset, it does nothing.
enum FaultInjection {
    static func pauseIfAsked(at step: String) {
        let env = ProcessInfo.processInfo.environment
        guard let fault = env["DISCLOSURE_FAULT"], fault.hasPrefix("pause-in-\(step)") else { return }
        let seconds = Double(fault.split(separator: ":").last.map(String.init) ?? "") ?? 30
        if let ready = env["DISCLOSURE_FAULT_READY"] { try? FileIO.write([], to: ready) }
        Thread.sleep(forTimeInterval: seconds)
    }
}
