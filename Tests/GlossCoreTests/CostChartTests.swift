import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import GlossCore
import Testing

@Suite("Pay: the requester's cost chart")
struct CostChartTests {
    func occurrences(of needle: String, in text: String) -> Int {
        text.components(separatedBy: needle).count - 1
    }

    /// Whether the text is well-formed XML.
    func isWellFormed(_ svg: String) -> Bool {
        XMLParser(data: Data(svg.utf8)).parse()
    }

    func days(_ count: Int) -> [CostDay] {
        (1...count).map { day in
            CostDay(day: "2026-11-\(day < 10 ? "0" : "")\(day)", spendCents: day * 100, accepted: day % 5, activeMilliseconds: Int64(day) * 60_000)
        }
    }

    @Test func oneBarPerDayWithItsNumbers() {
        let svg = CostChart.svg(days: days(30))
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(svg.hasSuffix("</svg>"))
        #expect(isWellFormed(svg))
        #expect(occurrences(of: "<rect class=\"bar\"", in: svg) == 30)
        #expect(occurrences(of: "<title>", in: svg) == 30)
        #expect(occurrences(of: "<circle ", in: svg) == 30)
        #expect(occurrences(of: "<polyline class=\"accepted\"", in: svg) == 1)
        // Day 7: $7.00, 2 accepted, 7 minutes.
        #expect(svg.contains("<title>2026-11-07: $7.00 spent, 2 accepted, 0:07:00 active</title>"))
        #expect(svg.contains("role=\"img\""))
        #expect(svg.contains("aria-label=\"Spend and accepted annotations per day from 2026-11-01 to 2026-11-30: $465.00 spent, 60 accepted\""))
        // A legend naming both series.
        #expect(svg.contains("Spend per day (USD, left)"))
        #expect(svg.contains("Accepted annotations per day (right)"))
        // Self-contained: no script, no link, no reference outside the document.
        #expect(!svg.contains("<script"))
        #expect(!svg.contains("href"))
        #expect(occurrences(of: "http", in: svg) == 1) // the namespace only
    }

    @Test func axesAreScaledToRoundSteps() {
        // Most spend $123.45: steps of $50 up to $200. Most accepted 7: steps of 2 up to 8.
        let svg = CostChart.svg(days: [CostDay(day: "2026-11-01", spendCents: 12_345, accepted: 7, activeMilliseconds: 3_723_000),
                                       CostDay(day: "2026-11-02", spendCents: 2_000, accepted: 1, activeMilliseconds: 0)])
        for label in ["$0", "$50", "$100", "$150", "$200"] {
            #expect(svg.contains(">\(label)</text>"), "spend axis label \(label)")
        }
        for label in ["0", "2", "4", "6", "8"] {
            #expect(svg.contains("<text class=\"axis-accepted\"") && svg.contains(">\(label)</text>"), "accepted axis label \(label)")
        }
        #expect(svg.contains("1:02:03 active"))
        #expect(svg.contains(">11-01</text>"))
    }

    @Test func barHeightsFollowSpend() {
        // 640 × 240 with margins 32 top and 30 bottom: a plot 178 high. $200 of a $200 axis fills it; $50 a quarter.
        let svg = CostChart.svg(days: [CostDay(day: "2026-11-01", spendCents: 20_000, accepted: 0, activeMilliseconds: 0),
                                       CostDay(day: "2026-11-02", spendCents: 5_000, accepted: 0, activeMilliseconds: 0)])
        #expect(svg.contains("y=\"32\" width=\"184.8\" height=\"178\""))   // slot (640 - 64 - 48) / 2 = 264, bar 70%
        #expect(svg.contains("y=\"165.5\" width=\"184.8\" height=\"44.5\""))
    }

    @Test func hostileTextIsEscaped() {
        let hostile = "<script>alert(\"x\")</script>&'"
        let svg = CostChart.svg(days: [CostDay(day: hostile, spendCents: 500, accepted: 1, activeMilliseconds: 1000),
                                       CostDay(day: "2026-11-02\" onload=\"alert(1)", spendCents: 0, accepted: 0, activeMilliseconds: 0)])
        #expect(!svg.contains("<script"))
        #expect(!svg.contains("onload=\""))
        #expect(svg.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;: $5.00 spent"))
        #expect(svg.contains("onload=&quot;alert(1)"))
        #expect(isWellFormed(svg))
    }

    @Test func noSpendYet() {
        for empty in [[], [CostDay(day: "2026-11-01", spendCents: 0, accepted: 0, activeMilliseconds: 0)]] {
            let svg = CostChart.svg(days: empty)
            #expect(svg.contains(">No spend yet</text>"))
            #expect(svg.contains("role=\"img\" aria-label=\"No spend yet\""))
            #expect(!svg.contains("class=\"bar\""))
            #expect(isWellFormed(svg))
        }
        // Sizes are honoured.
        #expect(CostChart.svg(days: [], width: 800, height: 300).contains("viewBox=\"0 0 800 300\""))
    }
}
