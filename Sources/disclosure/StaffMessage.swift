import ArgumentParser
import Core
import Load
import Pipeline
import Store

/// The one place an error becomes what the staff read and the exit status scripts act on
/// (interface.md): 2 bad usage or configuration (a dataset address or login refused), 3 the
/// workspace is held, 4 a write failed (a dataset server unreachable, gone or full),
/// 70 anything else, which is a bug.
enum StaffMessage {
    static func render(_ error: any Error) -> (message: String?, status: Int32) {
        switch error {
        case let problem as ConfigError:
            return ("配置错误：\(problem)", 2)
        case let problem as UsageError:
            return ("用法错误：\(problem)", 2)
        case LockError.held:
            return ("另一个 disclosure 进程正在使用该工作区（state/lock），本次未运行。如需排队等待，请加 --wait。", 3)
        case LockError.cityHeld(let city):
            return ("另一个 disclosure 进程（可能在另一台机器上）正在向共享数据集装载\(city)的数据，本次未运行。如需排队等待，请加 --wait。", 3)
        case LockError.cannotOpen(let path):
            return ("无法打开工作区的锁文件 \(path)：请确认工作区存在且可写。", 2)
        case DatasetError.setting(let why), DatasetError.refused(let why):
            return ("数据集错误：\(why)", 2)
        case DatasetError.unreachable(let why), DatasetError.writeFailed(let why):
            return ("数据集错误：\(why)", 4)
        case let failure as FileError:
            return ("无法写入 \(failure.path)：\(failure.reason)。上一次的输出保持不变。", 4)
        default:
            let code = Disclosure.exitCode(for: error)
            if code == .success { return (UsageText.help(Disclosure.fullMessage(for: error)), 0) }
            if code.rawValue == 64 { return (UsageText.error(Disclosure.fullMessage(for: error)), 2) }
            return ("内部错误，本次运行未完成：请把这条消息和 state/logs/ 下的日志发给维护人员。\n\(error)", 70)
        }
    }
}
