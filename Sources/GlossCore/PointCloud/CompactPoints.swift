import Foundation

/// The compact binary form of a point cloud that the browser loads ("GPC1").
///
/// Layout, every number little-endian, `n` the number of points:
///
/// | offset        | size   | content                                                                  |
/// |---------------|--------|--------------------------------------------------------------------------|
/// | 0             | 4      | ASCII "GPC1"                                                             |
/// | 4             | 4      | uint32 `n`                                                               |
/// | 8             | 4      | uint32 flags: bit 0 set = intensities follow the positions; other bits 0 |
/// | 12            | 12     | float32 min x, min y, min z (all 0 when `n` is 0)                        |
/// | 24            | 12     | float32 max x, max y, max z (all 0 when `n` is 0)                        |
/// | 36            | 12·n   | float32 positions, x, y, z interleaved, point after point                |
/// | 36 + 12·n     | n      | (only with flag bit 0) uint8 intensity per point                         |
///
/// The file is exactly `36 + 12n` bytes, or `36 + 13n` with intensities. Positions start at byte 36, a multiple of
/// 4, so a browser reads the header with a `DataView` and the positions with
/// `new Float32Array(buffer, 36, 3 * n)` without copying (on little-endian hardware, which is all of it), and
/// the intensities with `new Uint8Array(buffer, 36 + 12 * n, n)`.
///
/// Intensities are normalised over the cloud's own range: `round((v - min) / (max - min) * 255)`, where min and
/// max are the smallest and largest intensity in the cloud; all 0 when the cloud's intensities are all equal.
/// A non-finite intensity encodes as 0. The original intensity units are not kept, so `decode` returns the
/// byte values 0...255 as the intensities.
public enum CompactPoints {
    /// The first four bytes of the format.
    public static let magic = "GPC1"

    /// The header's size in bytes; positions start here.
    static let headerSize = 36

    /// The compact bytes of a cloud.
    public static func encode(_ cloud: PointCloud) -> [UInt8] {
        let count = cloud.count
        let intensities = cloud.intensities.flatMap { $0.count == count ? $0 : nil }
        var out: [UInt8] = []
        out.reserveCapacity(headerSize + count * 12 + (intensities == nil ? 0 : count))
        out.append(contentsOf: Array(magic.utf8))
        appendUInt32(&out, UInt32(truncatingIfNeeded: count))
        appendUInt32(&out, intensities == nil ? 0 : 1)
        let (low, high) = bounds(cloud)
        for value in low + high { appendUInt32(&out, value.bitPattern) }
        let positionCount = count * 3
        #if _endian(little)
        cloud.positions.withUnsafeBytes { raw in out.append(contentsOf: raw.prefix(positionCount * 4)) }
        #else
        for value in cloud.positions.prefix(positionCount) { appendUInt32(&out, value.bitPattern) }
        #endif
        if let intensities {
            var lowest = Float.infinity, highest = -Float.infinity
            for value in intensities where value.isFinite {
                lowest = min(lowest, value)
                highest = max(highest, value)
            }
            let range = highest - lowest
            for value in intensities {
                guard value.isFinite, range > 0, range.isFinite else { out.append(0); continue }
                let scaled = ((value - lowest) / range * 255).rounded()
                out.append(UInt8(max(0, min(255, scaled))))
            }
        }
        return out
    }

    /// The cloud in compact bytes, or nil when they are malformed: a wrong magic, unknown flag bits, or a
    /// length other than the header says. Intensities come back as their byte values, 0...255.
    public static func decode(_ bytes: [UInt8]) -> PointCloud? {
        guard bytes.count >= headerSize, bytes.prefix(4).elementsEqual(magic.utf8) else { return nil }
        let count = Int(readUInt32(bytes, 4))
        let flags = readUInt32(bytes, 8)
        guard flags & ~1 == 0 else { return nil }
        let hasIntensity = flags & 1 == 1
        guard bytes.count == headerSize + count * 12 + (hasIntensity ? count : 0) else { return nil }
        var positions = [Float](repeating: 0, count: count * 3)
        bytes.withUnsafeBytes { raw in
            for index in 0..<(count * 3) {
                positions[index] = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: headerSize + index * 4, as: UInt32.self)))
            }
        }
        var intensities: [Float]?
        if hasIntensity {
            let start = headerSize + count * 12
            intensities = bytes[start..<(start + count)].map { Float($0) }
        }
        return PointCloud(positions: positions, intensities: intensities)
    }

    /// The smallest and largest x, y, z over the cloud's points (non-finite values are skipped); zeros for an
    /// empty cloud.
    public static func bounds(_ cloud: PointCloud) -> (min: [Float], max: [Float]) {
        var minX = Float.infinity, minY = Float.infinity, minZ = Float.infinity
        var maxX = -Float.infinity, maxY = -Float.infinity, maxZ = -Float.infinity
        cloud.positions.withUnsafeBufferPointer { values in
            var index = 0
            while index + 2 < values.count {
                let x = values[index], y = values[index + 1], z = values[index + 2]
                if x.isFinite { minX = min(minX, x); maxX = max(maxX, x) }
                if y.isFinite { minY = min(minY, y); maxY = max(maxY, y) }
                if z.isFinite { minZ = min(minZ, z); maxZ = max(maxZ, z) }
                index += 3
            }
        }
        var low = [minX, minY, minZ], high = [maxX, maxY, maxZ]
        for axis in 0..<3 where !(low[axis] <= high[axis]) {
            low[axis] = 0
            high[axis] = 0
        }
        return (low, high)
    }

    static func appendUInt32(_ out: inout [UInt8], _ value: UInt32) {
        out.append(UInt8(truncatingIfNeeded: value))
        out.append(UInt8(truncatingIfNeeded: value >> 8))
        out.append(UInt8(truncatingIfNeeded: value >> 16))
        out.append(UInt8(truncatingIfNeeded: value >> 24))
    }

    static func readUInt32(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
        UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24
    }
}
