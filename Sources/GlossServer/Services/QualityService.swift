import Foundation
import GlossCore
import GlossStore
import SQLKit
import Vapor

/// The quality pipeline: what happens when a worker submits (gold scoring, spot checks, consensus, dynamic
/// overlap), when a reviewer decides, and when a worker flags a task. Each event is one transaction, so a
/// crash never leaves an annotation without its review item or a verdict without its rework.
struct QualityService {
    let context: GlossContext

    var quality: QualityRepository { context.quality }

    static func policy(json: String) -> QualityPolicy {
        guard let value = try? JSONValue.parse(json), let policy = try? QualityPolicy.parse(value) else { return .standard }
        return policy
    }

    static func scoringOptions(_ policy: QualityPolicy) -> ScoringOptions {
        var options = ScoringOptions()
        options.iouThreshold = policy.consensus.iouThreshold
        options.ratingTolerance = Int(policy.consensus.ratingTolerance)
        options.ratingAggregate = policy.consensus.ratings == .mean ? .mean : .median
        return options
    }

    // MARK: Submit

    /// Stores a validated annotation and runs the pipeline's submit steps in the same transaction: a rework
    /// becomes the chain's next version and goes back to review; a gold task is scored; anything else may be
    /// spot-checked (always, when the worker confirmed a soft rule), and a task that has all its answers gets
    /// its consensus, or asks for one more answer when they disagree.
    func submit(task: TaskContext, schema: LabelSchema, principal: Principal, valueJSON: String, timeSpentSeconds: Double,
                softViolations: [RuleViolation]) async throws -> StoredAnnotation {
        let policy = Self.policy(json: task.qualityPolicyJSON)
        let now = Store.now()
        let workerID = principal.id
        let softRulesJSON = softViolations.isEmpty ? nil
            : JSONValue.array(softViolations.map { .object(["field": .string($0.field), "message": .string($0.message)]) }).jsonText
        let quality = self.quality
        let pay = PayService(context: context)
        let stored = try await context.store.write { sql -> StoredAnnotation in
            let known = try await quality.submitContext(taskID: task.id, workerID: workerID, on: sql)
            if let rework = known.rework {
                let (versionID, version) = try await quality.insertVersion(rootID: rework.rootID, authorID: workerID, valueJSON: valueJSON,
                                                                timeSpentSeconds: timeSpentSeconds, origin: "rework", status: "submitted",
                                                                guidelinesVersion: task.guidelinesVersion, softRulesJSON: softRulesJSON, now: now, on: sql)
                try await quality.closeRework(id: rework.id, status: "done", now: now, on: sql)
                try await pay.finishTask(taskID: task.id, projectID: task.projectID, workerID: workerID, submittedFirstVersion: false,
                                         failedGold: false, rules: policy.time, on: sql)
                try await quality.enqueueReview(projectID: task.projectID, taskID: task.id, annotationID: versionID, rootID: rework.rootID,
                                                workerID: workerID, stage: "review", reason: "rework", now: now, on: sql)
                try await refreshFinal(task: task, schema: schema, policy: policy, allowMoreAnswers: false, on: sql)
                return StoredAnnotation(id: versionID, taskID: task.id, projectID: task.projectID, worker: principal.user.email, valueJSON: valueJSON,
                                        timeSpentSeconds: timeSpentSeconds, createdAt: now, version: version, status: "submitted",
                                        guidelinesVersion: task.guidelinesVersion)
            }
            let annotationID = UUID()
            guard try await quality.insertFirstVersion(id: annotationID, task: task, workerID: workerID, valueJSON: valueJSON,
                                                       timeSpentSeconds: timeSpentSeconds, guidelinesVersion: task.guidelinesVersion,
                                                       softRulesJSON: softRulesJSON, now: now, on: sql) else { throw LeaseError.noLease }
            let annotation = StoredAnnotation(id: annotationID, taskID: task.id, projectID: task.projectID, worker: principal.user.email,
                                              valueJSON: valueJSON, timeSpentSeconds: timeSpentSeconds, createdAt: now,
                                              guidelinesVersion: task.guidelinesVersion)
            if let goldJSON = known.goldJSON {
                let gold = (try? JSONValue.parse(goldJSON)) ?? .null
                let value = (try? JSONValue.parse(valueJSON)) ?? .null
                let score = schema.score(value, against: gold, options: Self.scoringOptions(policy))
                let fields = JSONValue.object(score.fields.mapValues { .number(($0 * 10_000).rounded() / 10_000) }).jsonText
                try await quality.insertGoldResult(annotationID: annotationID, task: task, workerID: workerID, score: score.overall,
                                                   fieldsJSON: fields, now: now, on: sql)
                try await observe(projectID: task.projectID, workerID: workerID,
                                  QualitySums(annotations: 1, goldCount: 1, goldSum: score.overall), policy: policy, on: sql)
                try await pay.finishTask(taskID: task.id, projectID: task.projectID, workerID: workerID, submittedFirstVersion: true,
                                         failedGold: score.overall < policy.goldPassScore, rules: policy.time, on: sql)
                return annotation
            }
            let standing = try await quality.addToStanding(projectID: task.projectID, workerID: workerID, QualitySums(annotations: 1), on: sql)
            let sums = standing.sums
            let rate = policy.spotCheckRate(annotationsBefore: sums.annotations - 1, reviewed: sums.reviewCount,
                                            quality: sums.reviewCount > 0 ? sums.reviewSum / Double(sums.reviewCount) : nil,
                                            status: WorkerQualityStatus(rawValue: standing.status) ?? .active)
            var generator = SystemRandomNumberGenerator()
            if !softViolations.isEmpty {
                try await quality.enqueueReview(projectID: task.projectID, taskID: task.id, annotationID: annotationID, rootID: annotationID,
                                                workerID: workerID, stage: "review", reason: "soft_rule",
                                                comment: softViolations.map(\.message).joined(separator: "; "), now: now, on: sql)
            } else if QualityPolicy.shouldSample(rate: rate, using: &generator) {
                try await quality.enqueueReview(projectID: task.projectID, taskID: task.id, annotationID: annotationID, rootID: annotationID,
                                                workerID: workerID, stage: "review", reason: "spot_check", now: now, on: sql)
            }
            try await refreshFinal(task: task, schema: schema, policy: policy, allowMoreAnswers: true, on: sql)
            try await pay.finishTask(taskID: task.id, projectID: task.projectID, workerID: workerID, submittedFirstVersion: true,
                                     failedGold: false, rules: policy.time, on: sql)
            return annotation
        }
        return stored
    }

    /// Recomputes a task's final answer from the current, not rejected answers, once the task has all the
    /// answers it asked for: one answer is the answer; several give a consensus, and each worker's agreement
    /// with it feeds their quality. With dynamic overlap, answers that disagree ask for one more answer instead.
    /// An adjudicated answer is never replaced.
    func refreshFinal(task: TaskContext, schema: LabelSchema, policy: QualityPolicy, allowMoreAnswers: Bool, on sql: any SQLDatabase) async throws {
        let progress = try await quality.progressAndAnswers(taskID: task.id, on: sql)
        guard progress.target > 0 else { return }
        let answers = progress.answers
        // Until the task has all its answers (again: a reassigned rejection asks one more), it has no final
        // answer and nobody's agreement with a consensus counts.
        guard !answers.isEmpty, progress.annotations >= progress.target else {
            try await quality.deleteFinal(taskID: task.id, on: sql)
            try await replaceConsensusScores(task: task, with: [], policy: policy, on: sql)
            return
        }
        let values = answers.map { (try? JSONValue.parse($0.valueJSON)) ?? .null }
        if values.count == 1 {
            try await replaceConsensusScores(task: task, with: [], policy: policy, on: sql)
            let source = answers[0].status == "submitted" ? "single" : "reviewed"
            try await quality.setFinal(taskID: task.id, projectID: task.projectID, taskSeq: task.seq, valueJSON: answers[0].valueJSON, source: source,
                                       confidence: 1, agreement: 1, answers: 1, decidedBy: nil, overriding: false, on: sql)
            return
        }
        let options = Self.scoringOptions(policy)
        let result = schema.consensus(of: values, options: options)
        if allowMoreAnswers, policy.needsMoreAnswers(agreement: result.agreement, answers: values.count, baseOverlap: task.overlap) {
            try await quality.raiseTarget(taskID: task.id, projectID: task.projectID, on: sql)
        }
        let autoAccepted = policy.autoAccept.consensusConfidence.map { result.confidence >= $0 } ?? false
        try await quality.setFinal(taskID: task.id, projectID: task.projectID, taskSeq: task.seq, valueJSON: result.value.jsonText,
                                   source: autoAccepted ? "auto_accepted" : "consensus", confidence: result.confidence,
                                   agreement: result.agreement, answers: values.count, decidedBy: nil, overriding: false, on: sql)
        var scores: [(rootID: UUID, workerID: UUID, score: Double)] = []
        for (answer, value) in zip(answers, values) {
            scores.append((answer.rootID, answer.workerID, schema.similarity(value, result.value, options: options)))
        }
        try await replaceConsensusScores(task: task, with: scores, policy: policy, on: sql)
    }

    /// Each worker's agreement with the task's consensus replaces what an earlier consensus of the task gave
    /// them (none: the task has no consensus now), in their running sums too.
    func replaceConsensusScores(task: TaskContext, with scores: [(rootID: UUID, workerID: UUID, score: Double)], policy: QualityPolicy,
                                on sql: any SQLDatabase) async throws {
        var deltas: [UUID: QualitySums] = [:]
        for replaced in try await quality.setConsensusScores(taskID: task.id, projectID: task.projectID, scores: scores, on: sql) {
            deltas[replaced.workerID, default: QualitySums()].consensusCount -= 1
            deltas[replaced.workerID, default: QualitySums()].consensusSum -= replaced.score
        }
        for score in scores {
            deltas[score.workerID, default: QualitySums()].consensusCount += 1
            deltas[score.workerID, default: QualitySums()].consensusSum += score.score
        }
        for (workerID, delta) in deltas.sorted(by: { $0.key.uuidString < $1.key.uuidString }) {
            try await observe(projectID: task.projectID, workerID: workerID, delta, policy: policy, on: sql)
        }
    }

    /// Adds observations to a worker's running sums on a project, and sets the score and status they give.
    @discardableResult
    func observe(projectID: UUID, workerID: UUID, _ delta: QualitySums, policy: QualityPolicy, on sql: any SQLDatabase) async throws -> WorkerQualityStatus {
        let sums = try await quality.addToStanding(projectID: projectID, workerID: workerID, delta, on: sql).sums
        let observations = Self.observations(sums)
        let status = observations.status(policy: policy)
        try await quality.setStanding(projectID: projectID, workerID: workerID, status: status.rawValue,
                                      score: observations.score, observations: observations.count, on: sql)
        return status
    }

    /// A task taken out of gold: back in the queue (asking for no fewer answers than it already has) and its
    /// final answer made from them, in one transaction.
    func unsetGold(task: TaskContext, schema: LabelSchema) async throws -> Bool {
        let quality = self.quality
        let policy = Self.policy(json: task.qualityPolicyJSON)
        return try await context.store.write { sql in
            guard try await quality.unsetGold(taskID: task.id, projectID: task.projectID, overlap: task.overlap, on: sql) else { return false }
            try await refreshFinal(task: task, schema: schema, policy: policy, allowMoreAnswers: false, on: sql)
            return true
        }
    }

    static func observations(_ sums: QualitySums) -> WorkerQualityObservations {
        WorkerQualityObservations(goldCount: sums.goldCount, goldSum: sums.goldSum, reviewCount: sums.reviewCount, reviewSum: sums.reviewSum,
                                  consensusCount: sums.consensusCount, consensusSum: sums.consensusSum)
    }

    // MARK: Reviews

    enum Verdict: String, CaseIterable {
        case accept, reject, correct, escalate, resolve
    }

    /// Applies a reviewer's verdict, with its consequences, in one transaction: accept (and maybe sample for
    /// the expert stage), reject (rework for the worker with the comment, or one more answer from someone
    /// else), correct (a new version by the reviewer; the worker's stays), escalate to the experts, or resolve
    /// a flag or a disagreement (optionally setting the task's final answer).
    func decide(item: ReviewItem, task: TaskContext, schema: LabelSchema, reviewerID: UUID, verdict: Verdict, comment: String?,
                correctionJSON: String?, finalJSON: String?, specialty: String?) async throws {
        let policy = Self.policy(json: task.qualityPolicyJSON)
        let now = Store.now()
        let quality = self.quality
        try await context.store.write { sql in
            var correctionID: UUID?
            if verdict == .correct, let rootID = item.rootID, let correctionJSON {
                correctionID = try await quality.insertVersion(rootID: rootID, authorID: reviewerID, valueJSON: correctionJSON, timeSpentSeconds: 0,
                                                               origin: "correction", status: "corrected", guidelinesVersion: task.guidelinesVersion,
                                                               softRulesJSON: nil, now: now, on: sql).id
            }
            guard try await quality.decide(reviewID: item.id, reviewerID: reviewerID, verdict: verdict.rawValue, comment: comment,
                                           correctionID: correctionID, now: now, on: sql) else {
                throw Problem.conflict("This review is no longer yours: its lease ran out or it was decided.")
            }
            switch verdict {
            case .accept:
                if let rootID = item.rootID {
                    try await quality.setChainStatus(rootID: rootID, status: "accepted", on: sql)
                    var generator = SystemRandomNumberGenerator()
                    if item.stage == "review", policy.expertSampled(using: &generator) {
                        try await quality.enqueueReview(projectID: item.projectID, taskID: item.taskID, annotationID: item.annotationID, rootID: rootID,
                                                        workerID: item.workerID, stage: "expert", reason: "sample", now: now, on: sql)
                    }
                }
            case .reject:
                if let rootID = item.rootID, let workerID = item.workerID {
                    try await quality.setChainStatus(rootID: rootID, status: "rejected", on: sql)
                    try await PayService(context: context).reviewRejected(taskID: item.taskID, workerID: workerID, rules: policy.time, on: sql)
                    switch policy.onRejected {
                    case .rework:
                        try await quality.insertRework(projectID: item.projectID, taskID: item.taskID, workerID: workerID, rootID: rootID,
                                                       reviewID: item.id, comment: comment ?? "", now: now, on: sql)
                    case .reassign:
                        try await quality.raiseTarget(taskID: item.taskID, projectID: item.projectID, on: sql)
                    }
                }
            case .correct:
                break
            case .escalate:
                try await quality.enqueueReview(projectID: item.projectID, taskID: item.taskID, annotationID: item.annotationID, rootID: item.rootID,
                                                workerID: item.workerID, flagID: item.flagID, stage: "expert", reason: "escalated",
                                                specialty: specialty ?? item.specialty, comment: comment, now: now, on: sql)
            case .resolve:
                if let flagID = item.flagID {
                    try await quality.resolveFlag(id: flagID, resolution: comment, now: now, on: sql)
                }
            }
            if let finalJSON {
                try await quality.setFinal(taskID: task.id, projectID: task.projectID, taskSeq: task.seq, valueJSON: finalJSON, source: "adjudicated",
                                           confidence: 1, agreement: 0, answers: 0, decidedBy: reviewerID, overriding: true, on: sql)
            } else if item.rootID != nil, verdict != .escalate {
                try await refreshFinal(task: task, schema: schema, policy: policy, allowMoreAnswers: false, on: sql)
            }
            if let workerID = item.workerID, let observation = WorkerQualityObservations.ReviewVerdict(rawValue: verdict.rawValue) {
                var delta = QualitySums(reviewCount: 1, reviewSum: observation.score)
                if verdict == .reject { delta.rejected = 1 }
                if verdict == .correct { delta.corrected = 1 }
                let status = try await observe(projectID: item.projectID, workerID: workerID, delta, policy: policy, on: sql)
                // A worker this verdict paused gets no more tasks, so their rework goes to someone else.
                if verdict == .reject, status == .paused,
                   let rework = try await quality.openRework(taskID: item.taskID, workerID: workerID, on: sql) {
                    try await quality.closeRework(id: rework.id, status: "declined", now: now, on: sql)
                    try await quality.raiseTarget(taskID: item.taskID, projectID: item.projectID, on: sql)
                }
            }
        }
    }

    // MARK: Flags

    /// A worker's flag on a task: recorded with the guidelines' version, and queued for the experts of its
    /// specialty.
    func flag(task: TaskContext, workerID: UUID, kind: String, note: String, specialty: String?) async throws -> UUID {
        let now = Store.now()
        let quality = self.quality
        return try await context.store.write { sql in
            let flagID = try await quality.insertFlag(projectID: task.projectID, taskID: task.id, workerID: workerID, kind: kind, note: note,
                                                      specialty: specialty, guidelinesVersion: task.guidelinesVersion, now: now, on: sql)
            try await quality.enqueueReview(projectID: task.projectID, taskID: task.id, annotationID: nil, rootID: nil, workerID: workerID,
                                            flagID: flagID, stage: "expert", reason: "flag", specialty: specialty, comment: note, now: now, on: sql)
            return flagID
        }
    }

    /// Sets a task's final answer by adjudication.
    func adjudicate(task: TaskContext, valueJSON: String, by userID: UUID) async throws {
        let quality = self.quality
        try await context.store.write { sql in
            try await quality.setFinal(taskID: task.id, projectID: task.projectID, taskSeq: task.seq, valueJSON: valueJSON, source: "adjudicated",
                                       confidence: 1, agreement: 0, answers: 0, decidedBy: userID, overriding: true, on: sql)
        }
    }
}

extension Request {
    var qualityService: QualityService { QualityService(context: gloss) }
}
