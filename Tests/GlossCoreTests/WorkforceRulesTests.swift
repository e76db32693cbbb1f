@testable import GlossCore
import Testing

@Suite("Workforce rules")
struct WorkforceRulesTests {
    func requirements(_ json: String) throws -> ProjectRequirements {
        try ProjectRequirements.parse(try JSONValue.parse(json), knownTracks: Set(Tracks.defaults.map(\.id)))
    }

    @Test func ratesNeverGoBelowTheBaseOfARequiredTrack() throws {
        var tracks = Tracks.defaults
        let none = try requirements("{}")
        #expect(WorkforceRules.minimumRate(none, tracks: tracks).cents == 2000)
        // Any of Coding ($40) or Law ($50): the project may pay Coding's base; a lawyer is paid at least Law's.
        let lawOrCoding = try requirements(#"{"any_of": ["coding", "professional.law"]}"#)
        #expect(WorkforceRules.minimumRate(lawOrCoding, tracks: tracks).cents == 4000)
        #expect(WorkforceRules.minimumRate(lawOrCoding, tracks: tracks).track == "Coding")
        #expect(WorkforceRules.rate(set: nil, requirements: lawOrCoding, tracks: tracks) == 4000)
        #expect(WorkforceRules.rate(set: 6500, requirements: lawOrCoding, tracks: tracks) == 6500)
        #expect(PayRules.floor(requirements: lawOrCoding, held: ["professional.law"], tracks: tracks).cents == 5000)
        #expect(PayRules.hourlyBase(projectRate: 4200, requirements: lawOrCoding, held: ["professional.law"], tracks: tracks).cents == 5000)
        #expect(PayRules.hourlyBase(projectRate: 4200, requirements: lawOrCoding, held: ["coding"], tracks: tracks).cents == 4200)
        // Every all_of track binds, with the cheapest any_of track.
        let lawAndCodingOrGeneral = try requirements(#"{"all_of": ["professional.law"], "any_of": ["coding", "general"]}"#)
        #expect(WorkforceRules.minimumRate(lawAndCodingOrGeneral, tracks: tracks).cents == 5000)
        // The admin raises Coding above the project's own rate: the base binds.
        let coding = try requirements(#"{"all_of": ["coding"]}"#)
        let index = try #require(tracks.firstIndex { $0.id == "coding" })
        tracks[index].baseRateCents = 4500
        #expect(WorkforceRules.rate(set: 4200, requirements: coding, tracks: tracks) == 4500)
    }

    @Test func workLeftHidesGoldAndSingleSubmits() {
        #expect(WorkforceRules.tasksLeft(total: 50, done: 0, gold: 3) == 40)
        #expect(WorkforceRules.tasksLeft(total: 50, done: 1, gold: 3) == 40)
        #expect(WorkforceRules.tasksLeft(total: 50, done: 30, gold: 3) == 17)
        #expect(WorkforceRules.tasksLeft(total: 50, done: 47, gold: 3) == 0)
        #expect(WorkforceRules.tasksLeft(total: 3, done: 0, gold: 5) == 0)
    }

    @Test func calendarEdges() {
        // 2026-11-23 was a Monday; 2026-11-29 12:00 UTC (a Sunday) belongs to its week.
        let monday = 1_795_392_000.0
        #expect(WorkforceRules.startOfWeek(monday) == monday)
        #expect(WorkforceRules.startOfWeek(monday + 6 * 86_400 + 43_200) == monday)
        #expect(WorkforceRules.startOfWeek(monday - 1) == monday - 7 * 86_400)
        #expect(WorkforceRules.startOfDay(monday + 3_600) == monday)
        #expect(WorkforceRules.endOfDay("2026-11-23") == monday + 86_400)
        #expect(WorkforceRules.endOfDay("2026-02-30") == nil)
        #expect(WorkforceRules.endOfDay("23.11.2026") == nil)
        #expect(WorkforceRules.endOfDay("2026-11-5") == nil)
    }

    @Test func documentsArePDFsOrImages() {
        #expect(WorkforceRules.documentType(Array("%PDF-1.7\n".utf8)) == "application/pdf")
        #expect(WorkforceRules.documentType([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0]) == "image/png")
        #expect(WorkforceRules.documentType([0xFF, 0xD8, 0xFF, 0xE0]) == "image/jpeg")
        #expect(WorkforceRules.documentType(Array("GIF89a".utf8)) == nil)
        #expect(WorkforceRules.documentType(Array("<html>".utf8)) == nil)
    }
}

@Suite("Grading written answers")
struct GradingTests {
    @Test func rubricPointsAreCheckedAndSummed() throws {
        let definition = try #require(StarterAssessments.seed("starter-general")).definition()
        let written = try #require(definition.items.first { if case .written = $0.kind { true } else { false } })
        guard case .written(let rubric, _) = written.kind else { return }
        var full: [String: JSONValue] = [:]
        for criterion in rubric { full[criterion.id] = .number(criterion.points) }
        let graded = try definition.grade(itemID: written.id, points: full)
        #expect(graded.total == rubric.reduce(0) { $0 + $1.points })

        var tooMany = full
        tooMany[rubric[0].id] = .number(rubric[0].points + 1)
        tooMany["charm"] = .number(1)
        tooMany.removeValue(forKey: rubric[1].id)
        do {
            _ = try definition.grade(itemID: written.id, points: tooMany)
            Issue.record("points above a criterion's maximum were accepted")
        } catch {
            #expect(Set(error.errors.map(\.field)) == ["points.\(rubric[0].id)", "points.\(rubric[1].id)", "points.charm"])
        }
        let choice = try #require(definition.items.first { if case .multipleChoice = $0.kind { true } else { false } })
        #expect(throws: ValidationFailure.self) { try definition.grade(itemID: choice.id, points: full) }
    }
}
