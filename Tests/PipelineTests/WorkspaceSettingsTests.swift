import Foundation
import TestSupport
import Testing
@testable import Core
@testable import Extract
@testable import Pipeline

/// config/workspace.json's inbox settings as a clerk may write them: a number out of range is a
/// configuration error naming the setting and its value, never a crash or a number that wraps.
struct WorkspaceSettingsTests {
    func limits(_ inbox: String) throws -> Result<InboxLimits, ConfigError> {
        let root = Scratch.directory.appendingPathComponent("settings-\(UUID().uuidString)")
        try Workspace.create(at: root)
        try Data(#"{"city":"阳泉市","inbox":\#(inbox)}"#.utf8).write(to: root.appendingPathComponent("config/workspace.json"))
        do { return .success(try Workspace(root: root, year: 2022).inboxLimits()) } catch { return .failure(error) }
    }

    @Test func settingsInRangeAreTaken() throws {
        let limits = try limits(#"{"maxFileMB": 1048576, "settleSeconds": 0, "waitSeconds": 86400}"#).get()
        #expect(limits.maximumFileBytes == 1 << 40 && limits.settleSeconds == 0 && limits.waitSeconds == 86_400)
    }

    @Test func numbersOutOfRangeAreConfigurationErrorsNamingTheSetting() throws {
        let cases = [
            (#"{"maxFileMB": 0}"#, "inbox.maxFileMB"),
            // Shifted into bytes it would wrap: every file would have been "too large".
            (#"{"maxFileMB": 99999999999999}"#, "99999999999999"),
            (#"{"settleSeconds": -5}"#, "inbox.settleSeconds"),
            // Printed as whole seconds in the waiting message, it trapped the run.
            (#"{"settleSeconds": 1e308}"#, "inbox.settleSeconds"),
            (#"{"waitSeconds": 1e300}"#, "inbox.waitSeconds"),
        ]
        for (inbox, named) in cases {
            switch try limits(inbox) {
            case .success: Issue.record("\(inbox) was taken")
            case .failure(let error): #expect(error.file == "workspace.json" && error.message.contains(named), "\(inbox): \(error)")
            }
        }
    }
}
