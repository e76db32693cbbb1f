/// A binary mask as run lengths in row-major order: runs of 0 and 1 alternate, starting with a run of 0.
public struct RunLengthMask: Sendable, Hashable {
    public var width: Int
    public var height: Int
    public var counts: [Int]

    public init(width: Int, height: Int, counts: [Int]) {
        self.width = width
        self.height = height
        self.counts = counts
    }

    /// The mask of a row-major bitmap (non-zero is inside).
    public init(width: Int, height: Int, bitmap: [UInt8]) {
        precondition(bitmap.count == width * height)
        self.width = width
        self.height = height
        counts = Self.runs(of: bitmap.lazy.map { $0 != 0 })
    }

    static func runs<S: Sequence>(of bits: S) -> [Int] where S.Element == Bool {
        var counts: [Int] = []
        var current = false
        var run = 0
        for bit in bits {
            if bit != current {
                counts.append(run)
                run = 0
                current = bit
            }
            run += 1
        }
        counts.append(run)
        return counts
    }

    public struct Problem: Error, Equatable {
        public var key: String?
        public var message: String
    }

    init?(json: JSONValue) {
        guard case .success(let mask) = Self.check(json) else { return nil }
        self = mask
    }

    /// Reads `{size: [height, width], counts: [...]}`, checking that the runs cover the image exactly.
    public static func check(_ json: JSONValue) -> Result<RunLengthMask, Problem> {
        guard let object = json.objectValue else { return .failure(Problem(key: nil, message: "must be an object {size: [height, width], counts}")) }
        guard let size = object["size"]?.arrayValue, size.count == 2, let height = size[0].intValue, let width = size[1].intValue,
              height > 0, width > 0, height <= 50_000, width <= 50_000 else {
            return .failure(Problem(key: "size", message: "must be [height, width], two positive integers"))
        }
        guard let rawCounts = object["counts"]?.arrayValue else {
            return .failure(Problem(key: "counts", message: "must be an array of run lengths"))
        }
        for key in object.keys.sorted() where key != "size" && key != "counts" {
            return .failure(Problem(key: key, message: "is not a key of a mask (expected size, counts)"))
        }
        var counts: [Int] = []
        counts.reserveCapacity(rawCounts.count)
        var total = 0
        for (index, raw) in rawCounts.enumerated() {
            guard let count = raw.intValue, count >= 0, count <= width * height else {
                return .failure(Problem(key: "counts[\(index)]", message: "must be a run length (an integer from 0)"))
            }
            if count == 0, index > 0 {
                return .failure(Problem(key: "counts[\(index)]", message: "is an empty run: only the first run (of 0) may be empty"))
            }
            total += count
            counts.append(count)
        }
        guard total == width * height else {
            return .failure(Problem(key: "counts", message: "add up to \(total), not height × width = \(width * height)"))
        }
        return .success(RunLengthMask(width: width, height: height, counts: counts))
    }

    public var json: JSONValue {
        .object(["size": .array([.number(Double(height)), .number(Double(width))]), "counts": .array(counts.map { .number(Double($0)) })])
    }

    /// The row-major bitmap: 1 inside, 0 outside.
    public func bitmap() -> [UInt8] {
        var bitmap = [UInt8](repeating: 0, count: width * height)
        var position = 0
        for (index, count) in counts.enumerated() {
            if index % 2 == 1 {
                for offset in position..<(position + count) { bitmap[offset] = 1 }
            }
            position += count
        }
        return bitmap
    }

    /// The pixels inside.
    public var area: Int {
        counts.enumerated().reduce(0) { $0 + ($1.offset % 2 == 1 ? $1.element : 0) }
    }

    /// The smallest box around the pixels inside (pixel edges), nil when the mask is empty.
    public var boundingBox: Box? {
        var minX = width, minY = height, maxX = -1, maxY = -1
        var position = 0
        for (index, count) in counts.enumerated() {
            if index % 2 == 1, count > 0 {
                let first = position, last = position + count - 1
                let firstRow = first / width, lastRow = last / width
                minY = min(minY, firstRow)
                maxY = max(maxY, lastRow)
                if firstRow == lastRow {
                    minX = min(minX, first % width)
                    maxX = max(maxX, last % width)
                } else {
                    minX = 0
                    maxX = width - 1
                }
            }
            position += count
        }
        guard maxX >= 0 else { return nil }
        return Box(x: Double(minX), y: Double(minY), width: Double(maxX - minX + 1), height: Double(maxY - minY + 1))
    }

    /// COCO's run lengths: the same mask read column by column (top to bottom, then left to right).
    public func columnMajorCounts() -> [Int] {
        let bitmap = self.bitmap()
        let width = self.width, height = self.height
        return Self.runs(of: (0..<(width * height)).lazy.map { index in bitmap[(index % height) * width + index / height] != 0 })
    }
}
