import FluentKit
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import GlossCore
import Logging
import NIOCore
import SQLKit
import SQLiteKit
import SQLiteNIO

/// Where the data lives: an SQLite file in a data folder (the embedded default) or a PostgreSQL database.
public enum DatabaseLocation: Sendable, Equatable {
    case sqlite(path: String)
    case postgres(url: String)

    public var isSQLite: Bool {
        if case .sqlite = self { return true }
        return false
    }

    /// The location from the command line or the environment: a database URL wins over the data folder.
    public static func resolve(dataDirectory: String?, databaseURL: String?) throws -> DatabaseLocation {
        if let url = databaseURL ?? ProcessInfo.processInfo.environment["DATABASE_URL"], !url.isEmpty {
            guard url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") else {
                throw StoreError.invalidConfiguration("database URL must start with postgres:// (got \(url.prefix(16))...)")
            }
            return .postgres(url: url)
        }
        let directory = dataDirectory ?? ProcessInfo.processInfo.environment["GLOSS_DATA_DIR"] ?? "gloss-data"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = URL(fileURLWithPath: directory).appendingPathComponent("gloss.sqlite").standardizedFileURL.path
        return .sqlite(path: path)
    }
}

public enum StoreError: Error, CustomStringConvertible, Sendable {
    case invalidConfiguration(String)
    case notFound(String)
    case conflict(String)

    public var description: String {
        switch self {
        case .invalidConfiguration(let message): "invalid configuration: \(message)"
        case .notFound(let message): message
        case .conflict(let message): message
        }
    }
}

/// The database and how to write to it safely.
///
/// SQLite: one connection per event loop (fluent-sqlite-driver's pool). Writes that need a transaction go
/// through one writer connection (the first event loop's) as a raw `BEGIN IMMEDIATE ... COMMIT`, so writers
/// queue in the pool instead of spinning on SQLite's lock. WAL, `synchronous=NORMAL` (a committed
/// transaction survives a crash of the process) and `busy_timeout` are set on every connection at start-up.
/// PostgreSQL: Fluent's transactions, and `FOR UPDATE SKIP LOCKED` in the assignment query.
public struct Store: Sendable {
    public let databases: Databases
    public let location: DatabaseLocation
    let writerEventLoop: any EventLoop
    public let logger: Logger

    public var isSQLite: Bool { location.isSQLite }

    public init(databases: Databases, location: DatabaseLocation, logger: Logger) {
        self.databases = databases
        self.location = location
        self.writerEventLoop = databases.eventLoopGroup.next()
        self.logger = logger
    }

    /// Registers the database with Fluent.
    public static func register(_ location: DatabaseLocation, on databases: Databases, postgresConnectionsPerEventLoop: Int = 4) throws {
        switch location {
        case .sqlite(let path):
            databases.use(.sqlite(.file(path), sqlLogLevel: .trace), as: .sqlite)
        case .postgres(let url):
            databases.use(try .postgres(url: url, maxConnectionsPerEventLoop: postgresConnectionsPerEventLoop,
                                        sqlLogLevel: .trace), as: .psql)
        }
    }

    /// A database handle on any event loop.
    public var database: any Database {
        databases.database(logger: logger, on: databases.eventLoopGroup.any())!
    }

    public var sql: any SQLDatabase { database as! any SQLDatabase }

    /// Sets the per-connection pragmas on every SQLite connection of the pool (one per event loop).
    public func prepareConnections() async throws {
        guard isSQLite else { return }
        let sqlite = database as! any SQLDatabase
        try await sqlite.raw("PRAGMA journal_mode = WAL").run()
        for eventLoop in databases.eventLoopGroup.makeIterator() {
            guard let database = databases.database(logger: logger, on: eventLoop) as? any SQLiteDatabase else { continue }
            try await database.withConnection { connection in
                Store.sqlitePragmas.reduce(connection.eventLoop.makeSucceededVoidFuture()) { future, pragma in
                    future.flatMap { connection.query(pragma).map { _ in } }
                }
            }.get()
        }
    }

    static let sqlitePragmas = [
        "PRAGMA busy_timeout = 10000",
        "PRAGMA synchronous = NORMAL",
        "PRAGMA foreign_keys = ON",
        "PRAGMA temp_store = MEMORY",
        "PRAGMA cache_size = -32000",
    ]

    /// Runs the migrations that have not run yet.
    public func migrate() async throws {
        let migrations = Migrations()
        migrations.add(GlossMigrations.all)
        let migrator = Migrator(databases: databases, migrations: migrations, logger: logger, on: databases.eventLoopGroup.any())
        try await migrator.setupIfNeeded().get()
        try await migrator.prepareBatch().get()
    }

    /// Runs `body` in one write transaction: committed when it returns, rolled back when it throws.
    public func write<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        switch location {
        case .sqlite:
            let database = databases.database(logger: logger, on: writerEventLoop) as! any SQLiteDatabase
            return try await database.withConnection { connection in
                connection.eventLoop.makeFutureWithTask {
                    let sql = connection.sql()
                    try await sql.raw("BEGIN IMMEDIATE").run()
                    do {
                        let result = try await body(sql)
                        try await sql.raw("COMMIT").run()
                        return result
                    } catch {
                        try? await sql.raw("ROLLBACK").run()
                        throw error
                    }
                }
            }.get()
        case .postgres:
            return try await database.transaction { transaction in
                try await body(transaction as! any SQLDatabase)
            }
        }
    }

    /// Runs one statement that is atomic by itself (counters are kept by triggers): on SQLite on the writer
    /// connection, so writes queue there instead of contending for the lock; on PostgreSQL on any connection.
    public func writeStatement<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        switch location {
        case .sqlite:
            let database = databases.database(logger: logger, on: writerEventLoop) as! any SQLiteDatabase
            return try await database.withConnection { connection in
                connection.eventLoop.makeFutureWithTask { try await body(connection.sql()) }
            }.get()
        case .postgres:
            return try await body(sql)
        }
    }

    /// `FOR UPDATE SKIP LOCKED` where the database has row locks.
    var skipLocked: String { isSQLite ? "" : " FOR UPDATE SKIP LOCKED" }

    public static func now() -> Double { Date().timeIntervalSince1970 }

    /// An id as a bind value: text on SQLite (how Fluent stores UUIDs there; a `String` binds without the
    /// generic encoder), the native `uuid` on PostgreSQL.
    public func id(_ id: UUID) -> any Encodable & Sendable {
        isSQLite ? id.uuidString : id
    }
}
