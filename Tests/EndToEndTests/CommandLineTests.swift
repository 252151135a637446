import Foundation
import Testing

/// The executable speaks the staff's language to the end, and its commands take their subject alike.
struct CommandLineTests {
    @Test func aUsageMistakeIsToldInChineseWithExitStatus2() throws {
        let missing = try Harness.disclosure(["run"])
        #expect(missing.status == 2)
        #expect(missing.stderr.hasPrefix("用法错误：缺少必需的参数 --year"), "\(missing.stderr)")
        #expect(missing.stderr.contains("用法：disclosure run") && !missing.stderr.contains("Error:") && !missing.stderr.contains("Usage:"))
        let invalid = try Harness.disclosure(["status", "--year", "二〇一六"])
        #expect(invalid.status == 2 && invalid.stderr.hasPrefix("用法错误：--year <year> 的值“二〇一六”无效"), "\(invalid.stderr)")
        let unknown = try Harness.disclosure(["run", "--year", "2016", "--fast"])
        #expect(unknown.status == 2 && unknown.stderr.hasPrefix("用法错误：不认识的选项 --fast"), "\(unknown.stderr)")
        let help = try Harness.disclosure(["--help"])
        #expect(help.status == 0 && help.stdout.contains("子命令：") && help.stdout.contains("用法：") && !help.stdout.contains("SUBCOMMANDS"))
    }

    @Test func diffTakesItsSubjectAsExplainDoes() throws {
        let ws = try Harness.workspace()
        #expect(try Harness.disclosure(["run", "--workspace", ws.path, "--year", "2016"]).status == 0)
        let positional = try Harness.disclosure(["diff", "--workspace", ws.path, "--year", "2016", "盂县"])
        let option = try Harness.disclosure(["diff", "--workspace", ws.path, "--year", "2016", "--submitter", "盂县"])
        #expect(positional.status == 0 && positional.stdout == option.stdout, "\(positional.stderr)")
        #expect(positional.stdout.contains("盂县"))
        let none = try Harness.disclosure(["diff", "--workspace", ws.path, "--year", "2016"])
        #expect(none.status == 2 && none.stderr.contains("请指明报送单位"), "\(none.stderr)")
    }
}
