import Foundation
import GlossCore

/// In-process measurements of the audio and LiDAR hot paths: an hour of audio into waveform peaks, reading and
/// converting a 120,000-point cloud, points in a box and snapping, oriented 3D IoU, and DER and WER of a
/// long recording.
enum BenchAudioAndPoints {
    static func run() throws -> [BenchTaskTypes.Result] {
        typealias Result = BenchTaskTypes.Result
        var results: [Result] = []

        // One hour at 8 kHz (what the server decodes to): 28.8 M samples in 64 K blocks.
        let block = (0..<65_536).map { Int16(truncatingIfNeeded: ($0 * 7919) % 30_000 - 15_000) }
        let (samples, peakSeconds) = BenchTaskTypes.time {
            var accumulator = PeakAccumulator(samplesPerPeak: 80)
            for _ in 0..<440 { block.withUnsafeBufferPointer { accumulator.add($0) } }
            _ = accumulator.finish()
            return accumulator.sampleCount
        }
        results.append(Result(measurement: "waveform peaks of decoded audio (an hour at 8 kHz is 28.8 M samples)", count: samples,
                              seconds: peakSeconds, unit: "samples/s"))

        let scene = SyntheticScene.frame(0, pointsPerFrame: 120_000)
        var bin: [UInt8] = []
        bin.reserveCapacity(scene.cloud.count * 16)
        for index in 0..<scene.cloud.count {
            for value in [scene.cloud.positions[3 * index], scene.cloud.positions[3 * index + 1], scene.cloud.positions[3 * index + 2],
                          scene.cloud.intensities?[index] ?? 0] {
                withUnsafeBytes(of: value.bitPattern.littleEndian) { bin.append(contentsOf: $0) }
            }
        }
        let (clouds, readSeconds) = BenchTaskTypes.time {
            var count = 0
            for _ in 0..<50 {
                if let cloud = try? PointCloudReader.read(bin, format: .kittiBin) { count += CompactPoints.encode(cloud).isEmpty ? 0 : 1 }
            }
            return count
        }
        results.append(Result(measurement: "read and convert a 120,000-point KITTI .bin to compact points", count: clouds, seconds: readSeconds,
                              unit: "clouds/s"))

        let car = scene.objects.first { $0.label == "vehicle" }?.box ?? Cuboid(x: 10, y: 0, z: -1, length: 4.5, width: 1.8, height: 1.5, yaw: 0)
        let (snaps, snapSeconds) = BenchTaskTypes.time {
            var count = 0
            for _ in 0..<200 where Cuboids.fitted(car, to: scene.cloud) != nil { count += 1 }
            return count
        }
        results.append(Result(measurement: "snap a box to its points in a 120,000-point cloud", count: snaps, seconds: snapSeconds, unit: "snaps/s"))

        let other = Cuboid(x: car.x + 0.4, y: car.y - 0.2, z: car.z, length: car.length, width: car.width, height: car.height, yaw: car.yaw + 0.3)
        let (pairs, iouSeconds) = BenchTaskTypes.time {
            var count = 0
            for _ in 0..<200_000 where Cuboids.iou3D(car, other) > 0 { count += 1 }
            return count
        }
        results.append(Result(measurement: "3D IoU of two oriented boxes", count: pairs, seconds: iouSeconds, unit: "pairs/s"))

        // An hour of a two-speaker call, 1,800 turns each side, and a 10,000-word transcript.
        let reference = (0..<1_800).map { TimedLabel(label: $0 % 2 == 0 ? "A" : "B", start: Double($0) * 2, end: Double($0) * 2 + 1.8) }
        let hypothesis = reference.enumerated().map { index, turn in
            TimedLabel(label: index % 7 == 0 ? "y" : (index % 2 == 0 ? "x" : "y"), start: turn.start + 0.1, end: turn.end - 0.05)
        }
        let (ders, derSeconds) = BenchTaskTypes.time {
            var count = 0
            for _ in 0..<20 where DiarizationErrorRate.compute(reference: reference, hypothesis: hypothesis).total > 0 { count += 1 }
            return count
        }
        results.append(Result(measurement: "DER of an hour's diarization (1,800 turns each side)", count: ders, seconds: derSeconds, unit: "files/s"))

        let words = (0..<10_000).map { "w\($0 % 500)" }
        let spoken = words.enumerated().compactMap { index, word in index % 13 == 0 ? nil : (index % 17 == 0 ? "x" : word) }
        let (wers, werSeconds) = BenchTaskTypes.time {
            var count = 0
            for _ in 0..<5 where WordErrorRate.counts(reference: words, hypothesis: spoken).referenceWords > 0 { count += 1 }
            return count
        }
        results.append(Result(measurement: "WER of a 10,000-word transcript", count: wers, seconds: werSeconds, unit: "transcripts/s"))
        return results
    }
}
