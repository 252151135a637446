import ArgumentParser
import Foundation
import Extract
import Load
import Transform

@main
struct Main {
    static func main() {
        do {
            var command = try Disclosure.parseAsRoot()
            try command.run()
        } catch let code as ExitCode {
            exit(code.rawValue)
        } catch let problem as ConfigProblem {
            FileHandle.standardError.write(Data("配置错误：\(problem)\n".utf8))
            exit(2)
        } catch let problem as UsageProblem {
            FileHandle.standardError.write(Data("用法错误：\(problem)\n".utf8))
            exit(2)
        } catch let failure as WorkspaceLock.Failure {
            FileHandle.standardError.write(Data("另一个 disclosure 进程正在使用该工作区（state/lock），本次未运行。如需排队等待，请加 --wait。\n".utf8))
            exit(failure.isHeld ? 3 : 2)
        } catch {
            let code = Disclosure.exitCode(for: error)
            if code == .success {
                print(Disclosure.fullMessage(for: error))
                exit(0)
            }
            if code.rawValue == 64 {
                FileHandle.standardError.write(Data((Disclosure.fullMessage(for: error) + "\n").utf8))
                exit(2)
            }
            // Anything else is a bug (interface.md): say so, and what to send.
            FileHandle.standardError.write(Data("内部错误，本次运行未完成（已载入的数据不受影响）：请把这条消息和 state/logs/ 下的日志发给维护人员。\n\(error)\n".utf8))
            exit(70)
        }
    }
}

struct Disclosure: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "disclosure",
        abstract: "汇总各县（区）和部门报送的政府信息公开统计数据，生成全市年度报告。",
        subcommands: [Init.self, ExtractCommand.self, TransformCommand.self, LoadCommand.self, ReportCommand.self,
                      RunCommand.self, Status.self, Explain.self, Diff.self])
}

/// Options every stage command takes.
struct StageOptions: ParsableArguments {
    @Option(help: "工作区目录（默认：DISCLOSURE_WORKSPACE 或当前目录）") var workspace: String?
    @Option(help: "报告年度") var year: Int
    @Option(help: "只处理这个报送单位（名称、简称或代码）") var submitter: String?
    @Flag(help: "另一进程占用工作区时等待，而不是以状态 3 退出") var wait = false

    func pipeline() -> Pipeline { Pipeline(workspace: Workspace(root: Workspace.locate(workspace), year: year)) }

    /// Runs `body` holding the workspace lock, records the run, prints the summary, exits 0 or 1.
    func run(_ command: String, _ body: (Pipeline, String?) throws -> String) throws {
        Trace.install()
        Trace.mark("start")
        let pipeline = pipeline()
        let lock = try WorkspaceLock(state: pipeline.workspace.state, wait: wait)
        defer { withExtendedLifetime(lock) {} }
        Trace.mark("open.lock")
        pipeline.workspace.warmUp()
        let who = try pipeline.submitter(submitter)
        Trace.mark("open.registry")
        let dataset = try pipeline.workspace.dataset()
        Trace.mark("open.dataset")
        let runID = try dataset.beginRun(year: year, command: command, submitter: who)
        Trace.mark("open")
        let said = try body(pipeline, who)
        try BackgroundWrites.finish()
        Trace.mark("finish-writes")
        let (status, summary) = try pipeline.outcome()
        try dataset.finishRun(runID, exitCode: status, summary: summary)
        Trace.mark("summary")
        FileHandle.standardError.write(Data(("disclosure \(command)：" + said + "\n" + summary + "\n").utf8))
        if status != 0 { throw ExitCode(status) }
    }
}

extension WorkspaceLock.Failure {
    var isHeld: Bool { if case .held = self { true } else { false } }
}
