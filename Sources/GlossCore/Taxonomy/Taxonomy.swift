import Foundation

/// One term of a taxonomy: an id (unique in the taxonomy), a name, its parent's id and other names.
public struct TaxonomyTerm: Sendable, Hashable {
    public var id: String
    public var name: String
    public var parent: String?
    public var synonyms: [String]

    public init(id: String, name: String, parent: String? = nil, synonyms: [String] = []) {
        self.id = id
        self.name = name
        self.parent = parent
        self.synonyms = synonyms
    }
}

/// A hierarchical ontology (a disease or chemistry vocabulary, a product catalogue) that `taxonomy` fields
/// pick terms from: checked once when it is imported (unique ids, known parents, no cycles), then indexed
/// for lookups by id and for search by name and synonym.
public final class Taxonomy: Sendable {
    public static let maximumTerms = 200_000
    static let maximumIDLength = 200
    static let maximumNameLength = 500
    static let maximumSynonyms = 100

    /// The terms in file order.
    public let terms: [TaxonomyTerm]
    let indexByID: [String: Int]
    let parents: [Int?]
    let children: [[Int]]
    public let roots: [Int]
    /// The most terms on one path from a root (1 for a flat list).
    public let depth: Int
    let search: SearchIndex

    /// Builds the taxonomy from terms; `locations` name each term's place in the file for errors (a line of
    /// a CSV, `terms[3]` of a JSON file).
    public init(terms: [TaxonomyTerm], locations: [Location]? = nil) throws(ValidationFailure) {
        func error(_ index: Int, _ key: String, _ message: String) -> FieldError {
            switch locations?[index] {
            case .line(let line)?: FieldError(field: key, message: message, line: line)
            case .path(let path)?: FieldError(field: "\(path).\(key)", message: message)
            case nil: FieldError(field: "terms[\(index)].\(key)", message: message)
            }
        }
        var errors: [FieldError] = []
        if terms.isEmpty { errors.append(FieldError(field: "terms", message: "the taxonomy has no terms")) }
        if terms.count > Self.maximumTerms {
            throw ValidationFailure([FieldError(field: "terms", message: "has \(terms.count) terms; the most is \(Self.maximumTerms)")])
        }
        var indexByID: [String: Int] = [:]
        indexByID.reserveCapacity(terms.count)
        for (index, term) in terms.enumerated() {
            if term.id.isEmpty {
                errors.append(error(index, "id", "is required"))
            } else if term.id.count > Self.maximumIDLength {
                errors.append(error(index, "id", "must be at most \(Self.maximumIDLength) characters"))
            } else if let first = indexByID[term.id] {
                errors.append(error(index, "id", "'\(term.id)' is also the id of \(Self.describe(locations?[first], index: first))"))
            } else {
                indexByID[term.id] = index
            }
            if term.name.trimmed.isEmpty { errors.append(error(index, "name", "is required")) }
            if term.name.count > Self.maximumNameLength { errors.append(error(index, "name", "must be at most \(Self.maximumNameLength) characters")) }
            if term.synonyms.count > Self.maximumSynonyms { errors.append(error(index, "synonyms", "at most \(Self.maximumSynonyms) a term")) }
            if errors.count >= 50 { throw ValidationFailure(errors) }
        }
        var parents: [Int?] = Array(repeating: nil, count: terms.count)
        var children: [[Int]] = Array(repeating: [], count: terms.count)
        var roots: [Int] = []
        for (index, term) in terms.enumerated() {
            guard let parent = term.parent, !parent.isEmpty else { roots.append(index); continue }
            guard let parentIndex = indexByID[parent] else {
                errors.append(error(index, "parent", "'\(parent)' is not the id of a term in this taxonomy"))
                continue
            }
            if parentIndex == index {
                errors.append(error(index, "parent", "a term cannot be its own parent"))
                continue
            }
            parents[index] = parentIndex
            children[parentIndex].append(index)
        }
        guard errors.isEmpty else { throw ValidationFailure(Array(errors.prefix(50))) }
        // Depth of every term, walking up once per term; a walk that meets itself is a cycle.
        var depths = Array(repeating: 0, count: terms.count)
        for start in terms.indices where depths[start] == 0 {
            var chain: [Int] = []
            var onChain: Set<Int> = []
            var current: Int? = start
            while let index = current, depths[index] == 0 {
                guard onChain.insert(index).inserted else {
                    throw ValidationFailure([error(start, "parent", "makes a cycle: \(chain.map { terms[$0].id }.joined(separator: " → "))")])
                }
                chain.append(index)
                current = parents[index]
            }
            var depth = current.map { depths[$0] } ?? 0
            for index in chain.reversed() {
                depth += 1
                depths[index] = depth
            }
        }
        self.terms = terms
        self.indexByID = indexByID
        self.parents = parents
        self.children = children
        self.roots = roots
        self.depth = depths.max() ?? 0
        self.search = SearchIndex(terms: terms, depths: depths)
    }

    /// Where a term sits in the imported file.
    public enum Location: Sendable {
        case line(Int)
        case path(String)
    }

    static func describe(_ location: Location?, index: Int) -> String {
        switch location {
        case .line(let line)?: "the term on line \(line)"
        case .path(let path)?: path
        case nil: "terms[\(index)]"
        }
    }

    // MARK: Lookups

    public func index(of id: String) -> Int? { indexByID[id] }

    public func term(_ id: String) -> TaxonomyTerm? { indexByID[id].map { terms[$0] } }

    /// The term's path, root first, the term last.
    public func path(of index: Int) -> [Int] {
        var path = [index]
        var current = parents[index]
        while let parent = current {
            path.append(parent)
            current = parents[parent]
        }
        return path.reversed()
    }

    public func childIndexes(of index: Int) -> [Int] { children[index] }

    public func hasChildren(_ index: Int) -> Bool { !children[index].isEmpty }

    /// The stored form of a picked term: `{id, path, names}`.
    public func value(of index: Int) -> JSONValue {
        let path = self.path(of: index)
        return .object([
            "id": .string(terms[index].id),
            "path": .array(path.map { .string(terms[$0].id) }),
            "names": .array(path.map { .string(terms[$0].name) }),
        ])
    }

    /// The canonical file form: a flat JSON list in file order (what is stored, and read back with `parse`).
    public var canonicalJSON: JSONValue {
        .array(terms.map { term in
            var object: [String: JSONValue] = ["id": .string(term.id), "name": .string(term.name)]
            if let parent = term.parent { object["parent"] = .string(parent) }
            if !term.synonyms.isEmpty { object["synonyms"] = .array(term.synonyms.map { .string($0) }) }
            return .object(object)
        })
    }
}
