/// Plane geometry in image pixels: boxes, polygons and their overlap, exact (no rasterising).

public struct Point: Sendable, Hashable {
    public var x: Double
    public var y: Double

    public init(_ x: Double, _ y: Double) {
        self.x = x
        self.y = y
    }

    static func - (lhs: Point, rhs: Point) -> Point { Point(lhs.x - rhs.x, lhs.y - rhs.y) }
    static func + (lhs: Point, rhs: Point) -> Point { Point(lhs.x + rhs.x, lhs.y + rhs.y) }
    static func * (lhs: Point, factor: Double) -> Point { Point(lhs.x * factor, lhs.y * factor) }
    func cross(_ other: Point) -> Double { x * other.y - y * other.x }
    func dot(_ other: Point) -> Double { x * other.x + y * other.y }
}

/// An axis-aligned box: top-left corner, width and height.
public struct Box: Sendable, Hashable {
    public var x: Double
    public var y: Double
    public var width: Double
    public var height: Double

    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    public var area: Double { max(0, width) * max(0, height) }

    public func intersectionArea(_ other: Box) -> Double {
        let width = min(x + self.width, other.x + other.width) - max(x, other.x)
        let height = min(y + self.height, other.y + other.height) - max(y, other.y)
        return width > 0 && height > 0 ? width * height : 0
    }

    /// Intersection over union; 0 when both are empty.
    public func iou(_ other: Box) -> Double {
        let intersection = intersectionArea(other)
        let union = area + other.area - intersection
        return union > 0 ? intersection / union : 0
    }

    /// The box `fraction` of the way from this one to `other` (each of x, y, width, height linearly).
    public func interpolated(to other: Box, fraction: Double) -> Box {
        Box(x: x + (other.x - x) * fraction, y: y + (other.y - y) * fraction,
            width: width + (other.width - width) * fraction, height: height + (other.height - height) * fraction)
    }
}

/// A closed polygon (the last point joins the first).
public struct Polygon: Sendable, Hashable {
    public var points: [Point]

    public init(_ points: [Point]) {
        self.points = points
    }

    /// Positive when the points run counter-clockwise in a y-up plane (clockwise on screen).
    public var signedArea: Double {
        guard points.count >= 3 else { return 0 }
        var sum = 0.0
        var previous = points[points.count - 1]
        for point in points {
            sum += previous.cross(point)
            previous = point
        }
        return sum / 2
    }

    public var area: Double { abs(signedArea) }

    public var boundingBox: Box {
        guard let first = points.first else { return Box(x: 0, y: 0, width: 0, height: 0) }
        var (minX, minY, maxX, maxY) = (first.x, first.y, first.x, first.y)
        for point in points {
            minX = min(minX, point.x); maxX = max(maxX, point.x)
            minY = min(minY, point.y); maxY = max(maxY, point.y)
        }
        return Box(x: minX, y: minY, width: maxX - minX, height: maxY - minY)
    }

    var edges: [(Point, Point)] {
        points.indices.map { (points[$0], points[($0 + 1) % points.count]) }
    }

    /// A tolerance for "on the line" tests, relative to the polygon's size.
    var epsilon: Double {
        let box = boundingBox
        return max(box.width, box.height, 1) * 1e-9
    }

    /// Whether two edges cross or touch anywhere other than the vertex that adjacent edges share: the
    /// polygon is then not simple. Edges are swept in order of their left end, so typical outlines cost
    /// far less than every pair.
    public var isSelfIntersecting: Bool {
        let count = points.count
        guard count >= 3 else { return false }
        let eps = epsilon
        struct Edge { var index: Int; var a: Point; var b: Point; var minX: Double; var maxX: Double; var minY: Double; var maxY: Double }
        let edges = (0..<count).map { index -> Edge in
            let a = points[index], b = points[(index + 1) % count]
            return Edge(index: index, a: a, b: b, minX: min(a.x, b.x), maxX: max(a.x, b.x), minY: min(a.y, b.y), maxY: max(a.y, b.y))
        }.sorted { $0.minX < $1.minX }
        for i in edges.indices {
            let first = edges[i]
            var j = i + 1
            while j < edges.count, edges[j].minX <= first.maxX + eps {
                let second = edges[j]
                j += 1
                guard second.minY <= first.maxY + eps, first.minY <= second.maxY + eps else { continue }
                let gap = abs(first.index - second.index)
                let adjacent = gap == 1 || gap == count - 1
                if adjacent {
                    // Neighbours share a vertex; they intersect only if they fold back along each other.
                    let shared = (first.index + 1) % count == second.index ? first.b : first.a
                    let p = first.a == shared ? first.b : first.a
                    let q = second.a == shared ? second.b : second.a
                    let u = p - shared, v = q - shared
                    if abs(u.cross(v)) <= eps * max(1, (u.dot(u) * v.dot(v)).squareRoot()), u.dot(v) > 0 { return true }
                    if count == 3 { continue }
                } else if Self.segmentsTouch(first.a, first.b, second.a, second.b, eps: eps) {
                    return true
                }
            }
        }
        return false
    }

    static func segmentsTouch(_ p1: Point, _ p2: Point, _ q1: Point, _ q2: Point, eps: Double) -> Bool {
        func orientation(_ a: Point, _ b: Point, _ c: Point) -> Int {
            let value = (b - a).cross(c - a)
            let scale = max(1, ((b - a).dot(b - a) * (c - a).dot(c - a)).squareRoot())
            if abs(value) <= eps * scale { return 0 }
            return value > 0 ? 1 : -1
        }
        func onSegment(_ a: Point, _ b: Point, _ c: Point) -> Bool {
            min(a.x, b.x) - eps <= c.x && c.x <= max(a.x, b.x) + eps && min(a.y, b.y) - eps <= c.y && c.y <= max(a.y, b.y) + eps
        }
        let o1 = orientation(p1, p2, q1), o2 = orientation(p1, p2, q2)
        let o3 = orientation(q1, q2, p1), o4 = orientation(q1, q2, p2)
        if o1 != o2, o3 != o4, o1 != 0 || o2 != 0 { return o1 * o2 <= 0 && o3 * o4 <= 0 }
        if o1 == 0, onSegment(p1, p2, q1) { return true }
        if o2 == 0, onSegment(p1, p2, q2) { return true }
        if o3 == 0, onSegment(q1, q2, p1) { return true }
        if o4 == 0, onSegment(q1, q2, p2) { return true }
        return false
    }

    enum Location { case inside, outside, boundary(direction: Point) }

    /// Where a point lies: strictly inside, outside, or on an edge (with that edge's direction).
    func locate(_ point: Point, eps: Double) -> Location {
        for (a, b) in edges {
            let edge = b - a
            let length2 = edge.dot(edge)
            guard length2 > 0 else { continue }
            let t = (point - a).dot(edge) / length2
            guard t >= -1e-12, t <= 1 + 1e-12 else { continue }
            let nearest = a + edge * t
            let d = point - nearest
            if d.dot(d) <= eps * eps { return .boundary(direction: edge) }
        }
        var inside = false
        for (a, b) in edges where (a.y > point.y) != (b.y > point.y) {
            let x = a.x + (point.y - a.y) / (b.y - a.y) * (b.x - a.x)
            if point.x < x { inside.toggle() }
        }
        return inside ? .inside : .outside
    }

    /// The area both polygons cover, exactly: by Green's theorem over the boundary of the intersection,
    /// which is made of the pieces of each outline that lie inside the other. Both must be simple.
    public func intersectionArea(_ other: Polygon) -> Double {
        guard points.count >= 3, other.points.count >= 3 else { return 0 }
        let first = signedArea < 0 ? Polygon(points.reversed()) : self
        let second = other.signedArea < 0 ? Polygon(other.points.reversed()) : other
        let eps = max(first.epsilon, second.epsilon) * 10
        var twiceArea = 0.0
        // Pieces of the first outline inside the second, and those running along the second's outline in the
        // same direction (a shared edge counts once).
        first.forEachPiece(cutBy: second, eps: eps) { a, b, location in
            switch location {
            case .inside: twiceArea += a.cross(b)
            case .boundary(let direction) where direction.dot(b - a) > 0: twiceArea += a.cross(b)
            default: break
            }
        }
        second.forEachPiece(cutBy: first, eps: eps) { a, b, location in
            if case .inside = location { twiceArea += a.cross(b) }
        }
        return max(0, twiceArea / 2)
    }

    /// Splits each edge where the other polygon's edges cross it and hands each piece with the location of
    /// its midpoint relative to `other`.
    func forEachPiece(cutBy other: Polygon, eps: Double, _ body: (Point, Point, Location) -> Void) {
        let otherEdges = other.edges
        for (p, q) in edges {
            let r = q - p
            let length2 = r.dot(r)
            guard length2 > 0 else { continue }
            var cuts: [Double] = [0, 1]
            for (s, v) in otherEdges {
                let u = v - s
                let denominator = r.cross(u)
                let sp = s - p
                if abs(denominator) > 1e-12 * max(1, length2, u.dot(u)) {
                    let t = sp.cross(u) / denominator
                    let w = sp.cross(r) / denominator
                    if t > 0, t < 1, w >= -1e-12, w <= 1 + 1e-12 { cuts.append(t) }
                } else if abs(sp.cross(r)) <= eps * length2.squareRoot() {
                    // Collinear: the other edge's ends cut this one.
                    for end in [s, v] {
                        let t = (end - p).dot(r) / length2
                        if t > 0, t < 1 { cuts.append(t) }
                    }
                }
            }
            cuts.sort()
            for index in 0..<(cuts.count - 1) where cuts[index + 1] - cuts[index] > 1e-12 {
                let a = p + r * cuts[index], b = p + r * cuts[index + 1]
                body(a, b, other.locate((a + b) * 0.5, eps: eps))
            }
        }
    }

    /// Intersection over union of two simple polygons; 0 when both are empty.
    public func iou(_ other: Polygon) -> Double {
        let intersection = intersectionArea(other)
        let union = area + other.area - intersection
        return union > 0 ? min(1, intersection / union) : 0
    }
}
