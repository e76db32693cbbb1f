import Foundation

/// Reading LiDAR point clouds: PCD (ascii, binary and binary_compressed) and KITTI Velodyne `.bin` files,
/// into one plain in-memory form. Foundation and the standard library only.

/// A point cloud: positions in metres, x, y, z interleaved (point `i` is `positions[3i ..< 3i+3]`), and an
/// optional intensity per point in the file's own units (KITTI: 0...1 reflectance; many PCD writers: 0...255).
public struct PointCloud: Sendable, Equatable {
    /// x, y, z of every point, interleaved; `positions.count` is three times the number of points.
    public var positions: [Float]
    /// One intensity per point, or nil when the file has none.
    public var intensities: [Float]?

    /// The number of points.
    public var count: Int { positions.count / 3 }

    /// A cloud from interleaved positions and, optionally, one intensity per point.
    public init(positions: [Float], intensities: [Float]? = nil) {
        self.positions = positions
        self.intensities = intensities
    }
}

/// The point-cloud file formats Gloss reads.
public enum PointCloudFormat: String, Sendable {
    /// Point Cloud Library's PCD, any of its three DATA encodings.
    case pcd
    /// KITTI Velodyne scans: little-endian float32 x, y, z, intensity per point, no header.
    case kittiBin = "kitti_bin"
}

/// Why a point-cloud file was refused. The message reads after the file's name:
/// `"scan.pcd " + problem.message`, e.g. "scan.pcd is a truncated PCD (header says 1000 points, data holds 998)".
public enum PointCloudProblem: Error, Equatable, Sendable {
    /// A file in a form Gloss does not read (an unknown DATA encoding, a field type, too many points).
    case unsupported(String)
    /// A file that is damaged, cut short or inconsistent with its own header.
    case corrupt(String)

    /// The human explanation, written to follow the file's name.
    public var message: String {
        switch self {
        case .unsupported(let message), .corrupt(let message): message
        }
    }
}

/// Reads PCD and KITTI `.bin` point clouds.
///
/// PCD: the header (VERSION, FIELDS, SIZE, TYPE, COUNT, WIDTH, HEIGHT, VIEWPOINT, POINTS, DATA) must name fields
/// `x`, `y` and `z`; `intensity` (or `i`) is read when present. Any field may be TYPE F (SIZE 4 or 8) or I/U
/// (SIZE 1, 2, 4 or 8) and is converted to Float; fields with COUNT > 1 are stepped over (a coordinate field
/// with COUNT > 1 contributes its first element). VIEWPOINT is ignored: points stay in the frame they were
/// stored in. `binary` data is row-major packed, little-endian; `binary_compressed` data is a uint32
/// compressed size, a uint32 uncompressed size and then LZF data that unpacks to column-major fields (every
/// point's first field, then every point's second field, ...).
///
/// Points whose x, y or z is NaN are dropped (organised clouds mark missing returns with NaN); an infinite
/// coordinate refuses the file, naming the point by its 0-based index in the file. A non-finite intensity
/// reads as 0. The header's WIDTH × HEIGHT must equal POINTS and the data must hold exactly that many
/// points, between 1 and `maximumPoints`.
///
/// KITTI `.bin`: the byte count must be a positive multiple of 16 and every value finite.
///
/// Neither reader allocates per point: one pass over the bytes fills preallocated arrays.
public enum PointCloudReader {
    /// The most points one file may hold (checked against the header before any point is read).
    public static let maximumPoints = 5_000_000

    /// The format of a file from its first bytes (a few hundred help) and its name. A PCD is known by its
    /// header text: its first line starts with "# .PCD", "VERSION" or "FIELDS" (a PCD may also open with other
    /// `#` comment lines, skipped, before one of those). A KITTI `.bin` has no magic, so it is known only by a
    /// name ending ".bin". Nil otherwise.
    public static func sniff(head: [UInt8], fileName: String) -> PointCloudFormat? {
        if looksLikePCD(head) { return .pcd }
        if fileName.lowercased().hasSuffix(".bin") { return .kittiBin }
        return nil
    }

    /// Reads a whole file in the given format.
    public static func read(_ bytes: [UInt8], format: PointCloudFormat) throws(PointCloudProblem) -> PointCloud {
        switch format {
        case .pcd: try readPCD(bytes)
        case .kittiBin: try readKITTI(bytes)
        }
    }

    // MARK: - Sniffing

    static func looksLikePCD(_ head: [UInt8]) -> Bool {
        var start = 0
        if head.count >= 3, head[0] == 0xEF, head[1] == 0xBB, head[2] == 0xBF { start = 3 }   // UTF-8 byte-order mark
        var lines = 0
        while start < head.count, lines < 16 {
            var end = start
            while end < head.count, head[end] != 0x0A { end += 1 }
            let line = head[start..<end]
            if starts(line, "# .PCD") || starts(line, "VERSION") || starts(line, "FIELDS") { return true }
            // Other comment lines may come first; anything else means this is not a PCD.
            guard line.first == UInt8(ascii: "#") else { return false }
            start = end + 1
            lines += 1
        }
        return false
    }

    private static func starts(_ line: ArraySlice<UInt8>, _ text: String) -> Bool {
        let prefix = Array(text.utf8)
        return line.count >= prefix.count && line.prefix(prefix.count).elementsEqual(prefix)
    }

    // MARK: - KITTI .bin

    static func readKITTI(_ bytes: [UInt8]) throws(PointCloudProblem) -> PointCloud {
        guard !bytes.isEmpty else { throw .corrupt("is empty") }
        guard bytes.count % 16 == 0 else {
            throw .corrupt("is not a KITTI .bin point cloud (\(bytes.count) bytes is not a multiple of 16, the size of one x, y, z, intensity point)")
        }
        let count = bytes.count / 16
        guard count <= maximumPoints else { throw tooMany(count) }
        var positions = [Float](repeating: 0, count: count * 3)
        var intensities = [Float](repeating: 0, count: count)
        let bad: Int? = bytes.withUnsafeBytes { raw in
            positions.withUnsafeMutableBufferPointer { out in
                intensities.withUnsafeMutableBufferPointer { values in
                    for point in 0..<count {
                        let base = point * 16
                        let x = loadFloat32(raw, base), y = loadFloat32(raw, base + 4)
                        let z = loadFloat32(raw, base + 8), intensity = loadFloat32(raw, base + 12)
                        guard x.isFinite, y.isFinite, z.isFinite, intensity.isFinite else { return point }
                        out[point * 3] = x
                        out[point * 3 + 1] = y
                        out[point * 3 + 2] = z
                        values[point] = intensity
                    }
                    return nil
                }
            }
        }
        if let bad { throw .corrupt("has a non-finite value at point \(bad)") }
        return PointCloud(positions: positions, intensities: intensities)
    }

    // MARK: - PCD header

    /// One numeric type a PCD field may have.
    enum ScalarKind: Sendable {
        case float32, float64, int8, int16, int32, int64, uint8, uint16, uint32, uint64

        init?(type: String, size: Int) {
            switch (type, size) {
            case ("F", 4): self = .float32
            case ("F", 8): self = .float64
            case ("I", 1): self = .int8
            case ("I", 2): self = .int16
            case ("I", 4): self = .int32
            case ("I", 8): self = .int64
            case ("U", 1): self = .uint8
            case ("U", 2): self = .uint16
            case ("U", 4): self = .uint32
            case ("U", 8): self = .uint64
            default: return nil
            }
        }
    }

    /// A field of the PCD header, with where it lies in a packed point.
    struct PCDField: Sendable {
        var name: String
        var kind: ScalarKind
        var size: Int
        var count: Int
        /// Byte offset of the field within one row-major point.
        var rowOffset: Int
        /// Index of the field's first value among a point's values (for ascii rows).
        var valueIndex: Int
    }

    enum PCDEncoding: Sendable { case ascii, binary, binaryCompressed }

    struct PCDHeader: Sendable {
        var fields: [PCDField]
        var pointCount: Int
        var rowSize: Int
        var valuesPerPoint: Int
        var encoding: PCDEncoding
        /// Where the data starts: the byte after the DATA line's newline.
        var dataStart: Int
    }

    static func parseHeader(_ bytes: [UInt8]) throws(PointCloudProblem) -> PCDHeader {
        var entries: [String: [String]] = [:]
        var position = 0
        var dataStart: Int?
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { position = 3 }
        while position < bytes.count {
            var end = position
            while end < bytes.count, bytes[end] != 0x0A { end += 1 }
            let text = String(decoding: bytes[position..<end], as: UTF8.self)
            position = end + 1
            let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }).map(String.init)
            guard let key = words.first?.uppercased(), !key.hasPrefix("#") else { continue }
            if entries[key] == nil { entries[key] = Array(words.dropFirst()) }
            if key == "DATA" {
                dataStart = min(position, bytes.count)
                break
            }
            // A header is a few hundred bytes; a long run without DATA is not a PCD header.
            if position > 65_536 { break }
        }
        guard let dataStart else { throw .corrupt("is not a complete PCD (its header has no DATA line)") }

        guard let names = entries["FIELDS"], !names.isEmpty else { throw .corrupt("is a corrupt PCD (its header has no FIELDS line)") }
        guard let sizes = entries["SIZE"] else { throw .corrupt("is a corrupt PCD (its header has no SIZE line)") }
        guard let types = entries["TYPE"] else { throw .corrupt("is a corrupt PCD (its header has no TYPE line)") }
        let counts = entries["COUNT"] ?? Array(repeating: "1", count: names.count)
        for (key, list) in [("SIZE", sizes), ("TYPE", types), ("COUNT", counts)] where list.count != names.count {
            throw .corrupt("is a corrupt PCD (its header has \(names.count) FIELDS but \(list.count) \(key) values)")
        }
        var fields: [PCDField] = []
        var rowSize = 0
        var valuesPerPoint = 0
        for index in names.indices {
            let name = names[index]
            guard let size = Int(sizes[index]), size > 0 else {
                throw .corrupt("is a corrupt PCD (field \(name) has SIZE '\(sizes[index])')")
            }
            guard let count = Int(counts[index]), count > 0, count <= 1_000_000 else {
                throw .corrupt("is a corrupt PCD (field \(name) has COUNT '\(counts[index])')")
            }
            let type = types[index].uppercased()
            guard let kind = ScalarKind(type: type, size: size) else {
                throw .unsupported("has a field \(name) of TYPE \(types[index]) SIZE \(size), which Gloss does not read (it reads F of size 4 or 8, I and U of size 1, 2, 4 or 8)")
            }
            fields.append(PCDField(name: name, kind: kind, size: size, count: count, rowOffset: rowSize, valueIndex: valuesPerPoint))
            rowSize += size * count
            valuesPerPoint += count
        }

        func integer(_ key: String) throws(PointCloudProblem) -> Int? {
            guard let words = entries[key] else { return nil }
            guard words.count == 1, let value = Int(words[0]), value >= 0 else {
                throw .corrupt("is a corrupt PCD (its \(key) is '\(words.joined(separator: " "))')")
            }
            return value
        }
        guard let width = try integer("WIDTH") else { throw .corrupt("is a corrupt PCD (its header has no WIDTH line)") }
        let height = try integer("HEIGHT") ?? 1
        let (product, overflow) = width.multipliedReportingOverflow(by: height)
        guard !overflow else { throw .corrupt("is a corrupt PCD (WIDTH \(width) × HEIGHT \(height) is too large)") }
        let declared = try integer("POINTS") ?? product
        guard declared == product else {
            throw .corrupt("is a corrupt PCD (WIDTH \(width) × HEIGHT \(height) is \(product) points but POINTS says \(declared))")
        }
        guard product > 0 else { throw .corrupt("has no points (its header says 0)") }
        guard product <= maximumPoints else { throw tooMany(product) }

        let encoding: PCDEncoding
        switch entries["DATA"]?.first?.lowercased() {
        case "ascii": encoding = .ascii
        case "binary": encoding = .binary
        case "binary_compressed": encoding = .binaryCompressed
        case let other:
            throw .unsupported("has DATA \(other ?? "(none)"); Gloss reads ascii, binary and binary_compressed PCD")
        }
        return PCDHeader(fields: fields, pointCount: product, rowSize: rowSize, valuesPerPoint: valuesPerPoint, encoding: encoding, dataStart: dataStart)
    }

    static func tooMany(_ count: Int) -> PointCloudProblem {
        .unsupported("has \(grouped(count)) points; Gloss reads at most \(grouped(maximumPoints))")
    }

    static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return value < 0 ? "-" + out : out
    }

    // MARK: - PCD data

    /// Where one field's values lie in a data block: `base + point * stride`.
    struct Accessor: Sendable {
        var base: Int
        var stride: Int
        var kind: ScalarKind
    }

    static func readPCD(_ bytes: [UInt8]) throws(PointCloudProblem) -> PointCloud {
        guard !bytes.isEmpty else { throw .corrupt("is empty") }
        let header = try parseHeader(bytes)
        func field(_ names: [String]) -> PCDField? {
            for name in names { if let found = header.fields.first(where: { $0.name.lowercased() == name }) { return found } }
            return nil
        }
        guard let xField = field(["x"]), let yField = field(["y"]), let zField = field(["z"]) else {
            throw .corrupt("has no x, y, z fields (fields: \(header.fields.map(\.name).joined(separator: " ")))")
        }
        let intensityField = field(["intensity", "i"])
        let n = header.pointCount

        switch header.encoding {
        case .ascii:
            return try readASCII(bytes, header: header, x: xField, y: yField, z: zField, intensity: intensityField)
        case .binary:
            let available = bytes.count - header.dataStart
            let needed = n * header.rowSize
            if available < needed {
                throw .corrupt("is a truncated PCD (header says \(n) points, data holds \(available / header.rowSize))")
            }
            if available > needed {
                let extra = available - needed
                // A stray line ending after the last point is harmless; real extra data is not.
                let trailing = bytes[(header.dataStart + needed)...]
                let whitespace = extra < header.rowSize && trailing.allSatisfy { $0 == 0x0A || $0 == 0x0D || $0 == 0x20 }
                if !whitespace {
                    if extra % header.rowSize == 0 {
                        throw .corrupt("has more data than its header says (header says \(n) points, data holds \(available / header.rowSize))")
                    }
                    throw .corrupt("has \(extra) stray bytes after its \(n) points")
                }
            }
            func accessor(_ field: PCDField) -> Accessor {
                Accessor(base: header.dataStart + field.rowOffset, stride: header.rowSize, kind: field.kind)
            }
            return try gather(bytes, count: n, x: accessor(xField), y: accessor(yField), z: accessor(zField),
                              intensity: intensityField.map(accessor))
        case .binaryCompressed:
            let start = header.dataStart
            guard bytes.count - start >= 8 else {
                throw .corrupt("is a truncated PCD (its binary_compressed data has no size header)")
            }
            let compressedSize = Int(loadUInt32(bytes, start))
            let uncompressedSize = Int(loadUInt32(bytes, start + 4))
            let needed = n * header.rowSize
            guard uncompressedSize == needed else {
                throw .corrupt("is a corrupt PCD (its compressed data unpacks to \(uncompressedSize) bytes, but \(n) points of \(header.rowSize) bytes need \(needed))")
            }
            // LZF packs at most 264 bytes into 3 (about 88 to 1): a larger claim is a lie, refused before allocating.
            guard uncompressedSize <= compressedSize * 90 + 64 else {
                throw .corrupt("is a corrupt PCD (its \(compressedSize) compressed bytes cannot unpack to the \(uncompressedSize) its header needs)")
            }
            guard compressedSize <= bytes.count - start - 8 else {
                throw .corrupt("is a truncated PCD (its compressed data should be \(compressedSize) bytes, the file holds \(bytes.count - start - 8))")
            }
            let unpacked: [UInt8]
            do {
                unpacked = try LZF.decompress(bytes[(start + 8)..<(start + 8 + compressedSize)], expectedSize: uncompressedSize)
            } catch {
                throw .corrupt("is a corrupt PCD (its binary_compressed data \(error.reason))")
            }
            // Column-major: each field's values for every point, one field after another.
            func accessor(_ field: PCDField) -> Accessor {
                Accessor(base: n * field.rowOffset, stride: field.size * field.count, kind: field.kind)
            }
            return try gather(unpacked, count: n, x: accessor(xField), y: accessor(yField), z: accessor(zField),
                              intensity: intensityField.map(accessor))
        }
    }

    /// Reads x, y, z (and intensity) of `count` points from a data block, dropping NaN points. The block has
    /// been checked to hold every value the accessors reach.
    static func gather(_ bytes: [UInt8], count: Int, x: Accessor, y: Accessor, z: Accessor, intensity: Accessor?) throws(PointCloudProblem) -> PointCloud {
        var positions = [Float](repeating: 0, count: count * 3)
        var intensities = [Float](repeating: 0, count: intensity == nil ? 0 : count)
        var kept = 0
        var infinite: Int?
        bytes.withUnsafeBytes { raw in
            positions.withUnsafeMutableBufferPointer { out in
                intensities.withUnsafeMutableBufferPointer { values in
                    for point in 0..<count {
                        let px = load(raw, x.base + point * x.stride, x.kind)
                        let py = load(raw, y.base + point * y.stride, y.kind)
                        let pz = load(raw, z.base + point * z.stride, z.kind)
                        if px.isNaN || py.isNaN || pz.isNaN { continue }
                        if px.isInfinite || py.isInfinite || pz.isInfinite {
                            infinite = point
                            return
                        }
                        out[kept * 3] = px
                        out[kept * 3 + 1] = py
                        out[kept * 3 + 2] = pz
                        if let intensity {
                            let value = load(raw, intensity.base + point * intensity.stride, intensity.kind)
                            values[kept] = value.isFinite ? value : 0
                        }
                        kept += 1
                    }
                }
            }
        }
        if let infinite { throw .corrupt("has a non-finite coordinate at point \(infinite)") }
        return try finish(positions: &positions, intensities: &intensities, kept: kept, total: count, hasIntensity: intensity != nil)
    }

    static func finish(positions: inout [Float], intensities: inout [Float], kept: Int, total: Int, hasIntensity: Bool) throws(PointCloudProblem) -> PointCloud {
        guard kept > 0 else { throw .corrupt("has no points with finite coordinates (all \(total) are NaN)") }
        if kept < total {
            positions.removeLast((total - kept) * 3)
            if hasIntensity { intensities.removeLast(total - kept) }
        }
        return PointCloud(positions: positions, intensities: hasIntensity ? intensities : nil)
    }

    static func readASCII(_ bytes: [UInt8], header: PCDHeader, x: PCDField, y: PCDField, z: PCDField, intensity: PCDField?) throws(PointCloudProblem) -> PointCloud {
        let n = header.pointCount
        var positions = [Float](repeating: 0, count: n * 3)
        var intensities = [Float](repeating: 0, count: intensity == nil ? 0 : n)
        var kept = 0
        var point = 0   // index of the point (non-empty data line) being read
        var problem: PointCloudProblem?
        let wanted = (x.valueIndex, y.valueIndex, z.valueIndex, intensity?.valueIndex ?? -1)
        bytes.withUnsafeBufferPointer { buffer in
            var position = header.dataStart
            let end = buffer.count
            while position < end {
                // One line: its values, split at spaces, tabs and carriage returns.
                var values = 0
                var px = Float.nan, py = Float.nan, pz = Float.nan, pi: Float = 0
                while position < end, buffer[position] != 0x0A {
                    let byte = buffer[position]
                    if byte == 0x20 || byte == 0x09 || byte == 0x0D { position += 1; continue }
                    let tokenStart = position
                    while position < end, buffer[position] != 0x20, buffer[position] != 0x09, buffer[position] != 0x0D, buffer[position] != 0x0A {
                        position += 1
                    }
                    if values == wanted.0 || values == wanted.1 || values == wanted.2 || values == wanted.3 {
                        guard let value = parseNumber(buffer, tokenStart, position) else {
                            let token = String(decoding: UnsafeBufferPointer(rebasing: buffer[tokenStart..<min(position, tokenStart + 40)]), as: UTF8.self)
                            problem = .corrupt("has a value that is not a number at point \(point) ('\(token)')")
                            return
                        }
                        let single = Float(value)
                        if values == wanted.0 { px = single }
                        if values == wanted.1 { py = single }
                        if values == wanted.2 { pz = single }
                        if values == wanted.3 { pi = single.isFinite ? single : 0 }
                    }
                    values += 1
                }
                position += 1   // past the newline
                if values == 0 { continue }   // blank line
                guard point < n else {
                    // Count the remaining data lines for the message.
                    var lines = point + 1
                    var sawValue = false
                    while position < end {
                        let byte = buffer[position]
                        if byte == 0x0A { if sawValue { lines += 1 }; sawValue = false } else if byte != 0x20, byte != 0x09, byte != 0x0D { sawValue = true }
                        position += 1
                    }
                    if sawValue { lines += 1 }
                    problem = .corrupt("has more data than its header says (header says \(n) points, data holds \(lines))")
                    return
                }
                guard values == header.valuesPerPoint else {
                    problem = .corrupt("has \(values) values for point \(point), where its header says \(header.valuesPerPoint)")
                    return
                }
                if px.isNaN || py.isNaN || pz.isNaN { point += 1; continue }
                if px.isInfinite || py.isInfinite || pz.isInfinite {
                    problem = .corrupt("has a non-finite coordinate at point \(point)")
                    return
                }
                positions[kept * 3] = px
                positions[kept * 3 + 1] = py
                positions[kept * 3 + 2] = pz
                if intensity != nil { intensities[kept] = pi }
                kept += 1
                point += 1
            }
        }
        if let problem { throw problem }
        guard point == n else { throw .corrupt("is a truncated PCD (header says \(n) points, data holds \(point))") }
        return try finish(positions: &positions, intensities: &intensities, kept: kept, total: n, hasIntensity: intensity != nil)
    }

    // MARK: - Numbers

    @inline(__always)
    static func loadFloat32(_ raw: UnsafeRawBufferPointer, _ offset: Int) -> Float {
        Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
    }

    static func loadUInt32(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
        UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24
    }

    /// One little-endian value of any PCD type, as Float.
    @inline(__always)
    static func load(_ raw: UnsafeRawBufferPointer, _ offset: Int, _ kind: ScalarKind) -> Float {
        switch kind {
        case .float32: return Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
        case .float64: return Float(Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))))
        case .int8: return Float(raw.loadUnaligned(fromByteOffset: offset, as: Int8.self))
        case .int16: return Float(Int16(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: Int16.self)))
        case .int32: return Float(Int32(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: Int32.self)))
        case .int64: return Float(Int64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: Int64.self)))
        case .uint8: return Float(raw[offset])
        case .uint16: return Float(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt16.self)))
        case .uint32: return Float(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
        case .uint64: return Float(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)))
        }
    }

    private static let powersOfTen: [Double] = (0...22).map { exponent in
        var value = 1.0
        for _ in 0..<exponent { value *= 10 }
        return value
    }

    /// A decimal number (sign, digits, fraction, exponent) or nan/inf in bytes `start..<end`, or nil. Common
    /// numbers are parsed exactly without allocating; long or extreme ones go through `Double(String)`.
    static func parseNumber(_ buffer: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Double? {
        var index = start
        var negative = false
        if index < end, buffer[index] == UInt8(ascii: "-") || buffer[index] == UInt8(ascii: "+") {
            negative = buffer[index] == UInt8(ascii: "-")
            index += 1
        }
        guard index < end else { return nil }
        let first = buffer[index] | 0x20   // lower-cased letter
        if first == UInt8(ascii: "n") || first == UInt8(ascii: "i") {
            let word = String(decoding: UnsafeBufferPointer(rebasing: buffer[index..<end]), as: UTF8.self).lowercased()
            if word == "nan" || word.hasPrefix("nan(") { return .nan }
            if word == "inf" || word == "infinity" { return negative ? -.infinity : .infinity }
            return nil
        }
        var mantissa: UInt64 = 0
        var significant = 0
        var exponent = 0
        var digits = 0
        var exact = true
        while index < end, buffer[index] &- 0x30 < 10 {
            let digit = UInt64(buffer[index] &- 0x30)
            if mantissa == 0, digit == 0 { index += 1; digits += 1; continue }
            if significant < 19 { mantissa = mantissa * 10 + digit; significant += 1 } else { exponent += 1; exact = false }
            index += 1
            digits += 1
        }
        if index < end, buffer[index] == UInt8(ascii: ".") {
            index += 1
            while index < end, buffer[index] &- 0x30 < 10 {
                let digit = UInt64(buffer[index] &- 0x30)
                if mantissa == 0, digit == 0 {
                    exponent -= 1
                } else if significant < 19 {
                    mantissa = mantissa * 10 + digit
                    significant += 1
                    exponent -= 1
                } else {
                    exact = false
                }
                index += 1
                digits += 1
            }
        }
        guard digits > 0 else { return nil }
        if index < end, buffer[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            var exponentNegative = false
            if index < end, buffer[index] == UInt8(ascii: "-") || buffer[index] == UInt8(ascii: "+") {
                exponentNegative = buffer[index] == UInt8(ascii: "-")
                index += 1
            }
            var written = 0
            var exponentDigits = 0
            while index < end, buffer[index] &- 0x30 < 10 {
                if written < 100_000 { written = written * 10 + Int(buffer[index] &- 0x30) }
                index += 1
                exponentDigits += 1
            }
            guard exponentDigits > 0 else { return nil }
            exponent += exponentNegative ? -written : written
        }
        guard index == end else { return nil }
        if mantissa == 0 { return negative ? -0.0 : 0 }
        if exact, mantissa < (1 << 53), exponent >= -22, exponent <= 22 {
            let magnitude = exponent < 0 ? Double(mantissa) / powersOfTen[-exponent] : Double(mantissa) * powersOfTen[exponent]
            return negative ? -magnitude : magnitude
        }
        return Double(String(decoding: UnsafeBufferPointer(rebasing: buffer[start..<end]), as: UTF8.self))
    }
}

/// LZF decompression (liblzf's format, which PCD binary_compressed uses).
///
/// The stream is a sequence of runs, each opened by a control byte `ctrl`:
/// - `ctrl < 32`: a literal run; the next `ctrl + 1` bytes are copied to the output.
/// - otherwise a back-reference: `len = ctrl >> 5`; if `len == 7` the next byte is added to it; then
///   `offset = ((ctrl & 0x1f) << 8) + next byte + 1`; `len + 2` bytes are copied from `offset` bytes back in
///   the output, one at a time (so a reference may overlap what it writes).
enum LZF {
    struct Failure: Error, Sendable {
        /// Written to follow "its compressed data".
        var reason: String
    }

    static func decompress(_ input: ArraySlice<UInt8>, expectedSize: Int) throws(Failure) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: expectedSize)
        var written = 0
        var failure: Failure?
        input.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { out in
                var index = 0
                let end = source.count
                while index < end {
                    let ctrl = Int(source[index])
                    index += 1
                    if ctrl < 32 {
                        let length = ctrl + 1
                        guard index + length <= end else {
                            failure = Failure(reason: "ends inside a literal run (at byte \(index - 1))")
                            return
                        }
                        guard written + length <= expectedSize else {
                            failure = Failure(reason: "unpacks to more than its stated \(expectedSize) bytes")
                            return
                        }
                        (out.baseAddress! + written).update(from: source.baseAddress! + index, count: length)
                        index += length
                        written += length
                    } else {
                        var length = ctrl >> 5
                        if length == 7 {
                            guard index < end else {
                                failure = Failure(reason: "ends inside a back-reference (at byte \(index - 1))")
                                return
                            }
                            length += Int(source[index])
                            index += 1
                        }
                        guard index < end else {
                            failure = Failure(reason: "ends inside a back-reference (at byte \(index - 1))")
                            return
                        }
                        let distance = ((ctrl & 0x1f) << 8) + Int(source[index]) + 1
                        index += 1
                        length += 2
                        guard distance <= written else {
                            failure = Failure(reason: "refers back before its start (at byte \(index - 2))")
                            return
                        }
                        guard written + length <= expectedSize else {
                            failure = Failure(reason: "unpacks to more than its stated \(expectedSize) bytes")
                            return
                        }
                        let from = written - distance
                        if distance >= length {
                            // No overlap: one block copy.
                            (out.baseAddress! + written).update(from: out.baseAddress! + from, count: length)
                            written += length
                        } else {
                            // The reference overlaps what it writes (a repeating pattern): byte by byte.
                            for offset in 0..<length { out[written + offset] = out[from + offset] }
                            written += length
                        }
                    }
                }
            }
        }
        if let failure { throw failure }
        guard written == expectedSize else {
            throw Failure(reason: "unpacks to \(written) bytes, not its stated \(expectedSize)")
        }
        return output
    }
}
