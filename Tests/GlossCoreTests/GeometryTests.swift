import Foundation
import GlossCore
import Testing

/// A JSON fixture under Tests/GlossCoreTests/Fixtures, made by the scripts in scripts/fixtures from the
/// reference libraries (shapely, pycocotools).
func fixture(_ name: String) throws -> JSONValue {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)")
    return try JSONValue.parse(String(decoding: try Data(contentsOf: url), as: UTF8.self))
}

func points(_ value: JSONValue?) -> [Point] {
    (value?.arrayValue ?? []).map { Point($0.arrayValue![0].numberValue!, $0.arrayValue![1].numberValue!) }
}

@Suite("Geometry: boxes, polygons, keypoints, tracks")
struct GeometryTests {
    @Test func boxIoUByHand() {
        let a = Box(x: 0, y: 0, width: 10, height: 10)
        let b = Box(x: 5, y: 5, width: 10, height: 10)
        #expect(a.intersectionArea(b) == 25)
        #expect(abs(a.iou(b) - 25.0 / 175.0) < 1e-12)
        #expect(a.iou(a) == 1)
        #expect(a.iou(Box(x: 10, y: 0, width: 5, height: 5)) == 0)   // touching edges share no area
        #expect(Box(x: 0, y: 0, width: 0, height: 0).iou(Box(x: 0, y: 0, width: 0, height: 0)) == 0)
    }

    @Test func polygonAreaAndIoUByHand() {
        let square = Polygon([Point(0, 0), Point(4, 0), Point(4, 4), Point(0, 4)])
        let shifted = Polygon([Point(2, 2), Point(6, 2), Point(6, 6), Point(2, 6)])
        #expect(square.area == 16)
        #expect(Polygon(square.points.reversed()).signedArea == -16)
        #expect(abs(square.intersectionArea(shifted) - 4) < 1e-9)
        #expect(abs(square.iou(shifted) - 4.0 / 28.0) < 1e-9)
        // A concave L (area 12) against a square over its notch: they share the 2×2 inner corner only.
        let ell = Polygon([Point(0, 0), Point(4, 0), Point(4, 2), Point(2, 2), Point(2, 4), Point(0, 4)])
        let notch = Polygon([Point(2, 2), Point(4, 2), Point(4, 4), Point(2, 4)])
        #expect(ell.area == 12)
        #expect(abs(ell.intersectionArea(notch)) < 1e-9)
        #expect(abs(ell.intersectionArea(square) - 12) < 1e-9)
        // A shared edge running the same way counts once.
        let left = Polygon([Point(0, 0), Point(2, 0), Point(2, 4), Point(0, 4)])
        #expect(abs(left.intersectionArea(square) - 8) < 1e-9)
    }

    /// Shapely's exact intersection areas of 215 pairs (random star-shaped, concave, clockwise and
    /// counter-clockwise polygons, and hand-made edge cases).
    @Test func polygonIntersectionMatchesShapely() throws {
        let cases = try fixture("polygon_iou.json")["cases"]!.arrayValue!
        #expect(cases.count > 200)
        for (index, entry) in cases.enumerated() {
            let a = Polygon(points(entry["a"])), b = Polygon(points(entry["b"]))
            let expected = entry["intersection"]!.numberValue!
            let iou = entry["iou"]!.numberValue!
            let scale = max(1, a.area, b.area)
            #expect(abs(a.intersectionArea(b) - expected) <= 1e-6 * scale, "case \(index) \(entry["name"]?.stringValue ?? "")")
            #expect(abs(b.intersectionArea(a) - expected) <= 1e-6 * scale, "case \(index) reversed")
            #expect(abs(a.iou(b) - iou) <= 1e-6, "case \(index) IoU")
        }
    }

    @Test func selfIntersection() {
        #expect(!Polygon([Point(0, 0), Point(4, 0), Point(4, 4), Point(0, 4)]).isSelfIntersecting)
        #expect(Polygon([Point(0, 0), Point(4, 4), Point(4, 0), Point(0, 4)]).isSelfIntersecting)        // a bow tie
        #expect(!Polygon([Point(0, 0), Point(4, 0), Point(4, 2), Point(2, 2), Point(2, 4), Point(0, 4)]).isSelfIntersecting)
        #expect(Polygon([Point(0, 0), Point(4, 0), Point(2, 0), Point(2, 3)]).isSelfIntersecting)       // folds back on an edge
        #expect(Polygon([Point(0, 0), Point(6, 0), Point(6, 6), Point(3, 0), Point(0, 6)]).isSelfIntersecting) // touches an edge
        // A long but simple outline (a 2,000-point circle) is simple.
        let circle = (0..<2000).map { index -> Point in
            let angle = Double(index) / 2000 * 2 * Double.pi
            return Point(500 + 400 * cos(angle), 500 + 400 * sin(angle))
        }
        #expect(!Polygon(circle).isSelfIntersecting)
    }

    /// pycocotools' `computeOks` on 50 cases.
    @Test func keypointSimilarityMatchesPycocotools() throws {
        for (index, entry) in try fixture("oks.json")["cases"]!.arrayValue!.enumerated() {
            let gt = entry["gt"]!.arrayValue!.map { $0.numberValue! }
            let dt = entry["dt"]!.arrayValue!.map { $0.numberValue! }
            let sigmas = entry["sigmas"]!.arrayValue!.map { $0.numberValue! }
            let truth = stride(from: 0, to: gt.count, by: 3).map { (x: gt[$0], y: gt[$0 + 1], v: Int(gt[$0 + 2])) }
            let detection = stride(from: 0, to: dt.count, by: 3).map { (x: dt[$0], y: dt[$0 + 1]) }
            let oks = objectKeypointSimilarity(truth: truth, detection: detection, area: entry["area"]!.numberValue!, sigmas: sigmas)
            #expect(abs((oks ?? -1) - entry["oks"]!.numberValue!) < 1e-12, "case \(index)")
        }
        #expect(objectKeypointSimilarity(truth: [(1, 1, 0)], detection: [(1, 1)], area: 10, sigmas: [0.1]) == nil)
    }

    @Test func trackInterpolationByHand() {
        let keyframes = [
            TrackKeyframe(frame: 2, box: Box(x: 0, y: 0, width: 10, height: 10)),
            TrackKeyframe(frame: 6, box: Box(x: 40, y: 20, width: 30, height: 10), isOccluded: true),
            TrackKeyframe(frame: 8, box: Box(x: 0, y: 0, width: 1, height: 1), isOutside: true),
            TrackKeyframe(frame: 10, box: Box(x: 5, y: 5, width: 5, height: 5)),
        ]
        #expect(trackBox(at: 1, keyframes: keyframes) == nil)                      // before the first keyframe
        #expect(trackBox(at: 2, keyframes: keyframes)?.box == Box(x: 0, y: 0, width: 10, height: 10))
        #expect(trackBox(at: 3, keyframes: keyframes)?.box == Box(x: 10, y: 5, width: 15, height: 10))
        #expect(trackBox(at: 4, keyframes: keyframes)?.box == Box(x: 20, y: 10, width: 20, height: 10))
        #expect(trackBox(at: 4, keyframes: keyframes)?.isOccluded == false)
        #expect(trackBox(at: 7, keyframes: keyframes)?.box == Box(x: 40, y: 20, width: 30, height: 10)) // holds toward outside
        #expect(trackBox(at: 7, keyframes: keyframes)?.isOccluded == true)
        #expect(trackBox(at: 8, keyframes: keyframes) == nil)
        #expect(trackBox(at: 9, keyframes: keyframes) == nil)
        #expect(trackBox(at: 10, keyframes: keyframes)?.box == Box(x: 5, y: 5, width: 5, height: 5))
        #expect(trackBox(at: 500, keyframes: keyframes)?.box == Box(x: 5, y: 5, width: 5, height: 5)) // stays to the end
    }

    @Test func clearMOTByHand() {
        let a = Box(x: 0, y: 0, width: 10, height: 10), b = Box(x: 100, y: 0, width: 10, height: 10)
        // Frame 0: both matched. Frame 1: the hypotheses swap ids (two switches). Frame 2: one missed, one false positive.
        let truth: [[String: Box]] = [["A": a, "B": b], ["A": a, "B": b], ["A": a, "B": b]]
        let hypotheses: [[String: Box]] = [["1": a, "2": b], ["2": a, "1": b], ["1": a, "3": Box(x: 50, y: 50, width: 5, height: 5)]]
        let score = clearMOT(truth: truth, hypotheses: hypotheses)
        #expect(score.truthCount == 6)
        #expect(score.matches == 5)
        #expect(score.misses == 1)
        #expect(score.falsePositives == 1)
        #expect(score.identitySwitches == 3)   // frame 1: A→2, B→1; frame 2: A back to 1
        #expect(abs(score.mota - (1 - 5.0 / 6.0)) < 1e-12)
        #expect(score.meanIoU == 1)
        #expect(clearMOT(truth: truth, hypotheses: truth).mota == 1)
    }

    @Test func assignmentFindsTheCheapest() {
        let cost: [[Double]] = [[4, 1, 3], [2, 0, 5], [3, 2, 2]]
        let pairs = minimumCostAssignment(cost)
        #expect(pairs.map { cost[$0.0][$0.1] }.reduce(0, +) == 5)   // 1 + 2 + 2
        let wide = minimumCostAssignment([[5, 1, 9]])
        #expect(wide.count == 1 && wide[0] == (0, 1))
        let tall = minimumCostAssignment([[5], [1], [9]])
        #expect(tall.count == 1 && tall[0] == (1, 0))
    }

    @Test func runLengthMasks() {
        // 3 wide, 2 high: row-major 0 1 1 / 1 0 0.
        let mask = RunLengthMask(width: 3, height: 2, bitmap: [0, 1, 1, 1, 0, 0])
        #expect(mask.counts == [1, 3, 2])
        #expect(mask.area == 3)
        #expect(mask.bitmap() == [0, 1, 1, 1, 0, 0])
        // Column-major (COCO): columns (0,1) (1,0) (1,0) read top to bottom: 0 1 1 0 1 0.
        #expect(mask.columnMajorCounts() == [1, 2, 1, 1, 1])
        #expect(mask.boundingBox == Box(x: 0, y: 0, width: 3, height: 2))
        #expect(RunLengthMask(width: 2, height: 2, bitmap: [1, 1, 1, 1]).counts == [0, 4])
        #expect(RunLengthMask(width: 4, height: 1, bitmap: [0, 0, 1, 0]).boundingBox == Box(x: 2, y: 0, width: 1, height: 1))
        #expect(RunLengthMask(width: 2, height: 1, bitmap: [0, 0]).boundingBox == nil)
        if case .failure(let problem) = RunLengthMask.check(try! JSONValue.parse(#"{"size":[2,3],"counts":[1,3]}"#)) {
            #expect(problem.key == "counts")
        } else {
            Issue.record("runs that do not cover the image were accepted")
        }
    }
}
