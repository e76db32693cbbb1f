import Foundation

/// Pay periods: back-to-back spans of `days` days counted from Monday 1970-01-05 00:00 UTC, so a weekly period
/// runs Monday to Monday (UTC). Closing pays what was earned before the end of a period.
public enum PayPeriods {
    /// Monday 1970-01-05 00:00 UTC.
    public static let origin: Double = 4 * 86_400

    /// The latest period boundary at or before `time`.
    public static func boundary(atOrBefore time: Double, days: Int) -> Double {
        let length = Double(max(1, days)) * 86_400
        return origin + ((time - origin) / length).rounded(.down) * length
    }

    /// The first period boundary after `time`.
    public static func boundary(after time: Double, days: Int) -> Double {
        boundary(atOrBefore: time, days: days) + Double(max(1, days)) * 86_400
    }
}
