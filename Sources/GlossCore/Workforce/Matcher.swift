import Foundation

/// A language a project requires, at a minimum level.
public struct LanguageRequirement: Sendable, Hashable {
    /// Lower-cased language code ("de", "pt-br"); a regional variant in a profile meets its base language.
    public var code: String
    public var minimum: Proficiency

    public init(code: String, minimum: Proficiency) {
        self.code = code
        self.minimum = minimum
    }

    /// "German at fluent level or better", "Japanese as a native speaker".
    public var summary: String {
        let name = Workforce.languageName(code)
        return minimum == .native ? "\(name) as a native speaker" : "\(name) at \(minimum.rawValue) level or better"
    }

    /// Whether the profile speaks the language well enough.
    public func isMet(by profile: WorkerProfile) -> Bool {
        profile.languages.contains { $0.isLanguage(code) && $0.proficiency >= minimum }
    }
}

/// What a project asks of its workers (hard requirements) and would like (preferences, only in the score).
///
/// ```
/// {"any_of": ["stem.chemistry"], "all_of": [], "languages": [{"code": "de", "min_level": "fluent"}],
///  "countries": ["DE"], "preferences": {"fields": ["organic chemistry"], "credentials": [], "min_years": 3,
///  "min_hours_per_week": 10}}
/// ```
/// `{}` (or `null`) is no requirement at all.
public struct ProjectRequirements: Sendable, Hashable {
    /// Track ids: the worker holds at least one.
    public var anyOf: [String]
    /// Track ids: the worker holds every one.
    public var allOf: [String]
    /// Each at its minimum level (hard).
    public var languages: [LanguageRequirement]
    /// ISO alpha-2 codes, upper-cased; empty = anywhere (hard).
    public var countries: [String]
    /// Keywords matched against the fields of education and experience (case-insensitive substring).
    public var preferredFields: [String]
    /// Credential types (lower-cased) the project would like, verified and unexpired.
    public var preferredCredentials: [String]
    /// Years of experience in a preferred field (or any field when none).
    public var preferredYears: Int?
    /// Hours of availability per week.
    public var preferredHoursPerWeek: Int?

    public init() {
        anyOf = []
        allOf = []
        languages = []
        countries = []
        preferredFields = []
        preferredCredentials = []
        preferredYears = nil
        preferredHoursPerWeek = nil
    }

    /// No hard requirement at all (preferences may still be set).
    public var isEmpty: Bool { anyOf.isEmpty && allOf.isEmpty && languages.isEmpty && countries.isEmpty }

    /// Every track id named: anyOf then allOf, without duplicates.
    public var trackIDs: [String] {
        var result: [String] = []
        for id in anyOf + allOf where !result.contains(id) { result.append(id) }
        return result
    }

    /// Reads requirements, refusing unknown tracks and members; errors name paths such as `requirements.any_of[0]`.
    public static func parse(_ json: JSONValue, knownTracks: Set<String>) throws(ValidationFailure) -> ProjectRequirements {
        var requirements = ProjectRequirements()
        if json == .null { return requirements }
        var reader = WorkforceReader()
        let prefix = "requirements"
        guard let object = reader.object(json, at: prefix, name: "requirements",
                                         allowed: ["any_of", "all_of", "languages", "countries", "preferences"]) else {
            throw ValidationFailure(reader.errors)
        }
        let known = knownTracks.sorted().joined(separator: ", ")
        func track(_ id: String) -> String? { knownTracks.contains(id) ? id : nil }
        requirements.anyOf = reader.strings(object["any_of"], at: "\(prefix).any_of", maximumLength: 60, transform: track,
                                            expected: "is not a track (expected one of \(known))") ?? []
        requirements.allOf = reader.strings(object["all_of"], at: "\(prefix).all_of", maximumLength: 60, transform: track,
                                            expected: "is not a track (expected one of \(known))") ?? []
        if let entries = reader.array(object["languages"], at: "\(prefix).languages") {
            var seen = Set<String>()
            for (index, entry) in entries.enumerated() {
                let path = "\(prefix).languages[\(index)]"
                guard let members = reader.object(entry, at: path, name: "a language requirement", allowed: ["code", "min_level"]) else { continue }
                let code = reader.languageCode(members["code"], at: "\(path).code", required: true)
                let minimum = reader.word(members["min_level"], at: "\(path).min_level", as: Proficiency.self, required: true)
                if let code, !seen.insert(code).inserted { reader.fail("\(path).code", "lists '\(code)' twice"); continue }
                if let code, let minimum { requirements.languages.append(LanguageRequirement(code: code, minimum: minimum)) }
            }
        }
        requirements.countries = reader.strings(object["countries"], at: "\(prefix).countries", maximum: 250, maximumLength: 2, transform: { text in
            let code = text.uppercased()
            return code.count == 2 && code.unicodeScalars.allSatisfy({ ("A"..."Z").contains($0) }) ? code : nil
        }, expected: "must be a two-letter ISO 3166 country code such as DE") ?? []
        if let value = object["preferences"], value != .null,
           let preferences = reader.object(value, at: "\(prefix).preferences", name: "preferences",
                                           allowed: ["fields", "credentials", "min_years", "min_hours_per_week"]) {
            let at = "\(prefix).preferences"
            requirements.preferredFields = reader.strings(preferences["fields"], at: "\(at).fields", maximumLength: 100) ?? []
            requirements.preferredCredentials = reader.strings(preferences["credentials"], at: "\(at).credentials", maximumLength: 100,
                                                               transform: { $0.lowercased() }) ?? []
            requirements.preferredYears = reader.integer(preferences["min_years"], at: "\(at).min_years", in: WorkerProfile.yearsRange)
            requirements.preferredHoursPerWeek = reader.integer(preferences["min_hours_per_week"], at: "\(at).min_hours_per_week",
                                                                in: WorkerProfile.hoursRange)
        }
        guard reader.errors.isEmpty else { throw ValidationFailure(reader.errors) }
        return requirements
    }

    /// Every member, in the form `parse` reads (`min_years` and `min_hours_per_week` are null when unset).
    public var json: JSONValue {
        .object([
            "any_of": .array(anyOf.map(JSONValue.string)),
            "all_of": .array(allOf.map(JSONValue.string)),
            "languages": .array(languages.map { .object(["code": .string($0.code), "min_level": .string($0.minimum.rawValue)]) }),
            "countries": .array(countries.map(JSONValue.string)),
            "preferences": .object([
                "fields": .array(preferredFields.map(JSONValue.string)),
                "credentials": .array(preferredCredentials.map(JSONValue.string)),
                "min_years": preferredYears.map { .number(Double($0)) } ?? .null,
                "min_hours_per_week": preferredHoursPerWeek.map { .number(Double($0)) } ?? .null,
            ]),
        ])
    }

    /// The hard requirements in plain English ("holds one of: STEM: chemistry, STEM: biology", "German at
    /// fluent level or better"), the same texts as the matcher's hard items. Unknown ids show as themselves.
    public func summary(trackNames: [String: String]) -> [String] {
        Matcher.hardItems(self, trackNames: trackNames).map(\.requirement)
    }
}

/// A worker as the matcher sees them.
public struct MatchCandidate: Sendable, Hashable {
    public var profile: WorkerProfile
    /// ACTIVE track ids the worker holds.
    public var qualifications: Set<String>
    public var credentials: [CredentialFact]

    public init(profile: WorkerProfile, qualifications: Set<String>, credentials: [CredentialFact]) {
        self.profile = profile
        self.qualifications = qualifications
        self.credentials = credentials
    }
}

/// One line of a match's explanation.
public struct MatchItem: Sendable, Hashable {
    /// Plain English: "holds STEM: chemistry", "German at fluent level or better", "field: organic chemistry".
    public var requirement: String
    /// "qualification" | "language" | "country" | "field" | "credential" | "experience" | "availability".
    public var kind: String
    /// Points out of 100.
    public var weight: Double
    public var met: Bool
    public var hard: Bool
    /// For an unmet qualification item: the track id to earn (for "take the chemistry assessment").
    public var track: String?

    public init(requirement: String, kind: String, weight: Double, met: Bool, hard: Bool, track: String? = nil) {
        self.requirement = requirement
        self.kind = kind
        self.weight = weight
        self.met = met
        self.hard = hard
        self.track = track
    }

    /// `{"requirement", "kind", "weight", "met", "hard", "track"?}`.
    public var json: JSONValue {
        var object: [String: JSONValue] = ["requirement": .string(requirement), "kind": .string(kind), "weight": .number(weight),
                                           "met": .bool(met), "hard": .bool(hard)]
        if let track { object["track"] = .string(track) }
        return .object(object)
    }
}

/// How well a worker fits a project, with its explanation.
public struct MatchResult: Sendable, Hashable {
    /// 0...100: the sum of the weights of the met items (all weights sum to 100; no item -> 100).
    public var score: Double
    /// Every hard item met.
    public var eligible: Bool
    public var items: [MatchItem]
    /// The unmet hard items.
    public var missing: [MatchItem]

    public init(score: Double, eligible: Bool, items: [MatchItem], missing: [MatchItem]) {
        self.score = score
        self.eligible = eligible
        self.items = items
        self.missing = missing
    }

    /// `{"score", "eligible", "items": [{"requirement","kind","weight","met","hard","track"?}]}`.
    public var json: JSONValue {
        .object(["score": .number(score), "eligible": .bool(eligible), "items": .array(items.map(\.json))])
    }
}

/// Scores workers against projects and explains the score.
///
/// Weights: every hard item (one per all_of track, one for the any_of group, one per language, one for the
/// countries) weighs twice a preference item (one per preferred field, one per preferred credential, one for
/// the years, one for the hours), and all weights sum to 100: a preference weighs `100 / (2 × hard + preferences)`.
/// A field is met when an education or experience field contains it (case-insensitive); the years count the
/// experience entries in a preferred field (all entries when no field is preferred).
public enum Matcher {
    /// How many times a preference item a hard item weighs.
    public static let hardWeightFactor = 2.0

    /// The hard items of `requirements`, unweighted, in the order the matcher lists them; met as far as
    /// `candidate` shows (all unmet without one).
    static func hardItems(_ requirements: ProjectRequirements, trackNames: [String: String],
                          candidate: MatchCandidate? = nil) -> [MatchItem] {
        func name(_ id: String) -> String { trackNames[id] ?? id }
        func item(_ text: String, _ kind: String, met: Bool, track: String? = nil) -> MatchItem {
            MatchItem(requirement: text, kind: kind, weight: 0, met: met, hard: true, track: met ? nil : track)
        }
        let held = candidate?.qualifications ?? []
        var items: [MatchItem] = []
        for id in requirements.allOf {
            items.append(item("holds \(name(id))", "qualification", met: held.contains(id), track: id))
        }
        if !requirements.anyOf.isEmpty {
            let names = requirements.anyOf.map(name)
            let text = names.count == 1 ? "holds \(names[0])" : "holds one of: \(names.joined(separator: ", "))"
            items.append(item(text, "qualification", met: !held.isDisjoint(with: requirements.anyOf), track: requirements.anyOf.first))
        }
        for language in requirements.languages {
            items.append(item(language.summary, "language", met: candidate.map { language.isMet(by: $0.profile) } ?? false))
        }
        if !requirements.countries.isEmpty {
            let text = "based in \(Workforce.list(requirements.countries.map(Workforce.countryName)))"
            let met = candidate?.profile.country.map(requirements.countries.contains) ?? false
            items.append(item(text, "country", met: met))
        }
        return items
    }

    /// Scores a worker against a project. Hard items (qualifications: one item per all_of track and one for the
    /// any_of group; each language; the country) and preferences share 100 points, a hard item twice a
    /// preference. `track` of an unmet any_of item is the group's first track.
    public static func match(_ candidate: MatchCandidate, against requirements: ProjectRequirements,
                             trackNames: [String: String], now: Double) -> MatchResult {
        let profile = candidate.profile
        var items = hardItems(requirements, trackNames: trackNames, candidate: candidate)
        let fieldNames = profile.education.map(\.field) + profile.experience.map(\.field)
        for field in requirements.preferredFields {
            let met = fieldNames.contains { Workforce.field($0, matchesAnyOf: [field]) }
            items.append(MatchItem(requirement: "field: \(field)", kind: "field", weight: 0, met: met, hard: false))
        }
        for type in requirements.preferredCredentials {
            let met = candidate.credentials.contains { $0.type.lowercased() == type.lowercased() && $0.isValid(at: now) }
            items.append(MatchItem(requirement: "credential: \(Workforce.credentialName(type))", kind: "credential", weight: 0, met: met, hard: false))
        }
        if let years = requirements.preferredYears {
            let fields = requirements.preferredFields
            let amount = years == 1 ? "1 year" : "\(years) years"
            let text = fields.isEmpty ? "\(amount) of professional experience" : "\(amount) of experience in \(Workforce.list(fields))"
            items.append(MatchItem(requirement: text, kind: "experience", weight: 0,
                                   met: profile.yearsOfExperience(in: fields) >= years, hard: false))
        }
        if let hours = requirements.preferredHoursPerWeek {
            items.append(MatchItem(requirement: "available \(hours) hours a week or more", kind: "availability", weight: 0,
                                   met: (profile.hoursPerWeek ?? 0) >= hours, hard: false))
        }
        guard !items.isEmpty else { return MatchResult(score: 100, eligible: true, items: [], missing: []) }
        let hardCount = Double(items.filter(\.hard).count)
        let unit = 100 / (hardWeightFactor * hardCount + Double(items.count) - hardCount)
        for index in items.indices { items[index].weight = items[index].hard ? hardWeightFactor * unit : unit }
        let score = items.filter(\.met).reduce(0) { $0 + $1.weight }
        let missing = items.filter { $0.hard && !$0.met }
        return MatchResult(score: min(100, score), eligible: missing.isEmpty, items: items, missing: missing)
    }

    /// Close: not eligible, and the only unmet hard item is one qualification.
    public static func isClose(_ result: MatchResult) -> Bool {
        !result.eligible && result.missing.count == 1 && result.missing[0].kind == "qualification"
    }
}
