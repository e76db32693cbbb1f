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

/// The folded names and synonyms of every term, scanned per query: at 10,000 terms a scan takes well under
/// a millisecond (see `gloss bench`), so no inverted index is needed.
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
        // Best (rank, synonym) per term.
        var best: [Int: (rank: Int, synonym: Int)] = [:]
        for entry in entries {
            guard let rank = Self.rank(entry, query: folded, words: words) else { continue }
            let weighted = rank * 2 + (entry.synonym >= 0 ? 1 : 0)
            if let current = best[entry.term], current.rank <= weighted { continue }
            best[entry.term] = (weighted, entry.synonym)
        }
        let ordered = best.sorted { left, right in
            if left.value.rank != right.value.rank { return left.value.rank < right.value.rank }
            if depths[left.key] != depths[right.key] { return depths[left.key] < depths[right.key] }
            if nameLengths[left.key] != nameLengths[right.key] { return nameLengths[left.key] < nameLengths[right.key] }
            return left.key < right.key
        }
        return ordered.prefix(limit).map { ($0.key, $0.value.synonym) }
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
