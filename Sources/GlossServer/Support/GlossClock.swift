import Foundation
import NIOConcurrencyHelpers

/// Where pay reads the time: activity pings, ledger entries, posting and closing periods. Production uses the
/// system clock; tests move a manual one forward to credit minutes of work without waiting for them.
public protocol GlossClock: Sendable {
    func now() -> Double
}

/// Seconds since 1970 from the system.
public struct SystemClock: GlossClock {
    public init() {}
    public func now() -> Double { Date().timeIntervalSince1970 }
}

/// A clock that moves only when told to.
public final class ManualClock: GlossClock {
    private let time: NIOLockedValueBox<Double>

    public init(_ start: Double) {
        time = NIOLockedValueBox(start)
    }

    public func now() -> Double { time.withLockedValue { $0 } }

    public func advance(_ seconds: Double) {
        time.withLockedValue { $0 += seconds }
    }

    public func set(_ value: Double) {
        time.withLockedValue { $0 = value }
    }
}
