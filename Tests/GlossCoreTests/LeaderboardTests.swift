@testable import GlossCore
import Testing

@Suite("Leaderboard of ranked and compared candidates") struct LeaderboardTests {
    @Test func rankingsGivePairsBradleyTerryAndBorda() throws {
        let names = Leaderboard.candidateNames([.object(["model": .string("A")]), .object(["id": .string("B")]), .string("plain")])
        #expect(names == ["A", "B", "candidate 3"])
        // Two rankings of A, B, C: A and B split their pair, both beat C twice.
        let board = try #require(Leaderboard.build(tasks: [
            (["A", "B", "C"], [.array([1, 2, 3].map { .number($0) }), .array([2, 1, 3].map { .number($0) })]),
        ], isRanking: true))
        #expect(board.comparisons == 6)
        #expect(board.entries.map(\.name) == ["A", "B", "C"], "A and B tie and keep their first order; C never wins")
        #expect(board.entries.map(\.wins) == [3, 3, 0])
        #expect(board.entries.map(\.borda) == [3, 3, 0])
        #expect(abs(board.entries[0].bradleyTerry - board.entries[1].bradleyTerry) < 1e-9)
        #expect(board.entries[2].bradleyTerry < board.entries[0].bradleyTerry)
        // A ranking of the wrong length is left out.
        #expect(Leaderboard.build(tasks: [(["A", "B"], [.array([.number(1)])])], isRanking: true) == nil)
    }

    @Test func pairwiseJudgementsCountWinsAndLeaveTiesOut() throws {
        let value = { (winner: String) -> JSONValue in .object(["winner": .string(winner)]) }
        let board = try #require(Leaderboard.build(tasks: [
            (["m-a", "m-b"], [value("a"), value("tie")]),
            (["m-b", "m-a"], [value("b")]),
            (["m-b", "m-c"], [value("a")]),
        ], isRanking: false))
        #expect(board.comparisons == 3)
        #expect(board.entries.map(\.name) == ["m-a", "m-b", "m-c"])
        #expect(board.entries.map(\.wins) == [2, 1, 0])
        #expect(board.entries.allSatisfy { $0.borda == nil })
    }
}
