/// A JSON syntax error at a byte offset of the input.
public struct JSONSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    public var offset: Int
    public var reason: String

    public var description: String { "invalid JSON at byte \(offset + 1): \(reason)" }
}

/// A fast JSON reader over bytes. `parse` builds a `JSONValue`; `skipValue` only validates and finds the end of
/// a value, so large payloads (task data) can be checked and stored as their original text without building
/// objects.
public struct JSONParser: ~Copyable {
    let bytes: UnsafeBufferPointer<UInt8>
    var position: Int

    init(_ bytes: UnsafeBufferPointer<UInt8>, position: Int = 0) {
        self.bytes = bytes
        self.position = position
    }

    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(JSONSyntaxError) -> JSONValue {
        var parser = JSONParser(bytes)
        parser.skipWhitespace()
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        guard parser.position == bytes.count else { throw parser.error("unexpected content after the value") }
        return value
    }

    /// Checks that `bytes` hold exactly one JSON value (with optional surrounding white space).
    public static func validate(_ bytes: UnsafeBufferPointer<UInt8>) throws(JSONSyntaxError) {
        var parser = JSONParser(bytes)
        parser.skipWhitespace()
        try parser.skipValue(depth: 0)
        parser.skipWhitespace()
        guard parser.position == bytes.count else { throw parser.error("unexpected content after the value") }
    }

    static let maximumDepth = 512

    func error(_ reason: String) -> JSONSyntaxError {
        JSONSyntaxError(offset: position, reason: reason)
    }

    var isAtEnd: Bool { position >= bytes.count }

    var current: UInt8 { bytes[position] }

    mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    mutating func expect(_ byte: UInt8, _ what: String) throws(JSONSyntaxError) {
        guard !isAtEnd, current == byte else { throw error("expected \(what)") }
        position += 1
    }

    mutating func skipLiteral(_ literal: StaticString) throws(JSONSyntaxError) {
        let count = literal.utf8CodeUnitCount
        guard position + count <= bytes.count else { throw error("unexpected end of input") }
        let start = literal.utf8Start
        for offset in 0..<count where bytes[position + offset] != start[offset] {
            throw error("invalid literal")
        }
        position += count
    }

    // MARK: Skipping (validation only)

    mutating func skipValue(depth: Int) throws(JSONSyntaxError) {
        guard !isAtEnd else { throw error("unexpected end of input") }
        guard depth < JSONParser.maximumDepth else { throw error("nested too deeply") }
        switch current {
        case UInt8(ascii: "{"):
            position += 1
            skipWhitespace()
            if !isAtEnd, current == UInt8(ascii: "}") { position += 1; return }
            while true {
                skipWhitespace()
                guard !isAtEnd, current == UInt8(ascii: "\"") else { throw error("expected a string key") }
                try skipString()
                skipWhitespace()
                try expect(UInt8(ascii: ":"), "':'")
                skipWhitespace()
                try skipValue(depth: depth + 1)
                skipWhitespace()
                guard !isAtEnd else { throw error("unexpected end of input in an object") }
                if current == UInt8(ascii: ",") { position += 1; continue }
                if current == UInt8(ascii: "}") { position += 1; return }
                throw error("expected ',' or '}'")
            }
        case UInt8(ascii: "["):
            position += 1
            skipWhitespace()
            if !isAtEnd, current == UInt8(ascii: "]") { position += 1; return }
            while true {
                skipWhitespace()
                try skipValue(depth: depth + 1)
                skipWhitespace()
                guard !isAtEnd else { throw error("unexpected end of input in an array") }
                if current == UInt8(ascii: ",") { position += 1; continue }
                if current == UInt8(ascii: "]") { position += 1; return }
                throw error("expected ',' or ']'")
            }
        case UInt8(ascii: "\""):
            try skipString()
        case UInt8(ascii: "t"): try skipLiteral("true")
        case UInt8(ascii: "f"): try skipLiteral("false")
        case UInt8(ascii: "n"): try skipLiteral("null")
        default:
            _ = try scanNumber()
        }
    }

    /// Skips a string, checking escapes and that no raw control character appears.
    mutating func skipString() throws(JSONSyntaxError) {
        position += 1
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") { position += 1; return }
            if byte == UInt8(ascii: "\\") {
                position += 1
                guard !isAtEnd else { break }
                switch current {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                     UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    position += 1
                case UInt8(ascii: "u"):
                    position += 1
                    _ = try readHex4()
                default:
                    throw error("invalid escape in a string")
                }
                continue
            }
            if byte < 0x20 { throw error("control character in a string") }
            position += 1
        }
        throw error("unterminated string")
    }

    mutating func readHex4() throws(JSONSyntaxError) -> UInt32 {
        guard position + 4 <= bytes.count else { throw error("truncated \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw error("invalid \\u escape")
            }
            value = value * 16 + digit
            position += 1
        }
        return value
    }

    /// Scans a number and returns its text range.
    mutating func scanNumber() throws(JSONSyntaxError) -> Range<Int> {
        let start = position
        if !isAtEnd, current == UInt8(ascii: "-") { position += 1 }
        guard !isAtEnd else { throw error("unexpected end of input") }
        if current == UInt8(ascii: "0") {
            position += 1
        } else if current >= UInt8(ascii: "1"), current <= UInt8(ascii: "9") {
            while !isAtEnd, current >= UInt8(ascii: "0"), current <= UInt8(ascii: "9") { position += 1 }
        } else {
            position = start
            throw error("unexpected character")
        }
        if !isAtEnd, current == UInt8(ascii: ".") {
            position += 1
            let digits = position
            while !isAtEnd, current >= UInt8(ascii: "0"), current <= UInt8(ascii: "9") { position += 1 }
            guard position > digits else { throw error("expected digits after '.'") }
        }
        if !isAtEnd, current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            position += 1
            if !isAtEnd, current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { position += 1 }
            let digits = position
            while !isAtEnd, current >= UInt8(ascii: "0"), current <= UInt8(ascii: "9") { position += 1 }
            guard position > digits else { throw error("expected digits in the exponent") }
        }
        return start..<position
    }

    // MARK: Parsing into values

    mutating func parseValue(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        guard !isAtEnd else { throw error("unexpected end of input") }
        guard depth < JSONParser.maximumDepth else { throw error("nested too deeply") }
        switch current {
        case UInt8(ascii: "{"):
            position += 1
            var members: [String: JSONValue] = [:]
            skipWhitespace()
            if !isAtEnd, current == UInt8(ascii: "}") { position += 1; return .object(members) }
            while true {
                skipWhitespace()
                guard !isAtEnd, current == UInt8(ascii: "\"") else { throw error("expected a string key") }
                let key = try parseString()
                skipWhitespace()
                try expect(UInt8(ascii: ":"), "':'")
                skipWhitespace()
                members[key] = try parseValue(depth: depth + 1)
                skipWhitespace()
                guard !isAtEnd else { throw error("unexpected end of input in an object") }
                if current == UInt8(ascii: ",") { position += 1; continue }
                if current == UInt8(ascii: "}") { position += 1; return .object(members) }
                throw error("expected ',' or '}'")
            }
        case UInt8(ascii: "["):
            position += 1
            var elements: [JSONValue] = []
            skipWhitespace()
            if !isAtEnd, current == UInt8(ascii: "]") { position += 1; return .array(elements) }
            while true {
                skipWhitespace()
                elements.append(try parseValue(depth: depth + 1))
                skipWhitespace()
                guard !isAtEnd else { throw error("unexpected end of input in an array") }
                if current == UInt8(ascii: ",") { position += 1; continue }
                if current == UInt8(ascii: "]") { position += 1; return .array(elements) }
                throw error("expected ',' or ']'")
            }
        case UInt8(ascii: "\""):
            return .string(try parseString())
        case UInt8(ascii: "t"): try skipLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try skipLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try skipLiteral("null"); return .null
        default:
            let range = try scanNumber()
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
            guard let number = Double(text), number.isFinite else { throw error("number out of range") }
            return .number(number)
        }
    }

    mutating func parseString() throws(JSONSyntaxError) -> String {
        let start = position + 1
        try skipString()
        let end = position - 1
        let raw = UnsafeBufferPointer(rebasing: bytes[start..<end])
        if !raw.contains(UInt8(ascii: "\\")) {
            return String(decoding: raw, as: UTF8.self)
        }
        return try JSONParser.unescape(raw, baseOffset: start)
    }

    static func unescape(_ raw: UnsafeBufferPointer<UInt8>, baseOffset: Int) throws(JSONSyntaxError) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(raw.count)
        var parser = JSONParser(raw)
        while parser.position < raw.count {
            let byte = raw[parser.position]
            guard byte == UInt8(ascii: "\\") else {
                output.append(byte)
                parser.position += 1
                continue
            }
            parser.position += 1
            let escaped = raw[parser.position]
            parser.position += 1
            switch escaped {
            case UInt8(ascii: "b"): output.append(0x08)
            case UInt8(ascii: "f"): output.append(0x0C)
            case UInt8(ascii: "n"): output.append(0x0A)
            case UInt8(ascii: "r"): output.append(0x0D)
            case UInt8(ascii: "t"): output.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try parser.readHex4()
                if (0xD800...0xDBFF).contains(scalar) {
                    if parser.position + 6 <= raw.count, raw[parser.position] == UInt8(ascii: "\\"),
                       raw[parser.position + 1] == UInt8(ascii: "u") {
                        parser.position += 2
                        let low = try parser.readHex4()
                        if (0xDC00...0xDFFF).contains(low) {
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        } else {
                            scalar = 0xFFFD
                        }
                    } else {
                        scalar = 0xFFFD
                    }
                } else if (0xDC00...0xDFFF).contains(scalar) {
                    scalar = 0xFFFD
                }
                let character = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                output.append(contentsOf: Array(String(character).utf8))
            default: output.append(escaped)
            }
        }
        return String(decoding: output, as: UTF8.self)
    }
}

/// The top-level members of a JSON object, each as its key and the byte range of its value, without building
/// the values. Used by the importer to keep task data as its original text.
public struct JSONObjectMembers: Sendable {
    public struct Member: Sendable {
        public var key: String
        public var range: Range<Int>
    }

    public var members: [Member]

    public func range(of key: String) -> Range<Int>? {
        members.last(where: { $0.key == key })?.range
    }

    /// Reads `bytes` as one JSON object. Throws when it is not valid JSON or not an object.
    public static func read(_ bytes: UnsafeBufferPointer<UInt8>) throws(JSONSyntaxError) -> JSONObjectMembers {
        var parser = JSONParser(bytes)
        parser.skipWhitespace()
        guard !parser.isAtEnd, parser.current == UInt8(ascii: "{") else {
            throw parser.error("expected a JSON object")
        }
        parser.position += 1
        var members: [Member] = []
        parser.skipWhitespace()
        if !parser.isAtEnd, parser.current == UInt8(ascii: "}") {
            parser.position += 1
        } else {
            while true {
                parser.skipWhitespace()
                guard !parser.isAtEnd, parser.current == UInt8(ascii: "\"") else {
                    throw parser.error("expected a string key")
                }
                let key = try parser.parseString()
                parser.skipWhitespace()
                try parser.expect(UInt8(ascii: ":"), "':'")
                parser.skipWhitespace()
                let start = parser.position
                try parser.skipValue(depth: 1)
                members.append(Member(key: key, range: start..<parser.position))
                parser.skipWhitespace()
                guard !parser.isAtEnd else { throw parser.error("unexpected end of input in an object") }
                if parser.current == UInt8(ascii: ",") { parser.position += 1; continue }
                if parser.current == UInt8(ascii: "}") { parser.position += 1; break }
                throw parser.error("expected ',' or '}'")
            }
        }
        parser.skipWhitespace()
        guard parser.isAtEnd else { throw parser.error("unexpected content after the object") }
        return JSONObjectMembers(members: members)
    }
}
