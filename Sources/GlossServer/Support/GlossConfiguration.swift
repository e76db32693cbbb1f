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
    /// Folder of `secret.key` (the key model endpoint keys are encrypted with) when `GLOSS_SECRET_KEY` is
    /// not set: the SQLite data folder, else `GLOSS_DATA_DIR` or `gloss-data`.
    public var secretsDirectory: String
    /// Whether this process runs the pre-label job queue (every `gloss serve` does; several may at once).
    public var runsPrelabelJobs: Bool
    /// The first retry of a failed pre-label call waits this long; each next one twice as long (at most 5 min).
    public var prelabelRetryBaseSeconds: Double
    /// Folder of the blob store (uploaded media): `GLOSS_BLOB_DIR`, else `blobs` in the data folder.
    public var blobDirectory: String
    /// Largest uploaded file, in bytes (default 2 GiB). `GLOSS_MAX_MEDIA_BYTES` overrides.
    public var maximumMediaBytes: Int
    /// Most frames extracted from one video (default 20,000). `GLOSS_MAX_VIDEO_FRAMES` overrides.
    public var maximumVideoFrames: Int
    /// The longest audio an upload may hold, in seconds (`GLOSS_MAX_AUDIO_SECONDS`, default 4 hours): a tiny file
    /// can decode to days of silence, so the length is checked before and while decoding.
    public var maximumAudioSeconds: Double
    /// The address people reach this server at, for links in e-mail (`GLOSS_PUBLIC_URL`; default http://host:port).
    public var publicURL: String
    /// The operator's mail service: each e-mail of the outbox is POSTed there as JSON `{to, subject, text}`
    /// (`GLOSS_MAIL_URL`; without it mail waits in the outbox). `GLOSS_MAIL_TOKEN` is sent as a bearer token.
    public var mailURL: String?
    public var mailToken: String?
    /// Whether this process sends the outbox (every `gloss serve` does when a mail service is configured).
    public var runsMailSender: Bool
    /// The first retry of a failed mail waits this long, each next one twice as long (at most an hour).
    public var mailRetryBaseSeconds: Double
    /// The time pay reads (activity, ledger, periods); tests set a `ManualClock`.
    public var clock: any GlossClock = SystemClock()

    public init(location: DatabaseLocation, host: String = "127.0.0.1", port: Int = 8080,
                bcryptCost: Int? = nil, maximumImportBytes: Int? = nil,
                defaultLeaseSeconds: Int = AssignmentPolicy.defaultLeaseSeconds,
                secureCookies: Bool? = nil, publicDirectory: String? = nil, secretsDirectory: String? = nil,
                runsPrelabelJobs: Bool = true, prelabelRetryBaseSeconds: Double = 2, blobDirectory: String? = nil,
                maximumMediaBytes: Int? = nil, publicURL: String? = nil, mailURL: String? = nil, runsMailSender: Bool = true,
                mailRetryBaseSeconds: Double = 30) {
        let environment = ProcessInfo.processInfo.environment
        self.location = location
        self.host = host
        self.port = port
        self.bcryptCost = bcryptCost ?? environment["GLOSS_BCRYPT_COST"].flatMap(Int.init) ?? 12
        self.maximumImportBytes = maximumImportBytes ?? environment["GLOSS_MAX_IMPORT_BYTES"].flatMap(Int.init) ?? 512 * 1024 * 1024
        self.defaultLeaseSeconds = defaultLeaseSeconds
        self.secureCookies = secureCookies ?? (environment["GLOSS_SECURE_COOKIES"] == "1")
        self.publicDirectory = publicDirectory ?? GlossConfiguration.findPublicDirectory()
        if let secretsDirectory {
            self.secretsDirectory = secretsDirectory
        } else if case .sqlite(let path) = location {
            self.secretsDirectory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        } else {
            self.secretsDirectory = environment["GLOSS_DATA_DIR"] ?? "gloss-data"
        }
        self.runsPrelabelJobs = runsPrelabelJobs
        self.prelabelRetryBaseSeconds = prelabelRetryBaseSeconds
        self.blobDirectory = blobDirectory ?? environment["GLOSS_BLOB_DIR"] ?? (self.secretsDirectory + "/blobs")
        self.maximumMediaBytes = maximumMediaBytes ?? environment["GLOSS_MAX_MEDIA_BYTES"].flatMap(Int.init) ?? 2 * 1024 * 1024 * 1024
        self.maximumVideoFrames = environment["GLOSS_MAX_VIDEO_FRAMES"].flatMap(Int.init) ?? 20_000
        self.maximumAudioSeconds = environment["GLOSS_MAX_AUDIO_SECONDS"].flatMap(Double.init) ?? 4 * 3600
        let url = publicURL ?? environment["GLOSS_PUBLIC_URL"] ?? "http://\(host):\(port)"
        self.publicURL = url.hasSuffix("/") ? String(url.dropLast()) : url
        self.mailURL = mailURL ?? environment["GLOSS_MAIL_URL"].flatMap { $0.isEmpty ? nil : $0 }
        self.mailToken = environment["GLOSS_MAIL_TOKEN"]
        self.runsMailSender = runsMailSender
        self.mailRetryBaseSeconds = mailRetryBaseSeconds
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
