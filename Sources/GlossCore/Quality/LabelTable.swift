import Foundation

/// Units (tasks) × coders (workers) with at most one coded label each: the input of the agreement and
/// consensus computations. Rows are kept grouped by unit in flat `Int32` arrays, so a million labels take
/// a few megabytes and every computation walks them without building objects.
public struct LabelTable: Sendable {
    /// Unit (task) names, in the order they first appear in the input.
    public let units: [String]
    /// Coder (worker) names, in the order they first appear in the input.
    public let coders: [String]
    /// The distinct labels in label order: booleans (false, true), then numbers ascending, then strings in
    /// code point order. Numbers sort numerically, as in crowd-kit and `krippendorff`, so ties break the same
    /// way; the order makes every output deterministic.
    public let labels: [JSONValue]
    /// Rows of unit `u` are `unitOffsets[u] ..< unitOffsets[u + 1]` (count `units.count + 1`).
    public let unitOffsets: [Int]
    /// Each row's coder index (into `coders`), rows grouped by unit and in input order within a unit.
    public let rowCoder: [Int32]
    /// Each row's label index (into `labels`).
    public let rowLabel: [Int32]
    /// The 1-based line (or row number) where each label first appears, to name it in errors.
    let labelFirstLine: [Int]

    /// The number of labels (rows) in the table.
    public var count: Int { rowLabel.count }

    /// The coded table as it is: used by the builders below and by tests.
    init(units: [String], coders: [String], labels: [JSONValue], unitOffsets: [Int], rowCoder: [Int32],
         rowLabel: [Int32], labelFirstLine: [Int]) {
        self.units = units
        self.coders = coders
        self.labels = labels
        self.unitOffsets = unitOffsets
        self.rowCoder = rowCoder
        self.rowLabel = rowLabel
        self.labelFirstLine = labelFirstLine
    }

    /// Each label's numeric value, for the ordinal and interval metrics; throws naming the first line whose
    /// label is not a number.
    public func numericLabelValues() throws(FieldError) -> [Double] {
        var values: [Double] = []
        values.reserveCapacity(labels.count)
        var firstBad: (line: Int, label: JSONValue)?
        for (index, label) in labels.enumerated() {
            if let number = label.numberValue {
                values.append(number)
            } else if firstBad == nil || labelFirstLine[index] < firstBad!.line {
                firstBad = (labelFirstLine[index], label)
            }
        }
        if let firstBad {
            throw FieldError(field: "label", message: "must be a number for the ordinal and interval metrics (found \(firstBad.label.jsonText))",
                             line: firstBad.line)
        }
        return values
    }
}

// MARK: Building

extension LabelTable {
    /// Reads JSON Lines of `{"task": ..., "worker": ..., "label": ...}`. Task and worker are strings or numbers
    /// (kept as text); the label is a string, a number or a boolean; a `null` or missing label is a missing
    /// value and the row is dropped. Other keys are ignored, blank lines skipped. Errors name the 1-based line.
    /// Large inputs are read in chunks on all cores and merged in file order, so the table (and the first
    /// error reported) is the same as a single pass would give.
    public init(jsonLines bytes: UnsafeBufferPointer<UInt8>) throws(FieldError) {
        try self.init(jsonLines: bytes, chunks: min(ProcessInfo.processInfo.activeProcessorCount,
                                                    bytes.count / LabelTableBuilder.chunkBytes + 1))
    }

    /// Reads JSON Lines in about `chunkCount` chunks at once.
    init(jsonLines bytes: UnsafeBufferPointer<UInt8>, chunks chunkCount: Int) throws(FieldError) {
        let chunks = LabelTableBuilder.chunks(of: bytes, count: chunkCount)
        if chunks.count <= 1 {
            var builder = LabelTableBuilder()
            _ = try builder.readLines(bytes)
            self = try builder.finish()
            return
        }
        var results = [Result<LabelTableBuilder, FieldError>?](repeating: nil, count: chunks.count)
        let input = SendableBytes(buffer: bytes)
        results.withUnsafeMutableBufferPointer { buffer in
            let output = SendableResults(buffer: buffer)
            DispatchQueue.concurrentPerform(iterations: chunks.count) { index in
                var builder = LabelTableBuilder()
                do throws(FieldError) {
                    builder.lineCount = try builder.readLines(UnsafeBufferPointer(rebasing: input.buffer[chunks[index]]))
                    output.buffer[index] = .success(builder)
                } catch {
                    output.buffer[index] = .failure(error)
                }
            }
        }
        var merged = LabelTableBuilder()
        merged.reserve(results.reduce(0) { total, result in
            if case .success(let part)? = result { return total + part.rowUnit.count }
            return total
        })
        var lineOffset = 0
        for result in results {
            switch result {
            case .success(let part)?:
                merged.merge(part, lineOffset: lineOffset)
                lineOffset += part.lineCount
            case .failure(var error)?:
                error.line = error.line.map { $0 + lineOffset }
                throw error
            case nil:
                break
            }
        }
        self = try merged.finish()
    }

    /// Reads JSON Lines from bytes in memory (see `init(jsonLines:)`).
    public init(jsonLines data: Data) throws(FieldError) {
        let result: Result<LabelTable, FieldError> = data.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            do throws(FieldError) {
                return .success(try LabelTable(jsonLines: bytes))
            } catch {
                return .failure(error)
            }
        }
        self = try result.get()
    }

    /// Builds a table from rows the server read from its database: `(unit, coder, label)`, a `null` label
    /// being a missing value. Errors carry the 1-based row number as `line`.
    public init(rows: [(unit: String, coder: String, label: JSONValue)]) throws(FieldError) {
        var builder = LabelTableBuilder()
        builder.reserve(rows.count)
        for (index, row) in rows.enumerated() {
            let line = index + 1
            if row.unit.isEmpty { throw FieldError(field: "task", message: "must not be empty", line: line) }
            if row.coder.isEmpty { throw FieldError(field: "worker", message: "must not be empty", line: line) }
            let label: Int32
            switch row.label {
            case .null: continue
            case .string(let text): label = builder.code(string: text, line: line)
            case .number(let number): label = builder.code(number: number, line: line)
            case .bool(let flag): label = builder.code(bool: flag, line: line)
            case .array, .object:
                throw FieldError(field: "label", message: "must be a string, a number or a boolean, not \(row.label.typeName == "array" ? "an array" : "an object")", line: line)
            }
            builder.append(unit: builder.code(unit: row.unit), coder: builder.code(coder: row.coder), label: label, line: line)
        }
        self = try builder.finish()
    }
}

/// Codes names and labels to dense indices while rows are read; `finish` sorts the labels, groups rows by
/// unit and rejects a coder labelling the same unit twice.
struct LabelTableBuilder {
    var units: [String] = []
    var coders: [String] = []
    var stringLabels: [String: Int32] = [:]
    var numberLabels: [Double: Int32] = [:]
    var boolLabels: [Int32] = [-1, -1]
    var labelValues: [JSONValue] = []
    var labelFirstLine: [Int] = []
    var rowUnit: [Int32] = []
    var rowCoder: [Int32] = []
    var rowLabel: [Int32] = []
    var rowLine: [Int32] = []
    /// Task and worker names (their text's bytes) to their indices, and raw label tokens (`"cat"`, `1.0`,
    /// `true`) to their codes: a repeated name or label costs one hash of its bytes, and no string is made.
    var unitTokens = TokenTable()
    var coderTokens = TokenTable()
    var labelTokens = TokenTable()
    /// The previous row's task token and index: rows of one task usually come together.
    var lastUnitToken: [UInt8] = []
    var lastUnit: Int32 = -1

    /// Lines read (set for a chunk read on its own, to number the next chunk's lines).
    var lineCount = 0

    /// Inputs are split for parallel reading only above this many bytes per chunk.
    static let chunkBytes = 1 << 20

    /// Reads every line of `bytes`, numbering them from 1; returns the number of lines.
    mutating func readLines(_ bytes: UnsafeBufferPointer<UInt8>) throws(FieldError) -> Int {
        let count = bytes.count
        guard let base = bytes.baseAddress else { return 0 }
        var lines = 1
        for byte in bytes where byte == 0x0A { lines += 1 }
        reserve(lines)
        var lineStart = 0
        var lineNumber = 0
        while lineStart < count {
            lineNumber += 1
            var lineEnd = count
            if let found = memchr(base + lineStart, 0x0A, count - lineStart) {
                lineEnd = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
            }
            try readLine(UnsafeBufferPointer(rebasing: bytes[lineStart..<lineEnd]), number: lineNumber)
            lineStart = lineEnd + 1
        }
        return lineNumber
    }

    /// About `count` ranges of whole lines covering `bytes`, each ending just after a newline (the last at the end).
    static func chunks(of bytes: UnsafeBufferPointer<UInt8>, count: Int) -> [Range<Int>] {
        guard count > 1, let base = bytes.baseAddress else { return [0..<bytes.count] }
        var ranges: [Range<Int>] = []
        var start = 0
        for index in 1..<count {
            let target = max(start, bytes.count * index / count)
            guard target < bytes.count, let found = memchr(base + target, 0x0A, bytes.count - target) else { break }
            let end = base.distance(to: found.assumingMemoryBound(to: UInt8.self)) + 1
            if end > start { ranges.append(start..<end) }
            start = end
        }
        if start < bytes.count || ranges.isEmpty { ranges.append(start..<bytes.count) }
        return ranges
    }

    /// Appends a chunk read on its own (lines numbered from 1), its names and labels recoded to this builder's.
    mutating func merge(_ part: LabelTableBuilder, lineOffset: Int) {
        let unitMap = part.units.map { code(unit: $0) }
        let coderMap = part.coders.map { code(coder: $0) }
        let labelMap = part.labelValues.indices.map { index -> Int32 in
            let line = part.labelFirstLine[index] + lineOffset
            switch part.labelValues[index] {
            case .bool(let flag): return code(bool: flag, line: line)
            case .number(let number): return code(number: number, line: line)
            case .string(let text): return code(string: text, line: line)
            default: return 0   // a part only holds booleans, numbers and strings
            }
        }
        for row in part.rowUnit.indices {
            rowUnit.append(unitMap[Int(part.rowUnit[row])])
            rowCoder.append(coderMap[Int(part.rowCoder[row])])
            rowLabel.append(labelMap[Int(part.rowLabel[row])])
            rowLine.append(part.rowLine[row] + Int32(truncatingIfNeeded: lineOffset))
        }
    }

    mutating func reserve(_ count: Int) {
        rowUnit.reserveCapacity(count)
        rowCoder.reserveCapacity(count)
        rowLabel.reserveCapacity(count)
        rowLine.reserveCapacity(count)
    }

    mutating func code(unit name: String) -> Int32 {
        LabelTableBuilder.intern(name, table: &unitTokens, names: &units)
    }

    mutating func code(coder name: String) -> Int32 {
        LabelTableBuilder.intern(name, table: &coderTokens, names: &coders)
    }

    /// The index of `name` in `names`, appending it when new.
    static func intern(_ name: String, table: inout TokenTable, names: inout [String]) -> Int32 {
        var bytes = name
        return bytes.withUTF8 { text in
            let hash = TokenTable.hash(text)
            if let index = table.find(text, hash: hash) { return index }
            let index = Int32(names.count)
            names.append(name)
            table.insert(text, hash: hash, value: index)
            return index
        }
    }

    mutating func newLabel(_ value: JSONValue, line: Int) -> Int32 {
        let index = Int32(labelValues.count)
        labelValues.append(value)
        labelFirstLine.append(line)
        return index
    }

    mutating func code(string: String, line: Int) -> Int32 {
        if let index = stringLabels[string] { return index }
        let index = newLabel(.string(string), line: line)
        stringLabels[string] = index
        return index
    }

    mutating func code(number: Double, line: Int) -> Int32 {
        let key = number == 0 ? 0 : number   // -0 and 0 are one label
        if let index = numberLabels[key] { return index }
        let index = newLabel(.number(key), line: line)
        numberLabels[key] = index
        return index
    }

    mutating func code(bool flag: Bool, line: Int) -> Int32 {
        let slot = flag ? 1 : 0
        if boolLabels[slot] >= 0 { return boolLabels[slot] }
        let index = newLabel(.bool(flag), line: line)
        boolLabels[slot] = index
        return index
    }

    mutating func append(unit: Int32, coder: Int32, label: Int32, line: Int) {
        rowUnit.append(unit)
        rowCoder.append(coder)
        rowLabel.append(label)
        rowLine.append(Int32(truncatingIfNeeded: line))
    }

    // MARK: One JSON line

    /// Whether `key` is exactly `name`.
    @inline(__always)
    static func matches(_ key: UnsafeBufferPointer<UInt8>, _ name: StaticString) -> Bool {
        key.count == name.utf8CodeUnitCount && memcmp(key.baseAddress!, name.utf8Start, key.count) == 0
    }

    /// Reads one line: `{"task": ..., "worker": ..., "label": ...}` or white space.
    mutating func readLine(_ line: UnsafeBufferPointer<UInt8>, number: Int) throws(FieldError) {
        var task: Range<Int>?
        var worker: Range<Int>?
        var label: Range<Int>?
        switch Self.scanPlainLine(line, task: &task, worker: &worker, label: &label) {
        case .blank: return
        case .read: break
        case .unusual: try Self.scanLine(line, number: number, task: &task, worker: &worker, label: &label)
        }
        try keep(line, number: number, task: task, worker: worker, label: label)
    }

    enum PlainScan { case blank, read, unusual }

    @inline(__always)
    static func skipSpaces(_ line: UnsafeBufferPointer<UInt8>, _ position: Int) -> Int {
        var position = position
        while position < line.count {
            let byte = line[position]
            guard byte == 0x20 || byte == 0x09 || byte == 0x0D else { break }
            position += 1
        }
        return position
    }

    /// The end of a string whose opening quote is at `start`, when it holds no escape or control character.
    @inline(__always)
    static func plainStringEnd(_ line: UnsafeBufferPointer<UInt8>, _ start: Int) -> Int? {
        var position = start + 1
        while position < line.count {
            let byte = line[position]
            if byte == UInt8(ascii: "\"") { return position + 1 }
            if byte == UInt8(ascii: "\\") || byte < 0x20 { return nil }
            position += 1
        }
        return nil
    }

    /// The usual line, read without the general parser: an object of plain keys whose values are strings
    /// without escapes, numbers or literals. Anything else is `.unusual`, for `scanLine` to read or reject.
    static func scanPlainLine(_ line: UnsafeBufferPointer<UInt8>, task: inout Range<Int>?, worker: inout Range<Int>?,
                              label: inout Range<Int>?) -> PlainScan {
        let count = line.count
        var position = skipSpaces(line, 0)
        if position == count { return .blank }
        guard line[position] == UInt8(ascii: "{") else { return .unusual }
        position = skipSpaces(line, position + 1)
        guard position < count else { return .unusual }
        if line[position] == UInt8(ascii: "}") {
            return skipSpaces(line, position + 1) == count ? .read : .unusual
        }
        while true {
            guard position < count, line[position] == UInt8(ascii: "\""), let keyEnd = plainStringEnd(line, position) else { return .unusual }
            let key = UnsafeBufferPointer(rebasing: line[(position + 1)..<(keyEnd - 1)])
            position = skipSpaces(line, keyEnd)
            guard position < count, line[position] == UInt8(ascii: ":") else { return .unusual }
            position = skipSpaces(line, position + 1)
            guard position < count else { return .unusual }
            let start = position
            switch line[position] {
            case UInt8(ascii: "\""):
                guard let end = plainStringEnd(line, position) else { return .unusual }
                position = end
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                var parser = JSONParser(line, position: position)
                guard (try? parser.scanNumber()) != nil else { return .unusual }
                position = parser.position
            case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
                var parser = JSONParser(line, position: position)
                let literal: StaticString = line[position] == UInt8(ascii: "t") ? "true" : line[position] == UInt8(ascii: "f") ? "false" : "null"
                guard (try? parser.skipLiteral(literal)) != nil else { return .unusual }
                position = parser.position
            default:
                return .unusual
            }
            if matches(key, "task") { task = start..<position }
            else if matches(key, "worker") { worker = start..<position }
            else if matches(key, "label") { label = start..<position }
            position = skipSpaces(line, position)
            guard position < count else { return .unusual }
            if line[position] == UInt8(ascii: ",") {
                position = skipSpaces(line, position + 1)
                continue
            }
            guard line[position] == UInt8(ascii: "}") else { return .unusual }
            return skipSpaces(line, position + 1) == count ? .read : .unusual
        }
    }

    /// Any line, through the general JSON parser: escaped keys and strings, nested values (to be rejected
    /// or ignored), and every syntax error with its position.
    static func scanLine(_ line: UnsafeBufferPointer<UInt8>, number: Int, task: inout Range<Int>?, worker: inout Range<Int>?,
                         label: inout Range<Int>?) throws(FieldError) {
        task = nil
        worker = nil
        label = nil
        var parser = JSONParser(line)
        parser.skipWhitespace()
        do throws(JSONSyntaxError) {
            guard parser.current == UInt8(ascii: "{") else {
                throw parser.error("expected a JSON object {\"task\", \"worker\", \"label\"}")
            }
            parser.position += 1
            parser.skipWhitespace()
            if !parser.isAtEnd, parser.current == UInt8(ascii: "}") {
                parser.position += 1
            } else {
                while true {
                    parser.skipWhitespace()
                    guard !parser.isAtEnd, parser.current == UInt8(ascii: "\"") else { throw parser.error("expected a string key") }
                    let keyStart = parser.position + 1
                    try parser.skipString()
                    let key = UnsafeBufferPointer(rebasing: line[keyStart..<(parser.position - 1)])
                    parser.skipWhitespace()
                    try parser.expect(UInt8(ascii: ":"), "':'")
                    parser.skipWhitespace()
                    let valueStart = parser.position
                    try parser.skipValue(depth: 1)
                    let range = valueStart..<parser.position
                    if Self.matches(key, "task") { task = range }
                    else if Self.matches(key, "worker") { worker = range }
                    else if Self.matches(key, "label") { label = range }
                    else if key.contains(UInt8(ascii: "\\")) {
                        // An escaped key may still spell one of ours.
                        switch try JSONParser.unescape(key, baseOffset: keyStart) {
                        case "task": task = range
                        case "worker": worker = range
                        case "label": label = range
                        default: break
                        }
                    }
                    parser.skipWhitespace()
                    guard !parser.isAtEnd else { throw parser.error("unexpected end of input in an object") }
                    if parser.current == UInt8(ascii: ",") { parser.position += 1; continue }
                    if parser.current == UInt8(ascii: "}") { parser.position += 1; break }
                    throw parser.error("expected ',' or '}'")
                }
            }
            parser.skipWhitespace()
            guard parser.isAtEnd else { throw parser.error("unexpected content after the object") }
        } catch {
            throw FieldError(field: "row", message: error.description, line: number)
        }
    }

    /// Codes and appends one read line's row (or drops it when its label is missing).
    @inline(__always)
    mutating func keep(_ line: UnsafeBufferPointer<UInt8>, number: Int, task: Range<Int>?, worker: Range<Int>?,
                       label: Range<Int>?) throws(FieldError) {
        guard let task else { throw FieldError(field: "task", message: "is required: the task (unit) the label is for", line: number) }
        guard let worker else { throw FieldError(field: "worker", message: "is required: the worker (coder) who gave the label", line: number) }
        guard let label, line[label.lowerBound] != UInt8(ascii: "n") else {
            // A missing value: the row is dropped (its task and worker are not counted), but still checked.
            _ = try Self.nameText(line, worker, field: "worker", line: number)
            _ = try Self.nameText(line, task, field: "task", line: number)
            return
        }
        let coder = try Self.nameCode(line, worker, field: "worker", line: number, table: &coderTokens, names: &coders)
        let unit = try unitCode(line, task, line: number)
        append(unit: unit, coder: coder, label: try labelCode(line, label, line: number), line: number)
    }

    /// The index of a task, coding it on first sight; a run of lines of one task costs one `memcmp` each.
    @inline(__always)
    mutating func unitCode(_ line: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, line number: Int) throws(FieldError) -> Int32 {
        let token = UnsafeBufferPointer(rebasing: line[range])
        if lastUnit >= 0, token.count == lastUnitToken.count,
           lastUnitToken.withUnsafeBufferPointer({ memcmp($0.baseAddress!, token.baseAddress!, token.count) == 0 }) {
            return lastUnit
        }
        let index = try Self.nameCode(line, range, field: "task", line: number, table: &unitTokens, names: &units)
        lastUnitToken.removeAll(keepingCapacity: true)
        lastUnitToken.append(contentsOf: token)
        lastUnit = index
        return index
    }

    /// The index of a task or worker: its text's bytes looked up in `table`, a new name appended to `names`.
    @inline(__always)
    static func nameCode(_ line: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, field: String, line number: Int,
                  table: inout TokenTable, names: inout [String]) throws(FieldError) -> Int32 {
        let first = line[range.lowerBound]
        var text: UnsafeBufferPointer<UInt8>?
        if first == UInt8(ascii: "\"") {
            let inner = UnsafeBufferPointer(rebasing: line[(range.lowerBound + 1)..<(range.upperBound - 1)])
            if inner.count > 0, memchr(inner.baseAddress!, 0x5C, inner.count) == nil { text = inner }   // no backslash
        } else if range.count <= 15, first != UInt8(ascii: "-"), first != UInt8(ascii: "0") || range.count == 1 {
            let raw = UnsafeBufferPointer(rebasing: line[range])
            if raw.allSatisfy({ $0 &- UInt8(ascii: "0") <= 9 }) { text = raw }   // a plain integer is its own text
        }
        if let text {
            let hash = TokenTable.hash(text)
            if let index = table.find(text, hash: hash) { return index }
            let index = Int32(names.count)
            names.append(String(decoding: text, as: UTF8.self))
            table.insert(text, hash: hash, value: index)
            return index
        }
        // Escapes, or a number in another spelling: decode, then look the text up.
        return LabelTableBuilder.intern(try nameText(line, range, field: field, line: number), table: &table, names: &names)
    }

    /// The code of a label token (not null), decoding it on first sight: tokens that spell one value
    /// (`1` and `1.0`, escaped and plain strings) share one code.
    @inline(__always)
    mutating func labelCode(_ line: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, line number: Int) throws(FieldError) -> Int32 {
        let token = UnsafeBufferPointer(rebasing: line[range])
        let hash = TokenTable.hash(token)
        if let index = labelTokens.find(token, hash: hash) { return index }
        let index: Int32
        switch line[range.lowerBound] {
        case UInt8(ascii: "{"): throw FieldError(field: "label", message: "must be a string, a number or a boolean, not an object", line: number)
        case UInt8(ascii: "["): throw FieldError(field: "label", message: "must be a string, a number or a boolean, not an array", line: number)
        case UInt8(ascii: "t"): index = code(bool: true, line: number)
        case UInt8(ascii: "f"): index = code(bool: false, line: number)
        case UInt8(ascii: "\""): index = code(string: try Self.string(line, range, field: "label", line: number), line: number)
        default: index = code(number: try Self.number(line, range, field: "label", line: number), line: number)
        }
        labelTokens.insert(token, hash: hash, value: index)
        return index
    }

    /// A task or worker as text: a non-empty string, or a number written in its shortest form.
    static func nameText(_ line: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, field: String, line number: Int) throws(FieldError) -> String {
        let first = line[range.lowerBound]
        if first == UInt8(ascii: "\"") {
            let text = try Self.string(line, range, field: field, line: number)
            if text.isEmpty { throw FieldError(field: field, message: "must not be empty", line: number) }
            return text
        }
        if first == UInt8(ascii: "-") || (first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9")) {
            let raw = UnsafeBufferPointer(rebasing: line[range])
            if raw.count <= 15, !raw.contains(where: { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }),
               !(raw.count > 1 && raw[0] == UInt8(ascii: "-") && raw[1] == UInt8(ascii: "0")) {
                return String(decoding: raw, as: UTF8.self)
            }
            return JSONValue.format(number: try Self.number(line, range, field: field, line: number))
        }
        throw FieldError(field: field, message: "must be a string or a number", line: number)
    }

    /// A JSON string value (with its quotes) as a Swift string.
    static func string(_ line: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, field: String, line number: Int) throws(FieldError) -> String {
        let raw = UnsafeBufferPointer(rebasing: line[(range.lowerBound + 1)..<(range.upperBound - 1)])
        if !raw.contains(UInt8(ascii: "\\")) { return String(decoding: raw, as: UTF8.self) }
        do {
            return try JSONParser.unescape(raw, baseOffset: range.lowerBound + 1)
        } catch {
            throw FieldError(field: field, message: error.description, line: number)
        }
    }

    /// A JSON number value; integers of up to 15 digits are read without going through text.
    static func number(_ line: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, field: String, line number: Int) throws(FieldError) -> Double {
        let raw = UnsafeBufferPointer(rebasing: line[range])
        var index = 0
        var negative = false
        if raw.count > 0, raw[0] == UInt8(ascii: "-") { negative = true; index = 1 }
        if raw.count - index <= 15, raw.count > index {
            var value: Int64 = 0
            var isInteger = true
            while index < raw.count {
                let digit = raw[index] &- UInt8(ascii: "0")
                if digit > 9 { isInteger = false; break }
                value = value * 10 + Int64(digit)
                index += 1
            }
            if isInteger { return negative ? -Double(value) : Double(value) }
        }
        guard let value = Double(String(decoding: raw, as: UTF8.self)), value.isFinite else {
            throw FieldError(field: field, message: "number out of range", line: number)
        }
        return value
    }

    // MARK: Finishing

    /// Sorts the labels, groups rows by unit and checks that no coder labelled a unit twice.
    mutating func finish() throws(FieldError) -> LabelTable {
        // Label order: booleans, numbers ascending, strings in code point (UTF-8 byte) order.
        let order = labelValues.indices.sorted { LabelTableBuilder.precedes(labelValues[$0], labelValues[$1]) }
        var newIndex = [Int32](repeating: 0, count: labelValues.count)
        for (position, old) in order.enumerated() { newIndex[old] = Int32(position) }
        let labels = order.map { labelValues[$0] }
        let firstLines = order.map { labelFirstLine[$0] }

        // Counting sort of rows by unit, stable, so rows keep input order within a unit.
        let unitCount = units.count
        var offsets = [Int](repeating: 0, count: unitCount + 1)
        for unit in rowUnit { offsets[Int(unit) + 1] += 1 }
        for index in 0..<unitCount { offsets[index + 1] += offsets[index] }
        let rowCount = rowUnit.count
        var groupedCoder = [Int32](repeating: 0, count: rowCount)
        var groupedLabel = [Int32](repeating: 0, count: rowCount)
        var groupedLine = [Int32](repeating: 0, count: rowCount)
        var next = offsets
        for row in 0..<rowCount {
            let unit = Int(rowUnit[row])
            let slot = next[unit]
            next[unit] = slot + 1
            groupedCoder[slot] = rowCoder[row]
            groupedLabel[slot] = newIndex[Int(rowLabel[row])]
            groupedLine[slot] = rowLine[row]
        }

        // A coder labelling one unit twice: report the earliest line that repeats a pair.
        var seen = [Int32](repeating: -1, count: coders.count)
        var firstRepeat: (line: Int32, unit: Int, coder: Int32, earlier: Int32)?
        var earlierLine = [Int32](repeating: 0, count: coders.count)
        for unit in 0..<unitCount {
            for slot in offsets[unit]..<offsets[unit + 1] {
                let coder = Int(groupedCoder[slot])
                if seen[coder] == Int32(unit) {
                    if firstRepeat == nil || groupedLine[slot] < firstRepeat!.line {
                        firstRepeat = (groupedLine[slot], unit, Int32(coder), earlierLine[coder])
                    }
                } else {
                    seen[coder] = Int32(unit)
                    earlierLine[coder] = groupedLine[slot]
                }
            }
        }
        if let firstRepeat {
            throw FieldError(field: "worker",
                             message: "worker \(JSONValue.quoted(coders[Int(firstRepeat.coder)])) already labelled task \(JSONValue.quoted(units[firstRepeat.unit])) on line \(firstRepeat.earlier)",
                             line: Int(firstRepeat.line))
        }
        return LabelTable(units: units, coders: coders, labels: labels, unitOffsets: offsets, rowCoder: groupedCoder,
                          rowLabel: groupedLabel, labelFirstLine: firstLines)
    }

    /// Label order: booleans (false first), numbers ascending, strings by code points.
    static func precedes(_ left: JSONValue, _ right: JSONValue) -> Bool {
        switch (left, right) {
        case (.bool(let a), .bool(let b)): return !a && b
        case (.bool, _): return true
        case (_, .bool): return false
        case (.number(let a), .number(let b)): return a < b
        case (.number, _): return true
        case (_, .number): return false
        case (.string(let a), .string(let b)): return a.utf8.lexicographicallyPrecedes(b.utf8)
        default: return false
        }
    }
}

/// Result slots that concurrent chunk readers fill, each its own.
struct SendableResults: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<Result<LabelTableBuilder, FieldError>?>
}

/// The input, read (never written) by concurrent chunk readers while the caller keeps it alive.
struct SendableBytes: @unchecked Sendable {
    let buffer: UnsafeBufferPointer<UInt8>
}

/// An open-addressing hash table from byte strings to `Int32`: one FNV-1a hash and one `memcmp` per
/// lookup, no allocation on a hit.
struct TokenTable {
    var bytes: [UInt8] = []
    var starts: [Int] = [0]
    var hashes: [UInt64] = []
    var values: [Int32] = []
    var slots = [Int32](repeating: -1, count: 64)

    @inline(__always)
    static func hash(_ token: UnsafeBufferPointer<UInt8>) -> UInt64 {
        // Eight bytes at a time, each word mixed in with a multiply and shift (SplitMix64's finaliser).
        let count = token.count
        var hash = UInt64(truncatingIfNeeded: count) &* 0x9E37_79B9_7F4A_7C15
        guard let base = token.baseAddress else { return hash }
        var offset = 0
        while offset + 8 <= count {
            hash = (hash ^ UnsafeRawPointer(base + offset).loadUnaligned(as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
            hash ^= hash >> 31
            offset += 8
        }
        if offset < count {
            var word: UInt64 = 0
            withUnsafeMutableBytes(of: &word) { $0.baseAddress!.copyMemory(from: base + offset, byteCount: count - offset) }
            hash = (hash ^ word) &* 0x94D0_49BB_1331_11EB
            hash ^= hash >> 29
        }
        return hash
    }

    func find(_ token: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Int32? {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        return slots.withUnsafeBufferPointer { slots in
            bytes.withUnsafeBufferPointer { stored in
                while true {
                    let entry = Int(slots[slot])
                    if entry < 0 { return nil }
                    if hashes[entry] == hash {
                        let start = starts[entry], length = starts[entry + 1] - start
                        if length == token.count, length == 0 || memcmp(stored.baseAddress! + start, token.baseAddress!, length) == 0 {
                            return values[entry]
                        }
                    }
                    slot = (slot + 1) & mask
                }
            }
        }
    }

    /// Adds a token that `find` did not find.
    mutating func insert(_ token: UnsafeBufferPointer<UInt8>, hash: UInt64, value: Int32) {
        let entry = values.count
        bytes.append(contentsOf: token)
        starts.append(bytes.count)
        hashes.append(hash)
        values.append(value)
        if 2 * values.count > slots.count {
            slots = [Int32](repeating: -1, count: slots.count * 2)
            for index in 0..<values.count { place(index) }
        } else {
            place(entry)
        }
    }

    private mutating func place(_ entry: Int) {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hashes[entry]) & mask
        while slots[slot] >= 0 { slot = (slot + 1) & mask }
        slots[slot] = Int32(entry)
    }
}
