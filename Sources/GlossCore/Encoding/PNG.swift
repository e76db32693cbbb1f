/// Writes PNG images: 8-bit grayscale (masks) or RGB (drawn demo images).
public enum PNG {
    public enum Color: UInt8, Sendable { case gray = 0, rgb = 2 }

    /// A PNG of row-major pixels: one byte per pixel for gray, three for RGB.
    public static func encode(width: Int, height: Int, color: Color, pixels: [UInt8]) -> [UInt8] {
        let channels = color == .gray ? 1 : 3
        precondition(pixels.count == width * height * channels, "pixel count must match the size")
        var scanlines = [UInt8]()
        scanlines.reserveCapacity((width * channels + 1) * height)
        for row in 0..<height {
            scanlines.append(0)   // filter: none
            scanlines += pixels[(row * width * channels)..<((row + 1) * width * channels)]
        }
        var output: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        var header = [UInt8]()
        header.appendBigEndian(UInt32(width))
        header.appendBigEndian(UInt32(height))
        header += [8, color.rawValue, 0, 0, 0]
        appendChunk("IHDR", header, to: &output)
        appendChunk("IDAT", Deflate.zlib(scanlines), to: &output)
        appendChunk("IEND", [], to: &output)
        return output
    }

    static func appendChunk(_ type: String, _ data: [UInt8], to output: inout [UInt8]) {
        output.appendBigEndian(UInt32(data.count))
        let typeBytes = Array(type.utf8)
        output += typeBytes
        output += data
        output.appendBigEndian(Checksum.crc32(data, continuing: Checksum.crc32(typeBytes)))
    }
}
