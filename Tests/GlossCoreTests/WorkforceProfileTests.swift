import Foundation
@testable import GlossCore
import Testing

private func json(_ text: String) throws -> JSONValue {
    try JSONValue.parse(text)
}

/// The fields of the errors `body` throws, sorted; empty when it throws nothing.
private func errorFields(_ body: () throws -> Void) -> [String] {
    do {
        try body()
        return []
    } catch let failure as ValidationFailure {
        return failure.errors.map(\.field).sorted()
    } catch {
        return ["not a validation failure: \(error)"]
    }
}

private func profile(_ text: String) throws -> WorkerProfile {
    try WorkerProfile.parse(try json(text), complete: false, currentYear: 2026)
}

@Suite("Assessment e-mail keys")
struct AssessmentKeyTests {
    @Test func gmailDotsAndTagsCollapse() {
        #expect(AccountRules.assessmentKey("A.B+x@GoogleMail.com") == "ab@gmail.com")
        #expect(AccountRules.assessmentKey(" a.b.c@gmail.com ") == "abc@gmail.com")
        #expect(AccountRules.assessmentKey("ab@gmail.com") == AccountRules.assessmentKey("a.b+other@googlemail.com"))
    }

    @Test func otherDomainsKeepTheirDots() {
        #expect(AccountRules.assessmentKey("a.b+x@example.com") == "a.b@example.com")
        #expect(AccountRules.assessmentKey("A.B@Example.COM") == "a.b@example.com")
        // Dots in the domain are never touched, and a dot-insensitive rule applies to gmail only.
        #expect(AccountRules.assessmentKey("a.b@mail.gmail.com.example") == "a.b@mail.gmail.com.example")
    }

    @Test func nonAddressesHaveNoKey() {
        #expect(AccountRules.assessmentKey("not an address") == nil)
        #expect(AccountRules.assessmentKey("+tag@example.com") == nil)
        #expect(AccountRules.assessmentKey("...@gmail.com") == nil)
        #expect(AccountRules.assessmentKey("") == nil)
    }
}

@Suite("Worker profiles")
struct WorkerProfileTests {
    static let full = """
        {"country": "de", "time_zone": "Europe/Berlin",
         "availability": {"hours_per_week": 20, "days": ["wed", "mon"]},
         "education": [{"degree": "master", "field": " Chemistry ", "institution": "TU Munich", "year": 2015}],
         "experience": [{"field": "Software engineering", "years": 6}],
         "languages": [{"code": "EN", "proficiency": "native"}, {"code": "pt-BR", "proficiency": "basic"}],
         "programming": [{"language": "Swift", "years": 4}],
         "path": "coding"}
        """

    @Test func parsesAndNormalizesACompleteProfile() throws {
        let parsed = try WorkerProfile.parse(try json(Self.full), complete: true, currentYear: 2026)
        #expect(parsed.country == "DE")
        #expect(parsed.timeZone == "Europe/Berlin")
        #expect(parsed.hoursPerWeek == 20)
        #expect(parsed.days == ["mon", "wed"])
        #expect(parsed.education == [Education(degree: .master, field: "Chemistry", institution: "TU Munich", year: 2015)])
        #expect(parsed.experience == [Experience(field: "Software engineering", years: 6)])
        #expect(parsed.languages == [LanguageSkill(code: "en", proficiency: .native), LanguageSkill(code: "pt-br", proficiency: .basic)])
        #expect(parsed.programming == [ProgrammingSkill(language: "Swift", years: 4)])
        #expect(parsed.path == .coding)
        // The JSON form reads back to the same profile.
        #expect(try WorkerProfile.parse(parsed.json, complete: true, currentYear: 2026) == parsed)
        #expect(parsed.json["availability"]?["days"] == .array([.string("mon"), .string("wed")]))
    }

    @Test func aDraftMayBeEmptyButASubmissionMayNot() throws {
        let empty = try profile("{}")
        #expect(empty == WorkerProfile())
        #expect(empty.path == .general)
        #expect(try WorkerProfile.parse(empty.json, complete: false) == empty)
        let fields = errorFields { _ = try WorkerProfile.parse(try json("{}"), complete: true, currentYear: 2026) }
        #expect(fields == ["availability.days", "availability.hours_per_week", "country", "languages", "time_zone"])
        // The coding path also needs a programming language.
        let coding = errorFields {
            _ = try WorkerProfile.parse(try json("""
                {"country": "FR", "time_zone": "Europe/Paris", "availability": {"hours_per_week": 5, "days": ["sat"]},
                 "languages": [{"code": "fr", "proficiency": "native"}], "path": "coding"}
                """), complete: true, currentYear: 2026)
        }
        #expect(coding == ["programming"])
    }

    @Test func everyErrorNamesItsPath() {
        let fields = errorFields {
            _ = try WorkerProfile.parse(try json("""
                {"country": "Germany", "time_zone": "Mars/Base", "salary": 100,
                 "availability": {"hours_per_week": 0, "days": ["mon", "funday", "mon"]},
                 "education": [{"degree": "master", "field": "Chemistry", "institution": "TU", "year": 1900, "gpa": 4},
                               {"degree": "diploma", "field": "  ", "institution": "X", "year": 2033}],
                 "experience": [{"field": "Law", "years": 61}, "ten years"],
                 "languages": [{"code": "E_N", "proficiency": "native"}, {"code": "de", "proficiency": "good"}],
                 "programming": [{"language": "Swift"}],
                 "path": "expert"}
                """), complete: false, currentYear: 2026)
        }
        #expect(fields == [
            "availability.days[1]", "availability.days[2]", "availability.hours_per_week",
            "country",
            "education[0].gpa", "education[0].year",
            "education[1].degree", "education[1].field", "education[1].year",
            "experience[0].years", "experience[1]",
            "languages[0].code", "languages[1].proficiency",
            "path", "programming[0].years", "salary", "time_zone",
        ])
    }

    @Test func educationYearsRunToSixYearsAhead() throws {
        func year(_ value: Int) -> [String] {
            errorFields {
                _ = try WorkerProfile.parse(.object(["education": .array([.object([
                    "degree": .string("bachelor"), "field": .string("Physics"), "institution": .string("ETH"), "year": .number(Double(value)),
                ])])]), complete: false, currentYear: 2026)
            }
        }
        #expect(year(1950) == [])
        #expect(year(2032) == [])
        #expect(year(1949) == ["education[0].year"])
        #expect(year(2033) == ["education[0].year"])
    }

    @Test func listsHoldAtMostTwentyEntriesAndNoDuplicateLanguage() {
        let many = JSONValue.array(Array(repeating: .object(["field": .string("Law"), "years": .number(1)]), count: 21))
        #expect(errorFields { _ = try WorkerProfile.parse(.object(["experience": many]), complete: false) } == ["experience"])
        let twice = errorFields {
            _ = try WorkerProfile.parse(try json(#"{"languages": [{"code": "de", "proficiency": "basic"}, {"code": "DE", "proficiency": "native"}]}"#),
                                        complete: false)
        }
        #expect(twice == ["languages[1].code"])
    }

    @Test func levelsAreOrdered() {
        #expect(Proficiency.basic < .professional && Proficiency.professional < .fluent && Proficiency.fluent < .native)
        #expect(DegreeLevel.professional.meets(.master))
        #expect(DegreeLevel.master.meets(.professional))
        #expect(!DegreeLevel.master.meets(.phd))
        #expect(DegreeLevel.phd.meets(.master))
        #expect(!DegreeLevel.associate.meets(.bachelor))
    }
}

@Suite("Track eligibility")
struct EligibilityTests {
    static let now = 1_800_000_000.0

    private func track(_ id: String) throws -> TrackDefinition {
        try #require(Tracks.defaultTrack(id))
    }

    private func chemist(_ degree: DegreeLevel, years: Int, field: String = "Chemistry") -> WorkerProfile {
        var profile = WorkerProfile()
        profile.education = [Education(degree: degree, field: field, institution: "University", year: 2010)]
        profile.experience = [Experience(field: "Analytical chemistry", years: years), Experience(field: "Retail", years: 20)]
        return profile
    }

    @Test func stemNeedsAMastersOrABachelorsAndTenYears() throws {
        let rule = try track("stem.chemistry").eligibility
        let master = rule.evaluate(profile: chemist(.master, years: 0), credentials: [], now: Self.now)
        #expect(master.eligible && master.missing.isEmpty && master.expiresAt == nil)
        #expect(rule.evaluate(profile: chemist(.phd, years: 0, field: "Biochemistry"), credentials: [], now: Self.now).eligible)
        #expect(rule.evaluate(profile: chemist(.bachelor, years: 12), credentials: [], now: Self.now).eligible)
        #expect(rule.evaluate(profile: chemist(.bachelor, years: 10), credentials: [], now: Self.now).eligible)
        // 3 years in chemistry; the 20 years in retail do not count.
        let junior = rule.evaluate(profile: chemist(.bachelor, years: 3), credentials: [], now: Self.now)
        #expect(!junior.eligible)
        #expect(junior.missing == [rule.summary])
        // A master's in another field grants nothing.
        #expect(!rule.evaluate(profile: chemist(.master, years: 30, field: "Physics"), credentials: [], now: Self.now).eligible)
        #expect(!rule.evaluate(profile: WorkerProfile(), credentials: [], now: Self.now).eligible)
        #expect(rule.summary == "a master's degree or higher in chemistry, or a bachelor's degree or higher in chemistry and 10 years of experience in chemistry")
    }

    @Test func experienceSumsMatchingEntriesAndSaysWhatItSaw() {
        let rule = EligibilityRule.experience(minimumYears: 10, fields: ["chemistry", "lab"])
        var profile = WorkerProfile()
        profile.experience = [Experience(field: "Chemistry lab", years: 4), Experience(field: "Organic chemistry", years: 3),
                              Experience(field: "Sales", years: 9)]
        // 4 (counted once though it matches both keywords) + 3 = 7.
        let verdict = rule.evaluate(profile: profile, credentials: [], now: 0)
        #expect(!verdict.eligible)
        #expect(verdict.missing == ["10 years of experience in chemistry or lab; the profile shows 7"])
        profile.experience.append(Experience(field: "LAB management", years: 3))
        #expect(rule.evaluate(profile: profile, credentials: [], now: 0).eligible)
    }

    @Test func onlyVerifiedUnexpiredCredentialsCount() throws {
        let law = try track("professional.law").eligibility
        let profile = WorkerProfile()
        let unverified = CredentialFact(type: "bar_admission", verified: false, expiresAt: nil)
        let expired = CredentialFact(type: "bar_admission", verified: true, expiresAt: Self.now - 1)
        let endsNow = CredentialFact(type: "bar_admission", verified: true, expiresAt: Self.now)
        let otherType = CredentialFact(type: "cfa", verified: true, expiresAt: nil)
        let none = law.evaluate(profile: profile, credentials: [unverified, expired, endsNow, otherType], now: Self.now)
        #expect(!none.eligible)
        #expect(none.missing == ["a verified, unexpired credential: bar admission"])
        let valid = CredentialFact(type: "BAR_ADMISSION", verified: true, expiresAt: Self.now + 1000)
        let granted = law.evaluate(profile: profile, credentials: [expired, valid], now: Self.now)
        #expect(granted.eligible)
        #expect(granted.expiresAt == Self.now + 1000)
        // The verdict rests on the credential that lasts longest; one that never expires beats all.
        let later = CredentialFact(type: "bar_admission", verified: true, expiresAt: Self.now + 5000)
        #expect(law.evaluate(profile: profile, credentials: [valid, later], now: Self.now).expiresAt == Self.now + 5000)
        let forever = CredentialFact(type: "bar_admission", verified: true, expiresAt: nil)
        #expect(law.evaluate(profile: profile, credentials: [valid, forever], now: Self.now).expiresAt == nil)
        // Finance takes either credential.
        let finance = try track("professional.finance").eligibility
        #expect(finance.evaluate(profile: profile, credentials: [otherType], now: Self.now).eligible)
        #expect(finance.summary == "a verified, unexpired credential: CFA or CPA")
    }

    @Test func allRestsOnItsEarliestExpiry() {
        let rule = EligibilityRule.all([.credential(types: ["a"]), .credential(types: ["b"])])
        let credentials = [CredentialFact(type: "a", verified: true, expiresAt: 900), CredentialFact(type: "b", verified: true, expiresAt: 500)]
        let verdict = rule.evaluate(profile: WorkerProfile(), credentials: credentials, now: 100)
        #expect(verdict.eligible && verdict.expiresAt == 500)
        // At 600 the second has expired: not eligible, and what is missing is named.
        let later = rule.evaluate(profile: WorkerProfile(), credentials: credentials, now: 600)
        #expect(!later.eligible && later.missing == ["a verified, unexpired credential: B"] && later.expiresAt == nil)
    }

    @Test func multilingualNeedsTwoLanguagesAtProfessionalLevel() throws {
        let rule = try track("multilingual").eligibility
        var profile = WorkerProfile()
        profile.languages = [LanguageSkill(code: "en", proficiency: .native), LanguageSkill(code: "de", proficiency: .basic)]
        #expect(!rule.evaluate(profile: profile, credentials: [], now: 0).eligible)
        profile.languages[1].proficiency = .professional
        #expect(rule.evaluate(profile: profile, credentials: [], now: 0).eligible)
        // Two variants of one language are one language.
        profile.languages = [LanguageSkill(code: "pt", proficiency: .native), LanguageSkill(code: "pt-br", proficiency: .fluent)]
        #expect(!rule.evaluate(profile: profile, credentials: [], now: 0).eligible)
    }

    @Test func languageRulesAcceptRegionalVariants() {
        let rule = EligibilityRule.language(minimum: .fluent, codes: ["pt"])
        var profile = WorkerProfile()
        profile.languages = [LanguageSkill(code: "pt-br", proficiency: .native)]
        #expect(rule.evaluate(profile: profile, credentials: [], now: 0).eligible)
        profile.languages = [LanguageSkill(code: "pt", proficiency: .native)]
        #expect(!EligibilityRule.language(minimum: .basic, codes: ["pt-br"]).evaluate(profile: profile, credentials: [], now: 0).eligible)
        #expect(EligibilityRule.language(minimum: .native, codes: []).evaluate(profile: profile, credentials: [], now: 0).eligible)
    }

    @Test func defaultsHaveTheMarketRates() {
        let rates = Dictionary(uniqueKeysWithValues: Tracks.defaults.map { ($0.id, $0.baseRateCents) })
        #expect(rates == ["general": 2000, "multilingual": 2000, "coding": 4000, "stem.math": 4000, "stem.physics": 4000,
                          "stem.chemistry": 4000, "stem.biology": 4000, "professional.law": 5000, "professional.finance": 5000,
                          "professional.medicine": 5000])
        #expect(Tracks.defaults.allSatisfy { Tracks.isValidID($0.id) })
        #expect(Tracks.defaults.allSatisfy { Tracks.defaultRateCents($0.family) == $0.baseRateCents })
        #expect(Tracks.defaultTrack("general")?.eligibility == .always)
        #expect(!Tracks.isValidID("STEM.math") && !Tracks.isValidID("stem.") && !Tracks.isValidID("a.b.c") && Tracks.isValidID("language.de-ch"))
    }

    @Test func rulesReadBackFromTheirJSON() throws {
        for track in Tracks.defaults {
            #expect(try EligibilityRule.parse(track.eligibility.json, path: "eligibility") == track.eligibility)
        }
        let rule = try EligibilityRule.parse(try json("""
            {"any": [{"language": {"minimum": "fluent", "codes": ["DE"]}}, {"experience": {"minimum_years": 1, "fields": []}}]}
            """), path: "eligibility")
        #expect(rule == .any([.language(minimum: .fluent, codes: ["de"]), .experience(minimumYears: 1, fields: [])]))
        #expect(rule.summary == "German at fluent level or better, or 1 year of professional experience")
    }

    @Test func ruleErrorsNameTheirPaths() {
        func fields(_ text: String) -> [String] {
            errorFields { _ = try EligibilityRule.parse(try json(text), path: "tracks[2].eligibility") }
        }
        #expect(fields(#"{"degree": {"minimum": "doctor", "fields": ["x"]}}"#) == ["tracks[2].eligibility.degree.minimum"])
        #expect(fields(#"{"any": []}"#) == ["tracks[2].eligibility.any"])
        #expect(fields(#"{"bogus": 1}"#) == ["tracks[2].eligibility.bogus"])
        #expect(fields(#"{"always": true, "all": []}"#) == ["tracks[2].eligibility"])
        #expect(fields(#"{"always": false}"#) == ["tracks[2].eligibility.always"])
        #expect(fields(#"{"all": [{"always": true}, {"credential": {"types": []}}, {"experience": {"minimum_years": 99, "colour": 1}}]}"#)
                == ["tracks[2].eligibility.all[1].credential.types", "tracks[2].eligibility.all[2].experience.colour",
                    "tracks[2].eligibility.all[2].experience.minimum_years"])
        #expect(fields(#"{"language": {"minimum": "fluent", "codes": ["english!"]}}"#) == ["tracks[2].eligibility.language.codes[0]"])
    }
}
