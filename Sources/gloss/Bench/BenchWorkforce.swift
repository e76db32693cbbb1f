import Foundation
import GlossCore

/// In-process measurements of the workforce's hot paths: the matcher over a pool of workers (a project's
/// reach, its alerts and every dashboard run it), and scoring a submitted starter attempt.
enum BenchWorkforce {
    static func run() throws -> [BenchTaskTypes.Result] {
        typealias Result = BenchTaskTypes.Result
        var results: [Result] = []
        var generator = SplitMix64(seed: 7)
        let fields = ["chemistry", "biology", "law", "software engineering", "mathematics", "finance", "linguistics"]
        let codes = ["en", "de", "fr", "es", "pt", "ja"]
        let tracks = ["general", "coding", "stem.chemistry", "stem.biology", "professional.law", "multilingual"]
        let candidates: [MatchCandidate] = (0..<10_000).map { _ in
            var profile = WorkerProfile()
            profile.country = ["DE", "FR", "US", "PT", "JP"][Int(generator.next() % 5)]
            profile.hoursPerWeek = Int(generator.next() % 40) + 1
            let field = fields[Int(generator.next() % UInt64(fields.count))]
            profile.education = [Education(degree: .master, field: field, institution: "University", year: 2015)]
            profile.experience = [Experience(field: field, years: Int(generator.next() % 15))]
            profile.languages = [LanguageSkill(code: codes[Int(generator.next() % 6)], proficiency: .native),
                                 LanguageSkill(code: "en", proficiency: .fluent)]
            let held = Set(tracks.filter { _ in generator.next() % 3 == 0 })
            return MatchCandidate(profile: profile, qualifications: held, credentials: [])
        }
        let requirements = try ProjectRequirements.parse(try JSONValue.parse("""
            {"any_of": ["stem.chemistry", "stem.biology"], "all_of": ["general"], "languages": [{"code": "en", "min_level": "fluent"}],
             "countries": ["DE", "FR", "PT"], "preferences": {"fields": ["organic chemistry"], "min_years": 5, "min_hours_per_week": 10}}
            """), knownTracks: Set(tracks))
        let (matched, matchSeconds) = BenchTaskTypes.time {
            var eligible = 0
            for _ in 0..<10 {
                for candidate in candidates where Matcher.match(candidate, against: requirements, trackNames: [:], now: 0).eligible { eligible += 1 }
            }
            return eligible >= 0 ? candidates.count * 10 : 0
        }
        results.append(Result(measurement: "matcher: a worker against a project's requirements (10,000 workers x 10)", count: matched,
                              seconds: matchSeconds, unit: "matches/s"))

        guard let seed = StarterAssessments.seed("starter-general") else { return results }
        let definition = try seed.definition()
        var answers: [String: JSONValue] = [:]
        for item in definition.items {
            switch item.kind {
            case .multipleChoice(_, let correct, let multiple): answers[item.id] = multiple ? .array(correct.map(JSONValue.string)) : .string(correct[0])
            case .annotation(_, _, let gold, _): answers[item.id] = gold
            case .written: answers[item.id] = .string("Because the review praises the product and complains only about delivery.")
            }
        }
        let (scored, scoreSeconds) = BenchTaskTypes.time {
            var total = 0.0
            for _ in 0..<10_000 {
                let scores = definition.autoScores(answers: answers)
                total += definition.outcome(autoScores: scores, humanPoints: [:]).autoScore ?? 0
            }
            return total > 0 ? 10_000 : 0
        }
        results.append(Result(measurement: "scoring a submitted starter-general attempt (\(definition.items.count) items)", count: scored,
                              seconds: scoreSeconds, unit: "attempts/s"))
        return results
    }
}

/// In-process measurements of pay's arithmetic: crediting activity pings (every open labeling page sends one
/// every 10 s) and computing a period's payouts over a large ledger.
enum BenchPay {
    static func run() -> [BenchTaskTypes.Result] {
        typealias Result = BenchTaskTypes.Result
        var results: [Result] = []
        let pings = (0..<200_000).map { index in
            ActiveTime.Ping(receivedAt: 1_000 + Double(index) * 10, tab: "tab\(index % 3)", seq: index, activeSeconds: 10,
                            idleSeconds: Double(index % 90), task: "task\(index / 20)")
        }
        let (credited, creditSeconds) = BenchTaskTypes.time {
            var clock = ActiveTime.Clock()
            var cents = 0
            for ping in pings {
                guard let credit = ActiveTime.credit(ping, leaseStart: 0, idleWindow: 60, clock: &clock) else { continue }
                for piece in ActiveTime.byDay(credit) {
                    cents += Money.hourlyAmount(milliseconds: piece.milliseconds, rateCents: 4500, multiplierBP: 11_000)
                }
            }
            return cents > 0 ? pings.count : 0
        }
        results.append(Result(measurement: "crediting activity pings (clock, day split, amount)", count: credited, seconds: creditSeconds,
                              unit: "pings/s"))
        var generator = SplitMix64(seed: 11)
        let unpaid = (0..<500_000).map { index in
            (worker: "worker\(generator.next() % 10_000)", entryID: "entry\(index)", amountCents: Int(generator.next() % 5_000) - 500,
             earnedAt: Double(generator.next() % 1_000_000))
        }
        let (entries, closeSeconds) = BenchTaskTypes.time {
            let payouts = PayLedger.payouts(unpaid: unpaid, endsAt: 900_000)
            return payouts.isEmpty ? 0 : unpaid.count
        }
        results.append(Result(measurement: "a period's payouts over 500,000 unpaid entries of 10,000 workers", count: entries,
                              seconds: closeSeconds, unit: "entries/s"))
        return results
    }
}
