import Foundation

/// A failure of the benchmark itself (the server answered something unexpected, a child process
/// failed, ...). The message is printed as is.
struct BenchError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}

extension Duration {
    /// The duration in seconds, as a floating-point number.
    var benchSeconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}

/// Progress lines go to standard error so that standard output carries only the report.
enum BenchLog {
    static func info(_ message: String) {
        FileHandle.standardError.write(Data("[bench] \(message)\n".utf8))
    }
}

/// Latency samples in seconds, with nearest-rank percentiles.
struct BenchLatencies: Sendable {
    private(set) var samples: [Double] = []

    var count: Int { samples.count }

    mutating func record(_ duration: Duration) {
        samples.append(duration.benchSeconds)
    }

    mutating func append(contentsOf other: BenchLatencies) {
        samples.append(contentsOf: other.samples)
    }

    /// Percentiles (0...100) by nearest rank; nil when there are no samples.
    func percentiles(_ ranks: [Double]) -> [Double?] {
        guard !samples.isEmpty else { return ranks.map { _ in nil } }
        let sorted = samples.sorted()
        return ranks.map { rank in
            let position = Int((rank / 100 * Double(sorted.count)).rounded(.up))
            let index = min(max(position, 1), sorted.count) - 1
            return sorted[index]
        }
    }
}

/// Number formatting for the report (locale independent).
enum BenchFormat {
    /// `1234567` -> `"1,234,567"`.
    static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var result = ""
        for (offset, character) in digits.enumerated() {
            if offset > 0, (digits.count - offset) % 3 == 0 {
                result.append(",")
            }
            result.append(character)
        }
        return value < 0 ? "-" + result : result
    }

    /// A rate, rounded to a whole number and grouped: `"12,345"`.
    static func rate(_ value: Double) -> String {
        guard value.isFinite else { return "n/a" }
        return grouped(Int(value.rounded()))
    }

    static func fixed(_ value: Double, digits: Int) -> String {
        guard value.isFinite else { return "n/a" }
        return String(format: "%.\(digits)f", value)
    }

    static func seconds(_ value: Double) -> String {
        value < 10 ? fixed(value, digits: 3) + " s" : fixed(value, digits: 1) + " s"
    }

    static func milliseconds(_ seconds: Double?) -> String {
        guard let seconds else { return "n/a" }
        return fixed(seconds * 1000, digits: 2) + " ms"
    }

    static func megabytes(bytes: Int) -> String {
        fixed(Double(bytes) / 1_000_000, digits: 1) + " MB"
    }

    static func megabytes(kibibytes: Int) -> String {
        fixed(Double(kibibytes) * 1024 / 1_000_000, digits: 1) + " MB"
    }

    static func percent(_ fraction: Double) -> String {
        let value = fraction * 100
        return value < 10 ? fixed(value, digits: 1) + "%" : fixed(value, digits: 0) + "%"
    }
}

/// A target of the report: a lower bound (throughput) or an upper bound (time, latency, memory).
enum BenchTarget: Sendable {
    case atLeast(Double)
    case below(Double)

    /// `nil` when the value meets the target, otherwise how far it is off, e.g. `"missed by 12%"`.
    func missNote(for value: Double) -> String? {
        switch self {
        case .atLeast(let target):
            guard value < target, target > 0 else { return nil }
            return "missed by " + BenchFormat.percent((target - value) / target)
        case .below(let target):
            guard value >= target, target > 0 else { return nil }
            return "missed by " + BenchFormat.percent((value - target) / target)
        }
    }
}

/// One row of the Markdown report.
struct BenchRow: Sendable {
    let measurement: String
    let result: String
    let target: String

    init(_ measurement: String, result: String, target: String = "—", missed: [String] = []) {
        self.measurement = measurement
        self.result = missed.isEmpty ? result : result + " — **" + missed.joined(separator: "; ") + "**"
        self.target = target
    }
}
