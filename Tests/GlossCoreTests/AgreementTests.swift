import Foundation
@testable import GlossCore
import Testing

/// A table from a coders × units matrix (nil: no label), coders named c1…, units u1….
private func labelTable(_ matrix: [[JSONValue?]]) throws -> LabelTable {
    var rows: [(unit: String, coder: String, label: JSONValue)] = []
    for (coder, labels) in matrix.enumerated() {
        for (unit, label) in labels.enumerated() {
            if let label { rows.append(("u\(unit + 1)", "c\(coder + 1)", label)) }
        }
    }
    return try LabelTable(rows: rows)
}

private func jsonLines(_ text: String) throws(FieldError) -> LabelTable {
    try LabelTable(jsonLines: Data(text.utf8))
}

/// Krippendorff, "Computing Krippendorff's Alpha-Reliability" (2011), the example with missing data:
/// 4 coders × 12 units, values 1…5.
private let krippendorffExample: [[JSONValue?]] = {
    let raw: [[Int?]] = [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, nil, nil, nil],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nil, 3],
        [nil, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nil],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nil],
    ]
    return raw.map { $0.map { $0.map { .number(Double($0)) } } }
}()

@Suite("Agreement: Krippendorff's alpha, kappas, per-label figures")
struct AgreementTests {
    /// The paper's coincidence matrix (rows/columns 1…5):
    ///   7   4/3 1/3 1/3 0
    ///   4/3 10  4/3 1/3 0
    ///   1/3 4/3 8   1/3 0
    ///   1/3 1/3 1/3 4   0
    ///   0   0   0   0   3
    /// n = 40 pairable values (unit 12 has one value), n_c = 9, 13, 10, 5, 3.
    @Test func krippendorffWorkedExampleNominal() throws {
        let table = try labelTable(krippendorffExample)
        let report = try Agreement.report(table, metric: .nominal, bootstrapSamples: 0)
        #expect(report.units == 12)
        #expect(report.coders == 4)
        #expect(report.pairableValues == 40)
        let counts = try #require(report.coincidence)
        let expected: [[Double]] = [[7, 4.0 / 3, 1.0 / 3, 1.0 / 3, 0], [4.0 / 3, 10, 4.0 / 3, 1.0 / 3, 0],
                                    [1.0 / 3, 4.0 / 3, 8, 1.0 / 3, 0], [1.0 / 3, 1.0 / 3, 1.0 / 3, 4, 0], [0, 0, 0, 0, 3]]
        for row in 0..<5 {
            for column in 0..<5 { #expect(abs(counts[row][column] - expected[row][column]) < 1e-12, "o[\(row + 1)][\(column + 1)]") }
        }
        // D_o = off-diagonal mass = 40 - (7 + 10 + 8 + 4 + 3) = 8; D_e = (40² - Σ n_c²) / 39 = (1600 - 384) / 39.
        // alpha = 1 - 8 · 39 / 1216 = 113/152 = 0.743 (the paper's figure).
        let alpha = try #require(report.alpha)
        #expect(abs(alpha - 113.0 / 152.0) < 1e-12)
        #expect((alpha * 1000).rounded() == 743)
        // Within-unit pairs: 55 in all, 43 agree.
        #expect(abs(try #require(report.percentAgreement) - 43.0 / 55.0) < 1e-12)
        // Per label: o_cc / n_c.
        #expect(report.perLabel.map(\.label) == [1, 2, 3, 4, 5].map { JSONValue.number($0) })
        #expect(report.perLabel.map(\.count) == [9, 13, 11, 5, 3])   // label 3 also in unit 12, which is not pairable
        let agreements = report.perLabel.map { $0.agreement ?? -1 }
        for (got, want) in zip(agreements, [7.0 / 9, 10.0 / 13, 8.0 / 10, 4.0 / 5, 1]) { #expect(abs(got - want) < 1e-12) }
        // Eight units carry 4 values: Fleiss' kappa runs over them.
        #expect(report.fleissUnits == 8)
        // Coders 1 and 2 share units 1-9.
        #expect(report.cohenPairs.first { $0.a == "c1" && $0.b == "c2" }?.n == 9)
        #expect(report.cohenPairs.count == 6)
    }

    /// The paper's interval and ordinal figures (0.849 and 0.815), worked exactly from the matrix above:
    /// interval D_o = Σ o·(c-k)² = 52/3 and D_e = Σ n_c·n_k·(c-k)² / 39 = 4480/39, alpha = 951/1120;
    /// ordinal alpha = 108577/133160.
    @Test func krippendorffWorkedExampleIntervalAndOrdinal() throws {
        let table = try labelTable(krippendorffExample)
        let interval = try #require(try Agreement.alpha(table, metric: .interval))
        #expect(abs(interval - 951.0 / 1120.0) < 1e-12)
        #expect((interval * 1000).rounded() == 849)
        let ordinal = try #require(try Agreement.alpha(table, metric: .ordinal))
        #expect(abs(ordinal - 108_577.0 / 133_160.0) < 1e-12)
        #expect((ordinal * 1000).rounded() == 815)
    }

    @Test func bootstrapIsSeededAndBracketsAlpha() throws {
        let table = try labelTable(krippendorffExample)
        for metric in AgreementMetric.allCases {
            let first = try Agreement.report(table, metric: metric, bootstrapSamples: 500, seed: 7)
            let again = try Agreement.report(table, metric: metric, bootstrapSamples: 500, seed: 7)
            let interval = try #require(first.alphaCI95)
            #expect(first.alphaCI95 == again.alphaCI95)
            #expect(interval.lower <= interval.upper)
            #expect(interval.lower < 0.9 && interval.upper > 0.6, "\(metric): \(interval)")
            let other = try Agreement.report(table, metric: metric, bootstrapSamples: 500, seed: 8)
            #expect(other.alphaCI95 != first.alphaCI95)
        }
        #expect(try Agreement.report(table, metric: .nominal, bootstrapSamples: 0).alphaCI95 == nil)
    }

    @Test func undefinedFiguresAreNil() throws {
        // Everyone agrees on one label: no variation, so alpha and the kappas are undefined.
        let same = try labelTable([[.string("a"), .string("a")], [.string("a"), .string("a")]])
        let report = try Agreement.report(same, metric: .nominal)
        #expect(report.alpha == nil)
        #expect(report.alphaCI95 == nil)
        #expect(report.fleissKappa == nil)
        #expect(report.percentAgreement == 1)
        #expect(report.cohenPairs.first?.kappa == nil)
        #expect(report.jsonValue["alpha"] == .null)
        // No unit with two labels: nothing is pairable.
        let lonely = try labelTable([[.string("a"), nil], [nil, .string("b")]])
        let empty = try Agreement.report(lonely, metric: .nominal)
        #expect(empty.pairableValues == 0)
        #expect(empty.alpha == nil && empty.percentAgreement == nil && empty.fleissUnits == 0)
    }

    /// Cohen's kappa on a 2×2 table worked by hand: of 50 units both coders say yes on 20, only A on 5, only
    /// B on 10, neither on 15. p_o = 35/50 = 0.7; p_e = 0.5·0.6 + 0.5·0.4 = 0.5; kappa = 0.2 / 0.5 = 0.4.
    @Test func cohenKappaByHand() throws {
        var a: [JSONValue?] = [], b: [JSONValue?] = []
        for (count, first, second) in [(20, "yes", "yes"), (5, "yes", "no"), (10, "no", "yes"), (15, "no", "no")] {
            a += Array(repeating: .string(first), count: count)
            b += Array(repeating: .string(second), count: count)
        }
        let report = try Agreement.report(try labelTable([a, b]), metric: .nominal, bootstrapSamples: 0)
        let pair = try #require(report.cohenPairs.first)
        #expect(pair.a == "c1" && pair.b == "c2" && pair.n == 50)
        #expect(abs(try #require(pair.kappa) - 0.4) < 1e-12)
        #expect(abs(try #require(report.cohenKappaMean) - 0.4) < 1e-12)
        #expect(abs(try #require(report.percentAgreement) - 0.7) < 1e-12)
    }

    /// Wikipedia's Fleiss' kappa example: 10 subjects, 14 raters, 5 categories; P̄ = 0.378, P_e = 0.213,
    /// kappa = 0.210.
    @Test func fleissKappaWikipediaExample() throws {
        let table: [[Int]] = [[0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
                              [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7]]
        var rows: [(unit: String, coder: String, label: JSONValue)] = []
        for (subject, counts) in table.enumerated() {
            var rater = 0
            for (category, count) in counts.enumerated() {
                for _ in 0..<count {
                    rows.append(("s\(subject)", "r\(rater)", .number(Double(category + 1))))
                    rater += 1
                }
            }
        }
        let report = try Agreement.report(try LabelTable(rows: rows), metric: .nominal, bootstrapSamples: 0)
        let kappa = try #require(report.fleissKappa)
        #expect(report.fleissUnits == 10)
        #expect((kappa * 1000).rounded() == 210)
        // Exactly: P̄ = 0.37802198, P_e = Σ p_j² with p = (20, 28, 39, 21, 32)/140.
        let pBar = table.map { row in Double(row.reduce(0) { $0 + $1 * $1 } - 14) / (14 * 13) }.reduce(0, +) / 10
        let pE = [20.0, 28, 39, 21, 32].reduce(0) { $0 + ($1 / 140) * ($1 / 140) }
        #expect(abs(kappa - (pBar - pE) / (1 - pE)) < 1e-12)
    }

    @Test func denseAndSparseCohenPairsAgree() throws {
        var random = SplitMix64(seed: 3)
        var rows: [(unit: String, coder: String, label: JSONValue)] = []
        for unit in 0..<300 {
            var coders = Set<Int>()
            while coders.count < 4 { coders.insert(Int(random.next() % 9)) }
            for coder in coders.sorted() { rows.append(("u\(unit)", "w\(coder)", .number(Double(random.next() % 4)))) }
        }
        let table = try LabelTable(rows: rows)
        let dense = Agreement.denseCohenPairs(table)
        #expect(dense.count == 36)
        #expect(dense == Agreement.sparseCohenPairs(table))
    }

    @Test func perCoderAgreementAndUnitAgreement() throws {
        // Unit 1: a, a, b; unit 2: a, a (coder 3 missing); unit 3: only coder 1.
        let table = try labelTable([[.string("a"), .string("a"), .string("c")], [.string("a"), .string("a"), nil],
                                    [.string("b"), nil, nil]])
        let report = try Agreement.report(table, metric: .nominal, bootstrapSamples: 0)
        // Coder 1: unit 1 pairs (agree with 2, not 3) + unit 2 (agree) = 2 of 3.
        #expect(report.perCoder.map(\.coder) == ["c1", "c2", "c3"])
        #expect(report.perCoder.map(\.units) == [2, 2, 1])
        #expect(abs(try #require(report.perCoder[0].agreement) - 2.0 / 3) < 1e-12)
        #expect(report.perCoder[2].agreement == 0)
        let units = Agreement.unitAgreement(table)
        #expect(units.count == 3)
        #expect(abs(try #require(units[0]) - 1.0 / 3) < 1e-12)
        #expect(units[1] == 1 && units[2] == nil)
    }
}

@Suite("Label tables from JSON Lines")
struct LabelTableTests {
    @Test func readsTasksWorkersAndLabels() throws {
        let table = try jsonLines("""
            {"task": "t1", "worker": "w1", "label": "cat"}
            {"task": "t2", "worker": 7, "label": "dog", "time": 3.5}

            {"worker": "ghost", "task": 1e0, "label": null}
            {"task": "t1", "worker": "w2", "label": "\\u0063at"}
            {"task": "t1", "worker": "7", "label": true}
            {"task": "t3", "worker": "w1"}
            {"task": "t2", "worker": "w1", "label": 10}
            {"task": "t2", "worker": "w2", "label": 9.0}
            {"task": 2, "worker": "w2", "label": -0}
            """)
        // Missing and null labels are dropped (tasks 1 and t3, worker ghost never appear); 7 and "7" are one worker.
        #expect(table.units == ["t1", "t2", "2"])
        #expect(table.coders == ["w1", "7", "w2"])
        #expect(table.count == 7)
        // Booleans, then numbers ascending, then strings.
        #expect(table.labels == [.bool(true), .number(0), .number(9), .number(10), .string("cat"), .string("dog")])
        // Rows grouped by unit, input order within a unit.
        #expect(table.unitOffsets == [0, 3, 6, 7])
        #expect(table.rowLabel == [4, 4, 0, 5, 3, 2, 1])
    }

    @Test func errorsNameTheLineAndField() {
        func failure(_ text: String) -> FieldError? {
            do {
                _ = try jsonLines(text)
                return nil
            } catch {
                return error
            }
        }
        /// "line:field" of the error.
        func place(_ text: String) -> String? { failure(text).map { "\($0.line ?? 0):\($0.field)" } }
        let ok = #"{"task": "a", "worker": "w", "label": 1}"#
        #expect(place("\(ok)\n\n{\"task\": \"b\" \"worker\": 1}") == "3:row")
        #expect(place("\(ok)\n[1, 2]") == "2:row")
        #expect(place("\(ok)\n{\"task\": \"a\", \"worker\": \"v\", \"label\": {\"x\": 1}}") == "2:label")
        #expect(place("\(ok)\n{\"task\": \"a\", \"worker\": \"v\", \"label\": [1]}") == "2:label")
        #expect(place("{\"worker\": \"v\", \"label\": 1}") == "1:task")
        #expect(place("\(ok)\n{\"task\": \"b\", \"worker\": \"v\", \"label\": 1}\n{\"task\": \"a\", \"label\": 1}") == "3:worker")
        #expect(place("{\"task\": true, \"worker\": \"v\", \"label\": 1}") == "1:task")
        #expect(place("{\"task\": \"\", \"worker\": \"v\", \"label\": 1}") == "1:task")
        #expect(place("{\"task\": \"a\", \"worker\": null, \"label\": 1}") == "1:worker")
        #expect(place("\(ok)\n{\"task\": \"a\", \"worker\": \"v\", \"label\": 1e999}") == "2:label")
        // The same worker on the same task twice: the second line is named.
        let repeated = failure("\(ok)\n{\"task\": \"b\", \"worker\": \"w\", \"label\": 2}\n{\"task\": \"a\", \"worker\": \"w\", \"label\": 3}")
        #expect(repeated?.line == 3)
        #expect(repeated?.field == "worker")
        #expect(repeated?.message.contains("line 1") == true)
    }

    /// Inputs over a megabyte are read in chunks on several cores: the table, the label order and the first
    /// lines must be those of one pass, and an error in a later chunk must name its line in the whole file.
    @Test func chunkedReadingMatchesOnePass() throws {
        var random = SplitMix64(seed: 5)
        let labels = [#""yes""#, #""no""#, "3", "1.5", "true", "null", #""caf\u00e9""#]
        var lines: [String] = []
        for line in 0..<60_000 {
            let task = line % 3 == 0 ? "\(line / 7)" : "\"t\(line / 7)\""
            lines.append(#"{"task": \#(task), "worker": "w\#(line % 7)", "label": \#(labels[Int(random.next() % 7)])}"#)
        }
        let text = lines.joined(separator: "\n")
        #expect(text.utf8.count > 2 << 20)
        func readInChunks(_ text: String) throws(FieldError) -> LabelTable {
            try Array(text.utf8).withUnsafeBufferPointer { buffer throws(FieldError) -> LabelTable in
                #expect(LabelTableBuilder.chunks(of: buffer, count: 5).count == 5)
                return try LabelTable(jsonLines: buffer, chunks: 5)
            }
        }
        let single = try Array(text.utf8).withUnsafeBufferPointer { buffer throws(FieldError) -> LabelTable in
            var builder = LabelTableBuilder()
            _ = try builder.readLines(buffer)
            return try builder.finish()
        }
        let chunked = try readInChunks(text)
        #expect(chunked.units == single.units)
        #expect(chunked.coders == single.coders)
        #expect(chunked.labels == single.labels)
        #expect(chunked.unitOffsets == single.unitOffsets)
        #expect(chunked.rowCoder == single.rowCoder)
        #expect(chunked.rowLabel == single.rowLabel)
        #expect(chunked.labelFirstLine == single.labelFirstLine)
        #expect(chunked.labels.count == 6)

        lines[49_999] = #"{"task": "x", "worker": "w", "label": [1]}"#
        #expect(throws: FieldError(field: "label", message: "must be a string, a number or a boolean, not an array", line: 50_000)) {
            try readInChunks(lines.joined(separator: "\n"))
        }
        lines[49_999] = #"{"task": "t7142", "worker": "w0", "label": 1}"#   // t7142 with w0 is on line 49,995 too
        #expect(throws: FieldError.self) { try readInChunks(lines.joined(separator: "\n")) }
        do {
            _ = try readInChunks(lines.joined(separator: "\n"))
        } catch {
            #expect(error.line == 50_000 && error.message.hasSuffix("on line 49995"))
        }
    }

    @Test func ordinalAndIntervalNeedNumbersNamingTheFirstLine() throws {
        let table = try jsonLines("""
            {"task": "a", "worker": "w1", "label": 1}
            {"task": "a", "worker": "w2", "label": "zebra"}
            {"task": "b", "worker": "w1", "label": "apple"}
            {"task": "b", "worker": "w2", "label": 2}
            """)
        for metric in [AgreementMetric.ordinal, .interval] {
            #expect(throws: FieldError(field: "label", message: "must be a number for the ordinal and interval metrics (found \"zebra\")", line: 2)) {
                try Agreement.report(table, metric: metric)
            }
        }
        #expect(try Agreement.report(table, metric: .nominal).units == 2)
    }

    @Test func rowsFromTheDatabase() throws {
        let table = try LabelTable(rows: [("t1", "w1", .string("x")), ("t1", "w2", .null), ("t2", "w2", .string("y"))])
        #expect(table.units == ["t1", "t2"])
        #expect(table.coders == ["w1", "w2"])
        #expect(table.count == 2)
        #expect(throws: FieldError.self) { try LabelTable(rows: [("t1", "w1", .array([]))]) }
        #expect(throws: FieldError.self) { try LabelTable(rows: [("t1", "w1", .string("x")), ("t1", "w1", .string("y"))]) }
    }
}

@Suite("Aggregation: majority vote, Dawid-Skene, Bradley-Terry, Borda")
struct AggregationTests {
    @Test func majorityVoteBreaksTiesInLabelOrder() throws {
        let table = try jsonLines("""
            {"task": "t1", "worker": "a", "label": "b"}
            {"task": "t1", "worker": "b", "label": "a"}
            {"task": "t2", "worker": "a", "label": 10}
            {"task": "t2", "worker": "b", "label": 9}
            {"task": "t3", "worker": "a", "label": "x"}
            {"task": "t3", "worker": "b", "label": "x"}
            {"task": "t3", "worker": "c", "label": "y"}
            """)
        let result = Aggregation.majorityVote(table)
        #expect((0..<3).map { result.label(ofUnit: $0) } == [.string("a"), .number(9), .string("x")])
        #expect(result.unitConfidence == [0.5, 0.5, 2.0 / 3])
        // Worker a agrees with the consensus on t3 only; b on all three; c on none.
        #expect(result.coderAccuracy == [1.0 / 3, 1, 0])
        #expect(result.coderLabelCount == [3, 3, 1])
        #expect(result.jsonText == result.jsonValue.jsonText)
    }

    /// Three reliable workers (A, B, E) and two who always say "x" (C, D) label 40 tasks (20 x, 20 y); then
    /// 10 tasks whose truth is y are labelled by A, C and D only. Majority vote says x there (2 of 3).
    /// Dawid-Skene starts from the majority, but C and D said x whatever the truth, so their confusion
    /// columns are equal and their labels carry no evidence: on the last tasks only A counts, and A
    /// (right on all 40 checks) says y. The prior converges to 20/50 x, which is also C and D's accuracy
    /// (they are right exactly when the truth is x).
    @Test func dawidSkeneOverrulesUninformativeMajority() throws {
        var lines: [String] = []
        for task in 0..<40 {
            let truth = task < 20 ? "x" : "y"
            for worker in ["A", "B", "E"] { lines.append(#"{"task": "c\#(task)", "worker": "\#(worker)", "label": "\#(truth)"}"#) }
            for worker in ["C", "D"] { lines.append(#"{"task": "c\#(task)", "worker": "\#(worker)", "label": "x"}"#) }
        }
        for task in 0..<10 {
            lines.append(#"{"task": "q\#(task)", "worker": "A", "label": "y"}"#)
            for worker in ["C", "D"] { lines.append(#"{"task": "q\#(task)", "worker": "\#(worker)", "label": "x"}"#) }
        }
        let table = try jsonLines(lines.joined(separator: "\n"))
        let majority = Aggregation.majorityVote(table)
        let dawidSkene = Aggregation.dawidSkene(table)
        let q0 = try #require(table.units.firstIndex(of: "q0"))
        #expect(majority.label(ofUnit: q0) == .string("x"))
        #expect(dawidSkene.label(ofUnit: q0) == .string("y"))
        #expect(dawidSkene.unitConfidence[q0] > 0.999)
        for unit in 0..<40 { #expect(dawidSkene.unitLabel[unit] == majority.unitLabel[unit]) }
        let accuracy = Dictionary(uniqueKeysWithValues: zip(table.coders, dawidSkene.coderAccuracy))
        #expect(try #require(accuracy["A"]) > 0.999)
        #expect(abs(try #require(accuracy["C"]) - 0.4) < 1e-3)
        #expect(abs(try #require(dawidSkene.priors?[0]) - 0.4) < 1e-3)
        let iterations = try #require(dawidSkene.iterations)
        #expect(iterations > 1 && iterations < 100)
        // No iterations at all is the majority vote's distributions.
        #expect(Aggregation.dawidSkene(table, maxIterations: 0).unitLabel == majority.unitLabel)
    }

    @Test func dawidSkeneOnAnEmptyTable() throws {
        let result = Aggregation.dawidSkene(try jsonLines(""))
        #expect(result.unitLabel.isEmpty)
        #expect(result.jsonText == #"{"iterations":0,"method":"dawid-skene","tasks":[],"workers":[]}"#)
    }

    /// Item 0 beats 1 three times and loses once; 1 beats 2 three times and loses once; 0 and 2 never meet.
    /// The likelihood fixes s0/s1 = 3 and s1/s2 = 3, so the scores are (9, 3, 1)/13.
    @Test func bradleyTerryByHand() throws {
        var comparisons = Array(repeating: PairwiseComparison(winner: 0, loser: 1), count: 3)
        comparisons.append(PairwiseComparison(winner: 1, loser: 0))
        comparisons.append(PairwiseComparison(winner: 1, loser: 2, weight: 3))
        comparisons.append(PairwiseComparison(winner: 2, loser: 1))
        let result = try Aggregation.bradleyTerry(itemCount: 4, comparisons: comparisons)
        #expect(result.converged)
        for (got, want) in zip(result.scores, [9.0 / 13, 3.0 / 13, 1.0 / 13, 0]) { #expect(abs(got - want) < 1e-9) }
        #expect(result.comparisons == [4, 8, 4, 0])
        // A cycle of single wins: all equal.
        let cycle = try Aggregation.bradleyTerry(itemCount: 3, comparisons: [.init(winner: 0, loser: 1), .init(winner: 1, loser: 2), .init(winner: 2, loser: 0)])
        for score in cycle.scores { #expect(abs(score - 1.0 / 3) < 1e-12) }
        // Smoothing keeps an undefeated item finite: 1 win + 1 virtual each way against 0 losses + 1.
        let smoothed = try Aggregation.bradleyTerry(itemCount: 2, comparisons: [.init(winner: 0, loser: 1)], smoothing: 1)
        #expect(abs(smoothed.scores[0] - 2.0 / 3) < 1e-9)
        #expect(throws: FieldError(field: "comparisons[0].loser", message: "must differ from the winner")) {
            try Aggregation.bradleyTerry(itemCount: 2, comparisons: [.init(winner: 1, loser: 1)])
        }
        #expect(throws: FieldError.self) { try Aggregation.bradleyTerry(itemCount: 2, comparisons: [.init(winner: 2, loser: 0)]) }
    }

    @Test func rankingsToComparisonsAndBorda() throws {
        let rankings = [[0, 1, 2], [1, 0, 2], [0, 2, 1], [2, 0]]
        let borda = try Aggregation.borda(itemCount: 4, rankings: rankings)
        // 0: 2 + 1 + 2 + 0; 1: 1 + 2 + 0; 2: 0 + 0 + 1 + 1; 3: never ranked.
        #expect(borda.points == [5, 3, 2, 0])
        #expect(borda.appearances == [4, 3, 4, 0])
        #expect(borda.order == [0, 1, 2, 3])
        #expect(throws: FieldError(field: "rankings[1][2]", message: "lists item 0 a second time")) {
            try Aggregation.borda(itemCount: 3, rankings: [[0], [0, 1, 0]])
        }
        let comparisons = Aggregation.comparisons(fromRankings: [[2, 0, 1]])
        #expect(comparisons == [.init(winner: 2, loser: 0), .init(winner: 2, loser: 1), .init(winner: 0, loser: 1)])
    }
}
