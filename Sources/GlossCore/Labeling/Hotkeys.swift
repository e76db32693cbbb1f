/// The labeling page's keyboard shortcuts. Every action has a default, and each user may remap any of them
/// (for other keyboard layouts). Keys are written as the browser's `KeyboardEvent.key`, lower-cased for
/// letters, with `ctrl+`, `alt+`, `shift+` and `meta+` prefixes: `enter`, `s`, `ctrl+z`, `1`.
public enum Hotkeys {
    public static let defaults: [String: String] = {
        var keys = [
            "submit": "enter",
            "skip": "s",
            "undo": "ctrl+z",
            "redo": "ctrl+shift+z",
        ]
        for digit in 1...9 { keys["option_\(digit)"] = String(digit) }
        return keys
    }()

    public static var actions: [String] { defaults.keys.sorted() }

    /// The user's overrides on top of the defaults. Unknown actions, empty keys, malformed combinations and two
    /// actions on one key are refused.
    public static func merged(_ overrides: [String: String]) throws(ValidationFailure) -> [String: String] {
        var errors: [FieldError] = []
        var result = defaults
        for (action, key) in overrides.sorted(by: { $0.key < $1.key }) {
            guard defaults[action] != nil else {
                errors.append(FieldError(field: "hotkeys.\(action)", message: "is not an action (actions: \(actions.joined(separator: ", ")))"))
                continue
            }
            guard let normalized = normalize(key) else {
                errors.append(FieldError(field: "hotkeys.\(action)", message: "'\(key)' is not a key (examples: 'enter', 'x', 'ctrl+z')"))
                continue
            }
            result[action] = normalized
        }
        var owners: [String: String] = [:]
        for action in actions {
            guard let key = result[action] else { continue }
            if let other = owners[key] {
                errors.append(FieldError(field: "hotkeys.\(action)", message: "'\(key)' is already the key of '\(other)'"))
            } else {
                owners[key] = action
            }
        }
        guard errors.isEmpty else { throw ValidationFailure(errors) }
        return result
    }

    /// The hotkeys of a user from their stored overrides (JSON text); defaults where nothing valid is stored.
    public static func resolved(storedJSON: String) -> [String: String] {
        let overrides = (try? JSONValue.parse(storedJSON))?.objectValue?.compactMapValues(\.stringValue) ?? [:]
        return (try? merged(overrides)) ?? defaults
    }

    /// What to store for a merged map: only the keys that differ from the defaults, as JSON text.
    public static func storedJSON(for merged: [String: String]) -> String {
        JSONValue.object(merged.filter { defaults[$0.key] != $0.value }.mapValues { .string($0) }).jsonText
    }

    static let modifiers = ["ctrl", "alt", "shift", "meta"]

    /// The canonical form of a key: modifiers in a fixed order, then the key, lower-cased.
    public static func normalize(_ key: String) -> String? {
        let parts = key.lowercased().split(separator: "+", omittingEmptySubsequences: false).map(String.init)
        guard let last = parts.last, !last.isEmpty, last.count <= 12, !last.contains(" ") || last == " " else {
            return key == "+" ? "+" : nil
        }
        let prefixes = Set(parts.dropLast())
        guard prefixes.count == parts.count - 1, prefixes.isSubset(of: modifiers), !modifiers.contains(last) else { return nil }
        return (modifiers.filter(prefixes.contains) + [last == " " ? "space" : last]).joined(separator: "+")
    }
}
