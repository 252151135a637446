import ArgumentParser
import Foundation

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "新建工作区，写入默认配置（阳泉市，2016 年表单）。")

    @Argument(help: "新工作区目录") var directory: String

    func run() throws {
        let target = URL(fileURLWithPath: directory).standardizedFileURL
        let fm = FileManager.default
        if fm.fileExists(atPath: target.appendingPathComponent("config").path) {
            throw UsageProblem("\(target.path) 已有 config/，未覆盖。请换一个目录，或手动更新配置。")
        }
        guard let defaults = Bundle.module.url(forResource: "Defaults", withExtension: nil) else {
            throw UsageProblem("找不到随程序发布的默认配置（Defaults）")
        }
        try fm.createDirectory(at: target, withIntermediateDirectories: true)
        try fm.copyItem(at: defaults.appendingPathComponent("config"), to: target.appendingPathComponent("config"))
        for dir in ["inbox", "out", "state"] {
            try fm.createDirectory(at: target.appendingPathComponent(dir), withIntermediateDirectories: true)
        }
        print("已创建工作区 \(target.path)：把报送文件放到 inbox/<年度>/<报送单位>/ 下，然后运行 disclosure run --year <年度>。")
    }
}
