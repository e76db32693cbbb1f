/// A text indexed by Unicode code points, the unit of span offsets (what Python's `str` indexes). Swift's
/// `String.count` counts grapheme clusters and JavaScript counts UTF-16 units; offsets from either are
/// converted to code points at the edges, and this type checks and slices them.
public struct CodePointText: Sendable {
    public let scalars: [Unicode.Scalar]
    /// `isBoundary[i]` is true when code point offset `i` falls between two characters (grapheme clusters);
    /// it has `scalars.count + 1` entries.
    let isBoundary: [Bool]

    public init(_ text: String) {
        scalars = Array(text.unicodeScalars)
        var boundaries = [Bool](repeating: false, count: scalars.count + 1)
        var offset = 0
        boundaries[0] = true
        for character in text {
            offset += character.unicodeScalars.count
            boundaries[offset] = true
        }
        isBoundary = boundaries
    }

    public var count: Int { scalars.count }

    /// Whether a span may start or end at `offset`: within the text and not inside a character.
    public func isCharacterBoundary(_ offset: Int) -> Bool {
        offset >= 0 && offset <= scalars.count && isBoundary[offset]
    }

    /// The text of code points `start..<end` (both within the text).
    public func slice(_ start: Int, _ end: Int) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[start..<end])
        return String(view)
    }

    /// Whitespace-separated words, with their code point ranges.
    public func words() -> [(start: Int, end: Int)] {
        var result: [(Int, Int)] = []
        var start: Int?
        for (index, scalar) in scalars.enumerated() {
            if scalar.properties.isWhitespace {
                if let begun = start { result.append((begun, index)); start = nil }
            } else if start == nil {
                start = index
            }
        }
        if let begun = start { result.append((begun, scalars.count)) }
        return result
    }
}
