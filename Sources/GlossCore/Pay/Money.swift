/// Money is integer cents, never floating point, and rounded in one way only: half to even, once per amount.
///
/// A rate is cents per hour; a performance multiplier is basis points (10_000 = ×1.0). An hourly amount is
/// `milliseconds × cents × basis points / (3_600_000 × 10_000)` computed exactly (128-bit intermediate) and
/// rounded once.
public enum Money {
    /// Basis points in ×1.0.
    public static let unitBasisPoints = 10_000
    /// Milliseconds in an hour.
    public static let millisecondsPerHour: Int64 = 3_600_000

    /// n / d rounded half to even (d > 0; n may be negative). The one rounding rule of pay.
    public static func divideHalfEven(_ n: Int64, _ d: Int64) -> Int64 {
        precondition(d > 0, "the divisor must be positive")
        return scaledHalfEven([n], dividedBy: d)
    }

    /// An hourly work entry: milliseconds x cents/hour x basis points / (3_600_000 x 10_000), rounded once, half-even.
    public static func hourlyAmount(milliseconds: Int64, rateCents: Int, multiplierBP: Int) -> Int {
        Int(scaledHalfEven([milliseconds, Int64(rateCents), Int64(multiplierBP)],
                           dividedBy: millisecondsPerHour * Int64(unitBasisPoints)))
    }

    /// A per-task entry: cents x basis points / 10_000, half-even.
    public static func taskAmount(rateCents: Int, multiplierBP: Int) -> Int {
        Int(scaledHalfEven([Int64(rateCents), Int64(multiplierBP)], dividedBy: Int64(unitBasisPoints)))
    }

    /// The hourly rate shown to people: cents x bp / 10_000, half-even (display only; amounts use hourlyAmount).
    public static func effectiveRate(rateCents: Int, multiplierBP: Int) -> Int {
        Int(scaledHalfEven([Int64(rateCents), Int64(multiplierBP)], dividedBy: Int64(unitBasisPoints)))
    }

    /// "$1,234.56", "-$0.05".
    public static func format(_ cents: Int) -> String {
        let magnitude = cents.magnitude
        let dollars = String(magnitude / 100)
        var grouped = ""
        for (index, digit) in dollars.enumerated() {
            if index > 0, (dollars.count - index) % 3 == 0 { grouped.append(",") }
            grouped.append(digit)
        }
        let rest = magnitude % 100
        return "\(cents < 0 ? "-" : "")$\(grouped).\(rest < 10 ? "0" : "")\(rest)"
    }

    /// A multiplier given as a decimal (1.1) -> basis points (11000); nil unless it is a whole number of bp in 1...100_000.
    public static func basisPoints(_ multiplier: Double) -> Int? {
        guard multiplier.isFinite else { return nil }
        let scaled = multiplier * Double(unitBasisPoints)
        let whole = scaled.rounded()
        // 1.1 × 10_000 is 11000.000000000002 in binary floating point: allow that much, no more.
        guard abs(scaled - whole) <= 1e-6, whole >= 1, whole <= 100_000 else { return nil }
        return Int(whole)
    }

    /// A multiplier in basis points as people read it: "1.10", "1.25", "1.105" (two decimals at least).
    public static func multiplierText(_ basisPoints: Int) -> String {
        decimalText(basisPoints, scale: 4, minimumDecimals: 2)
    }

    /// `value / 10^scale` written with at least `minimumDecimals` decimals and no trailing zeros beyond them.
    static func decimalText(_ value: Int, scale: Int, minimumDecimals: Int) -> String {
        var power = 1
        for _ in 0..<scale { power *= 10 }
        let magnitude = value.magnitude
        let whole = magnitude / UInt(power)
        var fraction = String(magnitude % UInt(power))
        fraction = String(repeating: "0", count: scale - fraction.count) + fraction
        while fraction.count > minimumDecimals, fraction.hasSuffix("0") { fraction.removeLast() }
        let sign = value < 0 ? "-" : ""
        return fraction.isEmpty ? "\(sign)\(whole)" : "\(sign)\(whole).\(fraction)"
    }

    /// The product of `factors` divided by `divisor` (> 0), rounded half to even, computed without overflow in
    /// the product (up to 128 bits). Half to even is symmetric around zero, so the magnitude is rounded and the
    /// sign put back.
    static func scaledHalfEven(_ factors: [Int64], dividedBy divisor: Int64) -> Int64 {
        precondition(divisor > 0, "the divisor must be positive")
        var negative = false
        var high: UInt64 = 0
        var low: UInt64 = 1
        for factor in factors {
            if factor < 0 { negative.toggle() }
            let magnitude = factor.magnitude
            let lowProduct = low.multipliedFullWidth(by: magnitude)
            let highProduct = high.multipliedFullWidth(by: magnitude)
            let (sum, carry) = lowProduct.high.addingReportingOverflow(highProduct.low)
            precondition(highProduct.high == 0 && !carry, "amount out of range")
            high = sum
            low = lowProduct.low
        }
        let d = divisor.magnitude
        precondition(high < d, "amount out of range")
        var (quotient, remainder) = d.dividingFullWidth((high: high, low: low))
        let rest = d - remainder
        if remainder > rest || (remainder == rest && quotient & 1 == 1) { quotient += 1 }
        precondition(quotient <= UInt64(Int64.max), "amount out of range")
        return negative ? -Int64(quotient) : Int64(quotient)
    }
}
