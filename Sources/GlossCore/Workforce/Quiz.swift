import Foundation

/// The answers to the "what is your background?" quiz of the public job board.
///
/// `{"fields": ["chemistry"], "degree": "master", "years_experience": 4, "languages": ["en", "de"],
///   "programming": true, "credentials": ["cfa"]}`; every member optional.
public struct QuizAnswers: Sendable, Hashable {
    /// Fields of study or work, free text ("organic chemistry").
    public var fields: [String]
    /// The highest degree; nil for none.
    public var degree: DegreeLevel?
    /// Years of professional experience in those fields.
    public var yearsExperience: Int
    /// Language codes spoken well (lower-cased).
    public var languages: [String]
    /// Whether the visitor writes code.
    public var programming: Bool
    /// Credential types held (lower-cased), such as `bar_admission`.
    public var credentials: [String]

    public init(fields: [String] = [], degree: DegreeLevel? = nil, yearsExperience: Int = 0, languages: [String] = [],
                programming: Bool = false, credentials: [String] = []) {
        self.fields = fields
        self.degree = degree
        self.yearsExperience = yearsExperience
        self.languages = languages
        self.programming = programming
        self.credentials = credentials
    }

    /// Reads the answers; errors name paths such as `languages[1]`.
    public static func parse(_ json: JSONValue) throws(ValidationFailure) -> QuizAnswers {
        var reader = WorkforceReader()
        guard let object = reader.object(json, at: "", name: "quiz",
                                         allowed: ["fields", "degree", "years_experience", "languages", "programming", "credentials"]) else {
            throw ValidationFailure(reader.errors)
        }
        var answers = QuizAnswers()
        answers.fields = reader.strings(object["fields"], at: "fields", maximumLength: 100) ?? []
        answers.degree = reader.word(object["degree"], at: "degree", as: DegreeLevel.self)
        answers.yearsExperience = reader.integer(object["years_experience"], at: "years_experience", in: WorkerProfile.yearsRange) ?? 0
        answers.languages = reader.strings(object["languages"], at: "languages", maximumLength: 35,
                                           transform: { Workforce.isLanguageCode($0.lowercased()) ? $0.lowercased() : nil },
                                           expected: "must be a language code such as en, de or pt-br") ?? []
        answers.programming = reader.bool(object["programming"], at: "programming") ?? false
        answers.credentials = reader.strings(object["credentials"], at: "credentials", maximumLength: 100, transform: { $0.lowercased() }) ?? []
        guard reader.errors.isEmpty else { throw ValidationFailure(reader.errors) }
        return answers
    }

    /// The profile the quiz stands for: the degree in each field, the years of experience in each field (all
    /// when no field is given), each language at fluent level, and path coding when the visitor programs.
    public var profile: WorkerProfile {
        var profile = WorkerProfile()
        if let degree {
            profile.education = (fields.isEmpty ? [""] : fields).map { Education(degree: degree, field: $0, institution: "", year: 0) }
        }
        if yearsExperience > 0 {
            profile.experience = (fields.isEmpty ? ["professional experience"] : fields).map { Experience(field: $0, years: yearsExperience) }
        }
        profile.languages = languages.map { LanguageSkill(code: $0, proficiency: .fluent) }
        if programming {
            profile.programming = [ProgrammingSkill(language: "programming", years: yearsExperience)]
            profile.path = .coding
        }
        return profile
    }
}

/// How well one track suits a quiz's answers.
public struct TrackSuggestion: Sendable, Hashable {
    /// The track id.
    public var track: String
    /// Whether the answers meet the track's eligibility rule (for coding also: the visitor programs).
    public var fits: Bool
    /// Plain English: what fits and what is missing.
    public var reasons: [String]
    /// 0...100: the matcher's score against the track's fields and credentials as preferences.
    public var score: Double

    public init(track: String, fits: Bool, reasons: [String], score: Double) {
        self.track = track
        self.fits = fits
        self.reasons = reasons
        self.score = score
    }

    /// `{"track", "fits", "reasons", "score"}`.
    public var json: JSONValue {
        .object(["track": .string(track), "fits": .bool(fits), "reasons": .array(reasons.map(JSONValue.string)), "score": .number(score)])
    }
}

/// The job board's quiz: which tracks suit a visitor.
public enum Quiz {
    /// Every track, best fit first, judged by each track's eligibility rule on a profile built from the answers
    /// (credentials taken as verified) and by the Matcher against a requirement of that track's field.
    /// Order: tracks that fit first, then by score, then by base rate (the more specialised track first),
    /// then in the order given.
    public static func suggest(_ answers: QuizAnswers, tracks: [TrackDefinition], now: Double) -> [TrackSuggestion] {
        let profile = answers.profile
        let credentials = answers.credentials.map { CredentialFact(type: $0, verified: true, expiresAt: nil) }
        let candidate = MatchCandidate(profile: profile, qualifications: [], credentials: credentials)
        let ranked = tracks.enumerated().map { index, track -> (TrackSuggestion, Int, Int) in
            let verdict = track.eligibility.evaluate(profile: profile, credentials: credentials, now: now)
            var requirements = ProjectRequirements()
            requirements.preferredFields = track.eligibility.fieldKeywords
            requirements.preferredCredentials = track.eligibility.credentialTypes
            let match = Matcher.match(candidate, against: requirements, trackNames: [:], now: now)
            var reasons: [String] = []
            var fits = verdict.eligible
            if track.family == .coding, !answers.programming {
                fits = false
                reasons.append("Needs programming experience.")
            }
            if fits {
                reasons.append(track.eligibility == .always ? "Open to everyone who passes its assessment."
                               : "You meet its requirement: \(track.eligibility.summary).")
            } else if !verdict.eligible {
                reasons += verdict.missing.map { "Needs \($0)." }
            }
            reasons += match.items.filter(\.met).map { "Matches \($0.requirement)." }
            return (TrackSuggestion(track: track.id, fits: fits, reasons: reasons, score: match.score), track.baseRateCents, index)
        }
        return ranked.sorted { left, right in
            if left.0.fits != right.0.fits { return left.0.fits }
            if left.0.score != right.0.score { return left.0.score > right.0.score }
            if left.1 != right.1 { return left.1 > right.1 }
            return left.2 < right.2
        }.map(\.0)
    }
}
