/// A word-level diff: the edit from one text to another as kept, removed and added runs. Words keep the
/// whitespace that follows them, so joining the kept and added runs gives the new text back exactly and
/// joining the kept and removed runs gives the old one.
public enum WordDiff {
    public enum Operation: String, Sendable { case keep = "=", remove = "-", add = "+" }

    /// Past this many words on either side, the diff is one removal and one addition (the table would be too big).
    static let maximumWords = 4000

    public static func diff(from old: String, to new: String) -> [(Operation, String)] {
        let a = words(old), b = words(new)
        var prefix = 0
        while prefix < a.count, prefix < b.count, a[prefix] == b[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < a.count - prefix, suffix < b.count - prefix, a[a.count - 1 - suffix] == b[b.count - 1 - suffix] { suffix += 1 }
        var runs: [(Operation, String)] = []
        func append(_ operation: Operation, _ text: Substring) {
            if let last = runs.last, last.0 == operation { runs[runs.count - 1].1 += text } else { runs.append((operation, String(text))) }
        }
        for word in a[..<prefix] { append(.keep, word) }
        let middleA = Array(a[prefix..<(a.count - suffix)]), middleB = Array(b[prefix..<(b.count - suffix)])
        if middleA.count > maximumWords || middleB.count > maximumWords {
            for word in middleA { append(.remove, word) }
            for word in middleB { append(.add, word) }
        } else {
            // Longest common subsequence over the middle, by dynamic programming from the end.
            let n = middleA.count, m = middleB.count
            var table = [Int32](repeating: 0, count: (n + 1) * (m + 1))
            if n > 0, m > 0 {
                for i in stride(from: n - 1, through: 0, by: -1) {
                    for j in stride(from: m - 1, through: 0, by: -1) {
                        table[i * (m + 1) + j] = middleA[i] == middleB[j]
                            ? table[(i + 1) * (m + 1) + j + 1] + 1
                            : max(table[(i + 1) * (m + 1) + j], table[i * (m + 1) + j + 1])
                    }
                }
            }
            var i = 0, j = 0
            while i < n || j < m {
                if i < n, j < m, middleA[i] == middleB[j] {
                    append(.keep, middleA[i]); i += 1; j += 1
                } else if j < m, i == n || table[i * (m + 1) + j + 1] > table[(i + 1) * (m + 1) + j] {
                    append(.add, middleB[j]); j += 1
                } else {
                    append(.remove, middleA[i]); i += 1
                }
            }
        }
        for word in a[(a.count - suffix)...] { append(.keep, word) }
        return runs
    }

    /// The diff as JSON: `[["=", "kept "], ["-", "old"], ["+", "new"]]`.
    public static func json(from old: String, to new: String) -> JSONValue {
        .array(diff(from: old, to: new).map { .array([.string($0.0.rawValue), .string($0.1)]) })
    }

    /// Words with the whitespace after them; leading whitespace is a word of its own.
    static func words(_ text: String) -> [Substring] {
        var result: [Substring] = []
        var start = text.startIndex
        var index = text.startIndex
        var inSpace = false
        while index < text.endIndex {
            let isSpace = text[index].isWhitespace
            if !isSpace, inSpace, index > start {
                result.append(text[start..<index])
                start = index
            }
            inSpace = isSpace
            index = text.index(after: index)
        }
        if start < text.endIndex { result.append(text[start...]) }
        return result
    }
}
