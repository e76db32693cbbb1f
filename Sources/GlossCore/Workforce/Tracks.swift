import Foundation

/// A credential as far as eligibility is concerned: only verified, unexpired ones count.
public struct CredentialFact: Sendable, Hashable {
    /// The credential's type, such as `bar_admission`, `cfa`, `medical_licence` (compared ignoring case).
    public var type: String
    /// Whether an admin has verified the document.
    public var verified: Bool
    /// Seconds since 1970; nil when it does not expire.
    public var expiresAt: Double?

    public init(type: String, verified: Bool, expiresAt: Double?) {
        self.type = type
        self.verified = verified
        self.expiresAt = expiresAt
    }

    /// Whether the credential counts at `now`: verified and not expired (`expiresAt > now`).
    public func isValid(at now: Double) -> Bool {
        verified && (expiresAt.map { $0 > now } ?? true)
    }
}

/// The kinds of track, which set the default base rates.
public enum TrackFamily: String, Sendable, Hashable, CaseIterable {
    case general, multilingual, coding, stem, professional
}

/// Data an admin edits: what a profile must show for a track to be granted (besides passing its assessment).
///
/// JSON: `{"always": true}`, `{"all": [...]}`, `{"any": [...]}`, `{"degree": {"minimum": "master", "fields": ["chemistry"]}}`,
/// `{"experience": {"minimum_years": 10, "fields": ["chemistry"]}}`, `{"credential": {"types": ["bar_admission"]}}`,
/// `{"language": {"minimum": "professional", "codes": ["de"]}}`,
/// `{"languages": {"count": 2, "minimum": "professional"}}`.
public indirect enum EligibilityRule: Sendable, Hashable {
    /// Anyone.
    case always
    /// Every rule.
    case all([EligibilityRule])
    /// At least one rule.
    case any([EligibilityRule])
    /// An education entry of at least `minimum` (by rank) whose field contains one of `fields` (case-insensitive);
    /// empty `fields` = any field.
    case degree(minimum: DegreeLevel, fields: [String])
    /// At least `minimumYears` summed over experience entries whose field contains one of `fields`; empty = all entries.
    case experience(minimumYears: Int, fields: [String])
    /// A verified, unexpired credential of one of these types (case-insensitive).
    case credential(types: [String])
    /// A language at `minimum` or better, one of `codes` (a regional variant counts: "pt-br" is "pt"); empty = any language.
    case language(minimum: Proficiency, codes: [String])
    /// At least `count` different languages (regional variants of one language count once), each at `minimum` or
    /// better (a native language counts).
    case languageCount(count: Int, minimum: Proficiency)

    /// The deepest nesting of all/any that `parse` accepts.
    public static let maximumDepth = 6

    /// Reads a rule, naming errors by dotted paths under `path` (`tracks[2].eligibility.any[0].degree.minimum`).
    public static func parse(_ json: JSONValue, path: String) throws(ValidationFailure) -> EligibilityRule {
        var reader = WorkforceReader()
        let rule = parse(json, path: path, depth: 0, reader: &reader)
        guard reader.errors.isEmpty, let rule else {
            throw ValidationFailure(reader.errors.isEmpty ? [FieldError(field: path, message: "is not a rule")] : reader.errors)
        }
        return rule
    }

    private static let kinds = ["always", "all", "any", "degree", "experience", "credential", "language", "languages"]

    private static func parse(_ json: JSONValue, path: String, depth: Int, reader: inout WorkforceReader) -> EligibilityRule? {
        guard let object = json.objectValue else {
            reader.fail(path, "must be an object")
            return nil
        }
        guard object.count == 1, let (kind, value) = object.first else {
            reader.fail(path, "must have exactly one member, one of \(kinds.joined(separator: ", "))")
            return nil
        }
        let at = "\(path).\(kind)"
        switch kind {
        case "always":
            guard value == .bool(true) else { reader.fail(at, "must be true"); return nil }
            return .always
        case "all", "any":
            guard depth < maximumDepth else { reader.fail(at, "nests too deep (at most \(maximumDepth) levels)"); return nil }
            guard let elements = reader.array(value, at: at, maximum: 20, required: true) else { return nil }
            guard !elements.isEmpty else { reader.fail(at, "must list at least one rule"); return nil }
            let rules = elements.enumerated().map { parse($1, path: "\(at)[\($0)]", depth: depth + 1, reader: &reader) }
            let parsed = rules.compactMap { $0 }
            guard parsed.count == rules.count else { return nil }
            return kind == "all" ? .all(parsed) : .any(parsed)
        case "degree":
            guard let members = reader.object(value, at: at, name: "a degree rule", allowed: ["minimum", "fields"]) else { return nil }
            let minimum = reader.word(members["minimum"], at: "\(at).minimum", as: DegreeLevel.self, required: true)
            let fields = reader.strings(members["fields"], at: "\(at).fields", maximumLength: 100)
            guard let minimum else { return nil }
            return .degree(minimum: minimum, fields: fields ?? [])
        case "experience":
            guard let members = reader.object(value, at: at, name: "an experience rule", allowed: ["minimum_years", "fields"]) else { return nil }
            let years = reader.integer(members["minimum_years"], at: "\(at).minimum_years", in: WorkerProfile.yearsRange, required: true)
            let fields = reader.strings(members["fields"], at: "\(at).fields", maximumLength: 100)
            guard let years else { return nil }
            return .experience(minimumYears: years, fields: fields ?? [])
        case "credential":
            guard let members = reader.object(value, at: at, name: "a credential rule", allowed: ["types"]) else { return nil }
            guard let types = reader.strings(members["types"], at: "\(at).types", maximumLength: 100, transform: { $0.lowercased() }) else {
                if members["types"] == nil || members["types"] == .null { reader.fail("\(at).types", "is required") }
                return nil
            }
            guard !types.isEmpty else { reader.fail("\(at).types", "must list at least one credential type"); return nil }
            return .credential(types: types)
        case "language":
            guard let members = reader.object(value, at: at, name: "a language rule", allowed: ["minimum", "codes"]) else { return nil }
            let minimum = reader.word(members["minimum"], at: "\(at).minimum", as: Proficiency.self, required: true)
            let codes = reader.strings(members["codes"], at: "\(at).codes", maximumLength: 35,
                                       transform: { Workforce.isLanguageCode($0.lowercased()) ? $0.lowercased() : nil },
                                       expected: "must be a language code such as en, de or pt-br")
            guard let minimum else { return nil }
            return .language(minimum: minimum, codes: codes ?? [])
        case "languages":
            guard let members = reader.object(value, at: at, name: "a languages rule", allowed: ["count", "minimum"]) else { return nil }
            let count = reader.integer(members["count"], at: "\(at).count", in: 1...20, required: true)
            let minimum = reader.word(members["minimum"], at: "\(at).minimum", as: Proficiency.self, required: true)
            guard let count, let minimum else { return nil }
            return .languageCount(count: count, minimum: minimum)
        default:
            reader.fail(at, "is not a rule (expected one of \(kinds.joined(separator: ", ")))")
            return nil
        }
    }

    /// The rule in the JSON form `parse` reads.
    public var json: JSONValue {
        switch self {
        case .always: .object(["always": .bool(true)])
        case .all(let rules): .object(["all": .array(rules.map(\.json))])
        case .any(let rules): .object(["any": .array(rules.map(\.json))])
        case .degree(let minimum, let fields):
            .object(["degree": .object(["minimum": .string(minimum.rawValue), "fields": .array(fields.map(JSONValue.string))])])
        case .experience(let years, let fields):
            .object(["experience": .object(["minimum_years": .number(Double(years)), "fields": .array(fields.map(JSONValue.string))])])
        case .credential(let types): .object(["credential": .object(["types": .array(types.map(JSONValue.string))])])
        case .language(let minimum, let codes):
            .object(["language": .object(["minimum": .string(minimum.rawValue), "codes": .array(codes.map(JSONValue.string))])])
        case .languageCount(let count, let minimum):
            .object(["languages": .object(["count": .number(Double(count)), "minimum": .string(minimum.rawValue)])])
        }
    }

    /// Plain English, e.g. "a master's degree or higher in chemistry, or a bachelor's degree or higher in
    /// chemistry and 10 years of experience in chemistry".
    public var summary: String {
        switch self {
        case .always: return "open to everyone"
        case .all(let rules): return rules.map { $0.clause(inside: "all") }.joined(separator: " and ")
        case .any(let rules): return rules.map { $0.clause(inside: "any") }.joined(separator: ", or ")
        case .degree(let minimum, let fields):
            let level = minimum == .phd ? minimum.phrase : "\(minimum.phrase) or higher"
            return fields.isEmpty ? level : "\(level) in \(Workforce.list(fields))"
        case .experience(let years, let fields):
            let amount = years == 1 ? "1 year" : "\(years) years"
            return fields.isEmpty ? "\(amount) of professional experience" : "\(amount) of experience in \(Workforce.list(fields))"
        case .credential(let types):
            return "a verified, unexpired credential: \(Workforce.list(types.map(Workforce.credentialName)))"
        case .language(let minimum, let codes):
            let level = minimum == .native ? "as a native speaker" : "at \(minimum.rawValue) level or better"
            return codes.isEmpty ? "a language \(level)" : "\(Workforce.list(codes.map(Workforce.languageName))) \(level)"
        case .languageCount(let count, let minimum):
            let level = minimum == .native ? "as a native speaker" : "at \(minimum.rawValue) level or better (a native language counts)"
            return "\(count) language\(count == 1 ? "" : "s") \(level)"
        }
    }

    /// The summary as a part of an `all` or `any` list: a nested list of the other kind is put in parentheses.
    private func clause(inside parent: String) -> String {
        switch self {
        case .any(let rules) where parent == "all" && rules.count > 1: "(\(summary))"
        case .all(let rules) where parent == "any" && rules.count > 1 && rules.contains(where: { if case .any = $0 { true } else { false } }): "(\(summary))"
        default: summary
        }
    }

    /// Whether the profile meets the rule; `missing` names what is lacking in plain English; `expiresAt` is the
    /// earliest expiry of the credentials the verdict rests on (nil when none). A credential rule rests on the
    /// valid credential that lasts longest; `any` on the met alternative that lasts longest; `all` on every part.
    public func evaluate(profile: WorkerProfile, credentials: [CredentialFact], now: Double) -> EligibilityVerdict {
        switch self {
        case .always:
            return EligibilityVerdict(eligible: true, missing: [], expiresAt: nil)
        case .all(let rules):
            let verdicts = rules.map { $0.evaluate(profile: profile, credentials: credentials, now: now) }
            let eligible = verdicts.allSatisfy(\.eligible)
            return EligibilityVerdict(eligible: eligible, missing: verdicts.flatMap(\.missing),
                                      expiresAt: eligible ? verdicts.compactMap(\.expiresAt).min() : nil)
        case .any(let rules):
            let verdicts = rules.map { $0.evaluate(profile: profile, credentials: credentials, now: now) }
            let met = verdicts.filter(\.eligible)
            guard !met.isEmpty else { return EligibilityVerdict(eligible: false, missing: [summary], expiresAt: nil) }
            // Lasts longest: one that never expires, else the latest expiry.
            let expiry = met.contains { $0.expiresAt == nil } ? nil : met.compactMap(\.expiresAt).max()
            return EligibilityVerdict(eligible: true, missing: [], expiresAt: expiry)
        case .degree(let minimum, let fields):
            let met = profile.education.contains { $0.degree.meets(minimum) && (fields.isEmpty || Workforce.field($0.field, matchesAnyOf: fields)) }
            return EligibilityVerdict(eligible: met, missing: met ? [] : [summary], expiresAt: nil)
        case .experience(let years, let fields):
            let total = profile.yearsOfExperience(in: fields)
            let met = total >= years
            return EligibilityVerdict(eligible: met, missing: met ? [] : ["\(summary); the profile shows \(total)"], expiresAt: nil)
        case .credential(let types):
            let wanted = Set(types.map { $0.lowercased() })
            let valid = credentials.filter { wanted.contains($0.type.lowercased()) && $0.isValid(at: now) }
            guard !valid.isEmpty else { return EligibilityVerdict(eligible: false, missing: [summary], expiresAt: nil) }
            let expiry = valid.contains { $0.expiresAt == nil } ? nil : valid.compactMap(\.expiresAt).max()
            return EligibilityVerdict(eligible: true, missing: [], expiresAt: expiry)
        case .language(let minimum, let codes):
            let met = profile.languages.contains { skill in
                skill.proficiency >= minimum && (codes.isEmpty || codes.contains { skill.isLanguage($0) })
            }
            return EligibilityVerdict(eligible: met, missing: met ? [] : [summary], expiresAt: nil)
        case .languageCount(let count, let minimum):
            // Regional variants of one language ("pt", "pt-br") are one language.
            let primaries = Set(profile.languages.filter { $0.proficiency >= minimum }.map { $0.code.split(separator: "-").first.map(String.init) ?? $0.code })
            let met = primaries.count >= count
            return EligibilityVerdict(eligible: met, missing: met ? [] : ["\(summary); the profile shows \(primaries.count)"], expiresAt: nil)
        }
    }

    /// The field keywords the rule's degree and experience parts name, in order, without duplicates.
    public var fieldKeywords: [String] {
        var result: [String] = []
        func collect(_ rule: EligibilityRule) {
            switch rule {
            case .all(let rules), .any(let rules): rules.forEach(collect)
            case .degree(_, let fields), .experience(_, let fields):
                for field in fields where !result.contains(where: { $0.caseInsensitiveCompare(field) == .orderedSame }) { result.append(field) }
            default: break
            }
        }
        collect(self)
        return result
    }

    /// The credential types the rule names, in order, without duplicates.
    public var credentialTypes: [String] {
        var result: [String] = []
        func collect(_ rule: EligibilityRule) {
            switch rule {
            case .all(let rules), .any(let rules): rules.forEach(collect)
            case .credential(let types): for type in types where !result.contains(type) { result.append(type) }
            default: break
            }
        }
        collect(self)
        return result
    }
}

/// The outcome of an eligibility rule for one profile.
public struct EligibilityVerdict: Sendable, Hashable {
    public var eligible: Bool
    /// What is lacking, in plain English; empty when eligible.
    public var missing: [String]
    /// The earliest expiry (seconds since 1970) of the credentials the verdict rests on; nil when none.
    public var expiresAt: Double?

    public init(eligible: Bool, missing: [String], expiresAt: Double?) {
        self.eligible = eligible
        self.missing = missing
        self.expiresAt = expiresAt
    }
}

/// A qualification track: its rate and who may earn it.
public struct TrackDefinition: Sendable, Hashable {
    /// "general", "multilingual", "coding", "stem.math", "stem.physics", "stem.chemistry", "stem.biology",
    /// "professional.law", "professional.finance", "professional.medicine" (matches `Tracks.idPattern`).
    public var id: String
    /// Shown to people: "STEM: chemistry".
    public var name: String
    public var family: TrackFamily
    /// Base pay per hour, in cents; a project on the track never pays less.
    public var baseRateCents: Int
    /// What a profile must show, besides passing the track's assessment.
    public var eligibility: EligibilityRule

    public init(id: String, name: String, family: TrackFamily, baseRateCents: Int, eligibility: EligibilityRule) {
        self.id = id
        self.name = name
        self.family = family
        self.baseRateCents = baseRateCents
        self.eligibility = eligibility
    }

    /// `{"id", "name", "family", "base_rate_cents", "eligibility", "eligibility_summary"}`.
    public var json: JSONValue {
        .object(["id": .string(id), "name": .string(name), "family": .string(family.rawValue),
                 "base_rate_cents": .number(Double(baseRateCents)), "eligibility": eligibility.json,
                 "eligibility_summary": .string(eligibility.summary)])
    }
}

/// The tracks Gloss starts with.
public enum Tracks {
    /// Default base rates per family, in cents per hour: general $20, multilingual $20, coding $40, STEM $40,
    /// professional $50.
    public static func defaultRateCents(_ family: TrackFamily) -> Int {
        switch family {
        case .general, .multilingual: 2000
        case .coding, .stem: 4000
        case .professional: 5000
        }
    }

    /// STEM in a field: a master's or higher in it, or a bachelor's or higher in it and 10 years of experience in it.
    public static func stemRule(fields: [String]) -> EligibilityRule {
        .any([.degree(minimum: .master, fields: fields),
              .all([.degree(minimum: .bachelor, fields: fields), .experience(minimumYears: 10, fields: fields)])])
    }

    /// The defaults from the market we serve: general $20, multilingual $20, coding $40, STEM $40, professional $50 (cents).
    /// STEM X: degree master+ in X, or (degree bachelor+ in X and 10 years experience in X). Professional law:
    /// credential bar_admission; finance: cfa or cpa; medicine: medical_licence. general and coding: always
    /// (their assessments decide); multilingual: at least two languages at professional level or better (a
    /// native language counts).
    public static let defaults: [TrackDefinition] = [
        TrackDefinition(id: "general", name: "General", family: .general, baseRateCents: 2000, eligibility: .always),
        TrackDefinition(id: "multilingual", name: "Multilingual", family: .multilingual, baseRateCents: 2000,
                        eligibility: .languageCount(count: 2, minimum: .professional)),
        TrackDefinition(id: "coding", name: "Coding", family: .coding, baseRateCents: 4000, eligibility: .always),
        TrackDefinition(id: "stem.math", name: "STEM: mathematics", family: .stem, baseRateCents: 4000,
                        eligibility: stemRule(fields: ["math", "statistics"])),
        TrackDefinition(id: "stem.physics", name: "STEM: physics", family: .stem, baseRateCents: 4000,
                        eligibility: stemRule(fields: ["physics"])),
        TrackDefinition(id: "stem.chemistry", name: "STEM: chemistry", family: .stem, baseRateCents: 4000,
                        eligibility: stemRule(fields: ["chemistry"])),
        TrackDefinition(id: "stem.biology", name: "STEM: biology", family: .stem, baseRateCents: 4000,
                        eligibility: stemRule(fields: ["biology"])),
        TrackDefinition(id: "professional.law", name: "Professional: law", family: .professional, baseRateCents: 5000,
                        eligibility: .credential(types: ["bar_admission"])),
        TrackDefinition(id: "professional.finance", name: "Professional: finance", family: .professional, baseRateCents: 5000,
                        eligibility: .credential(types: ["cfa", "cpa"])),
        TrackDefinition(id: "professional.medicine", name: "Professional: medicine", family: .professional, baseRateCents: 5000,
                        eligibility: .credential(types: ["medical_licence"])),
    ]

    /// What a track id looks like.
    public static let idPattern = "^[a-z]+(\\.[a-z0-9-]+)?$"

    /// Whether `id` matches `idPattern` (at most 60 characters).
    public static func isValidID(_ id: String) -> Bool {
        guard id.count <= 60 else { return false }
        let parts = id.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let family = parts.first, !family.isEmpty, family.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) }) else { return false }
        guard parts.count == 2 else { return true }
        let rest = parts[1]
        return !rest.isEmpty && rest.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }

    /// The default track with this id.
    public static func defaultTrack(_ id: String) -> TrackDefinition? { defaults.first { $0.id == id } }

    /// Track id -> name, for the summaries of requirements and matches.
    public static func names(_ tracks: [TrackDefinition]) -> [String: String] {
        Dictionary(tracks.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
    }
}
