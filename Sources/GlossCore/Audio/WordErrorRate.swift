import Foundation

/// The outcome of aligning a hypothesis transcript against a reference transcript word by word.
///
/// The counts are those of `jiwer.process_words` (jiwer 4) on the same word lists: the alignment is a
/// minimal Levenshtein alignment over words, and where several minimal alignments exist the one
/// rapidfuzz (which jiwer uses) picks is the one counted here, so `substitutions`, `deletions` and
/// `insertions` agree with jiwer one by one, not only their sum.
public struct WordErrorCounts: Sendable, Hashable {
    /// Reference words the hypothesis has unchanged.
    public var hits: Int
    /// Reference words the hypothesis has replaced by another word.
    public var substitutions: Int
    /// Reference words missing from the hypothesis.
    public var deletions: Int
    /// Hypothesis words with no reference word.
    public var insertions: Int

    /// Counts as given.
    public init(hits: Int = 0, substitutions: Int = 0, deletions: Int = 0, insertions: Int = 0) {
        self.hits = hits
        self.substitutions = substitutions
        self.deletions = deletions
        self.insertions = insertions
    }

    /// The number of words in the reference, `hits + substitutions + deletions`.
    public var referenceWords: Int { hits + substitutions + deletions }

    /// The number of words in the hypothesis, `hits + substitutions + insertions`.
    public var hypothesisWords: Int { hits + substitutions + insertions }

    /// The number of edits, `substitutions + deletions + insertions`.
    public var errors: Int { substitutions + deletions + insertions }

    /// The word error rate, `(S + D + I) / N` with `N` the reference words; it exceeds 1 when the
    /// hypothesis inserts many words.
    ///
    /// An empty reference (`N == 0`) gives the number of insertions, as `jiwer.wer` does (jiwer 4:
    /// `wer = num_insertions` when the references hold no word): 0 when the hypothesis is empty too,
    /// otherwise the hypothesis length (at least 1). jiwer 3 raised an error for an empty reference.
    public var wer: Double {
        let n = referenceWords
        if n == 0 { return Double(insertions) }
        return Double(errors) / Double(n)
    }

    /// Counts summed, as jiwer sums them over several sentence pairs (corpus-level WER is the WER of the sum).
    public static func + (lhs: WordErrorCounts, rhs: WordErrorCounts) -> WordErrorCounts {
        WordErrorCounts(
            hits: lhs.hits + rhs.hits, substitutions: lhs.substitutions + rhs.substitutions,
            deletions: lhs.deletions + rhs.deletions, insertions: lhs.insertions + rhs.insertions)
    }
}

/// Word error rate between a reference and a hypothesis transcript.
public enum WordErrorRate {
    /// Aligns `hypothesis` to `reference` with the fewest word edits and counts them.
    ///
    /// Words are compared as Swift strings (canonically equivalent strings are equal). Among the
    /// minimal alignments the one of rapidfuzz's `Levenshtein.opcodes` is taken (as jiwer 4 does):
    /// common prefix and suffix are matched first, the rest is traced back from the end preferring
    /// a deletion, then an insertion, then the diagonal (Hyyrö's bit-parallel recovery), and long
    /// inputs are split the way rapidfuzz splits them (Hirschberg at the middle of the hypothesis).
    /// Time is O(N·M) words; memory stays bounded near 4 M matrix cells for long inputs.
    public static func counts(reference: [String], hypothesis: [String]) -> WordErrorCounts {
        var ids: [String: Int32] = [:]
        ids.reserveCapacity(reference.count)
        func identify(_ word: String) -> Int32 {
            if let known = ids[word] { return known }
            let next = Int32(truncatingIfNeeded: ids.count)
            ids[word] = next
            return next
        }
        let r = reference.map(identify)
        let h = hypothesis.map(identify)
        var tally = Aligner.Tally()
        r.withUnsafeBufferPointer { rb in
            h.withUnsafeBufferPointer { hb in
                Aligner.align(
                    rb, rb.startIndex..<rb.endIndex, hb, hb.startIndex..<hb.endIndex,
                    maximum: max(rb.count, hb.count), into: &tally)
            }
        }
        return WordErrorCounts(
            hits: r.count - tally.substitutions - tally.deletions, substitutions: tally.substitutions,
            deletions: tally.deletions, insertions: tally.insertions)
    }

    /// Counts for two texts split into words by ``words(_:)``.
    public static func counts(reference: String, hypothesis: String) -> WordErrorCounts {
        counts(reference: words(reference), hypothesis: words(hypothesis))
    }

    /// The plain normalisation used when a project has no transcript conventions: lowercased,
    /// punctuation (Unicode categories P*) removed except an apostrophe (`'` or `’`, written `'`)
    /// between two letters or digits, split on whitespace. Symbols such as `$` or `+` are kept.
    ///
    /// `"Don't STOP—now!"` gives `["don't", "stopnow"]`: punctuation is deleted, not replaced by a
    /// space, as jiwer's `RemovePunctuation` does.
    public static func words(_ text: String) -> [String] {
        var result: [String] = []
        for token in text.lowercased().split(whereSeparator: { $0.isWhitespace }) {
            let characters = Array(token)
            var word = ""
            for (index, character) in characters.enumerated() {
                if isApostrophe(character) {
                    if index > 0, index + 1 < characters.count, isWordCharacter(characters[index - 1]),
                        isWordCharacter(characters[index + 1])
                    {
                        word.append("'")
                    }
                } else if !isPunctuation(character) {
                    word.append(character)
                }
            }
            if !word.isEmpty { result.append(word) }
        }
        return result
    }

    static func isApostrophe(_ character: Character) -> Bool {
        character == "'" || character == "\u{2019}"
    }

    static func isWordCharacter(_ character: Character) -> Bool {
        character.isLetter || character.isNumber
    }

    static func isPunctuation(_ character: Character) -> Bool {
        guard let scalar = character.unicodeScalars.first else { return false }
        switch scalar.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
            .initialPunctuation, .finalPunctuation, .otherPunctuation:
            return true
        default:
            return false
        }
    }

    /// rapidfuzz-compatible minimal alignment counting.
    enum Aligner {
        struct Tally {
            var substitutions = 0
            var deletions = 0
            var insertions = 0
        }

        typealias Words = UnsafeBufferPointer<Int32>

        /// rapidfuzz `levenshtein_align_hirschberg`: `a` is the reference (s1), `b` the hypothesis (s2),
        /// `maximum` an upper bound of their distance.
        static func align(
            _ a: Words, _ aRange: Range<Int>, _ b: Words, _ bRange: Range<Int>, maximum: Int,
            into tally: inout Tally
        ) {
            var lo1 = aRange.lowerBound, hi1 = aRange.upperBound
            var lo2 = bRange.lowerBound, hi2 = bRange.upperBound
            while lo1 < hi1, lo2 < hi2, a[lo1] == b[lo2] {
                lo1 += 1
                lo2 += 1
            }
            while lo1 < hi1, lo2 < hi2, a[hi1 - 1] == b[hi2 - 1] {
                hi1 -= 1
                hi2 -= 1
            }
            let n = hi1 - lo1, m = hi2 - lo2
            if n == 0 || m == 0 {
                tally.deletions += n
                tally.insertions += m
                return
            }
            let bound = min(maximum, max(n, m))
            let fullBand = min(n, 2 * bound + 1)
            if fullBand * m < 1 << 22 || n < 65 || m < 10 {
                leaf(a, lo1, n, b, lo2, m, bound: bound, into: &tally)
                return
            }
            // Hirschberg: split the hypothesis in the middle and the reference at the first place where
            // the distances of both halves add up to the least.
            let mid2 = m / 2
            let left = lastRow(n: n, m: mid2, first: { a[lo1 + $0] }, second: { b[lo2 + $0] })
            let right = lastRow(n: n, m: m - mid2, first: { a[hi1 - 1 - $0] }, second: { b[hi2 - 1 - $0] })
            var best = Int.max, mid1 = 0
            for i in 0...n where left[i] + right[n - i] < best {
                best = left[i] + right[n - i]
                mid1 = i
            }
            align(a, lo1..<(lo1 + mid1), b, lo2..<(lo2 + mid2), maximum: left[mid1], into: &tally)
            align(a, (lo1 + mid1)..<hi1, b, (lo2 + mid2)..<hi2, maximum: right[n - mid1], into: &tally)
        }

        /// Distances from every prefix of the first sequence (0...n words) to the first `m` words of the second, in O(n) memory.
        static func lastRow(n: Int, m: Int, first: (Int) -> Int32, second: (Int) -> Int32) -> [Int] {
            var row = Array(0...n)
            guard m > 0, n > 0 else { return n > 0 ? row : [m] }
            let aWords = (0..<n).map(first)
            for j in 0..<m {
                let word = second(j)
                var diagonal = row[0]
                row[0] = j + 1
                for i in 1...n {
                    let up = row[i]
                    var value = diagonal + (aWords[i - 1] == word ? 0 : 1)
                    if up + 1 < value { value = up + 1 }
                    if row[i - 1] + 1 < value { value = row[i - 1] + 1 }
                    row[i] = value
                    diagonal = up
                }
            }
            return row
        }

        /// Full (banded) matrix and rapidfuzz's `recover_alignment` traceback. `bound` is at least the
        /// distance, so every cell the traceback reads lies within `bound + 1` of the diagonal.
        static func leaf(
            _ a: Words, _ aStart: Int, _ n: Int, _ b: Words, _ bStart: Int, _ m: Int, bound: Int,
            into tally: inout Tally
        ) {
            let width = bound + 1
            let banded = 2 * width + 1 < n + 1
            let stride = banded ? 2 * width + 1 : n + 1
            let infinity = Int32.max / 2
            var cells = [Int32](repeating: infinity, count: stride * (m + 1))
            @inline(__always) func offset(_ j: Int) -> Int { banded ? j - width : 0 }
            cells.withUnsafeMutableBufferPointer { d in
                @inline(__always) func get(_ i: Int, _ j: Int) -> Int32 {
                    let k = i - offset(j)
                    return (i >= 0 && i <= n && k >= 0 && k < stride) ? d[j * stride + k] : infinity
                }
                for j in 0...m {
                    let lower = banded ? max(0, j - width) : 0, upper = banded ? min(n, j + width) : n
                    guard lower <= upper else { continue }
                    let word = j > 0 ? b[bStart + j - 1] : 0
                    for i in lower...upper {
                        let value: Int32
                        if j == 0 {
                            value = Int32(i)
                        } else if i == 0 {
                            value = Int32(j)
                        } else {
                            var v = get(i - 1, j - 1) + (a[aStart + i - 1] == word ? 0 : 1)
                            let up = get(i - 1, j) + 1
                            if up < v { v = up }
                            let leftValue = get(i, j - 1) + 1
                            if leftValue < v { v = leftValue }
                            value = v
                        }
                        d[j * stride + (i - offset(j))] = value
                    }
                }
                var i = n, j = m
                while i > 0, j > 0 {
                    if get(i, j) - get(i - 1, j) == 1 {
                        tally.deletions += 1
                        i -= 1
                    } else {
                        j -= 1
                        if j > 0, get(i, j) - get(i - 1, j) == -1 {
                            tally.insertions += 1
                        } else {
                            i -= 1
                            if a[aStart + i] != b[bStart + j] { tally.substitutions += 1 }
                        }
                    }
                }
                tally.deletions += i
                tally.insertions += j
            }
        }
    }
}
