import Foundation
@testable import GlossCore
import Testing

private func json(_ text: String) throws -> JSONValue {
    try JSONValue.parse(text)
}

private func close(_ a: Double, _ b: Double) -> Bool {
    abs(a - b) <= 1e-9
}

private let trackNames = Tracks.names(Tracks.defaults)
private let knownTracks = Set(Tracks.defaults.map(\.id))
private let now = 1_800_000_000.0

/// Hard: the any_of group, German, the country (3 × 2 units); preferences: the field, the years, the hours
/// (3 × 1 unit). 9 units: a hard item weighs 200/9, a preference 100/9.
private let chemistryProject = """
    {"any_of": ["stem.chemistry", "stem.biology"], "all_of": [], "languages": [{"code": "de", "min_level": "fluent"}],
     "countries": ["DE", "AT"], "preferences": {"fields": ["organic chemistry"], "credentials": [], "min_years": 3,
     "min_hours_per_week": 10}}
    """

private func profile(country: String? = nil, hours: Int? = nil, education: [Education] = [], experience: [Experience] = [],
                     languages: [LanguageSkill] = []) -> WorkerProfile {
    var profile = WorkerProfile()
    profile.country = country
    profile.hoursPerWeek = hours
    profile.education = education
    profile.experience = experience
    profile.languages = languages
    return profile
}

/// The checks every result must pass: weights sum to 100, the met ones to the score, missing = unmet hard items.
private func expectConsistent(_ result: MatchResult, sourceLocation: SourceLocation = #_sourceLocation) {
    if result.items.isEmpty {
        #expect(result.score == 100, sourceLocation: sourceLocation)
    } else {
        #expect(close(result.items.reduce(0) { $0 + $1.weight }, 100), sourceLocation: sourceLocation)
        #expect(close(result.items.filter(\.met).reduce(0) { $0 + $1.weight }, result.score), sourceLocation: sourceLocation)
    }
    #expect(result.missing == result.items.filter { $0.hard && !$0.met }, sourceLocation: sourceLocation)
    #expect(result.eligible == result.missing.isEmpty, sourceLocation: sourceLocation)
}

@Suite("Matching workers to projects")
struct MatcherTests {
    let requirements: ProjectRequirements

    init() throws {
        requirements = try ProjectRequirements.parse(try json(chemistryProject), knownTracks: knownTracks)
    }

    private func match(_ profile: WorkerProfile, holds: Set<String> = [], credentials: [CredentialFact] = [],
                       against requirements: ProjectRequirements? = nil) -> MatchResult {
        let result = Matcher.match(MatchCandidate(profile: profile, qualifications: holds, credentials: credentials),
                                   against: requirements ?? self.requirements, trackNames: trackNames, now: now)
        expectConsistent(result)
        return result
    }

    @Test func anOrganicChemistInGermanyMeetsEverything() {
        let anna = profile(country: "DE", hours: 20, experience: [Experience(field: "Organic Chemistry research", years: 5)],
                           languages: [LanguageSkill(code: "de", proficiency: .native)])
        let result = match(anna, holds: ["stem.chemistry", "general"])
        #expect(result.score == 100)
        #expect(result.eligible)
        #expect(result.items.map(\.requirement) == [
            "holds one of: STEM: chemistry, STEM: biology", "German at fluent level or better", "based in Germany or Austria",
            "field: organic chemistry", "3 years of experience in organic chemistry", "available 10 hours a week or more",
        ])
        #expect(result.items.map(\.kind) == ["qualification", "language", "country", "field", "experience", "availability"])
        #expect(result.items.map(\.hard) == [true, true, true, false, false, false])
        #expect(result.items.allSatisfy { $0.met && $0.track == nil })
        #expect(close(result.items[0].weight, 200.0 / 9) && close(result.items[3].weight, 100.0 / 9))
        #expect(!Matcher.isClose(result))
    }

    @Test func anAustrianChemistWithoutTheTrackIsClose() {
        // A master's in "Chemistry" is not the preferred "organic chemistry"; 2 years in "Chemistry" count 0 years there.
        let ben = profile(country: "AT", hours: 10, education: [Education(degree: .master, field: "Chemistry", institution: "TU Wien", year: 2018)],
                          experience: [Experience(field: "Chemistry", years: 2)], languages: [LanguageSkill(code: "de", proficiency: .fluent)])
        let result = match(ben)
        // Met: German (200/9), Austria (200/9), hours (100/9).
        #expect(close(result.score, 500.0 / 9))
        #expect(!result.eligible)
        #expect(result.items.map(\.met) == [false, true, true, false, false, true])
        #expect(result.missing.count == 1)
        #expect(result.missing.first?.kind == "qualification")
        #expect(result.missing.first?.track == "stem.chemistry")
        #expect(Matcher.isClose(result))
    }

    @Test func aBiologistInFranceMissesLanguageAndCountry() {
        let chloe = profile(country: "FR", hours: 5, experience: [Experience(field: "organic chemistry lab", years: 10)],
                            languages: [LanguageSkill(code: "fr", proficiency: .native), LanguageSkill(code: "de", proficiency: .professional)])
        let result = match(chloe, holds: ["stem.biology"])
        // Met: the any_of group (200/9), the field (100/9), the years (100/9).
        #expect(close(result.score, 400.0 / 9))
        #expect(result.items.map(\.met) == [true, false, false, true, true, false])
        #expect(result.missing.map(\.kind) == ["language", "country"])
        #expect(result.missing.allSatisfy { $0.track == nil })
        #expect(!Matcher.isClose(result))
    }

    @Test func anEmptyProfileMeetsNothing() {
        let result = match(WorkerProfile())
        #expect(result.score == 0)
        #expect(result.items.allSatisfy { !$0.met })
        #expect(result.missing.count == 3)
        #expect(!Matcher.isClose(result))
    }

    @Test func allOfTracksAreOneItemEachAndCredentialsArePreferences() throws {
        // Hard: coding, law (2 × 2 units); preference: the bar admission (1 unit). 5 units of 20 points.
        let requirements = try ProjectRequirements.parse(try json("""
            {"all_of": ["coding", "professional.law"], "preferences": {"credentials": ["Bar_Admission"]}}
            """), knownTracks: knownTracks)
        let dana = profile(country: "US", experience: [Experience(field: "Litigation", years: 8)])
        let admitted = CredentialFact(type: "bar_admission", verified: true, expiresAt: nil)
        let result = match(dana, holds: ["coding"], credentials: [admitted], against: requirements)
        #expect(result.items.map(\.requirement) == ["holds Coding", "holds Professional: law", "credential: bar admission"])
        #expect(result.items.map(\.weight) == [40, 40, 20])
        #expect(result.score == 60)
        #expect(result.missing.map(\.track) == ["professional.law"])
        #expect(Matcher.isClose(result))
        // An unverified credential is no credential.
        let unverified = match(dana, holds: ["coding"], credentials: [CredentialFact(type: "bar_admission", verified: false, expiresAt: nil)],
                               against: requirements)
        #expect(unverified.score == 40)
        // Two missing tracks are not close.
        #expect(!Matcher.isClose(match(dana, against: requirements)))
    }

    @Test func regionalVariantsMeetTheirLanguageAndNoRequirementIsAFullMatch() throws {
        var requirements = ProjectRequirements()
        requirements.languages = [LanguageRequirement(code: "pt", minimum: .fluent)]
        let eva = profile(languages: [LanguageSkill(code: "pt-br", proficiency: .native)])
        let result = match(eva, against: requirements)
        #expect(result.score == 100 && result.eligible && result.items.count == 1)
        let none = match(eva, against: ProjectRequirements())
        #expect(none.score == 100 && none.eligible && none.items.isEmpty && none.missing.isEmpty)
        #expect(none.json == .object(["score": .number(100), "eligible": .bool(true), "items": .array([])]))
    }

    @Test func yearsWithoutPreferredFieldsCountEveryEntry() {
        var requirements = ProjectRequirements()
        requirements.preferredYears = 10
        requirements.preferredHoursPerWeek = 30
        let finn = profile(hours: 30, experience: [Experience(field: "Teaching", years: 6), Experience(field: "Nursing", years: 4)])
        let result = match(finn, against: requirements)
        #expect(result.items.map(\.requirement) == ["10 years of professional experience", "available 30 hours a week or more"])
        #expect(result.score == 100)
        #expect(result.eligible)
        #expect(!Matcher.isClose(result))
    }

    @Test func resultJSONExplainsEachItem() throws {
        let result = match(WorkerProfile(), holds: [])
        let items = try #require(result.json["items"]?.arrayValue)
        #expect(items.count == 6)
        #expect(items[0]["track"] == .string("stem.chemistry"))
        #expect(items[1]["track"] == nil)
        #expect(items[0]["requirement"] == .string("holds one of: STEM: chemistry, STEM: biology"))
        #expect(items[0]["hard"] == .bool(true) && items[0]["met"] == .bool(false))
        #expect(result.json["eligible"] == .bool(false))
    }
}

@Suite("Project requirements")
struct ProjectRequirementsTests {
    @Test func parsesSummarizesAndReadsBack() throws {
        let requirements = try ProjectRequirements.parse(try json(chemistryProject), knownTracks: knownTracks)
        #expect(requirements.anyOf == ["stem.chemistry", "stem.biology"])
        #expect(requirements.languages == [LanguageRequirement(code: "de", minimum: .fluent)])
        #expect(requirements.countries == ["DE", "AT"])
        #expect(requirements.preferredFields == ["organic chemistry"])
        #expect(requirements.preferredYears == 3 && requirements.preferredHoursPerWeek == 10)
        #expect(!requirements.isEmpty)
        #expect(requirements.trackIDs == ["stem.chemistry", "stem.biology"])
        #expect(requirements.summary(trackNames: trackNames) == [
            "holds one of: STEM: chemistry, STEM: biology", "German at fluent level or better", "based in Germany or Austria",
        ])
        #expect(try ProjectRequirements.parse(requirements.json, knownTracks: knownTracks) == requirements)
    }

    @Test func emptyIsNoRequirement() throws {
        let empty = try ProjectRequirements.parse(try json("{}"), knownTracks: knownTracks)
        #expect(empty == ProjectRequirements())
        #expect(empty.isEmpty && empty.summary(trackNames: trackNames).isEmpty)
        #expect(try ProjectRequirements.parse(.null, knownTracks: []) == ProjectRequirements())
        var preferencesOnly = ProjectRequirements()
        preferencesOnly.preferredFields = ["law"]
        #expect(preferencesOnly.isEmpty)
    }

    @Test func errorsNameTheirPaths() {
        var fields: [String] = []
        do {
            _ = try ProjectRequirements.parse(try json("""
                {"any_of": ["stem.alchemy", "coding", "coding"], "all_of": "general",
                 "languages": [{"code": "de", "min_level": "great"}, {"code": "12"}],
                 "countries": ["Germany", "fr"], "preferences": {"min_years": -1, "colour": "blue"}, "extra": 1}
                """), knownTracks: knownTracks)
        } catch let failure as ValidationFailure {
            fields = failure.errors.map(\.field).sorted()
        } catch {
            Issue.record("not a validation failure: \(error)")
        }
        #expect(fields == [
            "requirements.all_of", "requirements.any_of[0]", "requirements.any_of[2]", "requirements.countries[0]", "requirements.extra",
            "requirements.languages[0].min_level", "requirements.languages[1].code", "requirements.languages[1].min_level",
            "requirements.preferences.colour", "requirements.preferences.min_years",
        ])
    }
}

@Suite("The background quiz")
struct QuizTests {
    @Test func aChemistIsPointedToChemistryFirst() throws {
        let answers = try QuizAnswers.parse(try json("""
            {"fields": ["Chemistry"], "degree": "master", "years_experience": 4, "languages": ["en", "DE"], "programming": false}
            """))
        #expect(answers.languages == ["en", "de"])
        let suggestions = Quiz.suggest(answers, tracks: Tracks.defaults, now: now)
        #expect(suggestions.count == Tracks.defaults.count)
        // Fits, by score then rate: chemistry (a matching field, $40), then general and multilingual ($20, in order).
        #expect(suggestions.prefix(3).map(\.track) == ["stem.chemistry", "general", "multilingual"])
        #expect(suggestions.prefix(3).allSatisfy { $0.fits })
        #expect(suggestions[0].score == 100)
        #expect(suggestions[0].reasons.contains("Matches field: chemistry."))
        let coding = try #require(suggestions.first { $0.track == "coding" })
        #expect(!coding.fits && coding.reasons == ["Needs programming experience."])
        let physics = try #require(suggestions.first { $0.track == "stem.physics" })
        #expect(!physics.fits && physics.score == 0)
        let law = try #require(suggestions.first { $0.track == "professional.law" })
        #expect(!law.fits && law.reasons == ["Needs a verified, unexpired credential: bar admission."])
    }

    @Test func aLawyerWithABarAdmissionFitsLaw() {
        let answers = QuizAnswers(fields: ["Law"], degree: .professional, yearsExperience: 12, languages: ["en"], programming: true,
                                  credentials: ["bar_admission"])
        let suggestions = Quiz.suggest(answers, tracks: Tracks.defaults, now: now)
        #expect(suggestions.first?.track == "professional.law")
        #expect(suggestions.first?.fits == true)
        #expect(suggestions.first { $0.track == "coding" }?.fits == true)
        // One language is not multilingual.
        #expect(suggestions.first { $0.track == "multilingual" }?.fits == false)
    }

    @Test func answerErrorsNameTheirPaths() {
        var fields: [String] = []
        do {
            _ = try QuizAnswers.parse(try json(#"{"degree": "wizard", "languages": ["en", "12"], "years_experience": 100, "x": 1, "programming": "yes"}"#))
        } catch let failure as ValidationFailure {
            fields = failure.errors.map(\.field).sorted()
        } catch {
            Issue.record("not a validation failure: \(error)")
        }
        #expect(fields == ["degree", "languages[1]", "programming", "x", "years_experience"])
    }
}
