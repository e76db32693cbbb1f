import Crypto
import Foundation
import GlossCore
import NIOCore
import NIOPosix

/// Reads an audio file with ffprobe (duration, sample rate, channels) and decodes it once with ffmpeg into the
/// waveform's peaks: signed 8-bit (min, max) pairs per 1/`peaksPerSecond` s of the mono mix, the blob the
/// browser draws, so an hour of audio opens at once (720 KB at 100 peaks a second).
struct AudioPeaks {
    static let peaksPerSecond = 100
    /// The rate the waveform is computed at: enough for its envelope, small enough to decode an hour quickly.
    static let decodeRate = 8000

    let threadPool: NIOThreadPool
    /// The longest audio accepted, in seconds: checked on ffprobe's length and again while decoding (a header
    /// may lie), so a small file that decodes to days of silence costs nothing.
    var maximumSeconds: Double = 4 * 3600

    struct Result {
        var duration: Double
        var sampleRate: Int
        var channels: Int
        var codec: String
        var peaksPath: String
        var peaksSHA256: String
        var peakDBFS: Double
        var rmsDBFS: Double
    }

    /// Whether a container holds sound and no picture (ffprobe's streams); false without ffprobe.
    func isAudioOnly(_ path: String) async throws -> Bool {
        guard let ffprobe = VideoFrames.tool("ffprobe") else { return false }
        let probe = try await VideoFrames(threadPool: threadPool, maximumFrames: 0)
            .run(ffprobe, ["-v", "quiet", "-show_entries", "stream=codec_type", "-of", "json", path])
        guard probe.status == 0, let streams = (try? JSONValue.parse(probe.output))?["streams"]?.arrayValue else { return false }
        let types = streams.compactMap { $0["codec_type"]?.stringValue }
        return types.contains("audio") && !types.contains("video")
    }

    func tooLong(name: String, field: String) -> Problem {
        let limit = JSONValue.format(number: maximumSeconds)
        return Problem(.unprocessableEntity, "The audio is too long", detail: "'\(name)' is longer than \(limit) s (setting GLOSS_MAX_AUDIO_SECONDS).",
                       errors: [FieldError(field: field, message: "'\(name)' is longer than \(limit) s")])
    }

    func inspect(_ path: String, name: String, field: String, into folder: String) async throws -> Result {
        if let result = try await inspectWAV(path, name: name, field: field, into: folder) { return result }
        guard let ffmpeg = VideoFrames.tool("ffmpeg"), let ffprobe = VideoFrames.tool("ffprobe") else {
            throw Problem(.serviceUnavailable, "Audio needs ffmpeg on the server",
                          detail: "This server cannot read audio: install ffmpeg (see docs/operations.md).")
        }
        func damaged(_ message: String) -> Problem {
            Problem(.unprocessableEntity, "The audio cannot be read", detail: "'\(name)' \(message).",
                    errors: [FieldError(field: field, message: "'\(name)' \(message)")])
        }
        let frames = VideoFrames(threadPool: threadPool, maximumFrames: 0)
        let probe = try await frames.run(ffprobe, ["-v", "quiet", "-select_streams", "a:0", "-show_entries",
                                                   "stream=codec_name,sample_rate,channels,duration:format=duration", "-of", "json", path])
        guard probe.status == 0, let json = try? JSONValue.parse(probe.output),
              let stream = json["streams"]?.arrayValue?.first?.objectValue,
              let sampleRate = stream["sample_rate"]?.stringValue.flatMap(Int.init) ?? stream["sample_rate"]?.intValue, sampleRate > 0,
              let channels = stream["channels"]?.intValue, channels > 0 else {
            throw damaged("is damaged or has no audio stream")
        }
        let declared = json["format"]?["duration"]?.stringValue.flatMap(Double.init) ?? stream["duration"]?.stringValue.flatMap(Double.init)
        if let declared, declared > maximumSeconds { throw tooLong(name: name, field: field) }
        let maximumSamples = Int(maximumSeconds * Double(Self.decodeRate)) + Self.decodeRate
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let peaksPath = "\(folder)/peaks"
        let samplesPerPeak = Self.decodeRate / Self.peaksPerSecond
        let decoded = try await threadPool.runIfActive { () throws -> (status: Int32, error: String, peaks: [Int8], samples: Int, peak: Double, rms: Double) in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: ffmpeg)
            process.arguments = ["-v", "error", "-xerror", "-nostdin", "-i", path, "-map", "0:a:0", "-ac", "1", "-ar", String(Self.decodeRate),
                                 "-t", String(Int(maximumSeconds) + 2), "-f", "s16le", "-acodec", "pcm_s16le", "-"]
            let output = Pipe()
            let errorFile = "\(folder)/ffmpeg.log"
            FileManager.default.createFile(atPath: errorFile, contents: nil)
            process.standardOutput = output
            process.standardError = FileHandle(forWritingAtPath: errorFile)
            process.standardInput = FileHandle.nullDevice
            try process.run()
            var accumulator = PeakAccumulator(samplesPerPeak: samplesPerPeak)
            var carry: UInt8?
            var samples: [Int16] = []
            samples.reserveCapacity(1 << 15)
            while let chunk = try output.fileHandleForReading.read(upToCount: 1 << 16), !chunk.isEmpty {
                samples.removeAll(keepingCapacity: true)
                chunk.withUnsafeBytes { raw in
                    var index = 0
                    if let low = carry, raw.count > 0 {
                        samples.append(Int16(bitPattern: UInt16(low) | UInt16(raw[0]) << 8))
                        index = 1
                        carry = nil
                    }
                    while index + 1 < raw.count {
                        samples.append(Int16(bitPattern: UInt16(raw[index]) | UInt16(raw[index + 1]) << 8))
                        index += 2
                    }
                    if index < raw.count { carry = raw[index] }
                }
                samples.withUnsafeBufferPointer { accumulator.add($0) }
                if accumulator.sampleCount > maximumSamples {
                    process.terminate()
                    break
                }
            }
            process.waitUntilExit()
            let error = (try? String(contentsOfFile: errorFile, encoding: .utf8)) ?? ""
            let count = accumulator.sampleCount
            let peak = accumulator.peakDBFS, rms = accumulator.rmsDBFS
            return (process.terminationStatus, error, accumulator.finish(), count, peak, rms)
        }
        guard decoded.samples <= maximumSamples else { throw tooLong(name: name, field: field) }
        guard decoded.status == 0 else { throw damaged("cannot be decoded (\(decoded.error.prefix(300)))") }
        guard decoded.samples > 0 else { throw damaged("holds no sound (it decodes to nothing)") }
        let peaks = decoded.peaks.map { UInt8(bitPattern: $0) }
        try Data(peaks).write(to: URL(fileURLWithPath: peaksPath))
        let sha = SHA256.hash(data: peaks).map { String(format: "%02x", $0) }.joined()
        // The length is what decodes, not what the header says (a VBR MP3's header guesses).
        let duration = Double(decoded.samples) / Double(Self.decodeRate)
        return Result(duration: (duration * 1000).rounded() / 1000, sampleRate: sampleRate, channels: channels,
                      codec: stream["codec_name"]?.stringValue ?? "", peaksPath: peaksPath, peaksSHA256: sha,
                      peakDBFS: decoded.peak, rmsDBFS: decoded.rms)
    }
}

extension AudioPeaks {
    /// A 16-bit PCM WAV at a rate that divides into whole peaks is read here, without ffmpeg (the demo's audio,
    /// and WAV uploads on a server without ffmpeg); nil hands the file to ffmpeg.
    func inspectWAV(_ path: String, name: String, field: String, into folder: String) async throws -> Result? {
        guard let head = try? MediaService.head(of: path), MediaInspector.sniff(head)?.contentType == "audio/wav" else { return nil }
        return try await threadPool.runIfActive { () throws -> Result? in
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
            let wav: WAVFile
            switch WAVFile.parse(bytes) {
            case .success(let parsed): wav = parsed
            case .failure(.notPCM16): return nil
            case .failure(.corrupt(let message)):
                throw Problem(.unprocessableEntity, "The audio cannot be read", detail: "'\(name)' \(message).",
                              errors: [FieldError(field: field, message: "'\(name)' \(message)")])
            }
            guard wav.sampleRate % Self.peaksPerSecond == 0 else { return nil }
            guard wav.duration <= maximumSeconds else { throw tooLong(name: name, field: field) }
            var accumulator = PeakAccumulator(samplesPerPeak: wav.sampleRate / Self.peaksPerSecond)
            wav.accumulate(bytes, into: &accumulator)
            let peak = accumulator.peakDBFS, rms = accumulator.rmsDBFS
            let peaks = accumulator.finish().map { UInt8(bitPattern: $0) }
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let peaksPath = "\(folder)/peaks"
            try Data(peaks).write(to: URL(fileURLWithPath: peaksPath))
            let sha = SHA256.hash(data: peaks).map { String(format: "%02x", $0) }.joined()
            return Result(duration: (wav.duration * 1000).rounded() / 1000, sampleRate: wav.sampleRate, channels: wav.channels, codec: "pcm_s16le",
                          peaksPath: peaksPath, peaksSHA256: sha, peakDBFS: peak, rmsDBFS: rms)
        }
    }
}

/// Reads a point cloud (PCD or KITTI .bin), checks it, and converts it once to the compact binary the
/// browser loads (`CompactPoints`).
struct PointCloudConversion {
    let threadPool: NIOThreadPool

    struct Result {
        var pointCount: Int
        var format: PointCloudFormat
        var bounds: (min: [Float], max: [Float])
        var compactPath: String
        var compactSHA256: String
    }

    func convert(_ path: String, name: String, field: String, format: PointCloudFormat, into folder: String) async throws -> Result {
        try await threadPool.runIfActive { () throws -> Result in
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
            let cloud: PointCloud
            do throws(PointCloudProblem) {
                cloud = try PointCloudReader.read(bytes, format: format)
            } catch {
                let kind = format == .pcd ? "PCD" : "KITTI .bin"
                throw Problem(.unprocessableEntity, "The point cloud cannot be read", detail: "'\(name)' \(error.message).",
                              errors: [FieldError(field: field, message: "'\(name)' (\(kind)) \(error.message)")])
            }
            let compact = CompactPoints.encode(cloud)
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let compactPath = "\(folder)/points.gpc"
            try Data(compact).write(to: URL(fileURLWithPath: compactPath))
            let sha = SHA256.hash(data: compact).map { String(format: "%02x", $0) }.joined()
            return Result(pointCount: cloud.count, format: format, bounds: CompactPoints.bounds(cloud), compactPath: compactPath, compactSHA256: sha)
        }
    }
}
