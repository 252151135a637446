import Core
import CSysCalls
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The read(2) and write(2) of the C library (FileIO's own `read` and `write` shadow them inside it).
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int { read(fd, buffer, count) }
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int { write(fd, buffer, count) }
private func systemRename(_ from: String, _ to: String) -> Int32 { rename(from, to) }
private func systemOpen(_ path: String, _ flags: Int32, _ mode: mode_t) -> Int32 { open(path, flags, mode) }

/// A system call that failed on a file: the path and the errno.
public struct FileError: Error, CustomStringConvertible, Sendable, Equatable {
    public var path: String
    public var code: Int32

    public init(path: String, code: Int32) {
        self.path = path
        self.code = code
    }

    public var description: String { "\(path)：\(String(cString: strerror(code)))" }

    /// The cause in words the staff read.
    public var reason: String {
        switch code {
        case ENOENT: "文件不存在，可能在读取前被移走或改名"
        case EACCES, EPERM: "没有读写权限"
        case EISDIR: "这是一个文件夹"
        case EIO: "磁盘读写错误"
        case ENOMEM: "内存不足"
        case ENOSPC, EDQUOT: "磁盘空间不足"
        case EROFS: "文件系统只读"
        case ENAMETOOLONG: "文件名过长"
        default: "系统错误 \(code)（\(String(cString: strerror(code)))）"
        }
    }
}

/// Plain POSIX file access for the paths that run once per submitted file, where Foundation's
/// per-call overhead (attribute lookups, fsync on every atomic write) dominated the run. Every
/// call goes through ``retrying(_:)`` (EINTR) and every `stat` through ``Status/init(_:)``.
public enum FileIO {
    public struct Status: Sendable, Hashable {
        public var size: Int
        /// Modification time, seconds since 1970, to the nanosecond.
        public var modified: Double
        public var isDirectory: Bool
        public var isRegular: Bool
        public var isLink: Bool
        /// Device and inode: what a file is, whatever path reached it.
        public var identity: Identity

        public struct Identity: Sendable, Hashable {
            public var device: UInt64
            public var inode: UInt64
        }

        init(_ st: stat) {
            let mode = st.st_mode & S_IFMT
            size = Int(st.st_size)
            identity = Identity(device: UInt64(st.st_dev), inode: UInt64(st.st_ino))
            isLink = mode == S_IFLNK
            #if canImport(Darwin)
            modified = Double(st.st_mtimespec.tv_sec) + Double(st.st_mtimespec.tv_nsec) / 1e9
            #else
            modified = Double(st.st_mtim.tv_sec) + Double(st.st_mtim.tv_nsec) / 1e9
            #endif
            isDirectory = mode == S_IFDIR
            isRegular = mode == S_IFREG
        }
    }

    /// Runs a system call again while it is interrupted (EINTR); the result, or the errno.
    static func retrying<R: BinaryInteger>(_ call: () -> R) -> Result<R, Errno> {
        while true {
            let r = call()
            if r >= 0 { return .success(r) }
            if errno != EINTR { return .failure(Errno(code: errno)) }
        }
    }

    struct Errno: Error { var code: Int32 }

    /// Follows symbolic links, so a linked folder or file counts as what it points to.
    public static func status(_ path: String) -> Status? {
        var st = stat()
        guard case .success = retrying({ stat(path, &st) }) else { return nil }
        return Status(st)
    }

    /// The status of `path` relative to the open directory `fd` (links followed).
    public static func status(_ path: String, relativeTo fd: Int32) -> Status? {
        var st = stat()
        guard case .success = retrying({ fstatat(fd, path, &st, 0) }) else { return nil }
        return Status(st)
    }

    /// Opens a directory for lookups relative to it (`status(_:relativeTo:)`); close with `close`.
    public static func openDirectory(_ path: String) -> Int32 {
        (try? retrying { open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }.get()) ?? -1
    }

    public static func closeDirectory(_ fd: Int32) { if fd >= 0 { close(fd) } }

    /// Names in a directory, without "." and "..", sorted bytewise.
    public static func list(_ path: String) -> [String] {
        entries(path, statting: false).map(\.name).sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    }

    /// The entries of a directory with their status (links followed), statted relative to the
    /// open directory so each lookup does not walk the whole path again.
    /// - Parameter keep: when given, only the names it accepts are statted and returned.
    public static func entries(_ path: String, where keep: ((String) -> Bool)? = nil) -> [(name: String, status: Status)] {
        entries(path, statting: true, where: keep).compactMap { e in e.status.map { (e.name, $0) } }
    }

    private static func entries(_ path: String, statting: Bool, where keep: ((String) -> Bool)? = nil) -> [(name: String, status: Status?)] {
        guard let dir = opendir(path) else { return [] }
        defer { closedir(dir) }
        let fd = dirfd(dir)
        var out: [(String, Status?)] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.baseAddress!.assumingMemoryBound(to: CChar.self))
            }
            if name == "." || name == ".." || keep?(name) == false { continue }
            guard statting else { out.append((name, nil)); continue }
            guard let status = status(name, relativeTo: fd) else { continue }
            out.append((name, status))
        }
        return out
    }

    /// A directory entry as the file system spells it: the name's bytes (not necessarily UTF-8)
    /// and its own status, a symbolic link not followed.
    public struct RawEntry: Sendable {
        public var name: [UInt8]
        public var status: Status
    }

    /// The entries of the directory at `path` (bytes, no NUL), without "." and "..", each
    /// `lstat`ed relative to the open directory; an entry that vanished meanwhile is left out.
    /// - Parameter keep: when given, only the names it accepts are statted and returned.
    public static func rawEntries(_ path: [UInt8], where keep: (([UInt8]) -> Bool)? = nil) -> [RawEntry] {
        guard let dir = withCPath(path, { opendir($0) }) else { return [] }
        defer { closedir(dir) }
        let fd = dirfd(dir)
        var names: [[UInt8]] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                Array(raw.prefix { $0 != 0 })
            }
            if name == [0x2E] || name == [0x2E, 0x2E] || keep?(name) == false { continue }
            names.append(name)
        }
        @Sendable func entry(_ name: [UInt8]) -> RawEntry? {
            var st = stat()
            let ok = (name + [0]).withUnsafeBufferPointer { n in
                n.withMemoryRebound(to: CChar.self) { c in
                    if case .success = retrying({ fstatat(fd, c.baseAddress!, &st, Int32(AT_SYMLINK_NOFOLLOW)) }) { return true }
                    return false
                }
            }
            return ok ? RawEntry(name: name, status: Status(st)) : nil
        }
        // A year's inbox holds a folder a submitter, thousands in a province: their status is
        // taken on both cores, a slice of them at a time.
        guard names.count > Self.statSlice * 2 else { return names.compactMap(entry) }
        let slices = stride(from: 0, to: names.count, by: Self.statSlice).map { names[$0..<min($0 + Self.statSlice, names.count)] }
        return parallelMap(slices) { $0.compactMap(entry) }.flatMap { $0 }
    }

    /// Entries a task takes the status of, when a folder's are taken on both cores.
    static let statSlice = 256

    /// The status of what the path (bytes) leads to, links followed.
    public static func status(bytes path: [UInt8]) -> Status? {
        var st = stat()
        guard case .success = withCPath(path, { c in retrying({ stat(c, &st) }) }) else { return nil }
        return Status(st)
    }

    /// The absolute path a path (bytes) resolves to, every link followed; nil when it leads nowhere.
    public static func resolved(bytes path: [UInt8]) -> [UInt8]? {
        withCPath(path) { c in
            guard let r = realpath(c, nil) else { return nil }
            defer { free(r) }
            return Array(UnsafeRawBufferPointer(start: r, count: strlen(r)))
        }
    }

    private static func withCPath<R>(_ path: [UInt8], _ body: (UnsafePointer<CChar>) -> R) -> R {
        (path + [0]).withUnsafeBufferPointer { $0.withMemoryRebound(to: CChar.self) { body($0.baseAddress!) } }
    }

    /// The first `count` bytes of the file at a path given as bytes (fewer if it is shorter).
    public static func head(bytes path: [UInt8], count: Int) throws(FileError) -> [UInt8] {
        try withOpen(bytes: path, O_RDONLY) { fd throws(FileError) in
            var out = [UInt8](repeating: 0, count: count)
            let n = try fill(fd, &out, path: String(decoding: path, as: UTF8.self))
            return Array(out.prefix(n))
        }
    }

    /// What was read of a file and its status when the read ended, so a caller can tell a file
    /// that changed while it was read.
    public struct Contents: Sendable {
        public var bytes: [UInt8]
        /// The status before the read and after it.
        public var before: Status
        public var after: Status
        /// True when the file is larger than the limit: nothing beyond `status` was read.
        public var tooLarge: Bool
    }

    /// Reads the file at a path given as bytes, unless it is larger than `limit` bytes: then
    /// nothing is read. The status is taken on the open descriptor before and after the read.
    public static func read(bytes path: [UInt8], limit: Int) throws(FileError) -> Contents {
        let display = String(decoding: path, as: UTF8.self)
        return try withOpen(bytes: path, O_RDONLY) { fd throws(FileError) in
            var st = stat()
            guard fstat(fd, &st) == 0 else { throw FileError(path: display, code: errno) }
            let before = Status(st)
            guard before.size <= limit else { return Contents(bytes: [], before: before, after: before, tooLarge: true) }
            var failure: Errno?
            let out = [UInt8](unsafeUninitializedCapacity: before.size + 1) { buffer, count in
                switch fill(fd, UnsafeMutableRawBufferPointer(buffer)) {
                case .success(let n): count = n
                case .failure(let e): failure = e
                }
            }
            if let failure { throw FileError(path: display, code: failure.code) }
            var after = stat()
            _ = fstat(fd, &after)
            // A file that grew meanwhile was read only to its size: `after` tells.
            return Contents(bytes: out, before: before, after: Status(after), tooLarge: false)
        }
    }

    /// SHA-256 of the file at a path given as bytes, read a chunk at a time.
    public static func sha256(bytes path: [UInt8]) -> String? {
        try? withOpen(bytes: path, O_RDONLY) { fd throws(FileError) -> String in
            var h = SHA256()
            var chunk = [UInt8](repeating: 0, count: 1 << 20)
            while true {
                let n = try fill(fd, &chunk, path: "")
                if n > 0 { h.update(chunk[0..<n]) }
                if n < chunk.count { return h.finalize() }
            }
        }
    }

    /// A file kept open: read from its start a chunk at a time (a large XML document streamed to
    /// its parser), read at any offset, and, when opened for it, appended to (the spans of
    /// ``ByteChunks`` point into one). Reads at an offset and appends may come from any thread (
    /// neither depends on the file position); reading in sequence is for one thread at a time.
    public final class OpenFile: Sendable {
        let fd: Int32
        public let path: String

        fileprivate init(fd: Int32, path: String) {
            self.fd = fd
            self.path = path
        }

        deinit { close(fd) }

        /// An existing file, for reading only.
        public static func reading(_ path: String) throws(FileError) -> OpenFile {
            try open(path, O_RDONLY)
        }

        /// A new, empty file (what stood at the path is cut to nothing), to be written and read.
        public static func created(_ path: String) throws(FileError) -> OpenFile {
            try open(path, O_RDWR | O_APPEND | O_CREAT | O_TRUNC)
        }

        private static func open(_ path: String, _ flags: Int32) throws(FileError) -> OpenFile {
            switch retrying({ systemOpen(path, flags | O_CLOEXEC, 0o644) }) {
            case .success(let fd): return OpenFile(fd: fd, path: path)
            case .failure(let e): throw FileError(path: path, code: e.code)
            }
        }

        /// The open file's status now.
        public func status() -> Status? {
            var st = stat()
            return fstat(fd, &st) == 0 ? Status(st) : nil
        }

        /// The file's size now.
        public func size() throws(FileError) -> Int {
            guard let status = status() else { throw FileError(path: path, code: errno) }
            return status.size
        }

        /// Reads up to `buffer.count` bytes from the file position: 0 at the end of the file.
        public func read(into buffer: UnsafeMutableRawBufferPointer) throws(FileError) -> Int {
            switch retrying({ systemRead(fd, buffer.baseAddress!, buffer.count) }) {
            case .success(let n): return n
            case .failure(let e): throw FileError(path: path, code: e.code)
            }
        }

        /// Fills `buffer` from `offset`: a file that ends first is an error (EIO), never a short read.
        public func read(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws(FileError) {
            var done = 0
            while done < buffer.count {
                switch retrying({ pread(fd, buffer.baseAddress! + done, buffer.count - done, off_t(offset + done)) }) {
                case .success(0): throw FileError(path: path, code: EIO)
                case .success(let n): done += n
                case .failure(let e): throw FileError(path: path, code: e.code)
                }
            }
        }

        /// Writes the pieces at the end of the file.
        public func append(_ chunks: ByteChunks) throws(FileError) {
            try writeAll(fd, chunks, path: path)
        }
    }

    /// `count` bytes of an open file from `offset`.
    public struct Span: Sendable {
        public let file: OpenFile
        public let offset: Int
        public let count: Int

        public init(file: OpenFile, offset: Int, count: Int) {
            self.file = file
            self.offset = offset
            self.count = count
        }
    }

    public static func openForReading(bytes path: [UInt8]) throws(FileError) -> OpenFile {
        let display = String(decoding: path, as: UTF8.self)
        switch withCPath(path, { c in retrying({ open(c, O_RDONLY | O_CLOEXEC) }) }) {
        case .success(let fd): return OpenFile(fd: fd, path: display)
        case .failure(let e): throw FileError(path: display, code: e.code)
        }
    }

    private static func withOpen<R>(bytes path: [UInt8], _ flags: Int32,
                                    _ body: (Int32) throws(FileError) -> R) throws(FileError) -> R {
        let fd: Int32
        switch withCPath(path, { c in retrying({ open(c, flags | O_CLOEXEC) }) }) {
        case .success(let f): fd = f
        case .failure(let e): throw FileError(path: String(decoding: path, as: UTF8.self), code: e.code)
        }
        defer { close(fd) }
        return try body(fd)
    }

    /// An open file, closed when the body returns (or throws).
    private static func withOpen<R>(_ path: String, _ flags: Int32, mode: mode_t = 0o644,
                                    _ body: (Int32) throws(FileError) -> R) throws(FileError) -> R {
        let fd: Int32
        switch retrying({ open(path, flags | O_CLOEXEC, mode) }) {
        case .success(let f): fd = f
        case .failure(let e): throw FileError(path: path, code: e.code)
        }
        defer { close(fd) }
        return try body(fd)
    }

    /// Reads into `buffer` until it is full or the file ends: the bytes read, or the errno.
    private static func fill(_ fd: Int32, _ buffer: UnsafeMutableRawBufferPointer) -> Result<Int, Errno> {
        var done = 0
        while done < buffer.count {
            switch retrying({ systemRead(fd, buffer.baseAddress! + done, buffer.count - done) }) {
            case .success(0): return .success(done)
            case .success(let n): done += n
            case .failure(let e): return .failure(e)
            }
        }
        return .success(done)
    }

    /// Fills `array` from the file: the bytes read.
    private static func fill(_ fd: Int32, _ array: inout [UInt8], path: String) throws(FileError) -> Int {
        switch array.withUnsafeMutableBytes({ fill(fd, $0) }) {
        case .success(let n): return n
        case .failure(let e): throw FileError(path: path, code: e.code)
        }
    }

    /// The first `count` bytes (fewer if the file is shorter).
    public static func head(_ path: String, count: Int) throws(FileError) -> [UInt8] {
        try withOpen(path, O_RDONLY) { fd throws(FileError) in
            var out = [UInt8](repeating: 0, count: count)
            let n = try fill(fd, &out, path: path)
            return Array(out.prefix(n))
        }
    }

    public static func read(_ path: String) throws(FileError) -> [UInt8] {
        try withOpen(path, O_RDONLY) { fd throws(FileError) in
            var st = stat()
            _ = fstat(fd, &st)
            // Straight into the result at its expected size, then on in chunks if the file grew.
            var failure: Errno?
            var out = [UInt8](unsafeUninitializedCapacity: max(Int(st.st_size), 0) + 1) { buffer, count in
                switch fill(fd, UnsafeMutableRawBufferPointer(buffer)) {
                case .success(let n): count = n
                case .failure(let e): failure = e
                }
            }
            if let failure { throw FileError(path: path, code: failure.code) }
            guard out.count == Int(st.st_size) + 1 else { return out }
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                let n = try fill(fd, &chunk, path: path)
                out.append(contentsOf: chunk[0..<n])
                if n < chunk.count { return out }
            }
        }
    }

    /// True when the file holds exactly `bytes`: compared a chunk at a time, without reading the
    /// file into memory of its own.
    public static func holds(_ bytes: [UInt8], at path: String) -> Bool {
        holds(ByteChunks(bytes), at: path)
    }

    /// True when the file holds the pieces one after the other, compared as it is read.
    public static func holds(_ chunks: ByteChunks, at path: String) -> Bool {
        (try? withOpen(path, O_RDONLY) { fd throws(FileError) -> Bool in
            var st = stat()
            guard fstat(fd, &st) == 0, Int(st.st_size) == chunks.count else { return false }
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: ByteChunks.segment, alignment: 16)
            defer { buffer.deallocate() }
            let same = try chunks.forEachSegment { expected throws(FileError) -> Bool in
                var at = 0
                while at < expected.count {
                    let take = min(buffer.count, expected.count - at)
                    let window = UnsafeMutableRawBufferPointer(rebasing: buffer[0..<take])
                    switch fill(fd, window) {
                    case .success(let n) where n == take: break
                    case .success: return false
                    case .failure(let e): throw FileError(path: path, code: e.code)
                    }
                    if memcmp(window.baseAddress!, expected.baseAddress! + at, take) != 0 { return false }
                    at += take
                }
                return true
            }
            // Nothing past the pieces (the file grew since its size was read).
            var probe: UInt8 = 0
            return same && systemRead(fd, &probe, 1) == 0
        }) ?? false
    }

    /// Writes every byte (retrying short writes and EINTR).
    private static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws(FileError) {
        try writeAll(fd, bytes[...], path: path)
    }

    private static func writeAll(_ fd: Int32, _ bytes: ArraySlice<UInt8>, path: String) throws(FileError) {
        var done = 0
        while done < bytes.count {
            switch retrying({ bytes.withUnsafeBytes { systemWrite(fd, $0.baseAddress! + done, $0.count - done) } }) {
            case .success(let n): done += n
            case .failure(let e): throw FileError(path: path, code: e.code)
            }
        }
    }

    /// Writes every piece in order: small ones gathered into one write, large ones as they are,
    /// a file's span copied inside the kernel when large, else read straight into the gathering.
    fileprivate static func writeAll(_ fd: Int32, _ chunks: ByteChunks, path: String) throws(FileError) {
        // One piece (every plain file) as it is: nothing to gather.
        if chunks.pieces.count == 1, case .bytes(let only) = chunks.pieces[0] { return try writeAll(fd, only, path: path) }
        let gather = 1 << 18
        var pending: [UInt8] = []
        pending.reserveCapacity(gather)
        func flush() throws(FileError) {
            if !pending.isEmpty { try writeAll(fd, pending, path: path); pending.removeAll(keepingCapacity: true) }
        }
        for piece in chunks.pieces {
            switch piece {
            case .bytes(let bytes) where bytes.count >= gather / 2:
                try flush()
                try writeAll(fd, bytes, path: path)
            case .bytes(let bytes):
                if pending.count + bytes.count > gather { try flush() }
                pending += bytes
            case .span(let span):
                // No pass through this process where the kernel can copy it.
                if span.count >= gather / 2 {
                    try flush()
                    if try copyInKernel(span, to: fd, path: path) { continue }
                }
                var done = 0
                while done < span.count {
                    if pending.count == gather { try flush() }
                    let start = pending.count, take = min(gather - start, span.count - done)
                    pending.append(contentsOf: repeatElement(0, count: take))
                    let read = pending.withUnsafeMutableBytes { raw in
                        Result { () throws(FileError) in
                            try span.file.read(at: span.offset + done, into: UnsafeMutableRawBufferPointer(rebasing: raw[start..<start + take]))
                        }
                    }
                    try read.get()
                    done += take
                }
            }
        }
        try flush()
    }

    /// Copies a span to the current end of `fd` with `copy_file_range`: false, with nothing
    /// written, where the kernel cannot (another file system, an append-only target, no support).
    private static func copyInKernel(_ span: Span, to fd: Int32, path: String) throws(FileError) -> Bool {
        var done = 0
        while done < span.count {
            switch retrying({ disclosure_copy_range(span.file.fd, Int64(span.offset + done), fd, span.count - done) }) {
            case .success(0): throw FileError(path: span.file.path, code: EIO)  // the file ends before the span
            case .success(let n): done += n
            case .failure(let e) where done == 0 && [ENOSYS, EXDEV, EINVAL, EOPNOTSUPP, EBADF].contains(e.code): return false
            case .failure(let e): throw FileError(path: path, code: e.code)
            }
        }
        return true
    }

    /// Old content or new and never half of it, written over `spare` in place and swapped with
    /// `path` atomically (`renameat2` with `RENAME_EXCHANGE`): the spare then holds the old
    /// content, to be overwritten next time. Renaming a new file over the old one frees the old
    /// one's blocks, and on a file system mounted with `discard` (as these machines are) that
    /// waits for the device: 0.7 ms a 1.5 MB export, against 0.05 ms for reusing them. A spare
    /// that is not a plain file of ours alone (another hard link to it, as a `cp -al` backup
    /// makes) is never written into; where the swap is not supported, the spare is renamed into
    /// place; a spare that cannot be made costs only the speed-up.
    /// - Parameter refill: when there was no file to swap with (a first write), leaves a copy
    ///   as the spare, so that the next write already finds one.
    static func write(_ bytes: [UInt8], to path: String, spare: String, refill: Bool) throws(FileError) {
        try write(ByteChunks(bytes), to: path, spare: spare, refill: refill)
    }

    /// `write(to:spare:refill:)` of the pieces one after the other.
    static func write(_ bytes: ByteChunks, to path: String, spare: String, refill: Bool) throws(FileError) {
        guard case .success(let (fd, existed)) = openForReplacing(spare) else { return try write(bytes, to: path) }
        do throws(FileError) {
            try writeAll(fd, bytes, path: path)
            if existed, ftruncate(fd, off_t(bytes.count)) != 0 { throw FileError(path: path, code: errno) }
        } catch {
            close(fd)
            unlink(spare)
            throw error
        }
        close(fd)
        if disclosure_exchange(spare, path) == 0 { return }
        guard systemRename(spare, path) == 0 else {
            let code = errno
            unlink(spare)
            // The spare on another file system than the target: written the plain way.
            if code == EXDEV { return try write(bytes, to: path) }
            throw FileError(path: path, code: code)
        }
        if refill { try? write(bytes, to: spare) }
    }

    /// What is at a path a version being built is about to hold.
    private enum Own {
        /// A plain file of ours alone (no other hard link to it, not a link), open for writing.
        case file(Int32)
        /// Nothing.
        case absent
        /// Something else (a hard link, a symbolic link, a folder…): to be unlinked first.
        case other
    }

    /// The file at `path` open to be written over: a plain file of ours alone as it is
    /// (`existed`: what is longer than the new content is to be cut), anything else made anew,
    /// what stood there unlinked first.
    private static func openForReplacing(_ path: String) -> Result<(fd: Int32, existed: Bool), Errno> {
        let existing = openOwn(path)
        if case .file(let fd) = existing { return .success((fd, true)) }
        if case .other = existing { unlink(path) }
        return retrying { open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o644) }.map { ($0, false) }
    }

    private static func openOwn(_ path: String) -> Own {
        let fd: Int32
        switch retrying({ open(path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW) }) {
        case .success(let f): fd = f
        case .failure(let e): return e.code == ENOENT ? .absent : .other
        }
        var st = stat()
        if fstat(fd, &st) != 0 || st.st_nlink != 1 || st.st_mode & S_IFMT != S_IFREG {
            close(fd)
            return .other
        }
        return .file(fd)
    }

    /// Writes `bytes` as the file at `path` in a folder nobody else reads (a version being
    /// built): a file of ours alone there is written over in place, reusing its blocks (freeing
    /// them waits for the device on a disk mounted with `discard`); one shared with another
    /// path (a hard link) is unlinked first and made anew, never written through.
    public static func replaceContents(_ bytes: [UInt8], at path: String) throws(FileError) {
        try replaceContents(ByteChunks(bytes), at: path)
    }

    /// `replaceContents` of the pieces one after the other.
    /// A new file (a first version's, most of them) costs its open, its writes and its close.
    public static func replaceContents(_ bytes: ByteChunks, at path: String) throws(FileError) {
        let (fd, existed): (Int32, Bool)
        switch openForReplacing(path) {
        case .success(let opened): (fd, existed) = opened
        case .failure(let e): throw FileError(path: path, code: e.code)
        }
        defer { close(fd) }
        try writeAll(fd, bytes, path: path)
        // Written over in place: what was longer is cut.
        if existed, ftruncate(fd, off_t(bytes.count)) != 0 { throw FileError(path: path, code: errno) }
    }

    /// Writes through a temporary file renamed into place, so a reader (or a crash) sees the
    /// old content or the new, never half of it.
    public static func write(_ bytes: [UInt8], to path: String) throws(FileError) {
        try write(ByteChunks(bytes), to: path)
    }

    /// `write` of the pieces one after the other.
    public static func write(_ bytes: ByteChunks, to path: String) throws(FileError) {
        let temp = path + ".tmp-\(getpid())"
        do throws(FileError) {
            try withOpen(temp, O_WRONLY | O_CREAT | O_TRUNC) { fd throws(FileError) in try writeAll(fd, bytes, path: path) }
        } catch {
            unlink(temp)
            throw error
        }
        guard systemRename(temp, path) == 0 else {
            let code = errno
            unlink(temp)
            throw FileError(path: path, code: code)
        }
    }

    /// Appends to a file that must exist (a log whose reader tolerates a cut-short tail).
    public static func append(_ bytes: [UInt8], to path: String) throws(FileError) {
        try withOpen(path, O_WRONLY | O_APPEND) { fd throws(FileError) in try writeAll(fd, bytes, path: path) }
    }

    /// Makes `path` and the folders above it that are missing. The corresponding C function is `mkdir`.
    public static func makeDirectories(_ path: String) throws(FileError) {
        // Most often the folder is there already: one call says so.
        if status(path)?.isDirectory == true { return }
        var current = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            current += "/" + part
            if case .failure(let e) = retrying({ mkdir(current, 0o755) }), e.code != EEXIST {
                // A component that exists as a folder already (reached through a link, say) is fine.
                if status(current)?.isDirectory == true { continue }
                throw FileError(path: current, code: e.code)
            }
        }
        // Something else of that name (a file) is no folder.
        guard status(path)?.isDirectory == true else { throw FileError(path: path, code: ENOTDIR) }
    }

    /// Removes a file; one already gone is no error. The corresponding C function is `unlink`.
    public static func remove(_ path: String) throws(FileError) {
        if case .failure(let e) = retrying({ unlink(path) }), e.code != ENOENT { throw FileError(path: path, code: e.code) }
    }

    /// Renames `from` to `to`, replacing it. The corresponding C function is `rename`.
    public static func rename(_ from: String, to: String) throws(FileError) {
        if case .failure(let e) = retrying({ systemRename(from, to) }) { throw FileError(path: from, code: e.code) }
    }

    /// Gives the file `from` the name `to` as well, unless `to` exists: false then, and nothing
    /// changes. A whole file appears under a new name without ever replacing another. The
    /// corresponding C function is `link`.
    public static func linkNew(_ from: String, to: String) throws(FileError) -> Bool {
        switch retrying({ link(from, to) }) {
        case .success: return true
        case .failure(let e) where e.code == EEXIST: return false
        case .failure(let e): throw FileError(path: to, code: e.code)
        }
    }

    /// Appends to a file, creating it when missing.
    public static func append(_ bytes: [UInt8], creating path: String) throws(FileError) {
        try withOpen(path, O_WRONLY | O_APPEND | O_CREAT) { fd throws(FileError) in try writeAll(fd, bytes, path: path) }
    }

    /// Copies a folder's files and folders into `target` (made if missing); links are not followed.
    public static func copyTree(_ source: String, to target: String) throws(FileError) {
        try makeDirectories(target)
        for name in list(source) {
            let from = source + "/" + name, to = target + "/" + name
            guard let st = status(from) else { continue }
            if st.isDirectory { try copyTree(from, to: to) } else if st.isRegular { try write(try read(from), to: to) }
        }
    }

    /// The most memory the process has held so far (its peak resident set), in bytes. The
    /// corresponding C function is `getrusage`.
    public static var peakResidentBytes: Int {
        var usage = rusage()
        #if canImport(Glibc)
        guard getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage) == 0 else { return 0 }
        return Int(usage.ru_maxrss) * 1024  // kilobytes on Linux
        #else
        guard getrusage(RUSAGE_SELF, &usage) == 0 else { return 0 }
        return Int(usage.ru_maxrss)  // bytes on macOS
        #endif
    }

    /// The bytes the process's allocator holds for live objects (0 where it cannot tell): the
    /// trace prints it beside the peak, which also counts memory freed but not returned.
    public static var heapInUseBytes: Int { Int(disclosure_heap_in_use()) }

    /// Returns the pages the allocator holds free to the system. Memory freed by one thread's
    /// arena is not reused by another's: after a stage whose data the worker threads made is let
    /// go, the next stage would otherwise grow the process beside it.
    public static func releaseFreedMemory() { disclosure_release_free_memory() }

    /// The process's working folder. The corresponding C function is `getcwd`.
    public static var currentDirectory: String {
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getcwd(&buffer, buffer.count) != nil else { return "." }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// An exclusive advisory lock on a file (`flock`), held while the value lives; the kernel releases
/// it when the process ends, however it ends. The holder's pid is written into the file.
public final class FileLock {
    public enum Failure: Error, Sendable {
        /// Another process holds it.
        case held
        /// The lock file could not be opened or written.
        case cannotOpen(FileError)
    }

    private let fd: Int32

    /// The corresponding C functions are `open`, `flock` and `write`.
    public init(path: String, wait: Bool) throws(Failure) {
        let opened = FileIO.retrying { open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644) }
        guard case .success(let fd) = opened else {
            if case .failure(let e) = opened { throw .cannotOpen(FileError(path: path, code: e.code)) }
            throw .held
        }
        self.fd = fd
        if case .failure(let e) = FileIO.retrying({ flock(fd, LOCK_EX | (wait ? 0 : LOCK_NB)) }) {
            close(fd)
            if e.code == EWOULDBLOCK { throw .held }
            throw .cannotOpen(FileError(path: path, code: e.code))
        }
        let pid = Array("\(getpid())\n".utf8)
        if case .failure(let e) = FileIO.retrying({ ftruncate(fd, 0) }) {
            close(fd)
            throw .cannotOpen(FileError(path: path, code: e.code))
        }
        let written = pid.withUnsafeBytes { raw in FileIO.retrying { write(fd, raw.baseAddress!, raw.count) } }
        if case .failure(let e) = written {
            close(fd)
            throw .cannotOpen(FileError(path: path, code: e.code))
        }
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
