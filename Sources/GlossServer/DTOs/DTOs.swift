import Foundation
import GlossCore
import GlossStore
import Vapor

extension UUID {
    /// Ids are written lower-case everywhere.
    var text: String { uuidString.lowercased() }
}

func timestamp(_ seconds: Double) -> JSONValue {
    .string(Timestamp.string(Date(timeIntervalSince1970: seconds)))
}

extension Response {
    static func json(_ value: JSONValue, status: HTTPResponseStatus = .ok) -> Response {
        Response(status: status, headers: ["Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store"],
                 body: .init(string: value.jsonText))
    }

    /// A JSON body assembled from already-encoded JSON text.
    static func json(text: String, status: HTTPResponseStatus = .ok) -> Response {
        Response(status: status, headers: ["Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store"],
                 body: .init(string: text))
    }
}

enum ProjectDTO {
    /// A project; a worker's view leaves out the quality policy and the progress counters, which would tell
    /// them when gold is due and which task was gold (a gold task does not move `tasks_done`).
    static func json(_ project: ProjectModel, forWorker: Bool = false, tracks: [TrackDefinition] = Tracks.defaults) -> JSONValue {
        let schema = (try? JSONValue.parse(project.schemaJSON)) ?? .object([:])
        var object: [String: JSONValue] = [
            "id": .string(project.id?.text ?? ""),
            "organization_id": .string(project.organizationID.text),
            "name": .string(project.name),
            "schema": schema,
            "guidelines": .string(project.guidelines),
            "guidelines_html": .string(Guidelines.html(fromMarkdown: project.guidelines)),
            "overlap": .number(Double(project.overlap)),
            "lease_seconds": .number(Double(project.leaseSeconds)),
            "status": .string(project.status),
            "guidelines_version": .number(Double(project.guidelinesVersion)),
            "requirements": (try? JSONValue.parse(project.requirementsJSON)) ?? .object([:]),
            "rate_cents": .number(Double(MatchingService.rate(of: project, tracks: tracks))),
            "rate_set": .bool(project.rateCents != nil),
            "listing": MatchingService.Listing(json: project.listingJSON).json,
            "expected_seconds_per_task": project.expectedSeconds.map { .number(Double($0)) } ?? .null,
            "quality_policy": QualityService.policy(json: project.qualityPolicyJSON).json,
            "created_at": timestamp(project.createdAt),
            "updated_at": timestamp(project.updatedAt),
            "progress": .object([
                "tasks_total": .number(Double(project.tasksTotal)),
                "tasks_done": .number(Double(project.tasksDone)),
                "annotations": .number(Double(project.annotationsCount)),
                "annotations_required": .number(Double(project.tasksTotal * project.overlap)),
            ]),
        ]
        if forWorker {
            object["quality_policy"] = nil
            object["progress"] = nil
        }
        return .object(object)
    }
}

enum UserDTO {
    static func json(_ user: UserModel) -> JSONValue {
        let hotkeys = Hotkeys.resolved(storedJSON: user.hotkeysJSON)
        return .object([
            "id": .string(user.id?.text ?? ""),
            "email": .string(user.email),
            "name": .string(user.name),
            "role": .string(user.role),
            "organization_id": user.organizationID.map { .string($0.text) } ?? .null,
            "hotkeys": .object(hotkeys.mapValues { .string($0) }),
        ])
    }
}

enum TaskDTO {
    /// A task as a worker receives it; a rework carries the reviewer's comment and the worker's last answer.
    static func leased(_ task: LeasedTask, rework: (comment: String, valueJSON: String)? = nil) -> String {
        var output = "{\"id\":\"\(task.id.text)\",\"external_id\":"
        if let externalID = task.externalID { JSONValue.writeString(externalID, into: &output) } else { output += "null" }
        output += ",\"data\":\(task.dataJSON),\"prelabels\":\(task.prelabelsJSON),\"lease_expires_at\":\""
        output += Timestamp.string(Date(timeIntervalSince1970: task.leaseExpiresAt))
        output += "\""
        if let rework {
            output += ",\"rework\":{\"comment\":"
            JSONValue.writeString(rework.comment, into: &output)
            output += ",\"value\":\(rework.valueJSON)}"
        }
        output += "}"
        return output
    }

    static func summary(_ task: TaskSummary, into output: inout String) {
        output += "{\"id\":\"\(task.id.text)\",\"external_id\":"
        if let externalID = task.externalID { JSONValue.writeString(externalID, into: &output) } else { output += "null" }
        output += ",\"data\":\(task.dataJSON),\"prelabels\":\(task.prelabelsJSON),\"priority\":\(task.priority)"
        output += ",\"target\":\(task.target),\"annotation_count\":\(task.annotationCount),\"created_at\":\""
        output += Timestamp.string(Date(timeIntervalSince1970: task.createdAt))
        output += "\"}"
    }
}

enum AnnotationDTO {
    /// An annotation. A worker's own view leaves out its review standing, which would tell gold tasks
    /// (never reviewed) from the others.
    static func json(_ annotation: StoredAnnotation, forWorker: Bool) -> String {
        var output = "{\"id\":\"\(annotation.id.text)\",\"task_id\":\"\(annotation.taskID.text)\",\"project_id\":\"\(annotation.projectID.text)\",\"worker\":"
        JSONValue.writeString(annotation.worker, into: &output)
        output += ",\"version\":\(annotation.version),\"guidelines_version\":\(annotation.guidelinesVersion)"
        if !forWorker { output += ",\"status\":\"\(annotation.status)\"" }
        output += ",\"value\":\(annotation.valueJSON),\"time_spent_s\":\(JSONValue.format(number: annotation.timeSpentSeconds)),\"created_at\":\""
        output += Timestamp.string(Date(timeIntervalSince1970: annotation.createdAt))
        output += "\"}"
        return output
    }
}
