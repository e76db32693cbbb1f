import Foundation

/// Streaming waveform peaks and levels over 16-bit mono samples.
///
/// Feed samples in any chunks with `add`, then call `finish` for the peaks: one `(min, max)` pair per
/// bucket of `samplesPerPeak` samples, each scaled from the 16-bit range to `-127...127` and rounded
/// away from zero, so a bucket with any sound is never drawn flat. The last, partial bucket is included.
/// Levels are in dBFS relative to 32768 (a sample of −32768 is 0 dBFS, ±32767 about −0.0003 dBFS).
public struct PeakAccumulator: Sendable {
    /// Samples per `(min, max)` pair (at least 1).
    public let samplesPerPeak: Int
    /// Samples added so far.
    public private(set) var sampleCount: Int = 0

    private var peaks: [Int8] = []
    private var bucketMin: Int16 = .max
    private var bucketMax: Int16 = .min
    private var bucketFilled = 0
    private var overallMin: Int16 = .max
    private var overallMax: Int16 = .min
    private var sumOfSquares: Double = 0

    /// An accumulator making one `(min, max)` pair every `samplesPerPeak` samples (values below 1 count as 1).
    public init(samplesPerPeak: Int) {
        self.samplesPerPeak = max(1, samplesPerPeak)
    }

    /// Adds the next samples.
    public mutating func add(_ samples: UnsafeBufferPointer<Int16>) {
        guard let base = samples.baseAddress, !samples.isEmpty else { return }
        let count = samples.count
        let perPeak = samplesPerPeak
        var low = bucketMin, high = bucketMax, filled = bucketFilled
        var squares: Int64 = 0
        var index = 0
        while index < count {
            let end = index + min(perPeak - filled, count - index)
            var chunkSquares: Int64 = 0
            for i in index..<end {
                let sample = base[i]
                low = min(low, sample)
                high = max(high, sample)
                let wide = Int64(sample)
                chunkSquares &+= wide &* wide
            }
            squares &+= chunkSquares
            filled += end - index
            index = end
            if filled == perPeak {
                emit(low, high)
                low = .max
                high = .min
                filled = 0
            }
        }
        bucketMin = low
        bucketMax = high
        bucketFilled = filled
        if filled > 0 {
            overallMin = min(overallMin, low)
            overallMax = max(overallMax, high)
        }
        sumOfSquares += Double(squares)
        sampleCount += count
    }

    /// Adds the next samples.
    public mutating func add(_ samples: [Int16]) {
        samples.withUnsafeBufferPointer { add($0) }
    }

    /// The peaks: `(min, max)` per bucket, interleaved, the last partial bucket included. The partial
    /// bucket is closed, so samples added afterwards start a new bucket; calling `finish` again
    /// without adding returns the same peaks.
    public mutating func finish() -> [Int8] {
        if bucketFilled > 0 {
            emit(bucketMin, bucketMax)
            bucketMin = .max
            bucketMax = .min
            bucketFilled = 0
        }
        return peaks
    }

    /// The largest absolute sample in dBFS (`20·log10(|s|max / 32768)`); `-infinity` when silent or empty.
    public var peakDBFS: Double {
        guard sampleCount > 0 else { return -.infinity }
        let largest = max(-Int(overallMin), Int(overallMax), 0)
        return largest == 0 ? -.infinity : 20 * log10(Double(largest) / 32768)
    }

    /// The root mean square of all samples in dBFS (`20·log10(rms / 32768)`); `-infinity` when silent or empty.
    public var rmsDBFS: Double {
        guard sampleCount > 0, sumOfSquares > 0 else { return -.infinity }
        return 20 * log10((sumOfSquares / Double(sampleCount)).squareRoot() / 32768)
    }

    private mutating func emit(_ low: Int16, _ high: Int16) {
        overallMin = min(overallMin, low)
        overallMax = max(overallMax, high)
        peaks.append(Self.scale(low))
        peaks.append(Self.scale(high))
    }

    /// `sample · 127 / 32767` rounded away from zero, clamped to `-127...127`.
    static func scale(_ sample: Int16) -> Int8 {
        let value = Int(sample)
        let magnitude = min(127, (abs(value) * 127 + 32766) / 32767)
        return Int8(value < 0 ? -magnitude : magnitude)
    }
}
