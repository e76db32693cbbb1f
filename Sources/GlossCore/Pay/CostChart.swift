/// One day of a project's cost.
public struct CostDay: Sendable, Hashable {
    /// "YYYY-MM-DD" (any text is escaped when drawn).
    public var day: String
    public var spendCents: Int
    /// Annotations accepted that day.
    public var accepted: Int
    public var activeMilliseconds: Int64

    public init(day: String, spendCents: Int, accepted: Int, activeMilliseconds: Int64) {
        self.day = day
        self.spendCents = spendCents
        self.accepted = accepted
        self.activeMilliseconds = activeMilliseconds
    }
}

/// The requester's cost chart as a self-contained SVG: bars of spend per day (left axis, dollars), a line of
/// accepted annotations per day (right axis), axis labels, a legend and a `<title>` per bar. No script, no
/// external reference, every text escaped; `role="img"` with an `aria-label` summing it up.
public enum CostChart {
    static let barColor = "#4a7bd0"
    static let lineColor = "#d9822b"
    static let inkColor = "#444444"
    static let gridColor = "#e2e2e2"

    public static func svg(days: [CostDay], width: Int = 640, height: Int = 240) -> String {
        let width = max(width, 240), height = max(height, 140)
        let open = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\""
            + " font-family=\"system-ui, sans-serif\" font-size=\"11\""
        guard days.contains(where: { $0.spendCents != 0 || $0.accepted != 0 }) else {
            return open + " role=\"img\" aria-label=\"No spend yet\">"
                + "<text x=\"\(number(Double(width) / 2))\" y=\"\(number(Double(height) / 2))\" text-anchor=\"middle\" fill=\"\(inkColor)\">No spend yet</text></svg>"
        }

        let left = 64.0, right = 48.0, top = 32.0, bottom = 30.0
        let plotWidth = Double(width) - left - right, plotHeight = Double(height) - top - bottom
        let spendStep = niceStep(Int64(days.map { max($0.spendCents, 0) }.max() ?? 0), minimum: 1)
        let acceptedStep = niceStep(Int64(days.map { max($0.accepted, 0) }.max() ?? 0), minimum: 1)
        let ticks = 4
        let spendTop = Double(spendStep * Int64(ticks)), acceptedTop = Double(acceptedStep * Int64(ticks))
        let slot = plotWidth / Double(days.count)
        let baseline = top + plotHeight

        let totalSpend = days.reduce(0) { $0 + $1.spendCents }
        let totalAccepted = days.reduce(0) { $0 + $1.accepted }
        let span = days.count == 1 ? "on \(days[0].day)" : "from \(days[0].day) to \(days[days.count - 1].day)"
        let label = "Spend and accepted annotations per day \(span): \(Money.format(totalSpend)) spent, \(totalAccepted) accepted"

        var svg = open + " role=\"img\" aria-label=\"\(label.htmlEscaped)\">"
        // Grid and axis labels.
        for tick in 0...ticks {
            let y = baseline - plotHeight * Double(tick) / Double(ticks)
            svg += "<line x1=\"\(number(left))\" y1=\"\(number(y))\" x2=\"\(number(left + plotWidth))\" y2=\"\(number(y))\""
                + " stroke=\"\(tick == 0 ? inkColor : gridColor)\" stroke-width=\"1\"/>"
            svg += "<text class=\"axis-spend\" x=\"\(number(left - 6))\" y=\"\(number(y + 4))\" text-anchor=\"end\" fill=\"\(inkColor)\">"
                + "\(dollars(spendStep * Int64(tick)).htmlEscaped)</text>"
            svg += "<text class=\"axis-accepted\" x=\"\(number(left + plotWidth + 6))\" y=\"\(number(y + 4))\" fill=\"\(inkColor)\">"
                + "\(acceptedStep * Int64(tick))</text>"
        }
        svg += "<text x=\"\(number(left - 6))\" y=\"\(number(top - 8))\" text-anchor=\"end\" fill=\"\(inkColor)\">USD</text>"
        svg += "<text x=\"\(number(Double(width) - 4))\" y=\"\(number(top - 8))\" text-anchor=\"end\" fill=\"\(inkColor)\">accepted</text>"

        // Bars, each with its numbers.
        for (index, day) in days.enumerated() {
            let barHeight = plotHeight * Double(max(day.spendCents, 0)) / spendTop
            let x = left + slot * Double(index) + slot * 0.15
            let title = "\(day.day): \(Money.format(day.spendCents)) spent, \(day.accepted) accepted, \(duration(day.activeMilliseconds)) active"
            svg += "<rect class=\"bar\" x=\"\(number(x))\" y=\"\(number(baseline - barHeight))\" width=\"\(number(slot * 0.7))\""
                + " height=\"\(number(barHeight))\" fill=\"\(barColor)\"><title>\(title.htmlEscaped)</title></rect>"
        }

        // The accepted line.
        let points = days.enumerated().map { index, day in
            (left + slot * (Double(index) + 0.5), baseline - plotHeight * Double(max(day.accepted, 0)) / acceptedTop)
        }
        if points.count > 1 {
            svg += "<polyline class=\"accepted\" fill=\"none\" stroke=\"\(lineColor)\" stroke-width=\"2\" points=\""
                + points.map { "\(number($0.0)),\(number($0.1))" }.joined(separator: " ") + "\"/>"
        }
        for point in points {
            svg += "<circle cx=\"\(number(point.0))\" cy=\"\(number(point.1))\" r=\"2.5\" fill=\"\(lineColor)\"/>"
        }

        // Day labels, as many as fit.
        let every = max(1, Int((Double(days.count) / max(1, (plotWidth / 56).rounded(.down))).rounded(.up)))
        for index in stride(from: 0, to: days.count, by: every) {
            svg += "<text class=\"day\" x=\"\(number(left + slot * (Double(index) + 0.5)))\" y=\"\(number(baseline + 16))\""
                + " text-anchor=\"middle\" fill=\"\(inkColor)\">\(shortDay(days[index].day).htmlEscaped)</text>"
        }

        // Legend.
        svg += "<g class=\"legend\">"
        svg += "<rect x=\"\(number(left))\" y=\"6\" width=\"12\" height=\"10\" fill=\"\(barColor)\"/>"
        svg += "<text x=\"\(number(left + 16))\" y=\"15\" fill=\"\(inkColor)\">Spend per day (USD, left)</text>"
        let second = left + 180
        svg += "<line x1=\"\(number(second))\" y1=\"11\" x2=\"\(number(second + 14))\" y2=\"11\" stroke=\"\(lineColor)\" stroke-width=\"2\"/>"
        svg += "<text x=\"\(number(second + 18))\" y=\"15\" fill=\"\(inkColor)\">Accepted annotations per day (right)</text>"
        svg += "</g></svg>"
        return svg
    }

    /// The smallest 1, 2 or 5 × 10^k (at least `minimum`) such that four steps reach `maximum`.
    static func niceStep(_ maximum: Int64, minimum: Int64) -> Int64 {
        var power: Int64 = 1
        while true {
            for factor: Int64 in [1, 2, 5] {
                let step = factor * power
                if step >= minimum, step * 4 >= maximum { return step }
            }
            power *= 10
        }
    }

    /// "$12" for whole dollars, else "$0.25".
    static func dollars(_ cents: Int64) -> String {
        let text = Money.format(Int(cents))
        return cents % 100 == 0 ? String(text.dropLast(3)) : text
    }

    /// "11-23" for "2026-11-23"; any other text as it is.
    static func shortDay(_ day: String) -> String {
        let parts = day.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }) else {
            return day
        }
        return "\(parts[1])-\(parts[2])"
    }

    /// "1:02:03" (hours, minutes, seconds; milliseconds cut).
    static func duration(_ milliseconds: Int64) -> String {
        let seconds = max(0, milliseconds) / 1000
        let minutes = seconds / 60 % 60, rest = seconds % 60
        return "\(seconds / 3600):\(minutes < 10 ? "0" : "")\(minutes):\(rest < 10 ? "0" : "")\(rest)"
    }

    /// A coordinate to a tenth.
    static func number(_ value: Double) -> String {
        Money.decimalText(Int((value * 10).rounded()), scale: 1, minimumDecimals: 0)
    }
}
