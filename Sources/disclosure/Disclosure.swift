import ArgumentParser
import Foundation
import PDFWorker
import Pipeline

@main
struct Main {
    static func main() {
        // Started by a run to lay out a PDF: the worker, never a command.
        if CommandLine.arguments.count > 1, CommandLine.arguments[1] == PDFWorker.argument {
            exit(PDFWorker.main(arguments: Array(CommandLine.arguments.dropFirst(2))))
        }
        do {
            var command = try Disclosure.parseAsRoot()
            try command.run()
        } catch let code as ExitCode {
            exit(code.rawValue)
        } catch {
            let (message, status) = StaffMessage.render(error)
            if let message {
                // Help asked for goes to standard output; every problem to standard error.
                if status == 0 { print(message) } else { FileHandle.standardError.write(Data((message + "\n").utf8)) }
            }
            exit(status)
        }
    }
}

struct Disclosure: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "disclosure",
        abstract: "汇总各县（区）和部门报送的政府信息公开统计数据，生成全市年度报告。",
        subcommands: [Init.self, ExtractCommand.self, TransformCommand.self, LoadCommand.self, ReportCommand.self,
                      RunCommand.self, Status.self, Explain.self, Diff.self, Serve.self])
}

/// Where a command works: the workspace and the report year.
struct Place: ParsableArguments {
    @Option(help: "工作区目录（默认：DISCLOSURE_WORKSPACE 或当前目录）") var workspace: String?
    @Option(help: "报告年度") var year: Int

    func pipeline() -> Pipeline { Pipeline(workspace: Workspace(root: Workspace.locate(workspace), year: year)) }
}

/// Options every stage command takes.
struct StageOptions: ParsableArguments {
    @OptionGroup var place: Place
    @Option(help: "只处理这个报送单位（名称、简称或代码）") var submitter: String?
    @Flag(help: "另一进程占用工作区时等待，而不是以状态 3 退出") var wait = false

    /// Runs `body` as a session of the pipeline, prints what it did and the year's summary, and
    /// exits 1 when the year has error findings.
    func session(_ command: String, _ body: (Pipeline, String?) throws -> String) throws {
        let result = try place.pipeline().session(command, submitter: submitter, wait: wait, body)
        FileHandle.standardError.write(Data(("disclosure \(command)：" + result.said + "\n" + result.summary + "\n").utf8))
        if result.status != 0 { throw ExitCode(result.status) }
    }
}
