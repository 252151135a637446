import ArgumentParser
import Foundation
import Pipeline

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "init", abstract: "新建工作区，写入默认配置（阳泉市；2016 年表单和 2019、2021 年国家格式）。")

    @Argument(help: "新工作区目录") var directory: String

    func run() throws {
        let target = URL(fileURLWithPath: directory).standardizedFileURL
        try Workspace.create(at: target)
        print("已创建工作区 \(target.path)：把报送文件放到 inbox/<年度>/<报送单位>/ 下，然后运行 disclosure run --year <年度>。")
    }
}
