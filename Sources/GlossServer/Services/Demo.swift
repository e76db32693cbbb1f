import Foundation
import GlossCore
import GlossStore
import Vapor

/// The demo: an organization, an admin, a requester, two workers and a sentiment project of 50 short
/// product reviews. Seeding is idempotent: a second run changes nothing.
public enum Demo {
    public struct Account: Sendable {
        public var email: String
        public var password: String
        public var role: Role
    }

    public static let organization = "Acme Robotics (demo)"
    public static let accounts = [
        Account(email: "admin@gloss.demo", password: "gloss-admin", role: .admin),
        Account(email: "requester@gloss.demo", password: "gloss-requester", role: .requester),
        Account(email: "worker1@gloss.demo", password: "gloss-worker1", role: .worker),
        Account(email: "worker2@gloss.demo", password: "gloss-worker2", role: .worker),
        Account(email: "reviewer@gloss.demo", password: "gloss-reviewer", role: .worker),
        Account(email: "expert@gloss.demo", password: "gloss-expert", role: .worker),
    ]
    public static let projectName = "Product review sentiment"

    @discardableResult
    public static func seed(_ app: Application) async throws -> [Account] {
        let accountsRepository = app.gloss.accounts
        for account in accounts where try await accountsRepository.user(email: account.email) == nil {
            _ = try await GlossAdministration.createUser(app, email: account.email, password: account.password, role: account.role,
                                                        organization: account.role == .requester ? organization : nil,
                                                        name: nil)
        }
        guard let organizationModel = try await accountsRepository.organization(named: organization, creatingIfMissing: true),
              let organizationID = organizationModel.id else { return accounts }
        try await seedWorkforce(app)
        let existing = try await app.gloss.projects.list(organizationID: organizationID)
        try await seedProjects(app, organizationID: organizationID, existing: Set(existing.map(\.name)))
        try await seedPay(app, organizationID: organizationID)
        guard !existing.contains(where: { $0.name == projectName }) else { return accounts }
        let schema = LabelSchema(fields: [
            Field(name: "sentiment", label: "Sentiment", kind: .choice(ChoiceField(options: [
                ChoiceOption(value: "positive", label: "Positive"),
                ChoiceOption(value: "negative", label: "Negative"),
                ChoiceOption(value: "neutral", label: "Neutral"),
                ChoiceOption(value: "mixed", label: "Mixed"),
            ]))),
            Field(name: "note", label: "Note", isRequired: false, kind: .text(TextField(maximumLength: 500))),
        ])
        let model = ProjectModel(
            organizationID: organizationID, name: projectName, schemaJSON: schema.json.jsonText, guidelines: guidelines,
            overlap: 2, leaseSeconds: app.gloss.configuration.defaultLeaseSeconds)
        model.listingJSON = #"{"listed": true, "description": "Read short product reviews and label how the customer feels."}"#
        model.expectedSeconds = 20
        let project = try await app.gloss.projects.create(model)
        var lines = ""
        for (index, text) in reviews.enumerated() {
            lines += "{\"external_id\":\"review-\(String(format: "%03d", index + 1))\",\"data\":{\"text\":\(JSONValue.quoted(text))}}\n"
        }
        let chunks = [Array(lines.utf8)].async
        _ = try await GlossAdministration.importTasks(app, projectID: project.requireID(), format: .jsonLines, chunks: chunks)
        try await seedQuality(app, project: project)
        return accounts
    }

    /// The sentiment project's quality setup: three gold reviews with their right answers, a peer reviewer
    /// and an expert (consumer law) to take the review and expert queues.
    static func seedQuality(_ app: Application, project: ProjectModel) async throws {
        let projectID = try project.requireID()
        let requester = try await app.gloss.accounts.user(email: "requester@gloss.demo")
        let tasks = try await app.gloss.tasks.tasks(projectID: projectID, afterSeq: 0, limit: 3)
        for (task, answer) in zip(tasks, ["positive", "negative", "neutral"]) {
            try await app.gloss.quality.setGold(taskID: task.id, projectID: projectID, valueJSON: "{\"sentiment\":\"\(answer)\"}",
                                                by: try requester?.requireID() ?? UUID())
        }
        for (email, level, specialties) in [("reviewer@gloss.demo", "reviewer", [String]()), ("expert@gloss.demo", "expert", ["consumer law"])] {
            guard let user = try await app.gloss.accounts.user(email: email) else { continue }
            try await app.gloss.quality.grant(projectID: projectID, userID: try user.requireID(), level: level, specialties: specialties)
        }
    }

    /// A pay history for worker2 on the code-review project ($45/h): last week's time and a bonus, paid in a closed
    /// period, and time today that is still pending. Written through the same posting and closing as real work.
    static func seedPay(_ app: Application, organizationID: UUID) async throws {
        guard let worker = try await app.gloss.accounts.user(email: "worker2@gloss.demo"), let workerID = worker.id,
              let admin = try await app.gloss.accounts.user(email: "admin@gloss.demo"), let adminID = admin.id,
              let project = try await app.gloss.projects.list(organizationID: organizationID).first(where: { $0.name.hasPrefix("Code review") }),
              let projectID = project.id,
              try await app.gloss.pay.totals(workerID: workerID).balanceCents == 0,
              try await app.gloss.pay.projectsWorked(workerID: workerID).isEmpty else { return }
        let tasks = try await app.gloss.tasks.tasks(projectID: projectID, afterSeq: 0, limit: 2)
        guard tasks.count == 2 else { return }
        let service = PayService(context: app.gloss)
        let pay = app.gloss.pay
        let now = service.clock.now()
        let monday = PayPeriods.boundary(atOrBefore: now, days: 7)
        // (task, seconds of work, when it ended): both tasks last week, the second again today.
        let work: [(UUID, Double, Double)] = [(tasks[0].id, 1_520, monday - 5 * 86_400 + 11 * 3_600), (tasks[1].id, 1_085, monday - 4 * 86_400 + 15 * 3_600),
                                               (tasks[1].id, 730, max(monday + 60, now - 600))]
        try await app.gloss.store.write { sql in
            for (taskID, seconds, end) in work {
                try await pay.addTime(.init(workerID: workerID, projectID: projectID, taskID: taskID, day: ActiveTime.day(end - 1),
                                            milliseconds: Int64(seconds * 1000), mode: "hourly", baseRateCents: 4500, multiplierBP: 10_000,
                                            start: end - seconds, end: end), now: now, on: sql)
            }
            try await pay.append(.init(workerID: workerID, kind: "bonus", amountCents: 1500, projectID: projectID,
                                       memo: "Careful reviews of the edge cases in the pagination task", createdBy: adminID,
                                       earnedAt: monday - 3 * 86_400), now: now, on: sql)
        }
        _ = try await service.close(endsAt: monday, by: adminID)
    }

    /// Profiles for the demo workers (worker2 codes and holds the coding track), so the dashboard and the
    /// matcher have someone to show.
    static func seedWorkforce(_ app: Application) async throws {
        let workforce = app.gloss.workforce
        let profiles = [
            ("worker1@gloss.demo", #"{"country": "DE", "time_zone": "Europe/Berlin", "availability": {"hours_per_week": 15, "days": ["mon", "tue", "thu"]}, "education": [{"degree": "bachelor", "field": "Linguistics", "institution": "University of Hamburg", "year": 2016}], "experience": [{"field": "Translation", "years": 6}], "languages": [{"code": "de", "proficiency": "native"}, {"code": "en", "proficiency": "fluent"}], "path": "general"}"#),
            ("worker2@gloss.demo", #"{"country": "PT", "time_zone": "Europe/Lisbon", "availability": {"hours_per_week": 25, "days": ["mon", "wed", "fri", "sat"]}, "education": [{"degree": "master", "field": "Computer science", "institution": "University of Porto", "year": 2018}], "experience": [{"field": "Software engineering", "years": 7}], "languages": [{"code": "pt", "proficiency": "native"}, {"code": "en", "proficiency": "professional"}], "programming": [{"language": "Python", "years": 7}, {"language": "Go", "years": 3}], "path": "coding"}"#),
        ]
        for (email, json) in profiles {
            guard let user = try await app.gloss.accounts.user(email: email), let userID = user.id,
                  try await workforce.profile(userID: userID).submittedAt == nil else { continue }
            let profile = try WorkerProfile.parse(try JSONValue.parse(json), complete: true)
            try await workforce.saveProfile(userID: userID, profile: profile, name: nil, submittedAt: Store.now(), now: Store.now())
        }
        if let worker = try await app.gloss.accounts.user(email: "worker2@gloss.demo"), let userID = worker.id,
           !(try await workforce.activeTracks(userID: userID, now: Store.now())).contains("coding") {
            let now = Store.now()
            try await app.gloss.store.write { sql in
                for track in ["general", "coding"] {
                    try await workforce.grant(userID: userID, track: track, source: "admin", attemptID: nil, grantedBy: nil,
                                              reason: "demo account", verdict: .init(eligible: true, missing: [], expiresAt: nil), now: now, on: sql)
                }
            }
        }
    }

    public static func banner(_ accounts: [Account], url: String) -> String {
        var lines = ["", "Gloss demo is ready at \(url)", "Sign in with:"]
        for account in accounts {
            lines.append("  \(account.role.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)) \(account.email)  password: \(account.password)")
        }
        lines.append("The project '\(projectName)' has \(reviews.count) reviews to label (two workers each; three are gold),")
        lines.append("reviewer@ and expert@ review it (Review / Expert queue on the project page); the requester sees its Quality page.")
        lines.append("Applicants start at /apply (starter assessments: general and coding); admin@ runs /admin; the job board is /jobs.")
        lines.append("worker2@ has a pay history (/timesheet, /earnings); admin@ closes pay periods at /admin/pay; each project has a Cost page.")
        lines.append("and \(projectSeeds.count) more show entities, ratings, rankings, pairwise choices, translation, MQM, code review and rewriting.")
        lines.append("")
        return lines.joined(separator: "\n")
    }

    static let guidelines = """
    ## Label the sentiment of each product review

    Read the whole review, then choose the feeling of the **customer about the product**:

    - **Positive**: the customer is happy with it ("works great", "would buy again").
    - **Negative**: the customer is unhappy ("broke after a week", "returning it").
    - **Neutral**: facts without a feeling ("arrived Tuesday", "it is blue").
    - **Mixed**: clear praise *and* clear complaint in the same review.

    Sarcasm counts as what the customer means, not what the words say.

    Keyboard: `1`–`4` choose, `Enter` submits, `S` skips, `Ctrl+Z` undoes.
    """

    static let reviews = [
        "The blender crushed ice in seconds and it's quieter than my old one. Very happy.",
        "Stopped charging after nine days. Support never answered my emails.",
        "Arrived on Tuesday in a plain box. The cable is about one meter long.",
        "Great sound for the price, but the ear cushions started peeling within a month.",
        "Exactly as pictured. My daughter uses it every morning for school.",
        "Oh fantastic, another charger that only works when held at a perfect angle.",
        "The instructions were in Spanish and German only. Assembly took about 40 minutes.",
        "Battery easily lasts two full days of hiking with GPS on. Would buy again.",
        "The zipper broke the first time I closed the bag. Returning it.",
        "Comfortable shoes, although they run half a size small.",
        "It does what it says. Nothing more, nothing less.",
        "Best kitchen scale I've owned: accurate to the gram and the display is bright.",
        "Smells strongly of plastic even after airing it out for a week.",
        "Fast shipping, well packed, and the color matches the photos perfectly.",
        "The app keeps logging me out and the vacuum forgets its map every other day.",
        "Bought it as a gift for my father. He hasn't opened it yet.",
        "Love the design, hate that the lid leaks when the bottle is on its side.",
        "Five stars. Replaced two other gadgets on my desk with this one.",
        "Screen scratches if you look at it wrong. Disappointed for a premium phone case.",
        "The package contained 12 pencils, a sharpener and an eraser.",
        "Setup took two minutes and it has worked flawlessly since March.",
        "Customer service replaced my broken unit quickly, but the replacement is also rattling.",
        "Too heavy to carry around and the strap digs into your shoulder.",
        "Holds a good temperature: coffee is still hot at lunch.",
        "Product matches the description. Delivery took eight days.",
        "Absolutely useless. The suction cup doesn't stick to anything.",
        "Perfect fit for my 2019 hatchback, and installation needed no tools.",
        "The lamp is bright enough for reading, though the switch feels cheap.",
        "My cat ignores the toy completely. Maybe yours will like it.",
        "Third one I've bought; I keep giving them away to friends.",
        "The tent survived a night of heavy rain without a single drop inside.",
        "Paint chipped off the handle after the first wash.",
        "It is a standard USB-C to USB-A adapter.",
        "Wonderful texture and the scent lasts all day. Slightly pricey.",
        "Worst purchase this year. The motor burned out and smelled awful.",
        "Kids assembled the puzzle over a weekend and want another one.",
        "The keyboard is lovely to type on, but Bluetooth drops every hour or so.",
        "Shipped from a warehouse in Ohio. Tracking number worked.",
        "Finally a stroller that folds with one hand. Game changer for us.",
        "Pages fell out of the notebook within a week of normal use.",
        "The jacket is warm but the sleeves are oddly long.",
        "Sturdy, simple, and it just works. Exactly what I needed.",
        "Not worth half the price. The fabric is thin and see-through.",
        "The blender has three speed settings and a pulse button.",
        "Great customer support: they walked me through a firmware update on the phone.",
        "Loud fan noise makes it impossible to use at night.",
        "Beautiful color and soft material, though it wrinkles easily.",
        "I've used it daily for a year and it still looks brand new.",
        "Came with a missing screw, so one shelf wobbles.",
        "Honestly exceeded my expectations. The photos don't do it justice.",
    ]
}
