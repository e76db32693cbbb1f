import Foundation
import Ink

/// Project guidelines: Markdown written by a requester, rendered to HTML that is safe to show workers.
///
/// Raw HTML in the Markdown is shown as text, links and images keep only http, https, mailto and relative
/// URLs, and the result passes an allowlist of tags and attributes, so nothing in guidelines can run script.
public enum Guidelines {
    public static func html(fromMarkdown markdown: String) -> String {
        var parser = MarkdownParser()
        parser.addModifier(Modifier(target: .html) { input in
            String(input.markdown).htmlEscaped
        })
        parser.addModifier(Modifier(target: .links) { input in
            guard let href = attribute("href", inTag: input.html), isSafeURL(href) else {
                return String(input.markdown).htmlEscaped
            }
            return input.html
        })
        parser.addModifier(Modifier(target: .images) { input in
            guard let source = attribute("src", inTag: input.html), isSafeURL(source) else {
                return String(input.markdown).htmlEscaped
            }
            return input.html
        })
        return HTMLSanitizer.sanitize(parser.html(from: markdown))
    }

    /// http, https, mailto, and relative URLs (no scheme); nothing that a browser would run.
    public static func isSafeURL(_ url: String) -> Bool {
        let trimmed = url.trimmingCharacters(in: .whitespacesAndNewlines)
            .filter { !$0.isWhitespace && $0.asciiValue.map { $0 >= 0x20 } ?? true }
            .lowercased()
        guard let colon = trimmed.firstIndex(of: ":") else { return true }
        let scheme = trimmed[..<colon]
        if scheme.contains("/") || scheme.contains("?") || scheme.contains("#") { return true }
        return ["http", "https", "mailto"].contains(String(scheme))
    }

    static func attribute(_ name: String, inTag html: String) -> String? {
        guard let tag = HTMLSanitizer.parseTag(Substring(html)) else { return nil }
        return tag.attributes.first { $0.name == name }?.value
    }
}

/// Keeps an allowlist of formatting tags (re-emitted with only safe attributes) and escapes everything else.
enum HTMLSanitizer {
    static let allowedTags: Set<String> = [
        "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "em", "strong", "b", "i", "s", "del", "code", "pre",
        "blockquote", "ul", "ol", "li", "a", "img", "table", "thead", "tbody", "tr", "th", "td",
    ]
    static let voidTags: Set<String> = ["br", "hr", "img"]

    struct Tag {
        var name: String
        var isClosing: Bool
        var attributes: [(name: String, value: String)]
    }

    static func sanitize(_ html: String) -> String {
        var output = ""
        output.reserveCapacity(html.utf8.count)
        var rest = Substring(html)
        while let open = rest.firstIndex(of: "<") {
            appendText(rest[..<open], to: &output)
            rest = rest[open...]
            guard let close = rest.firstIndex(of: ">"), let tag = parseTag(rest[...close]),
                  allowedTags.contains(tag.name) else {
                output += "&lt;"
                rest = rest.dropFirst()
                continue
            }
            output += render(tag)
            rest = rest[rest.index(after: close)...]
        }
        appendText(rest, to: &output)
        return output
    }

    /// Text between tags: entities Ink produced are kept; a bare `&` or `>` is escaped.
    static func appendText(_ text: Substring, to output: inout String) {
        var rest = text
        while let ampersand = rest.firstIndex(of: "&") {
            output += rest[..<ampersand].replacingOccurrences(of: ">", with: "&gt;")
            let candidate = rest[ampersand...].prefix(12)
            if let semicolon = candidate.firstIndex(of: ";"),
               candidate[candidate.index(after: ampersand)..<semicolon].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "#" }),
               candidate.index(after: ampersand) < semicolon {
                output += rest[ampersand...semicolon]
                rest = rest[rest.index(after: semicolon)...]
            } else {
                output += "&amp;"
                rest = rest[rest.index(after: ampersand)...]
            }
        }
        output += rest.replacingOccurrences(of: ">", with: "&gt;")
    }

    static func render(_ tag: Tag) -> String {
        if tag.isClosing { return voidTags.contains(tag.name) ? "" : "</\(tag.name)>" }
        var attributes = ""
        switch tag.name {
        case "a":
            if let href = tag.attributes.first(where: { $0.name == "href" })?.value, Guidelines.isSafeURL(href) {
                attributes = " href=\"\(href.htmlEscaped)\" rel=\"noopener noreferrer nofollow\""
            }
        case "img":
            if let source = tag.attributes.first(where: { $0.name == "src" })?.value, Guidelines.isSafeURL(source) {
                attributes = " src=\"\(source.htmlEscaped)\""
            }
            if let alt = tag.attributes.first(where: { $0.name == "alt" })?.value {
                attributes += " alt=\"\(alt.htmlEscaped)\""
            }
        case "th", "td":
            if let align = tag.attributes.first(where: { $0.name == "align" })?.value,
               ["left", "right", "center"].contains(align) {
                attributes = " align=\"\(align)\""
            }
        default:
            break
        }
        return "<\(tag.name)\(attributes)>"
    }

    /// Parses `<name attr="value" ...>` or `</name>`; nil when it is not a well-formed tag.
    static func parseTag(_ text: Substring) -> Tag? {
        guard text.first == "<", let end = text.lastIndex(of: ">") else { return nil }
        var body = text[text.index(after: text.startIndex)..<end]
        var isClosing = false
        if body.first == "/" { isClosing = true; body = body.dropFirst() }
        if body.last == "/" { body = body.dropLast() }
        let name = body.prefix { $0.isLetter || $0.isNumber }
        guard !name.isEmpty else { return nil }
        var rest = body.dropFirst(name.count)
        var attributes: [(name: String, value: String)] = []
        while true {
            rest = rest.drop { $0.isWhitespace }
            guard !rest.isEmpty else { break }
            let attributeName = rest.prefix { !$0.isWhitespace && $0 != "=" && $0 != ">" }
            guard !attributeName.isEmpty else { return nil }
            rest = rest.dropFirst(attributeName.count).drop { $0.isWhitespace }
            var value = ""
            if rest.first == "=" {
                rest = rest.dropFirst().drop { $0.isWhitespace }
                if let quote = rest.first, quote == "\"" || quote == "'" {
                    rest = rest.dropFirst()
                    guard let closing = rest.firstIndex(of: quote) else { return nil }
                    value = String(rest[..<closing])
                    rest = rest[rest.index(after: closing)...]
                } else {
                    let unquoted = rest.prefix { !$0.isWhitespace }
                    value = String(unquoted)
                    rest = rest.dropFirst(unquoted.count)
                }
            }
            attributes.append((attributeName.lowercased(), decodeEntities(value)))
        }
        return Tag(name: name.lowercased(), isClosing: isClosing, attributes: attributes)
    }

    static func decodeEntities(_ value: String) -> String {
        value.replacingOccurrences(of: "&quot;", with: "\"")
            .replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}
