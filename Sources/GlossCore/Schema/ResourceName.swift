/// Names of things a project holds and a schema refers to (taxonomies, model endpoints): lowercase letters,
/// digits, `_` and `-`, at most 64, so they sit plainly in a URL path and a schema.
public enum ResourceName {
    public static func isValid(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 64 && name.utf8.allSatisfy { byte in
            (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte) || byte == 0x5F || byte == 0x2D
        }
    }

    public static let rule = "lowercase letters, digits, '_' and '-' (at most 64)"
}
