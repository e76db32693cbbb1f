extension String {
    /// The text escaped for HTML element content and quoted attribute values.
    public var htmlEscaped: String {
        var output = ""
        output.reserveCapacity(utf8.count)
        var plainStart = startIndex
        var index = startIndex
        while index != endIndex {
            let replacement: String?
            switch unicodeScalars[index] {
            case "&": replacement = "&amp;"
            case "<": replacement = "&lt;"
            case ">": replacement = "&gt;"
            case "\"": replacement = "&quot;"
            case "'": replacement = "&#39;"
            default: replacement = nil
            }
            let next = unicodeScalars.index(after: index)
            if let replacement {
                output += self[plainStart..<index]
                output += replacement
                plainStart = next
            }
            index = next
        }
        output += self[plainStart..<endIndex]
        return output
    }
}
