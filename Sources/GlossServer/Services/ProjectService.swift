import Foundation
import GlossCore
import GlossStore
import Vapor

/// Creating, changing and finding projects with the access rules of each role, shared by the API, the pages
/// and the demo.
struct ProjectService {
    let context: GlossContext

    static let settableKeys: Set<String> = ["name", "schema", "guidelines", "overlap", "lease_seconds", "status", "organization_id", "quality_policy",
                                                  "requirements", "rate_cents", "listing", "expected_seconds_per_task"]

    /// Creates a project from API-shaped input for a requester (in their organization) or an admin (who names
    /// the organization).
    func create(_ object: [String: JSONValue], by principal: Principal) async throws -> ProjectModel {
        let fields = try JSONFields(object, allowed: Self.settableKeys)
        let name = try fields.string("name", required: true, maximumLength: 200)!
        let schema = try Self.schema(try fields.value("schema", required: true)!)
        let guidelines = try fields.string("guidelines", maximumLength: 200_000) ?? ""
        let overlap = try fields.integer("overlap", in: AssignmentPolicy.overlapRange) ?? 1
        let leaseSeconds = try fields.integer("lease_seconds", in: AssignmentPolicy.leaseSecondsRange) ?? context.configuration.defaultLeaseSeconds
        let status = try Self.status(fields.string("status")) ?? .open
        let policy = try Self.policy(fields.value("quality_policy"))
        let organizationID: UUID
        if principal.isAdmin, let text = try fields.string("organization_id") {
            guard let id = UUID(uuidString: text), try await context.accounts.organization(id: id) != nil else {
                throw Problem.invalid(field: "organization_id", "is not an organization")
            }
            organizationID = id
        } else if let own = principal.organizationID {
            organizationID = own
        } else {
            throw Problem.invalid(field: "organization_id", "is required for an account without an organization")
        }
        let project = ProjectModel(organizationID: organizationID, name: name, schemaJSON: schema.json.jsonText,
                                   guidelines: guidelines, overlap: overlap, leaseSeconds: leaseSeconds, status: status.rawValue,
                                   qualityPolicyJSON: policy?.jsonText ?? "{}")
        try await applyWorkforce(fields, object: object, to: project)
        return try await context.projects.create(project)
    }

    func update(_ project: ProjectModel, with object: [String: JSONValue]) async throws {
        let fields = try JSONFields(object, allowed: Self.settableKeys.subtracting(["organization_id"]))
        if let name = try fields.string("name", required: object["name"] != nil, maximumLength: 200) { project.name = name }
        if let rawSchema = try fields.value("schema") {
            let schema = try Self.schema(rawSchema)
            if project.annotationsCount > 0 {
                throw Problem.conflict("The schema cannot change once annotations exist; create a new project instead.")
            }
            project.schemaJSON = schema.json.jsonText
        }
        var guidelinesChanged = false
        if let guidelines = try fields.string("guidelines", maximumLength: 200_000), guidelines != project.guidelines {
            project.guidelines = guidelines
            guidelinesChanged = true
        }
        if let policy = try Self.policy(fields.value("quality_policy")) { project.qualityPolicyJSON = policy.jsonText }
        var overlapChanged = false
        let previousOverlap = project.overlap
        if let overlap = try fields.integer("overlap", in: AssignmentPolicy.overlapRange), overlap != project.overlap {
            project.overlap = overlap
            overlapChanged = true
        }
        if let leaseSeconds = try fields.integer("lease_seconds", in: AssignmentPolicy.leaseSecondsRange) { project.leaseSeconds = leaseSeconds }
        let reopened = try Self.status(fields.string("status")) == .open && project.status != ProjectStatus.open.rawValue
        if let status = try Self.status(fields.string("status")) { project.status = status.rawValue }
        let previousRate = project.rateCents
        try await applyWorkforce(fields, object: object, to: project)
        try await context.projects.update(project, overlapChanged: overlapChanged, guidelinesChanged: guidelinesChanged,
                                          previousOverlap: previousOverlap)
        if object.keys.contains("rate_cents"), project.rateCents != previousRate,
           PayRules.inForce(try await context.pay.rateChanges(projectID: try project.requireID()).map(\.change),
                            at: context.configuration.clock.now())?.mode != .perTask {
            // The rate history says from when: work before this moment keeps the rate it was done at. (A project
            // paying per task keeps doing so: its hourly rate waits for a change to hourly on its Cost page.)
            let now = context.configuration.clock.now()
            try await context.pay.addRateChange(projectID: try project.requireID(),
                                                change: RateChange(mode: .hourly, rateCents: project.rateCents, taskRateCents: nil, effectiveAt: now),
                                                reason: "Rate set in the project's settings", by: nil, now: now)
        }
        if reopened { try await MatchingService(context: context).alert(project) }
    }

    /// Requirements, rate, listing and expected time from API input; the rate may not be below the base rate
    /// of a track the project requires.
    func applyWorkforce(_ fields: JSONFields, object: [String: JSONValue], to project: ProjectModel) async throws {
        let tracks = try await context.workforce.tracks()
        if let raw = try fields.value("requirements") {
            do {
                let requirements = try ProjectRequirements.parse(raw, knownTracks: Set(tracks.map(\.id)))
                project.requirementsJSON = requirements.json.jsonText
            } catch {
                throw Problem.invalid(error.errors, title: "The requirements are not valid")
            }
        }
        if object.keys.contains("rate_cents") {
            project.rateCents = try fields.integer("rate_cents", in: 0...1_000_000)
        }
        if let listing = try fields.value("listing") {
            project.listingJSON = try MatchingService.Listing.parse(listing).jsonText
        }
        if object.keys.contains("expected_seconds_per_task") {
            project.expectedSeconds = try fields.integer("expected_seconds_per_task", in: 1...86_400)
        }
        if let rate = project.rateCents {
            let minimum = WorkforceRules.minimumRate(MatchingService.requirementsOrNobody(project.requirementsJSON), tracks: tracks)
            guard rate >= minimum.cents else {
                throw Problem.invalid(field: "rate_cents", "must be at least \(minimum.cents): the base rate of \(minimum.track)")
            }
        }
    }

    static func schema(_ value: JSONValue) throws -> LabelSchema {
        do {
            return try LabelSchema.parse(value)
        } catch {
            throw Problem.invalid(error.errors, title: "The label schema is not valid")
        }
    }

    /// A quality policy as sent: checked, and stored as written (the defaults fill the rest when it is read).
    static func policy(_ value: JSONValue?) throws -> JSONValue? {
        guard let value else { return nil }
        do {
            _ = try QualityPolicy.parse(value)
        } catch {
            throw Problem.invalid(error.errors, title: "The quality policy is not valid")
        }
        return value
    }

    static func status(_ text: String?) throws -> ProjectStatus? {
        guard let text else { return nil }
        guard let status = ProjectStatus(rawValue: text) else {
            throw Problem.invalid(field: "status", "must be one of open, paused, closed")
        }
        return status
    }

    /// The project if the caller may see it: admins all, requesters their organization's, workers open
    /// ones. Anything else is not found, so ids of other organizations reveal nothing.
    func visibleProject(_ id: UUID, to principal: Principal) async throws -> ProjectModel {
        guard let project = try await context.projects.find(id: id) else { throw Problem.notFound }
        switch principal.role {
        case .admin: return project
        case .requester:
            guard project.organizationID == principal.organizationID else { throw Problem.notFound }
        case .worker:
            guard project.status == ProjectStatus.open.rawValue else { throw Problem.notFound }
            guard try await MatchingService(context: context).mayWork(principal, requirementsJSON: project.requirementsJSON) else {
                throw MatchingService.refusal(principal)
            }
        }
        return project
    }

    /// The project if the caller may manage it (requesters of its organization, admins); workers get 403.
    func managedProject(_ id: UUID, by principal: Principal) async throws -> ProjectModel {
        guard principal.role != .worker else {
            throw Problem.forbidden("Workers cannot manage projects, list their tasks or export them.")
        }
        return try await visibleProject(id, to: principal)
    }

    func projects(visibleTo principal: Principal) async throws -> [ProjectModel] {
        switch principal.role {
        case .admin: try await context.projects.list(organizationID: nil)
        case .requester:
            if let organizationID = principal.organizationID {
                try await context.projects.list(organizationID: organizationID)
            } else {
                []
            }
        case .worker:
            try await workable(try await context.projects.list(organizationID: nil, status: .open), by: principal)
        }
    }

    /// The projects a worker may work on.
    func workable(_ projects: [ProjectModel], by principal: Principal) async throws -> [ProjectModel] {
        let matching = MatchingService(context: context)
        var result: [ProjectModel] = []
        for project in projects where try await matching.mayWork(principal, requirementsJSON: project.requirementsJSON) {
            result.append(project)
        }
        return result
    }
}

extension Request {
    var projectService: ProjectService { ProjectService(context: gloss) }
}
