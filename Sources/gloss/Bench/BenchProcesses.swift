import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The benchmark's temporary folder: the server's data directory and the log files.
struct BenchWorkspace: Sendable {
    let root: URL

    var dataDirectory: URL { root.appendingPathComponent("data", isDirectory: true) }
    var serverLog: URL { root.appendingPathComponent("server.log") }

    static func create() throws -> BenchWorkspace {
        let root = FileManager.default.temporaryDirectory
            .appendingPathComponent("gloss-bench-\(UUID().uuidString.lowercased())", isDirectory: true)
        let workspace = BenchWorkspace(root: root)
        try FileManager.default.createDirectory(at: workspace.dataDirectory, withIntermediateDirectories: true)
        return workspace
    }

    func logFile(named name: String) -> URL {
        root.appendingPathComponent(name)
    }

    func remove() {
        try? FileManager.default.removeItem(at: root)
    }
}

/// Where the `gloss` executable is.
enum BenchExecutable {
    /// Resolves a path given on the command line (relative paths against the working directory).
    static func resolve(_ path: String) throws -> String {
        let absolute = absolutePath(path)
        guard FileManager.default.isExecutableFile(atPath: absolute) else {
            throw BenchError("server binary \(absolute) does not exist or is not executable")
        }
        return absolute
    }

    /// This process's own executable: `CommandLine.arguments[0]` made absolute (searched on `PATH`
    /// when it has no slash), falling back to `/proc/self/exe`.
    static func current() throws -> String {
        let argumentZero = CommandLine.arguments.first ?? ""
        if argumentZero.contains("/") {
            return try resolve(argumentZero)
        }
        if !argumentZero.isEmpty, let found = searchPath(for: argumentZero) {
            return found
        }
        if let linked = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return try resolve(linked)
        }
        throw BenchError("cannot find this program's executable; pass --server-binary")
    }

    private static func absolutePath(_ path: String) -> String {
        let base = URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
        return URL(fileURLWithPath: path, relativeTo: base).standardizedFileURL.path
    }

    private static func searchPath(for name: String) -> String? {
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
        for directory in directories {
            let candidate = URL(fileURLWithPath: String(directory), isDirectory: true)
                .appendingPathComponent(name).path
            if FileManager.default.isExecutableFile(atPath: candidate) {
                return absolutePath(candidate)
            }
        }
        return nil
    }
}

/// Waits for child processes without blocking a thread of the concurrency pool.
enum BenchProcessWaiting {
    /// Polls until the process has exited; returns false when `timeout` passed first.
    static func waitForExit(_ process: Process, timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now >= deadline { return false }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return true
    }

    /// Starts a process with an empty signal mask. Foundation's `Process` on Linux passes the
    /// calling thread's mask on to the child (swift-corelibs-foundation issue #4772), and the
    /// threads of the concurrency pool block nearly every signal, so a child started from a task
    /// would ignore SIGTERM. The mask of this thread is cleared only while the child is spawned.
    static func launch(_ process: Process) throws {
        var empty = sigset_t()
        var previous = sigset_t()
        sigemptyset(&empty)
        pthread_sigmask(SIG_SETMASK, &empty, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        try process.run()
    }

    static func environment(adding extra: [String: String]) -> [String: String] {
        ProcessInfo.processInfo.environment.merging(extra) { _, new in new }
    }

    static func openForWriting(_ url: URL) throws -> FileHandle {
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw BenchError("cannot create \(url.path)")
        }
        return try FileHandle(forWritingTo: url)
    }

    /// The last `count` lines of a text file (empty when it cannot be read).
    static func tail(of url: URL, lines count: Int) -> String {
        guard let data = FileManager.default.contents(atPath: url.path) else { return "" }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        return lines.suffix(count).joined(separator: "\n")
    }
}

/// The `gloss serve` child process under test.
final class BenchServerProcess {
    private let process = Process()
    private let logHandle: FileHandle
    let logURL: URL

    /// Launches `<binary> <arguments>` with standard output and error going to `logURL`.
    init(binary: String, arguments: [String], environment: [String: String], logURL: URL) throws {
        self.logURL = logURL
        logHandle = try BenchProcessWaiting.openForWriting(logURL)
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = logHandle
        process.standardError = logHandle
        do {
            try BenchProcessWaiting.launch(process)
        } catch {
            try? logHandle.close()
            throw BenchError("cannot launch \(binary): \(error)")
        }
    }

    var pid: Int32 { process.processIdentifier }
    var isRunning: Bool { process.isRunning }
    var exitStatus: Int32? { process.isRunning ? nil : process.terminationStatus }

    /// SIGTERM, then up to 10 s for a clean exit, then SIGKILL.
    func stop() async {
        if process.isRunning {
            process.terminate()
            let exited = await BenchProcessWaiting.waitForExit(process, timeout: .seconds(10))
            if !exited {
                BenchLog.info("server did not exit within 10 s of SIGTERM; sending SIGKILL")
                _ = kill(process.processIdentifier, SIGKILL)
                _ = await BenchProcessWaiting.waitForExit(process, timeout: .seconds(5))
            }
        }
        try? logHandle.close()
    }

    func logTail(lines: Int = 40) -> String {
        BenchProcessWaiting.tail(of: logURL, lines: lines)
    }
}

/// Runs `gloss` CLI commands (`user create`, `token create`) against the same database as the server.
struct BenchCLI: Sendable {
    let binary: String
    /// `--data-dir ...` and, for PostgreSQL, `--database-url ...`.
    let storageArguments: [String]
    let environment: [String: String]
    let workspace: BenchWorkspace

    struct Output: Sendable {
        let status: Int32
        let standardOutput: String
        let standardError: String
    }

    /// Runs `<binary> <arguments> <storage arguments>` and returns its output; throws only when it
    /// could not be started or did not finish within a minute.
    func run(_ arguments: [String]) async throws -> Output {
        let name = "cli-\(UUID().uuidString.lowercased())"
        let stdoutURL = workspace.logFile(named: name + ".out")
        let stderrURL = workspace.logFile(named: name + ".err")
        let stdoutHandle = try BenchProcessWaiting.openForWriting(stdoutURL)
        let stderrHandle = try BenchProcessWaiting.openForWriting(stderrURL)
        defer {
            try? stdoutHandle.close()
            try? stderrHandle.close()
            try? FileManager.default.removeItem(at: stdoutURL)
            try? FileManager.default.removeItem(at: stderrURL)
        }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments + storageArguments
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = stdoutHandle
        process.standardError = stderrHandle
        try BenchProcessWaiting.launch(process)
        guard await BenchProcessWaiting.waitForExit(process, timeout: .seconds(60)) else {
            process.terminate()
            throw BenchError("`gloss \(arguments.joined(separator: " "))` did not finish within 60 s")
        }
        return Output(
            status: process.terminationStatus,
            standardOutput: Self.read(stdoutURL),
            standardError: Self.read(stderrURL)
        )
    }

    /// `gloss user create`; a failure is reported but not fatal (with PostgreSQL the account may be
    /// left from an earlier run).
    func createUser(email: String, password: String, role: String, organization: String?) async throws {
        var arguments = ["user", "create", "--email", email, "--password", password, "--role", role]
        if let organization {
            arguments += ["--org", organization]
        }
        let output = try await run(arguments)
        if output.status != 0 {
            BenchLog.info(
                "`gloss user create --email \(email)` exited with \(output.status) (continuing; the account may exist already): "
                    + output.standardError.trimmingCharacters(in: .whitespacesAndNewlines)
            )
        }
    }

    /// `gloss token create --email E`: the token is the last non-empty line of standard output.
    func createToken(email: String) async throws -> String {
        let output = try await run(["token", "create", "--email", email])
        let lastLine = output.standardOutput
            .split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .last(where: { !$0.isEmpty })
        guard output.status == 0, let token = lastLine else {
            throw BenchError(
                "`gloss token create --email \(email)` failed (exit \(output.status)): "
                    + output.standardError.trimmingCharacters(in: .whitespacesAndNewlines)
            )
        }
        return token
    }

    private static func read(_ url: URL) -> String {
        guard let data = FileManager.default.contents(atPath: url.path) else { return "" }
        return String(decoding: data, as: UTF8.self)
    }
}

/// Memory figures of a process from `/proc/<pid>/status` (Linux only).
struct BenchProcessMemory: Sendable {
    /// Resident set size now, in KiB.
    let residentKiB: Int?
    /// Peak resident set size ("high water mark"), in KiB.
    let peakResidentKiB: Int?

    static func read(pid: Int32) -> BenchProcessMemory {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/status") else {
            return BenchProcessMemory(residentKiB: nil, peakResidentKiB: nil)
        }
        let text = String(decoding: data, as: UTF8.self)
        return BenchProcessMemory(
            residentKiB: field("VmRSS", in: text),
            peakResidentKiB: field("VmHWM", in: text)
        )
    }

    /// Parses a line like `VmHWM:\t   81234 kB`.
    private static func field(_ name: String, in status: String) -> Int? {
        for line in status.split(separator: "\n") where line.hasPrefix(name + ":") {
            let words = line.dropFirst(name.count + 1).split(whereSeparator: { $0 == " " || $0 == "\t" })
            return words.first.flatMap { Int($0) }
        }
        return nil
    }
}
