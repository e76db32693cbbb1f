import Foundation

/// The candidates of a ranking or pairwise field across a whole project (a model comparison): Bradley-Terry
/// strength over every pairwise judgement and every pair a ranking orders (ties count for neither), the wins,
/// and the Borda count of the rankings. Candidates are named by their `model`, else their `id`, else their
/// position ("candidate 1").
public struct Leaderboard: Sendable, Hashable {
    public struct Entry: Sendable, Hashable {
        public var name: String
        public var bradleyTerry: Double
        public var wins: Int
        public var comparisons: Double
        /// Borda points (rankings only).
        public var borda: Double?
    }

    /// Judgements counted (pairs a ranking orders count one each).
    public var comparisons: Int
    /// Strongest first; ties in the order candidates first appeared.
    public var entries: [Entry]

    /// The name of each candidate of a task's items, in the data's order.
    public static func candidateNames(_ items: [JSONValue]) -> [String] {
        items.enumerated().map { position, item in
            item["model"]?.stringValue ?? item["id"]?.stringValue ?? "candidate \(position + 1)"
        }
    }

    /// Builds the leaderboard of one field from each task's candidate names and its answers' values of the
    /// field (a ranking's ranks, 1 best; a pairwise `{winner: a|b|tie}`); nil when nothing was compared.
    public static func build(tasks: [(candidates: [String], values: [JSONValue])], isRanking: Bool) -> Leaderboard? {
        var names: [String] = []
        var index: [String: Int] = [:]
        func item(_ name: String) -> Int {
            if let known = index[name] { return known }
            index[name] = names.count
            names.append(name)
            return names.count - 1
        }
        var comparisons: [PairwiseComparison] = []
        var rankings: [[Int]] = []
        for task in tasks {
            let ids = task.candidates.map(item)
            for value in task.values {
                if isRanking {
                    guard let ranks = value.arrayValue?.compactMap(\.intValue), ranks.count == ids.count else { continue }
                    for i in ids.indices {
                        for j in ids.indices where i < j && ranks[i] != ranks[j] {
                            comparisons.append(ranks[i] < ranks[j] ? PairwiseComparison(winner: ids[i], loser: ids[j])
                                                                   : PairwiseComparison(winner: ids[j], loser: ids[i]))
                        }
                    }
                    rankings.append(ids.indices.sorted { (ranks[$0], $0) < (ranks[$1], $1) }.map { ids[$0] })
                } else if ids.count == 2, let winner = value["winner"]?.stringValue, winner == "a" || winner == "b" {
                    comparisons.append(winner == "a" ? PairwiseComparison(winner: ids[0], loser: ids[1])
                                                     : PairwiseComparison(winner: ids[1], loser: ids[0]))
                }
            }
        }
        guard !comparisons.isEmpty,
              let strengths = try? Aggregation.bradleyTerry(itemCount: names.count, comparisons: comparisons, smoothing: 0.5) else { return nil }
        let borda = isRanking ? try? Aggregation.borda(itemCount: names.count, rankings: rankings) : nil
        var wins = [Int](repeating: 0, count: names.count)
        for comparison in comparisons { wins[comparison.winner] += 1 }
        let order = names.indices.sorted { strengths.scores[$0] > strengths.scores[$1] || (strengths.scores[$0] == strengths.scores[$1] && $0 < $1) }
        return Leaderboard(comparisons: comparisons.count, entries: order.map { position in
            Entry(name: names[position], bradleyTerry: strengths.scores[position], wins: wins[position],
                  comparisons: strengths.comparisons[position], borda: borda?.points[position])
        })
    }
}
