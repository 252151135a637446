import Foundation
import ZIPFoundation

/// An Office file's ZIP container read in memory (nothing is ever extracted to disk, and no
/// entry name is ever used as a path), with what it may cost bounded before and while it is
/// inflated: a zip bomb, a forged size or a damaged archive is a ``ZipProblem``.
struct ZipPackage {
    struct Limits {
        var entries = 5_000
        /// Bytes all entries together may inflate to.
        var total = 512 << 20
        /// Bytes one entry may inflate to.
        var entry = 256 << 20
        /// Inflated bytes per compressed byte, for an entry over 1 MB inflated.
        var ratio = 200
    }

    enum ZipProblem: Error, Equatable {
        /// Not a ZIP archive at all, or cut short (no central directory).
        case unreadable
        case tooManyEntries(Int)
        case tooLarge(entry: String, declared: UInt64)
        case ratio(entry: String, ratio: Int)
        /// The entry's data is damaged, or inflates to more than its header says.
        case damaged(entry: String)
        case missing(entry: String)
    }

    private let archive: Archive
    private let byName: [String: Entry]
    let limits: Limits

    init(bytes: [UInt8], limits: Limits = Limits()) throws(ZipProblem) {
        guard let archive = try? Archive(data: Data(bytes), accessMode: .read) else { throw .unreadable }
        var byName: [String: Entry] = [:]
        var total: UInt64 = 0
        var count = 0
        for entry in archive {
            count += 1
            if count > limits.entries { throw .tooManyEntries(count) }
            let size = entry.uncompressedSize
            if size > UInt64(limits.entry) { throw .tooLarge(entry: entry.path, declared: size) }
            total += size
            if total > UInt64(limits.total) { throw .tooLarge(entry: entry.path, declared: total) }
            if size > 1 << 20 {
                let ratio = Int(size / max(entry.compressedSize, 1))
                if ratio > limits.ratio { throw .ratio(entry: entry.path, ratio: ratio) }
            }
            byName[entry.path] = entry
        }
        if count == 0 { throw .unreadable }
        self.archive = archive
        self.byName = byName
        self.limits = limits
    }

    var names: [String] { byName.keys.sorted() }

    func contains(_ name: String) -> Bool { byName[name] != nil }

    /// The entry inflated, never past the size its header declares (a forged header is damage).
    func read(_ name: String) throws(ZipProblem) -> [UInt8] {
        guard let entry = byName[name] else { throw .missing(entry: name) }
        let declared = Int(entry.uncompressedSize)
        var out: [UInt8] = []
        out.reserveCapacity(min(declared, limits.entry))
        struct Overflow: Error {}
        do {
            _ = try archive.extract(entry, bufferSize: 64 << 10, skipCRC32: false) { chunk in
                if out.count + chunk.count > declared { throw Overflow() }
                out.append(contentsOf: chunk)
            }
        } catch {
            throw .damaged(entry: name)
        }
        guard out.count == declared else { throw .damaged(entry: name) }
        return out
    }

    /// What a clerk reads about a problem, naming the entry.
    static func message(_ problem: ZipProblem, kind: String) -> String {
        switch problem {
        case .unreadable:
            "这个\(kind)无法打开（压缩结构不完整，可能在传输中被截断或已损坏）：请重新保存后报送。"
        case .tooManyEntries(let n):
            "这个\(kind)内含超过 \(n - 1) 个部件，正常的文件不会如此，出于安全原因未读取：请重新保存后报送。"
        case .tooLarge(let entry, let size):
            "这个\(kind)的部件“\(entry)”声明解压后有 \(size >> 20) MB，超过上限，出于安全原因未解压：请确认文件内容后重新保存报送。"
        case .ratio(let entry, let ratio):
            "这个\(kind)的部件“\(entry)”压缩比达 \(ratio):1（疑似“压缩炸弹”），出于安全原因未解压：请确认文件来源后重新保存报送。"
        case .damaged(let entry):
            "这个\(kind)的部件“\(entry)”已损坏（数据与其声明的大小或校验不符）：请重新保存后报送。"
        case .missing(let entry):
            "这个\(kind)缺少必需的部件“\(entry)”，可能不是 Office 文件或已损坏：请用 Excel/WPS/Word 重新保存后报送。"
        }
    }
}
