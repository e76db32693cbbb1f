import Foundation
import GlossCore
import GlossStore
import SQLKit
import Vapor

/// Matching work to workers: who may work on a project (enforced in `next`, submit, the dashboard and the
/// API), the worker's dashboard, the public job board and its quiz, a project's reach, and alerts.
struct MatchingService {
    let context: GlossContext

    var workforce: WorkforceRepository { context.workforce }

    /// A project's stored requirements (checked against the tracks when they were set). Nil when they cannot
    /// be read: such a project admits no worker, rather than every worker.
    static func requirements(_ json: String) -> ProjectRequirements? {
        guard let value = try? JSONValue.parse(json) else { return nil }
        let named = ["any_of", "all_of"].flatMap { value[$0]?.arrayValue ?? [] }.compactMap(\.stringValue)
        return try? ProjectRequirements.parse(value, knownTracks: Set(named))
    }

    /// Requirements no worker meets: what an unreadable requirement stands for.
    static let nobody: ProjectRequirements = {
        var requirements = ProjectRequirements()
        requirements.allOf = ["(unreadable requirements)"]
        return requirements
    }()

    static func requirementsOrNobody(_ json: String) -> ProjectRequirements { requirements(json) ?? nobody }

    /// A project's pay per hour (the rate change in force, else its own; never below the base of a track it requires).
    static func rate(of project: ProjectModel, tracks: [TrackDefinition], changes: [UUID: [RateChange]] = [:]) -> Int {
        PayService.listedRate(of: project, changes: project.id.flatMap { changes[$0] } ?? [], tracks: tracks, now: Store.now())
    }

    static func tasksLeft(_ project: ProjectModel, gold: Int) -> Int {
        WorkforceRules.tasksLeft(total: project.tasksTotal, done: project.tasksDone, gold: gold)
    }

    // MARK: Who may work

    /// Whether a worker may see and work on a project: approved, and meeting its hard requirements.
    func mayWork(_ principal: Principal, requirementsJSON: String) async throws -> Bool {
        guard principal.role == .worker else { return true }
        guard principal.user.workerStatus == WorkerStatus.approved.rawValue else { return false }
        let requirements = Self.requirementsOrNobody(requirementsJSON)
        guard !requirements.isEmpty else { return true }
        let now = Store.now()
        // Most projects ask only for tracks: one indexed query then, not the whole profile.
        let candidate = requirements.languages.isEmpty && requirements.countries.isEmpty
            ? MatchCandidate(profile: WorkerProfile(), qualifications: try await workforce.activeTracks(userID: principal.id, now: now), credentials: [])
            : try await WorkforceService(context: context).candidate(userID: principal.id, now: now)
        return Matcher.match(candidate, against: requirements, trackNames: [:], now: now).eligible
    }

    /// The refusal a worker gets for a project they may not work on.
    static func refusal(_ principal: Principal) -> Problem {
        switch WorkerStatus(rawValue: principal.user.workerStatus) {
        case .suspended: Problem.forbidden("Your account is suspended: you cannot take tasks.")
        case .approved: Problem.notFound
        default: Problem.forbidden("Your application has not been approved yet.")
        }
    }

    // MARK: Dashboard

    func dashboard(_ principal: Principal) async throws -> JSONValue {
        let now = Store.now()
        let tracks = try await workforce.tracks()
        let names = Tracks.names(tracks)
        let assessments = try await workforce.assessments()
        let service = AssessmentService(context: context)
        let candidate = try await WorkforceService(context: context).candidate(userID: principal.id, now: now)
        let approved = principal.user.workerStatus == WorkerStatus.approved.rawValue
        var projects: [JSONValue] = []
        var close: [JSONValue] = []
        let gold = try await workforce.goldCounts()
        let openProjects = try await context.projects.list(organizationID: nil, status: .open)
        let changes = try await context.pay.rateChanges(projectIDs: openProjects.compactMap(\.id))
        for project in openProjects {
            let id = try project.requireID()
            let rate = Self.rate(of: project, tracks: tracks, changes: changes)
            guard approved else { continue }
            let requirements = Self.requirementsOrNobody(project.requirementsJSON)
            let match = Matcher.match(candidate, against: requirements, trackNames: names, now: now)
            let schema = try context.schemas.schema(of: project)
            if match.eligible {
                projects.append(.object([
                    "id": .string(id.text), "name": .string(project.name), "rate_cents": .number(Double(rate)),
                    "expected_seconds_per_task": project.expectedSeconds.map { .number(Double($0)) } ?? .null,
                    "tasks_left": .number(Double(Self.tasksLeft(project, gold: gold[id] ?? 0))),
                    "requirements": .array(requirements.summary(trackNames: names).map { .string($0) }),
                    "deliverables": .array(schema.fields.map { .string($0.label.isEmpty ? $0.name : $0.label) }),
                    "guidelines_html": .string(Guidelines.html(fromMarkdown: project.guidelines)), "match": match.json,
                    "label_url": .string(SiteURL.label(id).path),
                ]))
            } else if Matcher.isClose(match) {
                let missing: [JSONValue] = match.missing.map { item in
                    let unlocking = assessments.filter { $0.kind != "practice" && item.track.map($0.unlocks.contains) ?? false }
                    return .object(["text": .string(item.requirement), "track": WorkforceDTO.optional(item.track),
                                    "assessments": .array(unlocking.map(WorkforceDTO.assessmentLink))])
                }
                close.append(.object([
                    "id": .string(id.text), "name": .string(project.name), "rate_cents": .number(Double(rate)),
                    "missing": .array(missing), "match": match.json,
                ]))
            }
        }
        let weekStart = WorkforceRules.startOfWeek(now)
        let stats = try await PayService(context: context).weekStats(workerID: principal.id, since: weekStart)
        let today = WorkforceRules.startOfDay(now)
        let quality = try await workforce.quality(workerID: principal.id, before: today)
        let taker = try await service.taker(principal)
        let open = assessments.filter { $0.kind != "practice" && ($0.kind != "starter" || $0.path == nil || $0.path == taker.profile.path) }
        return .object([
            "status": .string(principal.user.workerStatus), "name": .string(principal.user.name),
            "qualifications": .array(try await workforce.qualifications(userID: principal.id).map { WorkforceDTO.qualification($0, names: names, now: now) }),
            "stats": .object([
                "hours_this_week": .number((stats.seconds / 36).rounded() / 100), "tasks_this_week": .number(Double(stats.tasks)),
                "earnings_cents_this_week": .number(Double(stats.earnedCents)), "quality": WorkforceDTO.optionalNumber(quality),
                "quality_as_of": timestamp(today),
            ]),
            "projects": .array(projects), "close": .array(close),
            "assessments": .array(open.map { .object(service.summary($0, definition: try? AssessmentService.definition($0), taker: taker)) }),
            "unread_notifications": .number(Double(try await workforce.unreadCount(userID: principal.id))),
        ])
    }

    // MARK: Listings

    struct Listing {
        var listed = false
        var title: String?
        var description: String?
        var showRate = true
        var showRequirements = true

        init(json: String) {
            let object = (try? JSONValue.parse(json))?.objectValue ?? [:]
            listed = object["listed"]?.boolValue ?? false
            title = object["title"]?.stringValue
            description = object["description"]?.stringValue
            showRate = object["show_rate"]?.boolValue ?? true
            showRequirements = object["show_requirements"]?.boolValue ?? true
        }

        /// The settings with their defaults filled in.
        var json: JSONValue {
            var object: [String: JSONValue] = ["listed": .bool(listed), "show_rate": .bool(showRate), "show_requirements": .bool(showRequirements)]
            if let title { object["title"] = .string(title) }
            if let description { object["description"] = .string(description) }
            return .object(object)
        }

        /// Checks listing settings from the API: `{listed, title?, description?, show_rate?, show_requirements?}`.
        static func parse(_ value: JSONValue) throws -> JSONValue {
            guard let object = value.objectValue else { throw Problem.invalid(field: "listing", "must be an object") }
            var errors: [FieldError] = []
            for (key, member) in object.sorted(by: { $0.key < $1.key }) {
                switch key {
                case "listed", "show_rate", "show_requirements":
                    if member.boolValue == nil { errors.append(FieldError(field: "listing.\(key)", message: "must be true or false")) }
                case "title", "description":
                    let limit = key == "title" ? 200 : 5000
                    if member != .null, (member.stringValue?.count ?? Int.max) > limit {
                        errors.append(FieldError(field: "listing.\(key)", message: "must be a text of at most \(limit) characters"))
                    }
                default:
                    errors.append(FieldError(field: "listing.\(key)", message: "is not a listing setting (listed, title, description, show_rate, show_requirements)"))
                }
            }
            guard errors.isEmpty else { throw Problem.invalid(errors, title: "The listing is not valid") }
            return value
        }
    }

    struct ListingFilter {
        var track: String?
        var language: String?
        var profession: String?
        var minimumRateCents: Int?
    }

    func listings(_ filter: ListingFilter) async throws -> JSONValue {
        let tracks = try await workforce.tracks()
        let names = Tracks.names(tracks)
        var rows: [JSONValue] = []
        let gold = try await workforce.goldCounts()
        let openProjects = try await context.projects.list(organizationID: nil, status: .open)
        let changes = try await context.pay.rateChanges(projectIDs: openProjects.compactMap(\.id))
        for project in openProjects {
            let listing = Listing(json: project.listingJSON)
            guard listing.listed else { continue }
            let requirements = Self.requirementsOrNobody(project.requirementsJSON)
            let rate = Self.rate(of: project, tracks: tracks, changes: changes)
            let required = tracks.filter { requirements.trackIDs.contains($0.id) }
            if let track = filter.track, !track.isEmpty, !requirements.trackIDs.contains(track) { continue }
            if let language = filter.language?.lowercased(), !language.isEmpty,
               !requirements.languages.contains(where: { $0.code == language || $0.code.hasPrefix(language + "-") }) { continue }
            if let profession = filter.profession?.lowercased(), !profession.isEmpty,
               !required.contains(where: { $0.id.contains(profession) || $0.name.lowercased().contains(profession) || $0.family.rawValue == profession }) {
                continue
            }
            if let minimum = filter.minimumRateCents, !listing.showRate || rate < minimum { continue }
            let left = Self.tasksLeft(project, gold: project.id.flatMap { gold[$0] } ?? 0)
            rows.append(.object([
                "id": .string(project.id?.text ?? ""), "title": .string(listing.title ?? project.name),
                "description": .string(listing.description ?? ""),
                "tracks": .array(listing.showRequirements ? required.map { .object(["id": .string($0.id), "name": .string($0.name)]) } : []),
                "family": listing.showRequirements ? WorkforceDTO.optional(required.first?.family.rawValue) : .null,
                "rate_cents": listing.showRate ? .number(Double(rate)) : .null,
                "qualifications": .array(listing.showRequirements ? requirements.summary(trackNames: names).map { .string($0) } : []),
                "languages": .array(listing.showRequirements ? requirements.languages.map {
                    .object(["code": .string($0.code), "min_level": .string($0.minimum.rawValue)])
                } : []),
                "countries": .array(listing.showRequirements ? requirements.countries.map { .string($0) } : []),
                "expected_hours": project.expectedSeconds.map { .number((Double($0 * left) / 36).rounded() / 100) } ?? .null,
                "tasks_left": .number(Double(left)), "updated_at": timestamp(project.updatedAt),
            ]))
        }
        return .object(["listings": .array(rows)])
    }

    func quiz(_ value: JSONValue) async throws -> JSONValue {
        let answers: QuizAnswers
        do {
            answers = try QuizAnswers.parse(value)
        } catch {
            throw Problem.invalid(error.errors, title: "The answers are not valid")
        }
        let tracks = try await workforce.tracks()
        let assessments = try await workforce.assessments()
        let byID = Dictionary(uniqueKeysWithValues: tracks.map { ($0.id, $0) })
        return .object(["tracks": .array(Quiz.suggest(answers, tracks: tracks, now: Store.now()).map { suggestion in
            .object([
                "track": .string(suggestion.track), "name": .string(byID[suggestion.track]?.name ?? suggestion.track),
                "base_rate_cents": .number(Double(byID[suggestion.track]?.baseRateCents ?? 0)), "fits": .bool(suggestion.fits),
                "score": .number(suggestion.score), "reasons": .array(suggestion.reasons.map { .string($0) }),
                "assessments": .array(assessments.filter { $0.kind != "practice" && $0.unlocks.contains(suggestion.track) }.map(WorkforceDTO.assessmentLink)),
            ])
        })])
    }

    // MARK: Reach and alerts

    /// Approved workers a project's requirements admit, their weekly hours, and those one qualification away.
    func reach(_ project: ProjectModel) async throws -> JSONValue {
        let now = Store.now()
        let requirements = Self.requirementsOrNobody(project.requirementsJSON)
        var qualified = 0, hours = 0, close = 0
        for worker in try await workforce.approvedWorkers(now: now) {
            let match = Matcher.match(Self.candidate(worker), against: requirements, trackNames: [:], now: now)
            if match.eligible {
                qualified += 1
                hours += worker.hoursPerWeek
            } else if Matcher.isClose(match) {
                close += 1
            }
        }
        return .object(["qualified_workers": .number(Double(qualified)), "weekly_hours": .number(Double(hours)), "close_workers": .number(Double(close))])
    }

    static func candidate(_ worker: WorkforceRepository.WorkerRow) -> MatchCandidate {
        let profile = (try? WorkerProfile.parse(try JSONValue.parse(worker.profileJSON), complete: false)) ?? WorkerProfile()
        return MatchCandidate(profile: profile, qualifications: worker.tracks, credentials: [])
    }

    /// Tells matching workers who opted in that a project opened or grew: once per project for opening, at
    /// most once a day for growth. Returns how many were told.
    @discardableResult
    func alert(_ project: ProjectModel) async throws -> Int {
        guard project.status == ProjectStatus.open.rawValue, project.tasksTotal > project.tasksDone else { return 0 }
        let now = Store.now()
        let id = try project.requireID()
        let requirements = Self.requirementsOrNobody(project.requirementsJSON)
        let tracks = try await workforce.tracks()
        let rate = WorkforceDTO.money(Self.rate(of: project, tracks: tracks))
        let base = context.configuration.publicURL
        var told = 0
        for worker in try await workforce.approvedWorkers(now: now, alertsOnly: true) {
            guard Matcher.match(Self.candidate(worker), against: requirements, trackNames: [:], now: now).eligible else { continue }
            let day = Timestamp.string(Date(timeIntervalSince1970: now)).prefix(10)
            let sent = try await context.store.write { sql -> Bool in
                let opened = try await workforce.recordAlert(userID: worker.userID, projectID: id, event: "open", now: now, on: sql)
                if !opened, !(try await workforce.recordAlert(userID: worker.userID, projectID: id, event: "grew-\(day)", now: now, on: sql)) {
                    return false
                }
                let title = opened ? "New work for you: \(project.name)" : "More work in \(project.name)"
                let body = "\(project.name) pays \(rate)/h and has \(project.tasksTotal - project.tasksDone) tasks waiting."
                let mailBody = """
                    Hello \(worker.name),

                    \(body)
                    Start: \(base)\(SiteURL.dashboard.path)

                    You get this because you asked for alerts of matching work. Unsubscribe at once: \(base)\(SiteURL.unsubscribe.path)?token=\(worker.unsubscribeToken)
                    """
                try await workforce.notify(userID: worker.userID, kind: "alert", title: title, body: body, link: SiteURL.dashboard.path,
                                           mail: .init(to: worker.email, subject: "Gloss: \(title)", body: mailBody), now: now, on: sql)
                return true
            }
            if sent { told += 1 }
        }
        return told
    }
}

extension Request {
    var matchingService: MatchingService { MatchingService(context: gloss) }
}
