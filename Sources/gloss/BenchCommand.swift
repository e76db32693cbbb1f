import ArgumentParser
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// `gloss bench`: starts a server as a child process, drives it over HTTP and prints a Markdown
/// table of results against the project's targets (see docs/benchmarks.md).
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Run the Gloss benchmark against a fresh server and print a Markdown report.",
        discussion: """
            Starts `gloss serve` as a child process on 127.0.0.1 (SQLite in a temporary data folder, \
            or the PostgreSQL database given with --database-url), creates a requester and eight \
            workers with the CLI, and measures start-up, imports, next+submit cycles, export and the \
            server's memory. Build with `swift build -c release` and run `.build/release/gloss bench`.
            """
    )

    @Option(name: .customLong("database-url"), help: "PostgreSQL URL (default: SQLite in a fresh temporary data folder).")
    var databaseURL: String?

    @Option(help: "Port for the server under test.")
    var port: Int = 18080

    @Flag(help: "Smaller sizes for a smoke run (imports of 1k and 10k tasks, 2 s cycle runs, no 1M-task project).")
    var quick = false

    @Flag(name: .customLong("skip-million"), help: "Skip the runs on the 1,000,000-task project.")
    var skipMillion = false

    @Flag(name: .customLong("in-process-only"), help: "Only the in-process measurements (no server): encoders, quality, matcher.")
    var inProcessOnly = false

    @Option(name: .customLong("server-binary"), help: "The gloss executable to start (default: this program).")
    var serverBinary: String?

    func validate() throws {
        guard (1...65535).contains(port) else {
            throw ValidationError("--port must be between 1 and 65535")
        }
    }

    mutating func run() async throws {
        if inProcessOnly {
            for result in try BenchTaskTypes.run() + BenchImageTypes.run() + BenchQuality.run() + BenchWorkforce.run() + BenchPay.run() + BenchAudioAndPoints.run() {
                print("\(result.measurement): \(BenchFormat.rate(result.rate)) \(result.unit) (\(BenchFormat.grouped(result.count)) in \(BenchFormat.seconds(result.seconds)))")
            }
            return
        }
        let plan = BenchPlan(quick: quick, skipMillion: skipMillion)
        let binary = try serverBinary.map(BenchExecutable.resolve) ?? BenchExecutable.current()
        let workspace = try BenchWorkspace.create()
        let client = BenchAPI.makeClient()
        let session = BenchSession(
            plan: plan,
            binary: binary,
            databaseURL: databaseURL,
            workspace: workspace,
            api: BenchAPI(http: client, baseURL: "http://127.0.0.1:\(port)"),
            port: port
        )
        BenchLog.info("temporary folder \(workspace.root.path), server binary \(binary)")

        let rows: [BenchRow]
        do {
            rows = try await session.measureAll()
        } catch {
            if let log = session.serverLogTail() {
                BenchLog.info("benchmark failed; last lines of the server log:\n\(log)")
            }
            await session.stopServer()
            try? await client.shutdown()
            workspace.remove()
            throw error
        }
        await session.stopServer()
        try? await client.shutdown()
        workspace.remove()

        print(BenchReport.render(rows: rows, commandLine: redactedCommandLine(), databaseURL: databaseURL, binary: binary))
    }

    /// The command line as typed, with a password in --database-url replaced by `***`.
    private func redactedCommandLine() -> String {
        var arguments = CommandLine.arguments
        if let databaseURL, var components = URLComponents(string: databaseURL), components.password != nil {
            components.password = "***"
            let redacted = components.string ?? "***"
            arguments = arguments.map { $0.replacingOccurrences(of: databaseURL, with: redacted) }
        }
        return arguments.map(BenchReport.shellQuoted).joined(separator: " ")
    }
}

/// Sizes and durations of one benchmark run.
struct BenchPlan: Sendable {
    let importSizes: [Int]
    let cycleProjectTasks: Int
    let cycleDuration: Duration
    let singleWorkerMaxCycles: Int
    let workerCount: Int
    /// nil when the 1M-task project is skipped.
    let largeProjectTasks: Int?
    /// The option that made it skipped, for the report.
    let largeProjectSkipReason: String
    let importChunk: Int
    let exportTasks: Int
    let exportOverlap: Int
    let ceilingDuration: Duration

    init(quick: Bool, skipMillion: Bool) {
        importSizes = quick ? [1_000, 10_000] : [10_000, 100_000]
        cycleProjectTasks = 10_000
        cycleDuration = quick ? .seconds(2) : .seconds(5)
        singleWorkerMaxCycles = 3_000
        workerCount = 8
        largeProjectTasks = (quick || skipMillion) ? nil : 1_000_000
        largeProjectSkipReason = quick ? "--quick" : "--skip-million"
        importChunk = 100_000
        exportTasks = quick ? 10_000 : 100_000
        exportOverlap = 2
        ceilingDuration = .seconds(2)
    }
}

/// The accounts the benchmark works with.
struct BenchAccounts: Sendable {
    let requesterToken: String
    /// One token per worker, `worker1@bench.local` first.
    let workerTokens: [String]
}

/// One run of the benchmark: owns the server child process and collects the report's rows.
/// Used from the command's task only.
final class BenchSession {
    private let plan: BenchPlan
    private let binary: String
    private let databaseURL: String?
    private let workspace: BenchWorkspace
    private let api: BenchAPI
    private let port: Int
    private var server: BenchServerProcess?
    private var rows: [BenchRow] = []
    private let clock = ContinuousClock()

    static let password = "bench-pass-1"

    init(plan: BenchPlan, binary: String, databaseURL: String?, workspace: BenchWorkspace, api: BenchAPI, port: Int) {
        self.plan = plan
        self.binary = binary
        self.databaseURL = databaseURL
        self.workspace = workspace
        self.api = api
        self.port = port
    }

    /// `--data-dir` and, when given, `--database-url`: shared by the server and the CLI.
    private var storageArguments: [String] {
        var arguments = ["--data-dir", workspace.dataDirectory.path]
        if let databaseURL {
            arguments += ["--database-url", databaseURL]
        }
        return arguments
    }

    private var childEnvironment: [String: String] {
        BenchProcessWaiting.environment(adding: ["GLOSS_BCRYPT_COST": "4"])
    }

    // MARK: The whole run

    func measureAll() async throws -> [BenchRow] {
        try await startServer()
        let accounts = try await createAccounts()
        try await measureClientCeiling(token: accounts.requesterToken)
        try await measureImports(accounts: accounts)
        try await measureCycles(accounts: accounts, projectTasks: plan.cycleProjectTasks, chunk: plan.importChunk)
        try await measureActivity(accounts: accounts)
        if let largeTasks = plan.largeProjectTasks {
            try await measureLargeProject(accounts: accounts, tasks: largeTasks)
        } else {
            rows.append(BenchRow("1,000,000-task project", result: "skipped (\(plan.largeProjectSkipReason))"))
        }
        try await measureExport(accounts: accounts)
        measurePeakMemory()
        BenchLog.info("task-type validation and export encoders (in process)")
        for result in try BenchTaskTypes.run() + BenchImageTypes.run() + BenchQuality.run() + BenchWorkforce.run() + BenchPay.run() + BenchAudioAndPoints.run() {
            rows.append(BenchRow(result.measurement + " (in process)",
                                 result: "\(BenchFormat.rate(result.rate)) \(result.unit) (\(BenchFormat.grouped(result.count)) in \(BenchFormat.seconds(result.seconds)))"))
        }
        return rows
    }

    // MARK: Server

    private func startServer() async throws {
        if (try? await api.health(timeout: .milliseconds(500))) != nil {
            throw BenchError("something already answers on 127.0.0.1:\(port); pick another --port")
        }
        let arguments = ["serve"] + storageArguments + ["--host", "127.0.0.1", "--port", String(port)]
        BenchLog.info("starting \(binary) \(arguments.joined(separator: " "))")

        let start = clock.now
        let server = try BenchServerProcess(
            binary: binary,
            arguments: arguments,
            environment: childEnvironment,
            logURL: workspace.serverLog
        )
        self.server = server
        try await waitUntilHealthy(server, timeout: .seconds(60))
        let startup = (clock.now - start).benchSeconds

        let target = BenchTarget.below(2)
        rows.append(BenchRow(
            "start-up (launch to `GET /healthz` 200)",
            result: BenchFormat.seconds(startup),
            target: "< 2 s",
            missed: [target.missNote(for: startup)].compactMap { $0 }
        ))

        let idle = BenchProcessMemory.read(pid: server.pid)
        rows.append(BenchRow(
            "server memory, idle after start-up (VmRSS)",
            result: idle.residentKiB.map { BenchFormat.megabytes(kibibytes: $0) } ?? "n/a (no /proc)"
        ))
    }

    /// Polls `GET /healthz` every 5 ms until it answers 200.
    private func waitUntilHealthy(_ server: BenchServerProcess, timeout: Duration) async throws {
        let deadline = clock.now + timeout
        while true {
            if let status = try? await api.health(timeout: .seconds(1)), status == .ok {
                return
            }
            if let exitStatus = server.exitStatus {
                throw BenchError("the server exited with status \(exitStatus) during start-up")
            }
            if clock.now >= deadline {
                throw BenchError("the server did not answer GET /healthz with 200 within \(timeout)")
            }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    func stopServer() async {
        guard let server else { return }
        BenchLog.info("stopping the server (SIGTERM)")
        await server.stop()
        self.server = nil
    }

    func serverLogTail() -> String? {
        server?.logTail()
    }

    // MARK: Accounts

    private func createAccounts() async throws -> BenchAccounts {
        let cli = BenchCLI(
            binary: binary,
            storageArguments: storageArguments,
            environment: childEnvironment,
            workspace: workspace
        )
        BenchLog.info("creating the requester and \(plan.workerCount) workers with the CLI")
        let requester = "requester@bench.local"
        try await cli.createUser(email: requester, password: Self.password, role: "requester", organization: "Bench")
        let workers = (1...plan.workerCount).map { "worker\($0)@bench.local" }
        for worker in workers {
            try await cli.createUser(email: worker, password: Self.password, role: "worker", organization: nil)
        }

        let requesterToken = try await cli.createToken(email: requester)
        var workerTokens: [String] = []
        for worker in workers {
            workerTokens.append(try await cli.createToken(email: worker))
        }
        return BenchAccounts(requesterToken: requesterToken, workerTokens: workerTokens)
    }

    // MARK: Measurements

    private func measureClientCeiling(token: String) async throws {
        for concurrency in [1, plan.workerCount] {
            BenchLog.info("client ceiling: GET /healthz with \(concurrency) task(s)")
            let perSecond = try await BenchWorkloads.clientCeiling(
                api: api,
                token: token,
                concurrency: concurrency,
                duration: plan.ceilingDuration
            )
            rows.append(BenchRow(
                "client ceiling: `GET /healthz`, \(concurrency) concurrent task\(concurrency == 1 ? "" : "s")",
                result: "\(BenchFormat.rate(perSecond)) requests/s",
                target: "— (reference)"
            ))
        }
    }

    private func measureImports(accounts: BenchAccounts) async throws {
        for size in plan.importSizes {
            let label = BenchFormat.grouped(size)
            BenchLog.info("import of \(label) tasks")
            let projectID = try await api.createProject(name: "bench import \(label)", overlap: 1, token: accounts.requesterToken)
            let result = try await BenchWorkloads.importTasks(
                api: api,
                projectID: projectID,
                range: 0..<size,
                chunk: size,
                token: accounts.requesterToken
            )
            rows.append(importRow("import \(label) tasks (NDJSON, one request)", result))
        }
    }

    private func importRow(_ measurement: String, _ result: BenchImportResult) -> BenchRow {
        let target = BenchTarget.atLeast(100_000)
        return BenchRow(
            measurement,
            result: "\(BenchFormat.seconds(result.seconds)), \(BenchFormat.rate(result.tasksPerSecond)) tasks/s",
            target: ">= 100,000 tasks/s",
            missed: [target.missNote(for: result.tasksPerSecond)].compactMap { $0 }
        )
    }

    /// One worker, then all workers, each on a fresh project of `projectTasks` tasks (overlap 1).
    private func measureCycles(accounts: BenchAccounts, projectTasks: Int, chunk: Int) async throws {
        let label = BenchFormat.grouped(projectTasks)

        let single = try await prepareCycleProject(tasks: projectTasks, chunk: chunk, accounts: accounts, run: "1 worker")
        let singleResult = try await runTimedCycles(projectID: single, tokens: Array(accounts.workerTokens.prefix(1)))
        rows.append(singleWorkerRow("cycles, 1 worker, \(label)-task project", singleResult))

        let multi = try await prepareCycleProject(tasks: projectTasks, chunk: chunk, accounts: accounts, run: "\(plan.workerCount) workers")
        let multiResult = try await runTimedCycles(projectID: multi, tokens: accounts.workerTokens)
        rows.append(multiWorkerRow("cycles, \(plan.workerCount) workers, \(label)-task project", multiResult))
    }

    /// Activity pings: every worker on its own task, pinging for the cycle duration.
    private func measureActivity(accounts: BenchAccounts) async throws {
        let projectID = try await prepareCycleProject(tasks: plan.workerCount, chunk: plan.importChunk, accounts: accounts, run: "activity")
        BenchLog.info("activity pings, \(plan.workerCount) workers, \(plan.cycleDuration)")
        let result = try await BenchWorkloads.runActivity(api: api, projectID: projectID, workerTokens: accounts.workerTokens,
                                                          duration: plan.cycleDuration)
        let latency = result.cycleLatencies.percentiles([50, 99])
        rows.append(BenchRow(
            "activity pings, \(plan.workerCount) workers (`POST /tasks/{id}/activity`)",
            result: "\(BenchFormat.rate(result.cyclesPerSecond)) pings/s (\(BenchFormat.grouped(result.cycles)) in \(BenchFormat.seconds(result.elapsed))); "
                + "p50 \(BenchFormat.milliseconds(latency[0])), p99 \(BenchFormat.milliseconds(latency[1]))",
            target: ">= 1,000 pings/s (100,000 open pages at one ping per 10 s each is 10,000/s across servers)"
        ))
    }

    /// The 1M-task project: its import is timed (10 requests of 100k); both cycle runs share it,
    /// as a million tasks cannot run out in a few seconds.
    private func measureLargeProject(accounts: BenchAccounts, tasks: Int) async throws {
        let label = BenchFormat.grouped(tasks)
        let requests = (tasks + plan.importChunk - 1) / plan.importChunk
        BenchLog.info("import of \(label) tasks in \(requests) requests")
        let projectID = try await api.createProject(name: "bench cycles \(label)", overlap: 1, token: accounts.requesterToken)
        let load = try await BenchWorkloads.importTasks(
            api: api,
            projectID: projectID,
            range: 0..<tasks,
            chunk: plan.importChunk,
            token: accounts.requesterToken
        )
        rows.append(importRow(
            "import \(label) tasks (NDJSON, \(requests) requests of \(BenchFormat.grouped(plan.importChunk)))",
            load
        ))

        let singleResult = try await runTimedCycles(projectID: projectID, tokens: Array(accounts.workerTokens.prefix(1)))
        rows.append(singleWorkerRow("cycles, 1 worker, \(label)-task project", singleResult))
        let multiResult = try await runTimedCycles(projectID: projectID, tokens: accounts.workerTokens)
        rows.append(multiWorkerRow("cycles, \(plan.workerCount) workers, \(label)-task project", multiResult))
    }

    private func prepareCycleProject(tasks: Int, chunk: Int, accounts: BenchAccounts, run: String) async throws -> String {
        let label = BenchFormat.grouped(tasks)
        BenchLog.info("preparing a \(label)-task project for cycles (\(run))")
        return try await BenchWorkloads.prepareProject(
            api: api,
            name: "bench cycles \(label) \(run)",
            tasks: tasks,
            overlap: 1,
            chunk: chunk,
            token: accounts.requesterToken
        ).id
    }

    private func runTimedCycles(projectID: String, tokens: [String]) async throws -> BenchCycleResult {
        let single = tokens.count == 1
        BenchLog.info("next+submit cycles, \(tokens.count) worker(s), \(plan.cycleDuration)")
        return try await BenchWorkloads.runCycles(
            api: api,
            projectID: projectID,
            workerTokens: tokens,
            duration: plan.cycleDuration,
            maxCyclesPerWorker: single ? plan.singleWorkerMaxCycles : nil
        )
    }

    private func singleWorkerRow(_ measurement: String, _ result: BenchCycleResult) -> BenchRow {
        let target = BenchTarget.atLeast(1_000)
        return BenchRow(
            measurement,
            result: Self.describe(result),
            target: ">= 1,000 cycles/s",
            missed: [target.missNote(for: result.cyclesPerSecond)].compactMap { $0 }
        )
    }

    private func multiWorkerRow(_ measurement: String, _ result: BenchCycleResult) -> BenchRow {
        let throughput = BenchTarget.atLeast(1_500)
        let latency = BenchTarget.below(0.020)
        let p99 = result.cycleLatencies.percentiles([99])[0]
        var missed: [String] = []
        if let note = throughput.missNote(for: result.cyclesPerSecond) {
            missed.append("throughput " + note)
        }
        if let p99, let note = latency.missNote(for: p99) {
            missed.append("p99 " + note)
        }
        return BenchRow(
            measurement,
            result: Self.describe(result),
            target: ">= 1,500 cycles/s, p99 < 20 ms",
            missed: missed
        )
    }

    /// Exhausts a project with overlap 2 using all workers, then streams its JSONL export.
    private func measureExport(accounts: BenchAccounts) async throws {
        let label = BenchFormat.grouped(plan.exportTasks)
        BenchLog.info("preparing a \(label)-task project with overlap \(plan.exportOverlap) for the export")
        let projectID = try await BenchWorkloads.prepareProject(
            api: api,
            name: "bench export \(label)",
            tasks: plan.exportTasks,
            overlap: plan.exportOverlap,
            chunk: plan.importChunk,
            token: accounts.requesterToken
        ).id

        BenchLog.info("next+submit cycles, \(plan.workerCount) workers, until the project is done")
        let annotating = try await BenchWorkloads.runCycles(
            api: api,
            projectID: projectID,
            workerTokens: accounts.workerTokens,
            duration: nil
        )
        let progress = try await api.progress(projectID: projectID, token: accounts.requesterToken)
        rows.append(BenchRow(
            "cycles, \(plan.workerCount) workers, until done (\(label) tasks × overlap \(plan.exportOverlap))",
            result: "\(BenchFormat.seconds(annotating.elapsed)) for \(BenchFormat.grouped(annotating.cycles)) cycles; "
                + Self.describe(annotating, withCount: false)
                + "; \(BenchFormat.grouped(progress.tasksDone))/\(BenchFormat.grouped(progress.tasksTotal)) tasks done"
        ))

        BenchLog.info("export (JSONL, streamed)")
        let export = try await BenchWorkloads.export(api: api, projectID: projectID, token: accounts.requesterToken)
        var result = "\(BenchFormat.seconds(export.seconds)), \(BenchFormat.grouped(export.count.rows)) rows, "
            + "\(BenchFormat.rate(export.rowsPerSecond)) rows/s, \(BenchFormat.megabytes(bytes: export.count.bytes))"
        if export.count.rows != plan.exportTasks {
            result += " (expected \(label) rows)"
        }
        let target = BenchTarget.atLeast(100_000)
        rows.append(BenchRow(
            "export \(label) tasks × \(plan.exportOverlap) annotations (`format=jsonl`, streamed)",
            result: result,
            target: ">= 100,000 rows/s",
            missed: [target.missNote(for: export.rowsPerSecond)].compactMap { $0 }
        ))
    }

    private func measurePeakMemory() {
        guard let server else { return }
        let memory = BenchProcessMemory.read(pid: server.pid)
        guard let peak = memory.peakResidentKiB else {
            rows.append(BenchRow("server peak memory (VmHWM)", result: "n/a (no /proc)", target: "< 150 MB"))
            return
        }
        let megabytes = Double(peak) * 1024 / 1_000_000
        let target = BenchTarget.below(150)
        rows.append(BenchRow(
            "server peak memory (VmHWM)",
            result: BenchFormat.megabytes(kibibytes: peak),
            target: "< 150 MB",
            missed: [target.missNote(for: megabytes)].compactMap { $0 }
        ))
    }

    /// `1,234 cycles/s (3,000 cycles in 2.431 s); cycle p50 0.71 ms, p99 1.52 ms; request p50 0.35 ms, p99 0.90 ms`.
    private static func describe(_ result: BenchCycleResult, withCount: Bool = true) -> String {
        let cycle = result.cycleLatencies.percentiles([50, 99])
        let request = result.requestLatencies.percentiles([50, 99])
        var text = "\(BenchFormat.rate(result.cyclesPerSecond)) cycles/s"
        if withCount {
            text += " (\(BenchFormat.grouped(result.cycles)) cycles in \(BenchFormat.seconds(result.elapsed))"
            text += result.exhausted ? ", project ran out)" : ")"
        }
        text += "; cycle p50 \(BenchFormat.milliseconds(cycle[0])), p99 \(BenchFormat.milliseconds(cycle[1]))"
        text += "; request p50 \(BenchFormat.milliseconds(request[0])), p99 \(BenchFormat.milliseconds(request[1]))"
        return text
    }
}

/// The printed report: command line, machine, and the Markdown table.
enum BenchReport {
    static func render(rows: [BenchRow], commandLine: String, databaseURL: String?, binary: String) -> String {
        let info = ProcessInfo.processInfo
        let memoryGiB = Double(info.physicalMemory) / 1_073_741_824
        let database = databaseURL == nil ? "SQLite (fresh temporary data folder)" : "PostgreSQL (--database-url)"
        var lines = [
            "command: `\(commandLine)`",
            "",
            "machine: nproc \(info.activeProcessorCount), \(BenchFormat.fixed(memoryGiB, digits: 1)) GiB RAM, "
                + "\(info.operatingSystemVersionString); database: \(database); server: `\(binary)` with GLOSS_BCRYPT_COST=4",
            "",
            "| measurement | result | target |",
            "| --- | --- | --- |",
        ]
        for row in rows {
            lines.append("| \(cell(row.measurement)) | \(cell(row.result)) | \(cell(row.target)) |")
        }
        return lines.joined(separator: "\n")
    }

    /// Escapes `|` so a value cannot break the table.
    private static func cell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|")
    }

    /// Quotes an argument for display when it holds characters a shell would treat specially.
    static func shellQuoted(_ argument: String) -> String {
        let plain = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_./=:@,+%"))
        if !argument.isEmpty, argument.unicodeScalars.allSatisfy({ plain.contains($0) }) {
            return argument
        }
        return "'" + argument.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
