@testable import GlossCore
import Testing

@Suite("Pay: money, rates, multipliers, settings")
struct PayArithmeticTests {
    // MARK: Rounding

    @Test func divisionRoundsHalfToEven() {
        // Exact halves go to the even neighbour, on both sides of zero.
        #expect(Money.divideHalfEven(5, 2) == 2)     // 2.5
        #expect(Money.divideHalfEven(7, 2) == 4)     // 3.5
        #expect(Money.divideHalfEven(1, 2) == 0)     // 0.5
        #expect(Money.divideHalfEven(3, 2) == 2)     // 1.5
        #expect(Money.divideHalfEven(-1, 2) == 0)    // -0.5
        #expect(Money.divideHalfEven(-3, 2) == -2)   // -1.5
        #expect(Money.divideHalfEven(-5, 2) == -2)   // -2.5
        #expect(Money.divideHalfEven(-7, 2) == -4)   // -3.5
        #expect(Money.divideHalfEven(25, 10) == 2)   // 2.5
        #expect(Money.divideHalfEven(35, 10) == 4)   // 3.5
        #expect(Money.divideHalfEven(-25, 10) == -2)
        #expect(Money.divideHalfEven(-35, 10) == -4)
        #expect(Money.divideHalfEven(10, 4) == 2)    // 2.5
        #expect(Money.divideHalfEven(14, 4) == 4)    // 3.5
        // Everything else to the nearest.
        #expect(Money.divideHalfEven(26, 10) == 3)
        #expect(Money.divideHalfEven(24, 10) == 2)
        #expect(Money.divideHalfEven(-26, 10) == -3)
        #expect(Money.divideHalfEven(-24, 10) == -2)
        #expect(Money.divideHalfEven(2, 3) == 1)
        #expect(Money.divideHalfEven(1, 3) == 0)
        #expect(Money.divideHalfEven(-2, 3) == -1)
        #expect(Money.divideHalfEven(-1, 3) == 0)
        #expect(Money.divideHalfEven(0, 7) == 0)
        #expect(Money.divideHalfEven(12, 4) == 3)
        #expect(Money.divideHalfEven(-12, 4) == -3)
        // The ends of the range.
        #expect(Money.divideHalfEven(Int64.max, 1) == Int64.max)
        #expect(Money.divideHalfEven(-Int64.max, 1) == -Int64.max)
        #expect(Money.divideHalfEven(Int64.max, 2) == 4_611_686_018_427_387_904) // 4611686018427387903.5 -> even
        #expect(Money.divideHalfEven(Int64.min, 2) == -4_611_686_018_427_387_904)
    }

    @Test func hourlyAmountsAreRoundedOnce() {
        // One hour at $20.00 ×1.0.
        #expect(Money.hourlyAmount(milliseconds: 3_600_000, rateCents: 2000, multiplierBP: 10_000) == 2000)
        // 90 s at $20.00: 50 cents exactly.
        #expect(Money.hourlyAmount(milliseconds: 90_000, rateCents: 2000, multiplierBP: 10_000) == 50)
        // 45 min at $45.00 ×1.10 = 3712.5 cents -> 3712 (even).
        #expect(Money.hourlyAmount(milliseconds: 2_700_000, rateCents: 4500, multiplierBP: 11_000) == 3712)
        // 30 min at $45.00 ×1.25 = 2812.5 -> 2812.
        #expect(Money.hourlyAmount(milliseconds: 1_800_000, rateCents: 4500, multiplierBP: 12_500) == 2812)
        // 10 min at $40.00 ×1.25 = 833.33… -> 833.
        #expect(Money.hourlyAmount(milliseconds: 600_000, rateCents: 4000, multiplierBP: 12_500) == 833)
        // At $20.00 an hour a cent is 1.8 s: 0.9 s is half a cent (-> 0), 2.7 s 1.5 (-> 2), 4.5 s 2.5 (-> 2).
        #expect(Money.hourlyAmount(milliseconds: 900, rateCents: 2000, multiplierBP: 10_000) == 0)
        #expect(Money.hourlyAmount(milliseconds: 2700, rateCents: 2000, multiplierBP: 10_000) == 2)
        #expect(Money.hourlyAmount(milliseconds: 4500, rateCents: 2000, multiplierBP: 10_000) == 2)
        #expect(Money.hourlyAmount(milliseconds: 4501, rateCents: 2000, multiplierBP: 10_000) == 3)
        #expect(Money.hourlyAmount(milliseconds: 1, rateCents: 2000, multiplierBP: 10_000) == 0)
        #expect(Money.hourlyAmount(milliseconds: 0, rateCents: 2000, multiplierBP: 10_000) == 0)
        // A month of time at $10,000/h ×10: the product (2.7e20) does not fit 64 bits; the amount does.
        #expect(Money.hourlyAmount(milliseconds: 2_678_400_000, rateCents: 1_000_000, multiplierBP: 100_000) == 7_440_000_000)
        // The worked examples of docs/pay.md: 754,500 ms at $45.00 ×1.25 = 1178.90625 -> 1179; 27 s at $20.00 ×1.1
        // = 16.5 -> 16, 9 s = 5.5 -> 6, 54 s = 33; a 25-cent task ×1.1 = 27.5 -> 28, a 35-cent one 38.5 -> 38.
        #expect(Money.hourlyAmount(milliseconds: 754_500, rateCents: 4500, multiplierBP: 12_500) == 1179)
        #expect(Money.hourlyAmount(milliseconds: 27_000, rateCents: 2000, multiplierBP: 11_000) == 16)
        #expect(Money.hourlyAmount(milliseconds: 9_000, rateCents: 2000, multiplierBP: 11_000) == 6)
        #expect(Money.hourlyAmount(milliseconds: 54_000, rateCents: 2000, multiplierBP: 11_000) == 33)
        #expect(Money.taskAmount(rateCents: 25, multiplierBP: 11_000) == 28)
        #expect(Money.taskAmount(rateCents: 35, multiplierBP: 11_000) == 38)
        #expect(Money.effectiveRate(rateCents: 2000, multiplierBP: 11_000) == 2200)
        // A reversal is the negative of the amount.
        #expect(Money.hourlyAmount(milliseconds: -2_700_000, rateCents: 4500, multiplierBP: 11_000) == -3712)
    }

    @Test func taskAmountsAndEffectiveRates() {
        #expect(Money.taskAmount(rateCents: 150, multiplierBP: 11_000) == 165)
        #expect(Money.taskAmount(rateCents: 125, multiplierBP: 11_000) == 138) // 137.5 -> 138 (even)
        #expect(Money.taskAmount(rateCents: 135, multiplierBP: 11_000) == 148) // 148.5 -> 148 (even)
        #expect(Money.taskAmount(rateCents: 101, multiplierBP: 12_500) == 126) // 126.25
        #expect(Money.taskAmount(rateCents: 99, multiplierBP: 10_000) == 99)
        #expect(Money.effectiveRate(rateCents: 4500, multiplierBP: 11_000) == 4950)
        #expect(Money.effectiveRate(rateCents: 2000, multiplierBP: 12_500) == 2500)
        #expect(Money.effectiveRate(rateCents: 3333, multiplierBP: 11_000) == 3666) // 3666.3
        #expect(Money.effectiveRate(rateCents: 4545, multiplierBP: 11_000) == 5000) // 4999.5 -> 5000 (even)
        #expect(Money.effectiveRate(rateCents: 4535, multiplierBP: 11_000) == 4988) // 4988.5 -> 4988 (even)
    }

    @Test func roundingIsPerEntry() {
        // Three 45-minute entries at $45.00 ×1.10 are 3712.5 cents each: each rounds to 3712, so 11136 in all,
        // where one entry of the whole 135 minutes would be 11137.5 -> 11138.
        let entries = Array(repeating: Int64(2_700_000), count: 3)
        let perEntry = entries.map { Money.hourlyAmount(milliseconds: $0, rateCents: 4500, multiplierBP: 11_000) }
        #expect(perEntry == [3712, 3712, 3712])
        #expect(perEntry.reduce(0, +) == 11_136)
        #expect(Money.hourlyAmount(milliseconds: 8_100_000, rateCents: 4500, multiplierBP: 11_000) == 11_138)
    }

    @Test func moneyIsWrittenAsDollars() {
        #expect(Money.format(0) == "$0.00")
        #expect(Money.format(5) == "$0.05")
        #expect(Money.format(-5) == "-$0.05")
        #expect(Money.format(99) == "$0.99")
        #expect(Money.format(100) == "$1.00")
        #expect(Money.format(4500) == "$45.00")
        #expect(Money.format(123_456) == "$1,234.56")
        #expect(Money.format(100_000_000) == "$1,000,000.00")
        #expect(Money.format(-123_456_789) == "-$1,234,567.89")
    }

    @Test func multipliersAreWholeBasisPoints() {
        #expect(Money.basisPoints(1.0) == 10_000)
        #expect(Money.basisPoints(1.1) == 11_000)
        #expect(Money.basisPoints(1.25) == 12_500)
        #expect(Money.basisPoints(1.105) == 11_050)
        #expect(Money.basisPoints(0.0001) == 1)
        #expect(Money.basisPoints(10) == 100_000)
        #expect(Money.basisPoints(1.00001) == nil)   // a tenth of a basis point
        #expect(Money.basisPoints(0) == nil)
        #expect(Money.basisPoints(-1.1) == nil)
        #expect(Money.basisPoints(10.0001) == nil)
        #expect(Money.basisPoints(.nan) == nil)
        #expect(Money.basisPoints(.infinity) == nil)
        #expect(Money.multiplierText(11_000) == "1.10")
        #expect(Money.multiplierText(11_050) == "1.105")
        #expect(Money.multiplierText(10_000) == "1.00")
    }

    // MARK: Multipliers

    @Test func qualityBandsSetTheMultiplier() {
        let settings = PaySettings.standard
        let good = PayRules.multiplier(quality: 0.93, reviewed: 34, settings: settings)
        #expect(good.basisPoints == 11_000)
        #expect(good.band == 1)
        #expect(good.reason == "Quality 0.93 over 34 reviewed tasks: ×1.10 band (0.90 and up)")
        #expect(good.next == Multiplier.NextBand(minimumQuality: 0.97, multiplierBP: 12_500, reviewedNeeded: 0))

        let top = PayRules.multiplier(quality: 0.97, reviewed: 20, settings: settings)
        #expect(top.basisPoints == 12_500)
        #expect(top.band == 2)
        #expect(top.reason == "Quality 0.97 over 20 reviewed tasks: ×1.25 band (0.97 and up)")
        #expect(top.next == nil)

        // The lower edge of a band belongs to it; just under it does not (and does not read as reaching it).
        #expect(PayRules.multiplier(quality: 0.9, reviewed: 20, settings: settings).basisPoints == 11_000)
        let under = PayRules.multiplier(quality: 0.8999, reviewed: 50, settings: settings)
        #expect(under.basisPoints == 10_000)
        #expect(under.band == 0)
        #expect(under.reason == "Quality 0.89 over 50 reviewed tasks: ×1.00 band (under 0.90)")
        #expect(under.next == Multiplier.NextBand(minimumQuality: 0.9, multiplierBP: 11_000, reviewedNeeded: 0))
    }

    @Test func raisesWaitForEnoughReviews() {
        let settings = PaySettings.standard
        let early = PayRules.multiplier(quality: 0.99, reviewed: 7, settings: settings)
        #expect(early.basisPoints == 10_000)
        #expect(early.band == 0)
        #expect(early.reason == "Raises start after 20 reviewed tasks (you have 7)")
        #expect(early.next == Multiplier.NextBand(minimumQuality: 0.9, multiplierBP: 11_000, reviewedNeeded: 13))
        #expect(PayRules.multiplier(quality: 0.99, reviewed: 19, settings: settings).basisPoints == 10_000)
        #expect(PayRules.multiplier(quality: 0.99, reviewed: 20, settings: settings).basisPoints == 12_500)

        let unscored = PayRules.multiplier(quality: nil, reviewed: 40, settings: settings)
        #expect(unscored.basisPoints == 10_000)
        #expect(unscored.reason == "No quality score on this project yet")

        var open = settings
        open.minimumReviewed = 0
        #expect(PayRules.multiplier(quality: 0.95, reviewed: 0, settings: open).basisPoints == 11_000)

        var flat = settings
        flat.bands = [PaySettings.Band(minimumQuality: 0, multiplierBP: 10_000)]
        let single = PayRules.multiplier(quality: 1, reviewed: 100, settings: flat)
        #expect(single.basisPoints == 10_000)
        #expect(single.next == nil)
    }

    // MARK: Rates in force

    @Test func rateChangesApplyFromTheirEffectiveTime() {
        let t0: Double = 1_795_392_000
        let first = RateChange(mode: .hourly, rateCents: 4000, effectiveAt: t0)
        let raise = RateChange(mode: .hourly, rateCents: 4500, effectiveAt: t0 + 100)
        // Scheduled for later (now is t0 + 500): not in force before its time.
        let scheduled = RateChange(mode: .perTask, taskRateCents: 150, effectiveAt: t0 + 1000)
        let changes = [scheduled, first, raise]

        #expect(PayRules.inForce(changes, at: t0 - 1) == nil)
        #expect(PayRules.inForce(changes, at: t0) == first)
        #expect(PayRules.inForce(changes, at: t0 + 99.9) == first)
        #expect(PayRules.inForce(changes, at: t0 + 100) == raise)
        #expect(PayRules.inForce(changes, at: t0 + 500) == raise)
        #expect(PayRules.inForce(changes, at: t0 + 1000) == scheduled)
        #expect(PayRules.inForce(changes, at: t0 + 1000)?.mode == .perTask)
        // Never backwards: time earned at t0 + 50 keeps the first rate after the raise exists.
        let rate = PayRules.inForce(changes, at: t0 + 50)?.rateCents
        #expect(rate == 4000)
        #expect(Money.hourlyAmount(milliseconds: 3_600_000, rateCents: rate ?? 0, multiplierBP: 10_000) == 4000)
        // Two changes at the same moment: the later one made wins.
        let correction = RateChange(mode: .hourly, rateCents: 4600, effectiveAt: t0 + 100)
        #expect(PayRules.inForce([first, raise, correction], at: t0 + 200) == correction)
        #expect(PayRules.inForce([], at: t0) == nil)
    }

    // MARK: Floors

    /// Tracks with distinct base rates: General $20, Multilingual $25, Coding $40, STEM maths $45, Law $50.
    var tracks: [TrackDefinition] {
        [TrackDefinition(id: "general", name: "General", family: .general, baseRateCents: 2000, eligibility: .always),
         TrackDefinition(id: "multilingual", name: "Multilingual", family: .multilingual, baseRateCents: 2500, eligibility: .always),
         TrackDefinition(id: "coding", name: "Coding", family: .coding, baseRateCents: 4000, eligibility: .always),
         TrackDefinition(id: "stem.physics", name: "STEM: physics", family: .stem, baseRateCents: 4000, eligibility: .always),
         TrackDefinition(id: "stem.math", name: "STEM: mathematics", family: .stem, baseRateCents: 4500, eligibility: .always),
         TrackDefinition(id: "professional.law", name: "Professional: law", family: .professional, baseRateCents: 5000, eligibility: .always)]
    }

    func requirements(anyOf: [String] = [], allOf: [String] = []) -> ProjectRequirements {
        var requirements = ProjectRequirements()
        requirements.anyOf = anyOf
        requirements.allOf = allOf
        return requirements
    }

    @Test func theFloorIsTheHighestTrackTheWorkerQualifiesThrough() {
        let several = requirements(anyOf: ["coding", "stem.math", "professional.law"])
        #expect(PayRules.floor(requirements: several, held: ["coding", "stem.math"], tracks: tracks) == (4500, "STEM: mathematics"))
        #expect(PayRules.floor(requirements: several, held: ["coding"], tracks: tracks) == (4000, "Coding"))
        #expect(PayRules.floor(requirements: several, held: ["coding", "professional.law", "general"], tracks: tracks) == (5000, "Professional: law"))
        // A track the worker holds that the project does not name does not count.
        #expect(PayRules.floor(requirements: requirements(anyOf: ["coding"]), held: ["coding", "professional.law"], tracks: tracks)
                == (4000, "Coding"))
        // all_of tracks count (the worker holds them all to qualify).
        #expect(PayRules.floor(requirements: requirements(anyOf: ["multilingual"], allOf: ["coding"]), held: ["multilingual", "coding"],
                               tracks: tracks) == (4000, "Coding"))
        #expect(PayRules.floor(requirements: requirements(anyOf: ["coding"], allOf: ["professional.law"]),
                               held: ["coding", "professional.law"], tracks: tracks) == (5000, "Professional: law"))
        // No track required: General's base.
        #expect(PayRules.floor(requirements: requirements(), held: ["coding"], tracks: tracks) == (2000, "General"))
        var dearerGeneral = tracks
        dearerGeneral[0].baseRateCents = 2200
        #expect(PayRules.floor(requirements: requirements(), held: [], tracks: dearerGeneral) == (2200, "General"))
        #expect(PayRules.floor(requirements: requirements(), held: [], tracks: []) == (2000, "General"))
        // Equal bases: the first named.
        #expect(PayRules.floor(requirements: requirements(anyOf: ["stem.physics", "coding"]), held: ["coding", "stem.physics"], tracks: tracks)
                == (4000, "STEM: physics"))
    }

    @Test func theHourlyBaseIsTheProjectRateOrTheFloor() {
        let coding = requirements(anyOf: ["coding", "stem.math"])
        let set = PayRules.hourlyBase(projectRate: 5200, requirements: coding, held: ["coding"], tracks: tracks)
        #expect(set.cents == 5200)
        #expect(set.reason == "Project rate $52.00/h")
        // No rate of its own: the project's minimum, the cheapest way in (the lowest of its any_of tracks)...
        let minimum = PayRules.hourlyBase(projectRate: nil, requirements: coding, held: ["coding"], tracks: tracks)
        #expect(minimum.cents == 4000)
        #expect(minimum.reason == "Project rate $40.00/h (the Coding track's minimum)")
        // ...and a worker who qualifies through the dearer track is paid its base.
        let mathematician = PayRules.hourlyBase(projectRate: nil, requirements: coding, held: ["stem.math"], tracks: tracks)
        #expect(mathematician.cents == 4500)
        #expect(mathematician.reason == "Your STEM: mathematics track's floor $45.00/h (the project pays less)")
        // A rate set before a required track's base was raised is lifted to the minimum.
        #expect(PayRules.hourlyBase(projectRate: 4000, requirements: requirements(allOf: ["stem.math"]), held: ["stem.math"], tracks: tracks).cents == 4500)
        // The worker's floor wins when the project pays less: a worker left with General's $20 on a project of a $15 track.
        var cheap = tracks
        cheap[1].baseRateCents = 1500
        let floor = PayRules.hourlyBase(projectRate: nil, requirements: requirements(anyOf: ["multilingual"]), held: [], tracks: cheap)
        #expect(floor.cents == 2000)
        #expect(floor.reason == "Your General track's floor $20.00/h (the project pays less)")
    }

    // MARK: Rejected time

    @Test func thePolicyRejectsRushedAndRejectedTime() {
        let policy = QualityPolicy.TimeRules()
        #expect(policy.rushedBelowSeconds == 5)
        #expect(policy.payRejected)
        #expect(PayRules.timeRejection(activeSeconds: 2, failedGold: true, rejectedInReview: false, policy: policy)
                == "Rushed: the answer failed a quality check after 2 s of work (under 5 s)")
        #expect(PayRules.timeRejection(activeSeconds: 2, failedGold: false, rejectedInReview: true, policy: policy)
                == "Rushed: the answer failed a quality check after 2 s of work (under 5 s)")
        #expect(PayRules.timeRejection(activeSeconds: 4.96, failedGold: true, rejectedInReview: true, policy: policy)
                == "Rushed: the answer failed a quality check after 4.9 s of work (under 5 s)")
        // Not rushed: paid, failed gold or not; rejected in review is paid while pay_rejected is on.
        #expect(PayRules.timeRejection(activeSeconds: 5, failedGold: true, rejectedInReview: false, policy: policy) == nil)
        #expect(PayRules.timeRejection(activeSeconds: 30, failedGold: false, rejectedInReview: true, policy: policy) == nil)
        // Fast but good work is paid.
        #expect(PayRules.timeRejection(activeSeconds: 1, failedGold: false, rejectedInReview: false, policy: policy) == nil)

        let strict = QualityPolicy.TimeRules(rushedBelowSeconds: 7.5, payRejected: false)
        #expect(PayRules.timeRejection(activeSeconds: 30, failedGold: false, rejectedInReview: true, policy: strict) == "Rejected in review")
        #expect(PayRules.timeRejection(activeSeconds: 30, failedGold: true, rejectedInReview: false, policy: strict) == nil)
        #expect(PayRules.timeRejection(activeSeconds: 3, failedGold: false, rejectedInReview: true, policy: strict)
                == "Rushed: the answer failed a quality check after 3 s of work (under 7.5 s)")
        let never = QualityPolicy.TimeRules(rushedBelowSeconds: 0)
        #expect(PayRules.timeRejection(activeSeconds: 0, failedGold: true, rejectedInReview: true, policy: never) == nil)
    }

    // MARK: Forecast

    @Test func medianOfActiveTimes() {
        #expect(PayRules.median([]) == nil)
        #expect(PayRules.median([5]) == 5)
        #expect(PayRules.median([3, 1, 2]) == 2)
        #expect(PayRules.median([10, 1, 7, 3]) == 5)     // (3 + 7) / 2
        #expect(PayRules.median([1, 2, 3, 4]) == 2)      // 2.5 -> 2
        #expect(PayRules.median([3, 4]) == 4)            // 3.5 -> 4
        #expect(PayRules.median([4, 4, 4, 90_000]) == 4)
    }

    @Test func forecastIsRemainingTimesMedianTimesRate() {
        // 100 annotations left, 90 s each: 2.5 h at $45.00 ×1.10 = $123.75.
        #expect(PayRules.forecastCents(remaining: 100, medianMilliseconds: 90_000, rateCents: 4500, multiplierBP: 11_000) == 12_375)
        // Rounded once over the whole: 3 × 0.9 s at $20.00 = 1.5 cents -> 2.
        #expect(PayRules.forecastCents(remaining: 3, medianMilliseconds: 900, rateCents: 2000, multiplierBP: 10_000) == 2)
        #expect(PayRules.forecastCents(remaining: 0, medianMilliseconds: 90_000, rateCents: 4500, multiplierBP: 10_000) == 0)
        #expect(PayRules.forecastCents(remaining: 100, medianMilliseconds: nil, rateCents: 4500, multiplierBP: 10_000) == nil)
    }

    // MARK: Settings

    func settingsErrors(_ text: String) -> [FieldError] {
        do {
            _ = try PaySettings.parse(try JSONValue.parse(text))
            return []
        } catch let failure as ValidationFailure {
            return failure.errors
        } catch {
            return [FieldError(field: "?", message: "\(error)")]
        }
    }

    @Test func settingsDefaultsRoundTrip() throws {
        let standard = PaySettings.standard
        #expect(standard.bands == [PaySettings.Band(minimumQuality: 0, multiplierBP: 10_000),
                                   PaySettings.Band(minimumQuality: 0.9, multiplierBP: 11_000),
                                   PaySettings.Band(minimumQuality: 0.97, multiplierBP: 12_500)])
        #expect(standard.minimumReviewed == 20)
        #expect(standard.idleSeconds == 60)
        #expect(standard.periodDays == 7)
        #expect(standard.json == (try JSONValue.parse("""
            {"bands": [{"min_quality": 0, "multiplier": 1.0}, {"min_quality": 0.9, "multiplier": 1.1}, {"min_quality": 0.97, "multiplier": 1.25}],
             "min_reviewed": 20, "idle_seconds": 60, "period_days": 7}
            """)))
        #expect(try PaySettings.parse(.null) == standard)
        #expect(try PaySettings.parse(.object([:])) == standard)
        #expect(try PaySettings.parse(standard.json) == standard)

        let custom = try PaySettings.parse(try JSONValue.parse("""
            {"bands": [{"min_quality": 0, "multiplier": 1}, {"min_quality": 0.8, "multiplier": 1.05},
                       {"min_quality": 0.9, "multiplier": 1.05}, {"min_quality": 0.95, "multiplier": 1.3}],
             "min_reviewed": 0, "idle_seconds": 30, "period_days": 14}
            """))
        #expect(custom.bands.map(\.multiplierBP) == [10_000, 10_500, 10_500, 13_000])
        #expect(custom.bands.map(\.minimumQuality) == [0, 0.8, 0.9, 0.95])
        #expect(custom.minimumReviewed == 0)
        #expect(custom.idleSeconds == 30)
        #expect(custom.periodDays == 14)
        #expect(try PaySettings.parse(custom.json) == custom)
        // A partial object keeps the other defaults.
        let partial = try PaySettings.parse(try JSONValue.parse(#"{"idle_seconds": 90}"#))
        #expect(partial.idleSeconds == 90)
        #expect(partial.bands == standard.bands)
    }

    @Test func badSettingsNameTheirPath() {
        let band = #"{"min_quality": 0, "multiplier": 1}"#
        #expect(settingsErrors(#"{"bands": [\#(band), {"min_quality": 1.5, "multiplier": 1.1}]}"#)
                == [FieldError(field: "bands[1].min_quality", message: "must be between 0 and 1")])
        #expect(settingsErrors(#"{"bands": [\#(band), {"min_quality": 0.5, "multiplier": 0.9}]}"#).map(\.field) == ["bands[1].multiplier"])
        #expect(settingsErrors(#"{"bands": [\#(band), {"min_quality": 0.5, "multiplier": 1.00005}]}"#).map(\.field) == ["bands[1].multiplier"])
        #expect(settingsErrors(#"{"bands": [\#(band), {"min_quality": 0.5, "multiplier": "1.1"}]}"#)
                == [FieldError(field: "bands[1].multiplier", message: "must be a number")])
        #expect(settingsErrors(#"{"bands": [{"min_quality": 0, "multiplier": 1.2}, {"min_quality": 0.5, "multiplier": 1.1}]}"#)
                == [FieldError(field: "bands[1].multiplier", message: "must not be less than the band before it (1.20)")])
        #expect(settingsErrors(#"{"bands": [{"min_quality": 0.1, "multiplier": 1}]}"#).map(\.field) == ["bands[0].min_quality"])
        #expect(settingsErrors(#"{"bands": [\#(band), {"min_quality": 0.9, "multiplier": 1.1}, {"min_quality": 0.8, "multiplier": 1.2}]}"#)
                .map(\.field) == ["bands[2].min_quality"])
        #expect(settingsErrors(#"{"bands": [\#(band), {"min_quality": 0, "multiplier": 1.1}]}"#).map(\.field) == ["bands[1].min_quality"])
        #expect(settingsErrors(#"{"bands": []}"#).map(\.field) == ["bands"])
        #expect(settingsErrors(#"{"bands": {}}"#).map(\.field) == ["bands"])
        let nine = Array(repeating: band, count: 9).joined(separator: ",")
        #expect(settingsErrors(#"{"bands": [\#(nine)]}"#).map(\.field) == ["bands"])
        #expect(settingsErrors(#"{"bands": [{"min_quality": 0}]}"#)
                == [FieldError(field: "bands[0].multiplier", message: "is required")])
        #expect(settingsErrors(#"{"bands": [{"min_quality": 0, "multiplier": 1, "colour": "red"}]}"#).map(\.field) == ["bands[0].colour"])
        #expect(settingsErrors(#"{"bands": [3]}"#).map(\.field) == ["bands[0]"])
        #expect(settingsErrors(#"{"min_reviewed": -1}"#) == [FieldError(field: "min_reviewed", message: "must be between 0 and 10000")])
        #expect(settingsErrors(#"{"idle_seconds": 5}"#).map(\.field) == ["idle_seconds"])
        #expect(settingsErrors(#"{"idle_seconds": 601}"#).map(\.field) == ["idle_seconds"])
        #expect(settingsErrors(#"{"period_days": 32}"#).map(\.field) == ["period_days"])
        #expect(settingsErrors(#"{"period_days": 1.5}"#) == [FieldError(field: "period_days", message: "must be a whole number")])
        #expect(settingsErrors(#"{"payday": "friday"}"#).map(\.field) == ["payday"])
        #expect(settingsErrors("[]").map(\.field) == ["settings"])
        // Every problem at once.
        #expect(Set(settingsErrors(#"{"idle_seconds": 1, "period_days": 0, "bands": [{"min_quality": 2, "multiplier": 0}]}"#).map(\.field))
                == ["idle_seconds", "period_days", "bands[0].min_quality", "bands[0].multiplier"])
    }
}
