import Foundation

/// A search hit: the term and, when it matched by another name, that synonym.
public struct TaxonomyMatch: Sendable, Hashable {
    public var index: Int
    public var matchedSynonym: String?

    public init(index: Int, matchedSynonym: String?) {
        self.index = index
        self.matchedSynonym = matchedSynonym
    }
}

extension Taxonomy {
    /// Terms whose name or synonym matches what a worker has typed so far, best first: an exact name, then
    /// an exact synonym, a name that starts with the query, a synonym that does, a name or synonym whose
    /// words start with each query word (in any order), and last one that holds the query anywhere. Case
    /// and accents are ignored. Ties go to the shallower term, then the shorter name.
    public func search(_ query: String, limit: Int) -> [TaxonomyMatch] {
        search.search(query, limit: limit).map { hit in
            TaxonomyMatch(index: hit.term, matchedSynonym: hit.synonym >= 0 ? terms[hit.term].synonyms[hit.synonym] : nil)
        }
    }

    /// Folded for matching: lower case, no accents, runs of other characters as one space.
    static func fold(_ text: String) -> String {
        let folded = text.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
        var result = ""
        result.reserveCapacity(folded.utf8.count)
        var pendingSpace = false
        for character in folded {
            if character.isLetter || character.isNumber {
                if pendingSpace && !result.isEmpty { result.append(" ") }
                pendingSpace = false
                result.append(character)
            } else {
                pendingSpace = true
            }
        }
        return result
    }
}

/// The folded names and synonyms of every term, scanned per query: at 12,000 terms (36,000 names and
/// synonyms) a keystroke's search takes about a millisecond (`gloss bench`), so no inverted index is needed.
struct SearchIndex: Sendable {
    struct Entry: Sendable {
        var term: Int
        /// -1 for the name, else the synonym's index.
        var synonym: Int
        var folded: [UInt8]
        /// Where each word starts in `folded`.
        var wordStarts: [Int]
    }

    let entries: [Entry]
    let depths: [Int]
    let nameLengths: [Int]

    init(terms: [TaxonomyTerm], depths: [Int]) {
        var entries: [Entry] = []
        entries.reserveCapacity(terms.count * 2)
        for (index, term) in terms.enumerated() {
            for (synonym, text) in [(-1, term.name)] + term.synonyms.enumerated().map({ ($0.offset, $0.element) }) {
                let folded = Array(Taxonomy.fold(text).utf8)
                var starts: [Int] = []
                for position in folded.indices where position == 0 || folded[position - 1] == 0x20 { starts.append(position) }
                entries.append(Entry(term: index, synonym: synonym, folded: folded, wordStarts: starts))
            }
        }
        self.entries = entries
        self.depths = depths
        self.nameLengths = terms.map(\.name.count)
    }

    func search(_ query: String, limit: Int) -> [(term: Int, synonym: Int)] {
        let folded = Array(Taxonomy.fold(query).utf8)
        guard !folded.isEmpty, limit > 0 else { return [] }
        let words = folded.split(separator: 0x20).map(Array.init)
        // Best weighted rank per term (name ranks even, synonym ranks odd), and the synonym it came from.
        var best = [Int8](repeating: .max, count: depths.count)
        var synonyms = [Int32](repeating: -1, count: depths.count)
        var matched: [Int] = []
        for entry in entries {
            guard let rank = Self.rank(entry, query: folded, words: words) else { continue }
            let weighted = Int8(rank * 2 + (entry.synonym >= 0 ? 1 : 0))
            if best[entry.term] == .max { matched.append(entry.term) }
            if weighted < best[entry.term] {
                best[entry.term] = weighted
                synonyms[entry.term] = Int32(entry.synonym)
            }
        }
        // Eight ranks: take whole buckets, best first, ordering only the buckets that are shown.
        var buckets = [[Int]](repeating: [], count: 8)
        for term in matched { buckets[Int(best[term])].append(term) }
        var result: [(term: Int, synonym: Int)] = []
        for bucket in buckets where result.count < limit && !bucket.isEmpty {
            let ordered = bucket.sorted { left, right in
                (depths[left], nameLengths[left], left) < (depths[right], nameLengths[right], right)
            }
            for term in ordered.prefix(limit - result.count) { result.append((term, Int(synonyms[term]))) }
        }
        return result
    }

    /// 0 equal, 1 starts with the query, 2 every query word starts a word, 3 holds the query; nil no match.
    static func rank(_ entry: Entry, query: [UInt8], words: [[UInt8]]) -> Int? {
        let text = entry.folded
        guard text.count >= query.count else { return nil }
        if text.starts(with: query) { return text.count == query.count ? 0 : 1 }
        if words.allSatisfy({ word in entry.wordStarts.contains { start in text[start...].starts(with: word) } }) { return 2 }
        return contains(text, query) ? 3 : nil
    }

    static func contains(_ text: [UInt8], _ needle: [UInt8]) -> Bool {
        guard let first = needle.first, text.count >= needle.count else { return false }
        var position = 0
        let last = text.count - needle.count
        while position <= last {
            if text[position] == first, text[position..<(position + needle.count)].elementsEqual(needle) { return true }
            position += 1
        }
        return false
    }
}
