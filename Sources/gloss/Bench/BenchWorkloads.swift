import Foundation

/// The outcome of a run of next+submit cycles by one or more workers.
struct BenchCycleResult: Sendable {
    var cycles = 0
    /// Wall-clock seconds of the whole run (all workers).
    var elapsed: Double = 0
    /// `next` + `submit` together, per cycle.
    var cycleLatencies = BenchLatencies()
    /// Each `next` and each `submit` on its own.
    var requestLatencies = BenchLatencies()
    /// Some worker got 204 from `next` (nothing left for it).
    var exhausted = false

    var cyclesPerSecond: Double { elapsed > 0 ? Double(cycles) / elapsed : 0 }

    mutating func merge(_ other: BenchCycleResult) {
        cycles += other.cycles
        cycleLatencies.append(contentsOf: other.cycleLatencies)
        requestLatencies.append(contentsOf: other.requestLatencies)
        exhausted = exhausted || other.exhausted
    }
}

/// An import measured on its own (generation of the body is not timed).
struct BenchImportResult: Sendable {
    let tasks: Int
    let seconds: Double

    var tasksPerSecond: Double { seconds > 0 ? Double(tasks) / seconds : 0 }
}

/// A streamed export.
struct BenchExportResult: Sendable {
    let count: BenchExportCount
    let seconds: Double

    var rowsPerSecond: Double { seconds > 0 ? Double(count.rows) / seconds : 0 }
}

/// The measured workloads, each a small function over `BenchAPI`.
enum BenchWorkloads {
    /// `GET /healthz` in a loop from `concurrency` tasks for `duration`: requests per second the
    /// client and server manage on the cheapest route.
    static func clientCeiling(api: BenchAPI, token: String, concurrency: Int, duration: Duration) async throws -> Double {
        let clock = ContinuousClock()
        let start = clock.now
        let deadline = start + duration
        let total = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<concurrency {
                group.addTask {
                    var requests = 0
                    while clock.now < deadline {
                        let status = try await api.health(token: token)
                        guard status == .ok else {
                            throw BenchError("GET /healthz answered \(status.code)")
                        }
                        requests += 1
                    }
                    return requests
                }
            }
            return try await group.reduce(0, +)
        }
        let elapsed = (clock.now - start).benchSeconds
        return elapsed > 0 ? Double(total) / elapsed : 0
    }

    /// Imports tasks `range` (numbered for their text and external id) into a project in as many
    /// requests as `chunk` demands; only the requests are timed.
    static func importTasks(
        api: BenchAPI,
        projectID: String,
        range: Range<Int>,
        chunk: Int,
        token: String
    ) async throws -> BenchImportResult {
        let clock = ContinuousClock()
        var timed = Duration.zero
        var lower = range.lowerBound
        while lower < range.upperBound {
            let upper = min(lower + chunk, range.upperBound)
            let body = BenchTaskFile.ndjson(range: lower..<upper)
            let start = clock.now
            let imported = try await api.importTasks(projectID: projectID, ndjson: body, token: token)
            timed += clock.now - start
            guard imported == upper - lower else {
                throw BenchError("import into project \(projectID): sent \(upper - lower) tasks, server says imported \(imported)")
            }
            lower = upper
        }
        return BenchImportResult(tasks: range.count, seconds: timed.benchSeconds)
    }

    /// Creates a project and fills it (not timed: setup for cycles and export).
    static func prepareProject(
        api: BenchAPI,
        name: String,
        tasks: Int,
        overlap: Int,
        chunk: Int,
        token: String
    ) async throws -> (id: String, load: BenchImportResult) {
        let id = try await api.createProject(name: name, overlap: overlap, token: token)
        let load = try await importTasks(api: api, projectID: id, range: 0..<tasks, chunk: chunk, token: token)
        return (id, load)
    }

    /// One worker per token, all at once, each doing next+submit until `duration` has passed,
    /// `maxCyclesPerWorker` is reached, or `next` answers 204. A nil duration runs until exhausted.
    static func runCycles(
        api: BenchAPI,
        projectID: String,
        workerTokens: [String],
        duration: Duration?,
        maxCyclesPerWorker: Int? = nil
    ) async throws -> BenchCycleResult {
        let clock = ContinuousClock()
        let start = clock.now
        let deadline = duration.map { start + $0 }
        var combined = try await withThrowingTaskGroup(of: BenchCycleResult.self) { group in
            for token in workerTokens {
                group.addTask {
                    try await BenchWorkloads.workerLoop(
                        api: api,
                        projectID: projectID,
                        token: token,
                        deadline: deadline,
                        maxCycles: maxCyclesPerWorker
                    )
                }
            }
            var result = BenchCycleResult()
            for try await workerResult in group {
                result.merge(workerResult)
            }
            return result
        }
        combined.elapsed = (clock.now - start).benchSeconds
        return combined
    }

    private static func workerLoop(
        api: BenchAPI,
        projectID: String,
        token: String,
        deadline: ContinuousClock.Instant?,
        maxCycles: Int?
    ) async throws -> BenchCycleResult {
        let clock = ContinuousClock()
        var result = BenchCycleResult()
        while !reached(deadline, clock: clock), result.cycles < (maxCycles ?? Int.max) {
            let cycleStart = clock.now
            guard let taskID = try await api.nextTask(projectID: projectID, token: token) else {
                result.exhausted = true
                break
            }
            let leased = clock.now
            try await api.submitAnnotation(taskID: taskID, token: token)
            let submitted = clock.now
            result.cycles += 1
            result.requestLatencies.record(leased - cycleStart)
            result.requestLatencies.record(submitted - leased)
            result.cycleLatencies.record(submitted - cycleStart)
        }
        return result
    }

    /// Each worker leases one task and sends activity pings on it (the labeling page's active-time signal,
    /// every 10 s per open page in production) as fast as it can until `duration` has passed. `cycles` counts pings.
    static func runActivity(api: BenchAPI, projectID: String, workerTokens: [String], duration: Duration) async throws -> BenchCycleResult {
        let clock = ContinuousClock()
        let start = clock.now
        let deadline = start + duration
        var combined = try await withThrowingTaskGroup(of: BenchCycleResult.self) { group in
            for (index, token) in workerTokens.enumerated() {
                group.addTask {
                    var result = BenchCycleResult()
                    guard let taskID = try await api.nextTask(projectID: projectID, token: token) else {
                        result.exhausted = true
                        return result
                    }
                    let tab = "benchtab\(index)"
                    while clock.now < deadline {
                        let sent = clock.now
                        try await api.activity(taskID: taskID, tab: tab, seq: result.cycles + 1, token: token)
                        result.cycles += 1
                        result.cycleLatencies.record(clock.now - sent)
                        result.requestLatencies.record(clock.now - sent)
                    }
                    return result
                }
            }
            var result = BenchCycleResult()
            for try await workerResult in group { result.merge(workerResult) }
            return result
        }
        combined.elapsed = (clock.now - start).benchSeconds
        return combined
    }

    private static func reached(_ deadline: ContinuousClock.Instant?, clock: ContinuousClock) -> Bool {
        guard let deadline else { return false }
        return clock.now >= deadline
    }

    /// Streams the JSONL export of a project, timing the whole response.
    static func export(api: BenchAPI, projectID: String, token: String) async throws -> BenchExportResult {
        let clock = ContinuousClock()
        let start = clock.now
        let count = try await api.streamExport(projectID: projectID, token: token)
        return BenchExportResult(count: count, seconds: (clock.now - start).benchSeconds)
    }
}
