import Core
import CSysCalls
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A child process that reads its input from a pipe and answers on another, run under a
/// deadline: the way a library that may crash or hang on hostile input (poppler on a PDF) is
/// kept out of the run. Every system call of spawning, feeding, reading and reaping is here.
public enum ChildProcess {
    /// How a child ended.
    public enum Ending: Sendable, Equatable {
        /// It exited with this status.
        case exited(Int32)
        /// A signal ended it (a crash, or the memory or CPU limit it set itself).
        case signaled(Int32)
        /// It ran past the deadline and was killed.
        case timedOut
        /// It wrote more than the limit and was killed.
        case outputTooLarge
    }

    public struct Result: Sendable {
        public var ending: Ending
        public var output: [UInt8]
    }

    /// Runs `executable` with `arguments`, writes `input` to its standard input, and collects its
    /// standard output (at most `outputLimit` bytes) until it exits or `timeout` seconds pass;
    /// its standard error goes nowhere. A child past either bound is killed (SIGKILL) and reaped.
    /// - Throws: `FileError` when it cannot be started (the executable named in `path`).
    public static func run(_ executable: String, arguments: [String], environment: [String: String] = [:],
                           input: [UInt8], outputLimit: Int, timeout: Double) throws(FileError) -> Result {
        var toChild: [Int32] = [-1, -1], fromChild: [Int32] = [-1, -1]
        guard disclosure_pipe_cloexec(&toChild) == 0 else { throw FileError(path: executable, code: errno) }
        guard disclosure_pipe_cloexec(&fromChild) == 0 else {
            let code = errno
            close(toChild[0]); close(toChild[1])
            throw FileError(path: executable, code: code)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, toChild[0], 0)
        posix_spawn_file_actions_adddup2(&actions, fromChild[1], 1)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for p in argv + envp { free(p) } }
        var pid: pid_t = 0
        var spawned = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        // An executable another thread's child still holds open for writing (it was written a
        // moment ago, and a fork copied the descriptor): busy for an instant, then free.
        var tries = 0
        while spawned == ETXTBSY && tries < 20 {
            tries += 1
            usleep(10_000)
            spawned = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        }
        close(toChild[0]); close(fromChild[1])
        guard spawned == 0 else {
            close(toChild[1]); close(fromChild[0])
            throw FileError(path: executable, code: spawned)
        }
        let ending = pump(input: input, into: toChild[1], from: fromChild[0], outputLimit: outputLimit,
                          deadline: monotonicNow() + timeout)
        close(fromChild[0])
        var output = ending.output
        var status: Int32 = 0
        if let early = ending.early {
            kill(pid, SIGKILL)
            _ = reap(pid, &status)
            if early == .outputTooLarge { output = [] }
            return Result(ending: early, output: output)
        }
        // The child closed its output: it is exiting; a child that lingers is still bounded.
        var reaped = false
        while !reaped {
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid { reaped = true; break }
            if r < 0 && errno != EINTR { break }
            if monotonicNow() > ending.deadline {
                kill(pid, SIGKILL)
                _ = reap(pid, &status)
                return Result(ending: .timedOut, output: [])
            }
            usleep(1000)
        }
        if (status & 0x7F) != 0 { return Result(ending: .signaled(status & 0x7F), output: output) }
        return Result(ending: .exited((status >> 8) & 0xFF), output: output)
    }

    private static func reap(_ pid: pid_t, _ status: inout Int32) -> Bool {
        while true {
            let r = waitpid(pid, &status, 0)
            if r == pid { return true }
            if r < 0 && errno != EINTR { return false }
        }
    }

    private struct Pumped {
        var output: [UInt8]
        var early: Ending?
        var deadline: Double
    }

    /// Feeds the input and drains the output at once (neither side can fill a pipe and block
    /// the other), until the child closes its output, the deadline passes or the output is too large.
    private static func pump(input: [UInt8], into writeEnd: Int32, from readEnd: Int32, outputLimit: Int, deadline: Double) -> Pumped {
        var writeFD = writeEnd
        var written = 0
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        // A write to a child that has gone must fail with EPIPE, not kill the run.
        signal(SIGPIPE, SIG_IGN)
        if input.isEmpty { close(writeFD); writeFD = -1 }
        defer { if writeFD >= 0 { close(writeFD) } }
        while true {
            let left = deadline - monotonicNow()
            if left <= 0 { return Pumped(output: output, early: .timedOut, deadline: deadline) }
            var fds = [pollfd(fd: readEnd, events: Int16(POLLIN), revents: 0)]
            if writeFD >= 0 { fds.append(pollfd(fd: writeFD, events: Int16(POLLOUT), revents: 0)) }
            let ready = poll(&fds, nfds_t(fds.count), Int32(min(left, 1) * 1000) + 1)
            if ready < 0 {
                if errno == EINTR { continue }
                return Pumped(output: output, early: .timedOut, deadline: deadline)
            }
            if writeFD >= 0, fds.count > 1, fds[1].revents != 0 {
                let n = input.withUnsafeBytes { raw in write(writeFD, raw.baseAddress! + written, min(raw.count - written, 1 << 16)) }
                if n > 0 { written += n }
                if n < 0 && errno != EINTR && errno != EAGAIN { close(writeFD); writeFD = -1 }
                if written == input.count { close(writeFD); writeFD = -1 }
            }
            if fds[0].revents != 0 {
                let n = buffer.withUnsafeMutableBytes { read(readEnd, $0.baseAddress!, $0.count) }
                if n == 0 { return Pumped(output: output, early: nil, deadline: deadline) }
                if n < 0 {
                    if errno == EINTR || errno == EAGAIN { continue }
                    return Pumped(output: output, early: nil, deadline: deadline)
                }
                output += buffer[0..<n]
                if output.count > outputLimit { return Pumped(output: output, early: .outputTooLarge, deadline: deadline) }
            }
        }
    }

    static func monotonicNow() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    // MARK: The child's side

    /// Bounds the calling process itself: its address space, its CPU time and no core file. A
    /// worker calls this first, before it touches its input.
    public static func limitSelf(memoryBytes: Int, cpuSeconds: Int) {
        var memory = rlimit(rlim_cur: rlim_t(memoryBytes), rlim_max: rlim_t(memoryBytes))
        var cpu = rlimit(rlim_cur: rlim_t(cpuSeconds), rlim_max: rlim_t(cpuSeconds + 1))
        var core = rlimit(rlim_cur: 0, rlim_max: 0)
        #if canImport(Glibc)
        setrlimit(__rlimit_resource_t(RLIMIT_AS.rawValue), &memory)
        setrlimit(__rlimit_resource_t(RLIMIT_CPU.rawValue), &cpu)
        setrlimit(__rlimit_resource_t(RLIMIT_CORE.rawValue), &core)
        #else
        setrlimit(RLIMIT_AS, &memory)
        setrlimit(RLIMIT_CPU, &cpu)
        setrlimit(RLIMIT_CORE, &core)
        #endif
    }

    /// The whole of standard input, or nil past `limit` bytes or on a read error.
    public static func readStandardInput(limit: Int) -> [UInt8]? {
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(0, $0.baseAddress!, $0.count) }
            if n == 0 { return out }
            if n < 0 { if errno == EINTR { continue }; return nil }
            out += buffer[0..<n]
            if out.count > limit { return nil }
        }
    }

    /// Writes all of `bytes` to standard output; false when the reader has gone.
    @discardableResult
    public static func writeStandardOutput(_ bytes: [UInt8]) -> Bool {
        var done = 0
        signal(SIGPIPE, SIG_IGN)
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { write(1, $0.baseAddress! + done, $0.count - done) }
            if n < 0 { if errno == EINTR { continue }; return false }
            done += n
        }
        return true
    }

    /// This process's own executable (what a worker of the same program is started from).
    public static var ownExecutable: String? {
        #if os(Linux)
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        return n > 0 ? String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self) : nil
        #else
        return nil
        #endif
    }
}
