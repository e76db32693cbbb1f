import Foundation
import GlossCore
import GlossStore
import NIOConcurrencyHelpers
import Vapor

/// Runs the pre-label job queue: takes due jobs from the database (any number of servers may, each job goes
/// to one), calls the job's endpoint with the task, checks the answer against the schema and adds it to the
/// task's pre-labels. A slow, failing or unreachable endpoint is retried with exponential backoff up to its
/// attempts; an answer that does not fit the schema fails at once. Either way the task stays as imported and
/// the error is kept on the job for the requester to see.
final class PrelabelRunner: LifecycleHandler, Sendable {
    let context: GlossContext
    let retryBaseSeconds: Double
    let batchSize = 8
    private let loop = NIOLockedValueBox<Task<Void, Never>?>(nil)

    init(context: GlossContext, retryBaseSeconds: Double) {
        self.context = context
        self.retryBaseSeconds = retryBaseSeconds
    }

    func didBootAsync(_ application: Application) async throws {
        start()
    }

    func shutdownAsync(_ application: Application) async {
        let running = loop.withLockedValue { task -> Task<Void, Never>? in
            defer { task = nil }
            return task
        }
        running?.cancel()
        await running?.value
    }

    private let inFlight = NIOLockedValueBox(0)

    /// Keeps up to `batchSize` calls running: a free slot takes the next due job at once, so one slow
    /// endpoint holds one slot, not the queue.
    func start() {
        loop.withLockedValue { task in
            guard task == nil else { return }
            task = Task { [self] in
                await withDiscardingTaskGroup { group in
                    while !Task.isCancelled {
                        let free = batchSize - inFlight.withLockedValue { $0 }
                        var jobs: [PrelabelJob] = []
                        if free > 0 {
                            do {
                                jobs = try await context.models.claim(limit: free)
                            } catch {
                                if !Task.isCancelled { context.store.logger.report(error: error) }
                            }
                        }
                        for job in jobs {
                            inFlight.withLockedValue { $0 += 1 }
                            group.addTask {
                                await self.run(job)
                                self.inFlight.withLockedValue { $0 -= 1 }
                            }
                        }
                        if jobs.isEmpty { try? await Task.sleep(for: .milliseconds(250)) }
                    }
                }
            }
        }
    }

    /// Takes the jobs that are due (at most a batch) and runs them to the end; how many it ran. For tests and
    /// tools that step the queue.
    @discardableResult
    func runDueJobs() async throws -> Int {
        let jobs = try await context.models.claim(limit: batchSize)
        await withTaskGroup(of: Void.self) { group in
            for job in jobs {
                group.addTask { await self.run(job) }
            }
        }
        return jobs.count
    }

    /// The wait before the next try after `attempts` tries: base, 2 × base, 4 × base ..., at most 5 minutes.
    func retryDelay(afterAttempts attempts: Int) -> Double {
        min(300, retryBaseSeconds * pow(2, Double(max(0, attempts - 1))))
    }

    func run(_ job: PrelabelJob) async {
        do {
            guard let work = try await context.models.work(for: job) else { return }
            let endpoint = work.endpoint
            let answer: JSONValue
            let request = try Self.request(work, taskID: job.taskID)
            do {
                answer = try await context.modelClient.post(request, to: endpoint)
            } catch {
                let retry = error.isTransient && job.attempts < endpoint.maxAttempts
                try await context.models.fail(job, error: "\(error)" + (retry ? "; trying again" : ""),
                                              retryAt: retry ? Store.now() + retryDelay(afterAttempts: job.attempts) : nil)
                return
            }
            switch try await prelabel(from: answer, work: work) {
            case .success(let prelabel): try await context.models.complete(job, prelabel: prelabel)
            case .failure(let reason): try await context.models.fail(job, error: "the answer of '\(endpoint.name)' \(reason)", retryAt: nil)
            }
        } catch {
            // Gloss's own trouble (the database, stored data): retried like a slow endpoint, then failed.
            context.store.logger.report(error: error)
            let retry = job.attempts < ModelEndpoint.defaultMaximumAttempts
            try? await context.models.fail(job, error: "Gloss could not run this job: \(error)",
                                           retryAt: retry ? Store.now() + retryDelay(afterAttempts: job.attempts) : nil)
        }
    }

    /// What the endpoint receives: the task (id, external id, data), the project and its schema.
    static func request(_ work: PrelabelWork, taskID: UUID) throws -> JSONValue {
        var task: [String: JSONValue] = ["id": .string(taskID.text), "data": try JSONValue.parse(work.dataJSON)]
        if let externalID = work.externalID { task["external_id"] = .string(externalID) }
        return .object(["task": .object(task), "project_id": .string(work.projectID.text), "schema": try JSONValue.parse(work.schemaJSON)])
    }

    /// The pre-label stored for an answer `{value, score?, model?}` (the endpoint's name when it names no
    /// model; other keys are ignored), or why the answer does not fit: checked as an imported pre-label is.
    func prelabel(from answer: JSONValue, work: PrelabelWork) async throws -> Result<JSONValue, PrelabelAnswerError> {
        guard var object = answer.objectValue, object["value"] != nil else {
            return .failure(PrelabelAnswerError("has no 'value' (expected {\"value\": {...}, \"score\"?: n, \"model\"?: name})"))
        }
        object = object.filter { ["model", "score", "value"].contains($0.key) }
        if object["model"]?.stringValue?.isEmpty != false { object["model"] = .string(work.endpoint.name) }
        let schema = try context.schemas.schema(projectID: work.projectID, updatedAt: work.projectUpdatedAt, json: work.schemaJSON)
        let data = try JSONValue.parse(work.dataJSON).objectValue ?? [:]
        let taxonomies = try await context.taxonomyCache.taxonomies(for: schema, projectID: work.projectID, repository: context.taxonomies)
        do {
            return .success(try ImportedTask.prelabel(.object(object), path: "answer", schema: schema, data: data, taxonomies: taxonomies))
        } catch {
            return .failure(PrelabelAnswerError("does not fit the schema: \(error)"))
        }
    }

    struct PrelabelAnswerError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}
