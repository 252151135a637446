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
        // Every offset the archive declares is checked against its bytes before the ZIP library
        // seeks to it (its in-memory reader traps on a seek past the end).
        guard Self.offsetsInside(bytes) else { throw .unreadable }
        let archive: Archive
        do { archive = try Archive(data: Data(bytes), accessMode: .read, pathEncoding: nil) } catch { throw .unreadable }
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

    /// True when the end record, the central directory and every entry's local header and data
    /// lie inside `b` (ZIP64 sizes and offsets read from their extra fields).
    static func offsetsInside(_ b: [UInt8]) -> Bool {
        func u16(_ i: Int) -> Int { i + 2 <= b.count ? Int(b[i]) | Int(b[i + 1]) << 8 : -1 }
        func u32(_ i: Int) -> Int { i + 4 <= b.count ? u16(i) | u16(i + 2) << 16 : -1 }
        func u64(_ i: Int) -> Int {
            guard i + 8 <= b.count else { return -1 }
            let high = u32(i + 4)
            return high > 0x7FFF ? -1 : u32(i) | high << 32
        }
        guard b.count >= 22 else { return false }
        var end = -1
        var i = b.count - 22
        while i >= max(0, b.count - 22 - 65_535) {
            if u32(i) == 0x0605_4B50 { end = i; break }
            i -= 1
        }
        guard end >= 0 else { return false }
        var count = u16(end + 10), size = u32(end + 12), offset = u32(end + 16)
        if count == 0xFFFF || size == 0xFFFF_FFFF || offset == 0xFFFF_FFFF {
            // ZIP64: the locator just before the end record names the ZIP64 end record.
            let locator = end - 20
            guard locator >= 0, u32(locator) == 0x0706_4B50 else { return false }
            let record = u64(locator + 8)
            guard record >= 0, record + 56 <= b.count, u32(record) == 0x0606_4B50 else { return false }
            count = u64(record + 32); size = u64(record + 40); offset = u64(record + 48)
        }
        guard count >= 0, size >= 0, offset >= 0, offset + size <= b.count else { return false }
        var at = offset
        for _ in 0..<count {
            guard u32(at) == 0x0201_4B50 else { return false }
            var compressed = u32(at + 20), uncompressed = u32(at + 24), local = u32(at + 42)
            let nameLength = u16(at + 28), extraLength = u16(at + 30), commentLength = u16(at + 32)
            guard nameLength >= 0, extraLength >= 0, commentLength >= 0 else { return false }
            // ZIP64 extra field: the 64-bit values of those written as 0xFFFFFFFF, in this order.
            var extra = at + 46 + nameLength
            let extraEnd = extra + extraLength
            while extra + 4 <= extraEnd {
                let id = u16(extra), length = u16(extra + 2)
                if id == 0x0001 {
                    var field = extra + 4
                    if uncompressed == 0xFFFF_FFFF { uncompressed = u64(field); field += 8 }
                    if compressed == 0xFFFF_FFFF { compressed = u64(field); field += 8 }
                    if local == 0xFFFF_FFFF { local = u64(field) }
                }
                extra += 4 + max(length, 0)
            }
            guard compressed >= 0, uncompressed >= 0, local >= 0, local + 30 <= b.count, u32(local) == 0x0403_4B50 else { return false }
            let data = local + 30 + u16(local + 26) + u16(local + 28)
            guard data + compressed <= b.count else { return false }
            at = extraEnd + commentLength
            guard at <= offset + size else { return false }
        }
        return true
    }

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

    /// The entry inflated (see ``read(_:)``), a problem as an ``OfficeProblem``.
    func part(_ name: String) throws(OfficeProblem) -> [UInt8] {
        do { return try read(name) } catch { throw .zip(error) }
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
