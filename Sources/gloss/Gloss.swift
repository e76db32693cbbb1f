import ArgumentParser
import Foundation
import ZIPFoundation
import GlossCore
import GlossServer
import GlossStore
import Logging
import NIOCore
import NIOPosix
import Vapor

@main
struct Gloss: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gloss",
        abstract: "Gloss: expert data annotation.",
        subcommands: [ServeCommand.self, MigrateCommand.self, UserCommand.self, TokenCommand.self,
                      ImportCommand.self, ExportCommand.self, DemoCommand.self, BenchCommand.self, QualityCommand.self,
                      OutboxCommand.self])
}

/// Where the data is: shared by every command that opens the database.
struct StoreOptions: ParsableArguments {
    @ArgumentParser.Option(name: .customLong("data-dir"), help: "Folder of the embedded SQLite store (default: ./gloss-data, or GLOSS_DATA_DIR).")
    var dataDirectory: String?

    @ArgumentParser.Option(name: .customLong("database-url"), help: "PostgreSQL URL (postgres://user:password@host:port/database), or DATABASE_URL.")
    var databaseURL: String?

    func configuration(host: String = "127.0.0.1", port: Int = 8080) throws -> GlossConfiguration {
        GlossConfiguration(location: try DatabaseLocation.resolve(dataDirectory: dataDirectory, databaseURL: databaseURL),
                           host: host, port: port)
    }
}

enum Logging {
    static let bootstrap: Void = {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            let level = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
            handler.logLevel = level
            return handler
        }
    }()
}

/// Opens the application (database, migrations), runs `body`, and shuts it down.
func withApplication<T: Sendable>(_ configuration: GlossConfiguration, arguments: [String] = ["gloss"],
                                  _ body: (Application) async throws -> T) async throws -> T {
    Logging.bootstrap
    let app = try await Application.make(Environment(name: "production", arguments: arguments))
    do {
        try await configure(app, configuration)
        let result = try await body(app)
        try await app.asyncShutdown()
        return result
    } catch {
        try? await app.asyncShutdown()
        throw error
    }
}

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the Gloss server.")

    @OptionGroup var store: StoreOptions
    @ArgumentParser.Option(help: "Address to listen on.") var host = "127.0.0.1"
    @ArgumentParser.Option(help: "Port to listen on.") var port = 8080
    @ArgumentParser.Flag(help: "Create demo accounts and a demo project (once), and print how to sign in.") var demo = false

    func run() async throws {
        // Run Swift concurrency on the NIO event loops, so handlers and database callbacks do not hop between
        // two thread pools on every query.
        _ = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        let configuration = try store.configuration(host: host, port: port)
        let arguments = ["gloss", "serve", "--hostname", host, "--port", String(port)]
        try await withApplication(configuration, arguments: arguments) { app in
            if demo {
                let accounts = try await Demo.seed(app)
                say(Demo.banner(accounts, url: "http://\(host):\(port)"))
            }
            say("Gloss listening on http://\(host):\(port)")
            try await app.execute()
        }
    }
}

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "migrate", abstract: "Run the database migrations.")
    @OptionGroup var store: StoreOptions

    func run() async throws {
        try await withApplication(try store.configuration()) { _ in
            say("Migrations are up to date.")
        }
    }
}

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "demo", abstract: "Create the demo accounts and project without serving.")
    @OptionGroup var store: StoreOptions

    func run() async throws {
        try await withApplication(try store.configuration()) { app in
            say(Demo.banner(try await Demo.seed(app), url: "http://127.0.0.1:8080"))
        }
    }
}

struct OutboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "outbox", abstract: "List the e-mail outbox (and send what is due with --send).")
    @OptionGroup var store: StoreOptions
    @ArgumentParser.Option(help: "Only mail in this state: pending, sent or failed.") var status: String?
    @ArgumentParser.Option(help: "At most this many, newest first.") var limit = 50
    @ArgumentParser.Flag(help: "Send the due mail once through GLOSS_MAIL_URL before listing.") var send = false

    func run() async throws {
        if let status, !["pending", "sent", "failed"].contains(status) { throw ValidationError("--status must be pending, sent or failed") }
        try await withApplication(try store.configuration()) { app in
            if send { say("Sent \(try await GlossAdministration.sendOutbox(app)) e-mail(s).") }
            let mails = try await GlossAdministration.outbox(app, status: status, limit: limit)
            if mails.isEmpty { say("The outbox is empty.") }
            for mail in mails {
                let when = Timestamp.string(Date(timeIntervalSince1970: mail.createdAt))
                var line = "\(when)  \(mail.status.padding(toLength: 7, withPad: " ", startingAt: 0))  \(mail.to)  \(mail.subject)"
                if mail.attempts > 0 { line += "  (attempts: \(mail.attempts))" }
                if let error = mail.lastError { line += "  last error: \(error)" }
                say(line)
            }
        }
    }
}

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "user", abstract: "Manage users.", subcommands: [Create.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "create", abstract: "Create a user.")
        @OptionGroup var store: StoreOptions
        @ArgumentParser.Option var email: String
        @ArgumentParser.Option var password: String
        @ArgumentParser.Option(help: "admin, requester or worker.") var role: String
        @ArgumentParser.Option(help: "Organization name (requesters; created if missing).") var org: String?
        @ArgumentParser.Option(help: "Display name.") var name: String?

        func run() async throws {
            guard let role = Role(rawValue: role) else {
                throw ValidationError("--role must be admin, requester or worker")
            }
            if role == .requester, org == nil { throw ValidationError("a requester needs --org NAME") }
            if role == .worker, org != nil { throw ValidationError("workers belong to no organization: leave out --org") }
            try await withApplication(try store.configuration()) { app in
                let user = try await GlossAdministration.createUser(app, email: email, password: password, role: role,
                                                                    organization: org, name: name)
                say("Created \(user.role) \(user.email) (id \(user.id!.uuidString.lowercased())).")
            }
        }
    }
}

struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "token", abstract: "Manage API tokens.", subcommands: [Create.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "create", abstract: "Create an API token; it is printed once, as the last line.")
        @OptionGroup var store: StoreOptions
        @ArgumentParser.Option var email: String
        @ArgumentParser.Option(help: "A name to recognise the token by.") var name = "cli"

        func run() async throws {
            let token = try await withApplication(try store.configuration()) { app in
                try await GlossAdministration.createToken(app, email: email, name: name)
            }
            say("API token for \(email) (shown once; send it as 'Authorization: Bearer <token>'):")
            say(token)
        }
    }
}

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import tasks from a JSON, JSON Lines or CSV file (all or nothing), or images and videos from a folder or a zip.")
    @OptionGroup var store: StoreOptions
    @ArgumentParser.Option(help: "Project id.") var project: String
    @ArgumentParser.Option(help: "json, jsonl or csv (default: from the file name).") var format: String?
    @ArgumentParser.Argument(help: "The file; a folder or a .zip of images and videos makes one task per picture.") var file: String

    func run() async throws {
        guard let projectID = UUID(uuidString: project) else { throw ValidationError("--project must be a project id") }
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: file, isDirectory: &isFolder), isFolder.boolValue || file.lowercased().hasSuffix(".zip") {
            try await importMedia(projectID: projectID)
            return
        }
        guard let importFormat = format.flatMap(ImportFormat.init(rawValue:)) ?? ImportFormat(fileName: file) else {
            throw ValidationError("cannot tell the format of \(file): pass --format json, jsonl or csv")
        }
        guard let handle = FileHandle(forReadingAtPath: file) else { throw ValidationError("cannot read \(file)") }
        defer { try? handle.close() }
        let count = try await withApplication(try store.configuration()) { app in
            try await GlossAdministration.importTasks(app, projectID: projectID, format: importFormat, chunks: FileChunks(handle: handle))
        }
        say("Imported \(count) tasks.")
    }
}

extension ImportCommand {
    /// Every picture in the folder (or the zip, unpacked into a scratch folder), in name order.
    func importMedia(projectID: UUID) async throws {
        let manager = FileManager.default
        var root = file
        var scratch: String?
        if file.lowercased().hasSuffix(".zip") {
            let folder = NSTemporaryDirectory() + "gloss-unzip-" + UUID().uuidString
            try manager.unzipItem(at: URL(fileURLWithPath: file), to: URL(fileURLWithPath: folder))
            root = folder
            scratch = folder
        }
        defer { if let scratch { try? manager.removeItem(atPath: scratch) } }
        var files: [(name: String, path: String)] = []
        if let walker = manager.enumerator(atPath: root) {
            for case let relative as String in walker {
                let name = (relative as NSString).lastPathComponent
                var isFolder: ObjCBool = false
                guard !name.hasPrefix("."), !relative.hasPrefix("__MACOSX"), manager.fileExists(atPath: root + "/" + relative, isDirectory: &isFolder),
                      !isFolder.boolValue else { continue }
                files.append((relative, root + "/" + relative))
            }
        }
        files.sort { $0.name < $1.name }
        let result = try await withApplication(try store.configuration()) { app in
            try await GlossAdministration.importMedia(app, projectID: projectID, files: files)
        }
        say("Stored \(result.media) files and imported \(result.tasks) tasks.")
        if !result.skipped.isEmpty { say("Skipped \(result.skipped.count) files that are not images or videos: \(result.skipped.joined(separator: ", "))") }
    }
}

/// A file read in 1 MB chunks.
struct FileChunks: AsyncSequence, @unchecked Sendable {
    typealias Element = Data
    let handle: FileHandle

    struct AsyncIterator: AsyncIteratorProtocol {
        let handle: FileHandle
        mutating func next() async throws -> Data? {
            let data = try handle.read(upToCount: 1 << 20) ?? Data()
            return data.isEmpty ? nil : data
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(handle: handle) }
}

struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export", abstract: "Export a project (streamed).")
    @OptionGroup var store: StoreOptions
    @ArgumentParser.Option(help: "Project id.") var project: String
    @ArgumentParser.Option(help: "jsonl, json, csv, conll, dpo, kto, ratings_csv, mqm_csv, coco, yolo, voc, mot or png_masks.") var format = "jsonl"
    @ArgumentParser.Flag(help: "YOLO: put the uploaded images in the zip too.") var images = false
    @ArgumentParser.Option(help: "all (every worker's current answer) or final (one answer per task: consensus, reviewed, adjudicated or gold).")
    var answers = "all"
    @ArgumentParser.Option(help: "Output file (default: standard output).") var output: String?

    func run() async throws {
        guard let projectID = UUID(uuidString: project) else { throw ValidationError("--project must be a project id") }
        guard let exportFormat = ExportFormat(rawValue: format) else {
            throw ValidationError("--format must be one of \(ExportFormat.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard ["all", "final"].contains(answers) else { throw ValidationError("--answers must be all or final") }
        let handle: FileHandle
        if let output {
            guard FileManager.default.createFile(atPath: output, contents: nil), let file = FileHandle(forWritingAtPath: output) else {
                throw ValidationError("cannot write \(output)")
            }
            handle = file
        } else {
            handle = FileHandle.standardOutput
        }
        let rows = try await withApplication(try store.configuration()) { app in
            try await GlossAdministration.export(app, projectID: projectID, format: exportFormat, includesImages: images,
                                                 finalAnswers: answers == "final") { bytes in
                handle.write(Data(bytes))
            }
        }
        if output != nil {
            try handle.close()
            FileHandle.standardError.write(Data("Exported \(rows) tasks to \(output!).\n".utf8))
        }
    }
}

/// Writes a line to standard output at once (unbuffered), so scripts that read the output see it while the
/// server runs.
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
