import Foundation
import GlossCore
import GlossStore

/// Settings read once at start-up (command line, then environment) and handed down as a value.
public struct GlossConfiguration: Sendable {
    public var location: DatabaseLocation
    public var host: String
    public var port: Int
    /// Bcrypt cost for new passwords; tests use the lowest (4). `GLOSS_BCRYPT_COST` overrides.
    public var bcryptCost: Int
    /// Largest import body, in bytes (default 512 MB). `GLOSS_MAX_IMPORT_BYTES` overrides.
    public var maximumImportBytes: Int
    /// Lease length for new projects.
    public var defaultLeaseSeconds: Int
    /// Secure cookies (HTTPS deployments). `GLOSS_SECURE_COOKIES=1` turns it on.
    public var secureCookies: Bool
    /// Folder of static files (css, js).
    public var publicDirectory: String

    public init(location: DatabaseLocation, host: String = "127.0.0.1", port: Int = 8080,
                bcryptCost: Int? = nil, maximumImportBytes: Int? = nil,
                defaultLeaseSeconds: Int = AssignmentPolicy.defaultLeaseSeconds,
                secureCookies: Bool? = nil, publicDirectory: String? = nil) {
        let environment = ProcessInfo.processInfo.environment
        self.location = location
        self.host = host
        self.port = port
        self.bcryptCost = bcryptCost ?? environment["GLOSS_BCRYPT_COST"].flatMap(Int.init) ?? 12
        self.maximumImportBytes = maximumImportBytes ?? environment["GLOSS_MAX_IMPORT_BYTES"].flatMap(Int.init) ?? 512 * 1024 * 1024
        self.defaultLeaseSeconds = defaultLeaseSeconds
        self.secureCookies = secureCookies ?? (environment["GLOSS_SECURE_COOKIES"] == "1")
        self.publicDirectory = publicDirectory ?? GlossConfiguration.findPublicDirectory()
    }

    /// `Public/` in the working directory, else next to the package this binary was built from.
    static func findPublicDirectory() -> String {
        let fileManager = FileManager.default
        let candidates = [
            fileManager.currentDirectoryPath + "/Public",
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Public").path,
        ]
        return candidates.first { fileManager.fileExists(atPath: $0 + "/css/gloss.css") } ?? candidates[0]
    }
}
