import Foundation
import GlossCore
import GlossStore

// JSON for the workforce API: applications, credentials, qualifications, tracks, assessments and attempts.
// Nothing here ever writes a gold answer, a rubric or an explanation for an applicant.

enum WorkforceDTO {
    static func optional(_ text: String?) -> JSONValue { text.map { .string($0) } ?? .null }

    static func optionalTime(_ seconds: Double?) -> JSONValue { seconds.map(timestamp) ?? .null }

    static func optionalNumber(_ number: Double?) -> JSONValue { number.map { .number($0) } ?? .null }

    static func credential(_ row: WorkforceRepository.CredentialRow, withUser: Bool = false) -> JSONValue {
        var object: [String: JSONValue] = [
            "id": .string(row.id.text), "type": .string(row.type), "issuer": .string(row.issuer), "number": .string(row.number),
            "year": row.year.map { .number(Double($0)) } ?? .null, "expires_on": optional(row.expiresOn), "status": .string(row.status),
            "note": optional(row.note), "created_at": timestamp(row.createdAt), "reviewed_at": optionalTime(row.reviewedAt),
            "document": row.documentSHA == nil ? .null : .object([
                "name": .string(row.documentName ?? "document"), "content_type": .string(row.documentType ?? "application/octet-stream"),
                "size": .number(Double(row.documentSize ?? 0)),
            ]),
        ]
        if withUser {
            object["user"] = .object(["id": .string(row.userID.text), "name": .string(row.userName), "email": .string(row.userEmail)])
        }
        return .object(object)
    }

    static func qualification(_ row: WorkforceRepository.QualificationRow, names: [String: String], now: Double) -> JSONValue {
        let expired = row.expiresAt.map { $0 <= now } ?? false
        return .object([
            "track": .string(row.track), "name": .string(names[row.track] ?? row.track), "source": .string(row.source),
            "granted_at": timestamp(row.grantedAt), "active": .bool(row.active && !expired),
            "inactive_reason": expired ? .string("a credential it rests on has expired") : optional(row.inactiveReason),
            "expires_at": optionalTime(row.expiresAt),
        ])
    }

    static func track(_ track: TrackDefinition, assessments: [WorkforceRepository.AssessmentRow]) -> JSONValue {
        .object([
            "id": .string(track.id), "name": .string(track.name), "family": .string(track.family.rawValue),
            "base_rate_cents": .number(Double(track.baseRateCents)), "eligibility": track.eligibility.json,
            "eligibility_text": .string(track.eligibility.summary),
            "assessments": .array(assessments.filter { $0.kind != "practice" && $0.unlocks.contains(track.id) }.map(assessmentLink)),
        ])
    }

    static func assessmentLink(_ row: WorkforceRepository.AssessmentRow) -> JSONValue {
        .object(["id": .string(row.id.text), "title": .string(row.title)])
    }

    static func status(of attempt: WorkforceRepository.AttemptRow) -> String {
        attempt.status
    }

    static func attemptSummary(_ attempt: WorkforceRepository.AttemptRow, title: String) -> JSONValue {
        .object([
            "id": .string(attempt.id.text), "assessment_id": .string(attempt.assessmentID.text), "assessment_title": .string(title),
            "status": .string(attempt.status), "started_at": timestamp(attempt.startedAt), "deadline_at": timestamp(attempt.deadlineAt),
            "submitted_at": optionalTime(attempt.submittedAt), "score": optionalNumber(attempt.score),
        ])
    }

    /// The result of a closed attempt: scores, verdict and reasons (which name no answer).
    static func result(_ attempt: WorkforceRepository.AttemptRow) -> JSONValue {
        guard attempt.submittedAt != nil else { return .null }
        let reasons = attempt.reasonsJSON.flatMap { try? JSONValue.parse($0) } ?? .array([])
        let verdict = ["passed", "failed", "pending", "review"].contains(attempt.status) ? attempt.status : "pending"
        let decidedBy: JSONValue = attempt.decidedAt == nil ? .null : .string(attempt.decidedBy == nil ? "automatic" : "admin")
        return .object([
            "auto_score": optionalNumber(attempt.autoScore), "human_score": optionalNumber(attempt.humanScore),
            "score": optionalNumber(attempt.score), "verdict": .string(verdict), "reasons": reasons, "decided_by": decidedBy,
            "decided_at": optionalTime(attempt.decidedAt),
        ])
    }

    /// Public items with the prompt also as safe HTML.
    static func publicItems(_ definition: AssessmentDefinition) -> JSONValue {
        .array(definition.items.map { item in
            guard case .object(var object) = AssessmentDefinition.publicJSON(item) else { return .null }
            object["prompt_html"] = .string(Guidelines.html(fromMarkdown: item.prompt))
            return .object(object)
        })
    }

    /// A worker's status history; the worker sees "admin" where an admin sees who it was.
    static func history(_ changes: [WorkforceRepository.StatusChange], namesActors: Bool) -> JSONValue {
        .array(changes.map {
            let by = namesActors ? $0.by : $0.by.map { _ in "admin" }
            return .object(["from": optional($0.from), "to": .string($0.to), "reason": optional($0.reason), "by": optional(by), "at": timestamp($0.at)])
        })
    }

    static func notification(_ row: WorkforceRepository.Notification) -> JSONValue {
        .object([
            "id": .string(row.id.text), "kind": .string(row.kind), "title": .string(row.title), "body": .string(row.body),
            "link": optional(row.link), "created_at": timestamp(row.createdAt), "read": .bool(row.read),
        ])
    }

    static func money(_ cents: Int) -> String {
        cents % 100 == 0 ? "$\(cents / 100)" : String(format: "$%.2f", Double(cents) / 100)
    }
}
