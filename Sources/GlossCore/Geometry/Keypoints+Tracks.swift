import Foundation

/// Object keypoint similarity as COCO defines it: for each keypoint the ground truth marks (v > 0),
/// exp(-d² / (2 · area · (2σ)²)), averaged. Nil when the ground truth marks no keypoint.
public func objectKeypointSimilarity(truth: [(x: Double, y: Double, v: Int)], detection: [(x: Double, y: Double)],
                                     area: Double, sigmas: [Double]) -> Double? {
    precondition(truth.count == detection.count && truth.count == sigmas.count, "one entry per keypoint")
    var sum = 0.0
    var marked = 0
    for index in truth.indices where truth[index].v > 0 {
        let dx = detection[index].x - truth[index].x
        let dy = detection[index].y - truth[index].y
        let variance = (2 * sigmas[index]) * (2 * sigmas[index])
        let e = (dx * dx + dy * dy) / variance / (area + Double.ulpOfOne) / 2
        sum += exp(-e)
        marked += 1
    }
    return marked > 0 ? sum / Double(marked) : nil
}

/// A keyframe of an object track: the box at a frame, or the object gone (`outside`).
public struct TrackKeyframe: Sendable, Hashable {
    public var frame: Int
    public var box: Box
    public var isOutside: Bool
    public var isOccluded: Bool

    public init(frame: Int, box: Box, isOutside: Bool = false, isOccluded: Bool = false) {
        self.frame = frame
        self.box = box
        self.isOutside = isOutside
        self.isOccluded = isOccluded
    }
}

/// Where an object is at a frame, from its keyframes (sorted by frame): linear between two keyframes; held
/// still toward an `outside` keyframe and after the last keyframe; absent before the first, and from an
/// `outside` keyframe to the next keyframe.
public func trackBox(at frame: Int, keyframes: [TrackKeyframe]) -> (box: Box, isOccluded: Bool)? {
    // The last keyframe at or before the frame (binary search: tracks may have thousands).
    var low = 0, high = keyframes.count
    while low < high {
        let middle = (low + high) / 2
        if keyframes[middle].frame <= frame { low = middle + 1 } else { high = middle }
    }
    guard low > 0 else { return nil }
    let current = keyframes[low - 1]
    if current.isOutside { return nil }
    if current.frame == frame || low == keyframes.count { return (current.box, current.isOccluded) }
    let next = keyframes[low]
    if next.isOutside { return (current.box, current.isOccluded) }
    let fraction = Double(frame - current.frame) / Double(next.frame - current.frame)
    return (current.box.interpolated(to: next.box, fraction: fraction), current.isOccluded)
}

/// CLEAR MOT scores of a tracker's output against the truth.
public struct TrackingScore: Sendable, Equatable {
    public var truthCount: Int
    public var misses: Int
    public var falsePositives: Int
    public var identitySwitches: Int
    public var matches: Int
    /// Mean IoU of the matched pairs (1 is perfect).
    public var meanIoU: Double

    /// 1 - (misses + false positives + identity switches) / truth boxes.
    public var mota: Double {
        truthCount > 0 ? 1 - Double(misses + falsePositives + identitySwitches) / Double(truthCount) : 1
    }
}

/// Matches hypotheses to truth frame by frame (CLEAR MOT): a pair matched in the previous frame stays
/// matched while its IoU reaches `threshold`; the rest are assigned to maximise the summed IoU (Hungarian
/// method), pairs under the threshold refused. A truth object matched to another hypothesis than last time
/// is an identity switch. `truth[f]` and `hypotheses[f]` map object ids to boxes at frame f.
public func clearMOT(truth: [[String: Box]], hypotheses: [[String: Box]], threshold: Double = 0.5) -> TrackingScore {
    var score = TrackingScore(truthCount: 0, misses: 0, falsePositives: 0, identitySwitches: 0, matches: 0, meanIoU: 0)
    var previous: [String: String] = [:]   // truth id -> hypothesis id, last time each was matched
    var iouSum = 0.0
    for frame in 0..<max(truth.count, hypotheses.count) {
        let truthBoxes = frame < truth.count ? truth[frame] : [:]
        let hypothesisBoxes = frame < hypotheses.count ? hypotheses[frame] : [:]
        score.truthCount += truthBoxes.count
        var matched: [String: String] = [:]
        var usedHypotheses: Set<String> = []
        for (truthID, hypothesisID) in previous.sorted(by: { $0.key < $1.key }) {
            guard let a = truthBoxes[truthID], let b = hypothesisBoxes[hypothesisID], !usedHypotheses.contains(hypothesisID),
                  a.iou(b) >= threshold else { continue }
            matched[truthID] = hypothesisID
            usedHypotheses.insert(hypothesisID)
        }
        let openTruth = truthBoxes.keys.filter { matched[$0] == nil }.sorted()
        let openHypotheses = hypothesisBoxes.keys.filter { !usedHypotheses.contains($0) }.sorted()
        if !openTruth.isEmpty, !openHypotheses.isEmpty {
            let cost = openTruth.map { t in
                openHypotheses.map { h -> Double in
                    let iou = truthBoxes[t]!.iou(hypothesisBoxes[h]!)
                    return iou >= threshold ? 1 - iou : 2
                }
            }
            for (row, column) in minimumCostAssignment(cost) where cost[row][column] <= 1 {
                matched[openTruth[row]] = openHypotheses[column]
            }
        }
        for (truthID, hypothesisID) in matched {
            if let before = previous[truthID], before != hypothesisID { score.identitySwitches += 1 }
            previous[truthID] = hypothesisID
            iouSum += truthBoxes[truthID]!.iou(hypothesisBoxes[hypothesisID]!)
        }
        score.matches += matched.count
        score.misses += truthBoxes.count - matched.count
        score.falsePositives += hypothesisBoxes.count - matched.count
    }
    score.meanIoU = score.matches > 0 ? iouSum / Double(score.matches) : 0
    return score
}

/// The assignment of rows to columns with the least total cost (Hungarian method with potentials, O(n²m)).
/// Every row of the smaller side is assigned; returns (row, column) pairs.
public func minimumCostAssignment(_ cost: [[Double]]) -> [(Int, Int)] {
    guard let columnsCount = cost.first?.count, columnsCount > 0 else { return [] }
    let transposed = cost.count > columnsCount
    let matrix = transposed ? (0..<columnsCount).map { c in cost.map { $0[c] } } : cost
    let n = matrix.count, m = matrix[0].count
    var u = [Double](repeating: 0, count: n + 1), v = [Double](repeating: 0, count: m + 1)
    var owner = [Int](repeating: 0, count: m + 1), way = [Int](repeating: 0, count: m + 1)
    for row in 1...n {
        owner[0] = row
        var column0 = 0
        var minimum = [Double](repeating: .infinity, count: m + 1)
        var used = [Bool](repeating: false, count: m + 1)
        repeat {
            used[column0] = true
            let row0 = owner[column0]
            var delta = Double.infinity, column1 = 0
            for column in 1...m where !used[column] {
                let reduced = matrix[row0 - 1][column - 1] - u[row0] - v[column]
                if reduced < minimum[column] { minimum[column] = reduced; way[column] = column0 }
                if minimum[column] < delta { delta = minimum[column]; column1 = column }
            }
            for column in 0...m {
                if used[column] { u[owner[column]] += delta; v[column] -= delta } else { minimum[column] -= delta }
            }
            column0 = column1
        } while owner[column0] != 0
        repeat {
            let column1 = way[column0]
            owner[column0] = owner[column1]
            column0 = column1
        } while column0 != 0
    }
    return (1...m).compactMap { column in
        owner[column] == 0 ? nil : (transposed ? (column - 1, owner[column] - 1) : (owner[column] - 1, column - 1))
    }
}
