/// A PCM WAV file read without ffmpeg: 16-bit integer samples, any channel count. Gloss reads such files itself
/// (the demo's audio, and uploads on a server without ffmpeg); anything else goes to ffmpeg.
public struct WAVFile: Sendable {
    public var sampleRate: Int
    public var channels: Int
    /// Where the interleaved little-endian 16-bit samples start in the file's bytes, and how many bytes they take.
    public var dataOffset: Int
    public var dataLength: Int

    /// Samples per channel.
    public var frameCount: Int { dataLength / (2 * channels) }
    public var duration: Double { Double(frameCount) / Double(sampleRate) }

    public enum Problem: Error, Equatable, Sendable {
        /// A WAV Gloss does not read itself (compressed, float, 8/24/32-bit): ffmpeg reads it.
        case notPCM16
        /// A damaged file.
        case corrupt(String)
    }

    /// Reads the header of a RIFF/WAVE file of 16-bit PCM (plain or WAVE_FORMAT_EXTENSIBLE).
    public static func parse(_ bytes: [UInt8]) -> Result<WAVFile, Problem> {
        func ascii(_ offset: Int, _ text: String) -> Bool {
            offset + 4 <= bytes.count && Array(bytes[offset..<(offset + 4)]) == Array(text.utf8)
        }
        func u16(_ offset: Int) -> Int { Int(bytes[offset]) | Int(bytes[offset + 1]) << 8 }
        func u32(_ offset: Int) -> Int { u16(offset) | u16(offset + 2) << 16 }
        guard bytes.count >= 12, ascii(0, "RIFF"), ascii(8, "WAVE") else { return .failure(.corrupt("is not a RIFF/WAVE file")) }
        var offset = 12
        var format: (tag: Int, channels: Int, rate: Int, bits: Int)?
        while offset + 8 <= bytes.count {
            let size = u32(offset + 4)
            let body = offset + 8
            if ascii(offset, "fmt ") {
                guard size >= 16, body + 16 <= bytes.count else { return .failure(.corrupt("is a WAV with a truncated format chunk")) }
                var tag = u16(body)
                if tag == 0xFFFE, size >= 40, body + 26 <= bytes.count { tag = u16(body + 24) }
                format = (tag, u16(body + 2), u32(body + 4), u16(body + 14))
            } else if ascii(offset, "data") {
                guard let format else { return .failure(.corrupt("is a WAV whose data comes before its format")) }
                guard format.tag == 1, format.bits == 16 else { return .failure(.notPCM16) }
                guard format.channels > 0, format.rate > 0 else { return .failure(.corrupt("is a WAV with no channels or no sample rate")) }
                guard format.channels <= 64, format.rate <= 768_000 else {
                    return .failure(.corrupt("is a WAV with an impossible format (\(format.channels) channels at \(format.rate) Hz)"))
                }
                // A streamed WAV leaves its size 0 or 0xFFFFFFFF: ffmpeg reads those.
                if size == 0 || size == 0xFFFF_FFFF { return .failure(.notPCM16) }
                guard body + size <= bytes.count else {
                    return .failure(.corrupt("is a truncated WAV (its data chunk says \(size) bytes, the file holds \(bytes.count - body))"))
                }
                let length = size - size % (2 * format.channels)
                guard length > 0 else { return .failure(.corrupt("is a WAV without samples")) }
                return .success(WAVFile(sampleRate: format.rate, channels: format.channels, dataOffset: body, dataLength: length))
            }
            offset = body + size + (size & 1)
        }
        return .failure(.corrupt("is a WAV without a data chunk"))
    }

    /// Feeds the mono mix (the mean of the channels) to a peak accumulator, a block at a time.
    public func accumulate(_ bytes: [UInt8], into accumulator: inout PeakAccumulator) {
        var block: [Int16] = []
        block.reserveCapacity(4096)
        let frameBytes = 2 * channels
        var offset = dataOffset
        let end = dataOffset + frameCount * frameBytes
        bytes.withUnsafeBufferPointer { raw in
            while offset < end {
                block.removeAll(keepingCapacity: true)
                while offset < end, block.count < 4096 {
                    var sum = 0
                    for channel in 0..<channels {
                        let at = offset + 2 * channel
                        sum += Int(Int16(bitPattern: UInt16(raw[at]) | UInt16(raw[at + 1]) << 8))
                    }
                    block.append(Int16(sum / channels))
                    offset += frameBytes
                }
                block.withUnsafeBufferPointer { accumulator.add($0) }
            }
        }
    }

    /// A 16-bit PCM WAV file of mono samples (the tests' and benchmarks' audio).
    public static func encode(samples: [Int16], sampleRate: Int) -> [UInt8] {
        func u32(_ value: Int) -> [UInt8] { (0..<4).map { UInt8((value >> (8 * $0)) & 0xFF) } }
        func u16(_ value: Int) -> [UInt8] { (0..<2).map { UInt8((value >> (8 * $0)) & 0xFF) } }
        let dataLength = samples.count * 2
        var bytes = Array("RIFF".utf8) + u32(36 + dataLength) + Array("WAVEfmt ".utf8) + u32(16) + u16(1) + u16(1)
        bytes += u32(sampleRate) + u32(sampleRate * 2) + u16(2) + u16(16) + Array("data".utf8) + u32(dataLength)
        bytes.reserveCapacity(bytes.count + dataLength)
        for sample in samples {
            let value = UInt16(bitPattern: sample)
            bytes.append(UInt8(value & 0xFF))
            bytes.append(UInt8(value >> 8))
        }
        return bytes
    }
}
