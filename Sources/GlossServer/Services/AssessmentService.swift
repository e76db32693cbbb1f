import Foundation
import GlossCore
import GlossStore
import SQLKit
import Vapor

/// Assessments and their attempts: the clock runs on the server, work in progress is saved as it comes, a
/// submit is accepted exactly once (the database decides), auto-scored items are scored by the quality
/// issue's scorers, written ones wait for a grader, and a passing attempt grants the tracks it unlocks.
struct AssessmentService {
    let context: GlossContext

    var workforce: WorkforceRepository { context.workforce }

    /// Seconds a submit may come after the deadline (a request in flight when the clock ran out).
    static let graceSeconds = 5.0

    static func definition(_ row: WorkforceRepository.AssessmentRow) throws -> AssessmentDefinition {
        do {
            return try AssessmentDefinition.parse(try JSONValue.parse(row.definitionJSON))
        } catch {
            throw Problem(.internalServerError, "The assessment is damaged")
        }
    }

    // MARK: Listing

    struct Taker {
        var user: UserModel
        var userID: UUID
        var emailKey: String
        var profile: WorkforceRepository.ProfileRow
        var counts: [UUID: Int]
        var attempts: [WorkforceRepository.AttemptRow]
    }

    func taker(_ principal: Principal) async throws -> Taker {
        guard let key = AccountRules.assessmentKey(principal.user.email) else { throw Problem.forbidden("This account has no e-mail address.") }
        try await closeExpired(userID: principal.id, user: principal.user)
        return Taker(user: principal.user, userID: principal.id, emailKey: key, profile: try await workforce.profile(userID: principal.id),
                     counts: try await workforce.attemptCounts(emailKey: key), attempts: try await workforce.attempts(userID: principal.id))
    }

    /// Why a worker cannot start an assessment now; nil when they can.
    func whyNot(_ assessment: WorkforceRepository.AssessmentRow, taker: Taker) -> String? {
        let status = WorkerStatus(rawValue: taker.user.workerStatus) ?? .applicant
        if taker.attempts.contains(where: { $0.assessmentID == assessment.id && $0.status == "in_progress" }) {
            return "An attempt is in progress."
        }
        let used = taker.counts[assessment.id] ?? 0
        if assessment.attemptsAllowed > 0, used >= assessment.attemptsAllowed {
            return assessment.attemptsAllowed == 1 ? "You have used your one attempt." : "You have used all \(assessment.attemptsAllowed) attempts."
        }
        switch assessment.kind {
        case "starter":
            if assessment.path != nil, assessment.path != taker.profile.path { return "This starter assessment is for the \(assessment.path ?? "") path." }
            guard status == .applicant else { return "The starter assessment is part of applying; you have passed that step." }
            if taker.profile.submittedAt == nil { return "Submit your application first." }
        case "practice":
            return "Practice sets are not timed: open them from the practice page."
        default:
            if status == .suspended { return "Your account is suspended." }
            guard status == .approved else { return "Specialist assessments open once your application is approved." }
        }
        return nil
    }

    func summary(_ assessment: WorkforceRepository.AssessmentRow, definition: AssessmentDefinition?, taker: Taker?) -> [String: JSONValue] {
        let latest = taker?.attempts.first { $0.assessmentID == assessment.id }
        let reason: String? = if let taker { whyNot(assessment, taker: taker) } else { "Sign in as a worker to take it." }
        return [
            "id": .string(assessment.id.text), "slug": .string(assessment.slug), "title": .string(assessment.title),
            "description": .string(assessment.description), "kind": .string(assessment.kind), "path": WorkforceDTO.optional(assessment.path),
            "time_limit_s": .number(Double(assessment.timeLimitSeconds)), "attempts_allowed": .number(Double(assessment.attemptsAllowed)),
            "attempts_used": .number(Double(taker?.counts[assessment.id] ?? 0)), "unlocks": .array(assessment.unlocks.map { .string($0) }),
            "item_count": .number(Double(definition?.items.count ?? 0)), "can_start": .bool(reason == nil), "why_not": WorkforceDTO.optional(reason),
            "latest_attempt": latest.map { WorkforceDTO.attemptSummary($0, title: assessment.title) } ?? .null,
        ]
    }

    /// The assessments a worker may see: the starter of their path, specialist assessments and practice sets.
    func summaries(for principal: Principal) async throws -> [JSONValue] {
        let taker = try await taker(principal)
        return try await workforce.assessments().filter { $0.kind != "starter" || $0.path == nil || $0.path == taker.profile.path }.map {
            .object(summary($0, definition: try? Self.definition($0), taker: taker))
        }
    }

    // MARK: Attempts

    func attemptJSON(_ attempt: WorkforceRepository.AttemptRow, assessment: WorkforceRepository.AssessmentRow, now: Double) throws -> JSONValue {
        guard case .object(var object) = WorkforceDTO.attemptSummary(attempt, title: assessment.title) else { return .null }
        let open = attempt.status == "in_progress"
        object["time_left_s"] = .number(open ? max(0, (attempt.deadlineAt - now).rounded(.down)) : 0)
        object["saved_at"] = WorkforceDTO.optionalTime(attempt.savedAt)
        object["items"] = WorkforceDTO.publicItems(try Self.definition(assessment))
        object["answers"] = (try? JSONValue.parse(attempt.answersJSON)) ?? .object([:])
        object["result"] = WorkforceDTO.result(attempt)
        return .object(object)
    }

    /// The attempt if the caller took it (or is an admin); anyone else gets 404.
    func ownAttempt(_ id: UUID, principal: Principal) async throws -> (WorkforceRepository.AttemptRow, WorkforceRepository.AssessmentRow) {
        guard let attempt = try await workforce.attempt(id: id), attempt.userID == principal.id || principal.isAdmin,
              let assessment = try await workforce.assessment(id: attempt.assessmentID) else { throw Problem.notFound }
        return (attempt, assessment)
    }

    func start(assessmentID: UUID, principal: Principal) async throws -> JSONValue {
        guard principal.role == .worker else { throw Problem.forbidden("Assessments are taken with a worker account.") }
        guard let assessment = try await workforce.assessment(id: assessmentID) else { throw Problem.notFound }
        let taker = try await taker(principal)
        if let reason = whyNot(assessment, taker: taker) { throw Problem.conflict(reason) }
        let now = Store.now()
        let limit = assessment.timeLimitSeconds > 0 ? Double(assessment.timeLimitSeconds) : 10 * 365 * 86_400
        guard let attempt = try await workforce.startAttempt(
            id: UUID(), assessmentID: assessment.id, userID: principal.id, emailKey: taker.emailKey,
            attemptNumber: (taker.counts[assessment.id] ?? 0) + 1, now: now, deadline: now + limit,
            becomeAssessing: assessment.kind == "starter") else {
            throw Problem.conflict("This attempt was already started (one attempt per e-mail address).")
        }
        return try attemptJSON(attempt, assessment: assessment, now: now)
    }

    /// Answers as sent, each checked against its item (an unfinished annotation is fine).
    static func answers(_ value: JSONValue?, definition: AssessmentDefinition, merging saved: String) throws -> [String: JSONValue] {
        var merged = (try? JSONValue.parse(saved))?.objectValue ?? [:]
        guard let value else { return merged }
        guard let object = value.objectValue else { throw Problem.invalid(field: "answers", "must be an object of item id: answer") }
        var errors: [FieldError] = []
        for (itemID, answer) in object.sorted(by: { $0.key < $1.key }) {
            if let error = definition.checkAnswer(itemID: itemID, answer, partial: true) { errors.append(error) } else { merged[itemID] = answer }
        }
        guard errors.isEmpty else { throw Problem.invalid(errors, title: "An answer is not valid") }
        return merged
    }

    static var timeUp: Problem {
        var problem = Problem.forbidden("Time is up: the attempt's time limit has passed, so answers are no longer accepted.")
        problem.type = "/problems/time-up"
        problem.title = "Time is up"
        return problem
    }

    /// Why an attempt no longer takes answers: submitted (409) or past its deadline (403 time-up).
    static func closed(_ attempt: WorkforceRepository.AttemptRow) -> Problem {
        attempt.status == "in_progress" ? timeUp : Problem.conflict("This attempt has been submitted; it cannot change.")
    }

    func save(attemptID: UUID, principal: Principal, body: [String: JSONValue]) async throws -> JSONValue {
        let fields = try JSONFields(body, allowed: ["answers"])
        let (attempt, assessment) = try await ownAttempt(attemptID, principal: principal)
        guard attempt.userID == principal.id else { throw Problem.forbidden("Only the applicant answers their attempt.") }
        if principal.user.workerStatus == WorkerStatus.suspended.rawValue { throw Problem.forbidden("Your account is suspended.") }
        let now = Store.now()
        guard attempt.status == "in_progress", attempt.deadlineAt + Self.graceSeconds >= now else { throw Self.closed(attempt) }
        let answers = try Self.answers(try fields.value("answers", required: true), definition: try Self.definition(assessment), merging: attempt.answersJSON)
        guard try await workforce.saveAnswers(attemptID: attemptID, answersJSON: JSONValue.object(answers).jsonText, now: now,
                                              latestDeadline: now - Self.graceSeconds) else {
            throw Self.closed(try await workforce.attempt(id: attemptID) ?? attempt)
        }
        _ = assessment
        return .object(["saved_at": timestamp(now), "time_left_s": .number(max(0, (attempt.deadlineAt - now).rounded(.down)))])
    }

    func submit(attemptID: UUID, principal: Principal, body: [String: JSONValue]) async throws -> JSONValue {
        let fields = try JSONFields(body, allowed: ["answers"])
        let (attempt, assessment) = try await ownAttempt(attemptID, principal: principal)
        guard attempt.userID == principal.id else { throw Problem.forbidden("Only the applicant submits their attempt.") }
        if principal.user.workerStatus == WorkerStatus.suspended.rawValue { throw Problem.forbidden("Your account is suspended.") }
        let now = Store.now()
        guard attempt.status == "in_progress", attempt.deadlineAt + Self.graceSeconds >= now else { throw Self.closed(attempt) }
        let definition = try Self.definition(assessment)
        let answers = try Self.answers(try fields.value("answers"), definition: definition, merging: attempt.answersJSON)
        let autoScores = definition.autoScores(answers: answers)
        let outcome = definition.outcome(autoScores: autoScores, humanPoints: [:])
        let verdicts = try await unlockVerdicts(assessment, userID: principal.id, now: now)
        let user = principal.user
        let accepted = try await context.store.write { sql -> Bool in
            guard try await workforce.closeAttempt(attemptID: attemptID, answersJSON: JSONValue.object(answers).jsonText, now: now,
                                                   latestDeadline: now - Self.graceSeconds, on: sql) else { return false }
            try await apply(outcome, autoScores: autoScores, attempt: attempt, assessment: assessment, verdicts: verdicts,
                            user: user, decidedBy: nil, now: now, on: sql)
            return true
        }
        let current = try await workforce.attempt(id: attemptID) ?? attempt
        guard accepted else { throw Self.closed(current) }
        return try attemptJSON(current, assessment: assessment, now: now)
    }

    /// The attempt as its taker (or an admin) reads it: one whose time ran out is scored first.
    func readAttempt(_ id: UUID, principal: Principal) async throws -> (WorkforceRepository.AttemptRow, WorkforceRepository.AssessmentRow) {
        let (attempt, _) = try await ownAttempt(id, principal: principal)
        if attempt.status == "in_progress", attempt.deadlineAt + Self.graceSeconds < Store.now(),
           let user = try await context.accounts.user(id: attempt.userID) {
            try await closeExpired(userID: attempt.userID, user: user)
        }
        return try await ownAttempt(id, principal: principal)
    }

    /// Scores attempts whose time ran out without a submit (a closed tab, a lost connection) with the answers
    /// saved before the limit, as a submit would have. Runs whenever the attempt or its taker's assessments are
    /// looked at.
    func closeExpired(userID: UUID, user: UserModel) async throws {
        let now = Store.now()
        for attempt in try await workforce.expiredAttempts(userID: userID, before: now - Self.graceSeconds) {
            guard let assessment = try await workforce.assessment(id: attempt.assessmentID) else { continue }
            let definition = try Self.definition(assessment)
            let answers = (try? JSONValue.parse(attempt.answersJSON))?.objectValue ?? [:]
            let autoScores = definition.autoScores(answers: answers)
            let outcome = definition.outcome(autoScores: autoScores, humanPoints: [:])
            let verdicts = try await unlockVerdicts(assessment, userID: userID, now: now)
            try await context.store.write { sql in
                guard try await workforce.closeAttempt(attemptID: attempt.id, answersJSON: attempt.answersJSON, now: now, latestDeadline: 0,
                                                       on: sql) else { return }
                try await apply(outcome, autoScores: autoScores, attempt: attempt, assessment: assessment, verdicts: verdicts, user: user,
                                decidedBy: nil, now: now, on: sql)
            }
        }
    }

    func unlockVerdicts(_ assessment: WorkforceRepository.AssessmentRow, userID: UUID, now: Double) async throws -> [String: EligibilityVerdict] {
        let tracks = try await workforce.tracks()
        var verdicts: [String: EligibilityVerdict] = [:]
        for track in assessment.unlocks {
            verdicts[track] = try await WorkforceService(context: context).verdict(track: track, userID: userID, tracks: tracks, now: now)
        }
        return verdicts
    }

    /// Records an outcome and what follows from it, in the caller's transaction: a pass grants the tracks the
    /// assessment unlocks (and approves an applicant on a starter), a starter fail rejects; pending and review
    /// wait for a grader or an admin.
    func apply(_ outcome: AssessmentOutcome, autoScores: [String: Double]?, attempt: WorkforceRepository.AttemptRow,
               assessment: WorkforceRepository.AssessmentRow, verdicts: [String: EligibilityVerdict], user: UserModel, decidedBy: UUID?,
               now: Double, on sql: any SQLDatabase) async throws {
        let decided = outcome.verdict == .passed || outcome.verdict == .failed
        let scores = autoScores.map { JSONValue.object($0.mapValues { .number($0) }).jsonText }
        guard try await workforce.recordResult(attemptID: attempt.id, .init(
            status: outcome.verdict.rawValue, autoScoresJSON: scores, autoScore: outcome.autoScore, humanScore: outcome.humanScore,
            score: outcome.score, reasons: outcome.reasons, decidedBy: decidedBy, decidedAt: decided ? now : nil),
            from: ["submitted", "pending", "review"], on: sql) else {
            throw Problem.conflict("This attempt was decided meanwhile; reload it.")
        }
        // Everything here runs on the transaction's connection: a pool query would wait for the connection
        // the transaction holds (SQLite has one writer).
        let service = WorkforceService(context: context)
        let reasons = outcome.reasons.joined(separator: " ")
        switch outcome.verdict {
        case .passed:
            for track in assessment.unlocks {
                try await workforce.grant(userID: attempt.userID, track: track, source: "assessment", attemptID: attempt.id, grantedBy: decidedBy,
                                          reason: "passed \(assessment.title)", verdict: verdicts[track] ?? .init(eligible: true, missing: [], expiresAt: nil),
                                          now: now, on: sql)
            }
            if assessment.kind == "starter",
               try await workforce.changeStatus(userID: attempt.userID, from: [.assessing, .applicant], to: .approved,
                                                reason: "passed \(assessment.title). \(reasons)", actorID: decidedBy, now: now, on: sql) != nil {
                try await service.notifyStatus(user: user, status: .approved, reason: reasons, now: now, on: sql)
            } else {
                try await workforce.notify(userID: attempt.userID, kind: "assessment", title: "You passed \(assessment.title)", body: reasons,
                                           link: SiteURL.dashboard.path, mail: .init(to: user.email, subject: "Gloss: you passed \(assessment.title)",
                                                                                     body: "Hello \(user.name),\n\n\(reasons)\n"), now: now, on: sql)
            }
        case .failed:
            if assessment.kind == "starter",
               try await workforce.changeStatus(userID: attempt.userID, from: [.assessing, .applicant], to: .rejected,
                                                reason: "did not pass \(assessment.title). \(reasons)", actorID: decidedBy, now: now, on: sql) != nil {
                try await service.notifyStatus(user: user, status: .rejected, reason: reasons, now: now, on: sql)
            } else {
                try await workforce.notify(userID: attempt.userID, kind: "assessment", title: "\(assessment.title): not passed", body: reasons,
                                           link: SiteURL.assessments.path, mail: nil, now: now, on: sql)
            }
        case .pending:
            try await workforce.notify(userID: attempt.userID, kind: "assessment", title: "\(assessment.title) submitted",
                                       body: "A grader will read your written answers; we will tell you the result.", link: SiteURL.attempt(attempt.id).path,
                                       mail: nil, now: now, on: sql)
        case .review:
            try await workforce.notify(userID: attempt.userID, kind: "assessment", title: "\(assessment.title) submitted",
                                       body: "Your result is close to the pass mark: an admin will decide.", link: SiteURL.attempt(attempt.id).path,
                                       mail: nil, now: now, on: sql)
        }
        try await workforce.audit(actorID: decidedBy, action: "attempt.\(outcome.verdict.rawValue)", subjectType: "attempt", subjectID: attempt.id.text,
                                  detail: .object(["assessment": .string(assessment.slug), "user": .string(attempt.userID.text),
                                                   "score": WorkforceDTO.optionalNumber(outcome.score)]), now: now, on: sql)
    }

    /// What settling an attempt in the review band needs, read before the transaction.
    struct Waiting {
        var attempt: WorkforceRepository.AttemptRow
        var assessment: WorkforceRepository.AssessmentRow
        var verdicts: [String: EligibilityVerdict]
    }

    func waiting(userID: UUID, now: Double) async throws -> Waiting? {
        // Only the starter: a specialist attempt in review is decided on its own, not by a status change.
        for attempt in try await workforce.attempts(userID: userID) where attempt.status == AssessmentVerdict.review.rawValue {
            guard let assessment = try await workforce.assessment(id: attempt.assessmentID), assessment.kind == "starter" else { continue }
            return Waiting(attempt: attempt, assessment: assessment, verdicts: try await unlockVerdicts(assessment, userID: userID, now: now))
        }
        return nil
    }

    /// An admin decides an attempt in the review band by approving or rejecting its taker (in their transaction).
    func settle(_ waiting: Waiting, passed: Bool, reason: String, by admin: UUID, now: Double, on sql: any SQLDatabase) async throws {
        let attempt = waiting.attempt
        if passed {
            for track in waiting.assessment.unlocks {
                try await workforce.grant(userID: attempt.userID, track: track, source: "assessment", attemptID: attempt.id, grantedBy: admin,
                                          reason: reason, verdict: waiting.verdicts[track] ?? .init(eligible: true, missing: [], expiresAt: nil),
                                          now: now, on: sql)
            }
        }
        guard try await workforce.recordResult(attemptID: attempt.id, .init(
            status: passed ? "passed" : "failed", autoScoresJSON: nil, autoScore: attempt.autoScore, humanScore: attempt.humanScore,
            score: attempt.score, reasons: ["An admin decided: \(reason)"], decidedBy: admin, decidedAt: now),
            from: ["review"], on: sql) else {
            throw Problem.conflict("This attempt was decided meanwhile; reload it.")
        }
    }

    /// An admin's decision on an attempt in the review band (a specialist one; a starter is decided by the
    /// applicant's status).
    func decide(attemptID: UUID, passed: Bool, reason: String, by admin: Principal) async throws {
        guard let attempt = try await workforce.attempt(id: attemptID), let assessment = try await workforce.assessment(id: attempt.assessmentID) else {
            throw Problem.notFound
        }
        guard attempt.status == AssessmentVerdict.review.rawValue else { throw Problem.conflict("Only an attempt in review waits for a decision.") }
        if assessment.kind == "starter" {
            try await WorkforceService(context: context).decide(userID: attempt.userID, status: passed ? .approved : .rejected, reason: reason, by: admin)
            return
        }
        let now = Store.now()
        let verdicts = passed ? try await unlockVerdicts(assessment, userID: attempt.userID, now: now) : [:]
        let outcome = AssessmentOutcome(autoScore: attempt.autoScore, humanScore: attempt.humanScore, score: attempt.score,
                                        verdict: passed ? .passed : .failed, reasons: ["An admin decided: \(reason)"])
        guard let user = try await context.accounts.user(id: attempt.userID) else { throw Problem.notFound }
        try await context.store.write { sql in
            try await apply(outcome, autoScores: nil, attempt: attempt, assessment: assessment, verdicts: verdicts, user: user,
                            decidedBy: admin.id, now: now, on: sql)
        }
    }

    // MARK: Grading

    func gradingQueue() async throws -> JSONValue {
        let titles = Dictionary(uniqueKeysWithValues: try await workforce.assessments().map { ($0.id, $0) })
        var rows: [JSONValue] = []
        for attempt in try await workforce.gradingQueue() {
            guard let assessment = titles[attempt.assessmentID], let user = try await context.accounts.user(id: attempt.userID) else { continue }
            let graded = Set(try await workforce.grades(attemptID: attempt.id).map(\.itemID))
            let written = (try? Self.definition(assessment))?.writtenItemIDs ?? []
            rows.append(.object([
                "attempt_id": .string(attempt.id.text), "assessment_title": .string(assessment.title),
                "applicant": Self.applicant(user), "submitted_at": WorkforceDTO.optionalTime(attempt.submittedAt),
                "items_to_grade": .number(Double(written.filter { !graded.contains($0) }.count)),
            ]))
        }
        return .object(["attempts": .array(rows)])
    }

    static func applicant(_ user: UserModel) -> JSONValue {
        .object(["user_id": .string(user.id?.text ?? ""), "name": .string(user.name), "email": .string(user.email)])
    }

    func grading(attemptID: UUID) async throws -> JSONValue {
        guard let attempt = try await workforce.attempt(id: attemptID), attempt.submittedAt != nil,
              let assessment = try await workforce.assessment(id: attempt.assessmentID),
              let user = try await context.accounts.user(id: attempt.userID) else { throw Problem.notFound }
        let definition = try Self.definition(assessment)
        let answers = (try? JSONValue.parse(attempt.answersJSON))?.objectValue ?? [:]
        let grades = Dictionary(uniqueKeysWithValues: try await workforce.grades(attemptID: attemptID).map { ($0.itemID, $0) })
        let items: [JSONValue] = definition.items.compactMap { item in
            guard case .written(let rubric, _) = item.kind else { return nil }
            let grade: JSONValue = grades[item.id].map {
                .object(["points": (try? JSONValue.parse($0.pointsJSON)) ?? .object([:]), "total": .number($0.total),
                         "comment": WorkforceDTO.optional($0.comment), "by": .string($0.graderEmail), "at": timestamp($0.createdAt)])
            } ?? .null
            return .object([
                "id": .string(item.id), "prompt": .string(item.prompt), "prompt_html": .string(Guidelines.html(fromMarkdown: item.prompt)),
                "points": .number(item.points), "answer": answers[item.id]?.stringValue.map { .string($0) } ?? .null,
                "rubric": .array(rubric.map { .object(["id": .string($0.id), "description": .string($0.description), "points": .number($0.points)]) }),
                "grade": grade,
            ])
        }
        return .object([
            "attempt_id": .string(attemptID.text), "assessment_title": .string(assessment.title), "applicant": Self.applicant(user),
            "submitted_at": WorkforceDTO.optionalTime(attempt.submittedAt), "auto_score": WorkforceDTO.optionalNumber(attempt.autoScore),
            "items": .array(items), "result": attempt.status == "pending" ? .null : WorkforceDTO.result(attempt),
        ])
    }

    /// Saves a grader's rubric points for one written item; the last grade lets the pass rule decide.
    func grade(attemptID: UUID, body: [String: JSONValue], by grader: Principal) async throws {
        let fields = try JSONFields(body, allowed: ["item_id", "points", "comment"])
        guard let attempt = try await workforce.attempt(id: attemptID), let assessment = try await workforce.assessment(id: attempt.assessmentID) else {
            throw Problem.notFound
        }
        guard attempt.status == AssessmentVerdict.pending.rawValue else { throw Problem.conflict("This attempt is not waiting for a grader.") }
        let definition = try Self.definition(assessment)
        let itemID = try fields.string("item_id", required: true, maximumLength: 40)!
        guard let given = try fields.value("points", required: true)?.objectValue else {
            throw Problem.invalid(field: "points", "must be an object of criterion id: points")
        }
        let graded: (points: [String: Double], total: Double)
        do {
            graded = try definition.grade(itemID: itemID, points: given)
        } catch {
            throw Problem.invalid(error.errors, title: "The grade is not valid")
        }
        let comment = try fields.string("comment", maximumLength: 5000)
        let pointsJSON = JSONValue.object(graded.points.mapValues { .number($0) }).jsonText
        let itemTotal = graded.total
        let now = Store.now()
        var humanPoints = Dictionary(uniqueKeysWithValues: try await workforce.grades(attemptID: attemptID).map { ($0.itemID, $0.total) })
        humanPoints[itemID] = itemTotal
        let complete = definition.writtenItemIDs.allSatisfy { humanPoints[$0] != nil }
        let autoScores = (attempt.autoScoresJSON.flatMap { try? JSONValue.parse($0) }?.objectValue ?? [:]).compactMapValues(\.numberValue)
        let outcome = definition.outcome(autoScores: autoScores, humanPoints: humanPoints)
        let verdicts = complete ? try await unlockVerdicts(assessment, userID: attempt.userID, now: now) : [:]
        guard let user = try await context.accounts.user(id: attempt.userID) else { throw Problem.notFound }
        try await context.store.write { sql in
            try await workforce.saveGrade(attemptID: attemptID, itemID: itemID, graderID: grader.id, pointsJSON: pointsJSON,
                                          total: itemTotal, comment: comment, now: now, on: sql)
            try await workforce.audit(actorID: grader.id, action: "attempt.grade", subjectType: "attempt", subjectID: attemptID.text,
                                      detail: .object(["item": .string(itemID), "total": .number(itemTotal)]), now: now, on: sql)
            if complete, outcome.verdict != .pending {
                try await apply(outcome, autoScores: nil, attempt: attempt, assessment: assessment, verdicts: verdicts, user: user,
                                decidedBy: nil, now: now, on: sql)
            }
        }
    }

    // MARK: Practice

    /// The practice set of a track: its items as an applicant sees them.
    func practice(track: String) async throws -> (WorkforceRepository.AssessmentRow, AssessmentDefinition) {
        guard let set = try await workforce.assessments().first(where: { $0.kind == "practice" && $0.unlocks.contains(track) }) else {
            throw Problem.notFound
        }
        return (set, try Self.definition(set))
    }
}

extension Request {
    var assessmentService: AssessmentService { AssessmentService(context: gloss) }
}
