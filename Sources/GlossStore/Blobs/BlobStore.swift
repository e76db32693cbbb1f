import Foundation

/// Where uploaded files live, addressed by the SHA-256 of their bytes. The local folder is the default; the
/// interface is small so that an S3-compatible store can follow.
public protocol BlobStore: Sendable {
    /// Moves a finished file (whose SHA-256 is `sha256`) into the store, durably; a blob that is already there
    /// is kept and the file removed.
    func put(movingFile path: String, sha256: String) throws
    /// A local path the blob can be streamed from, or nil when the store has no such blob.
    func localPath(of sha256: String) -> String?
    /// The blob's bytes.
    func read(_ sha256: String) throws -> [UInt8]
}

public enum BlobStoreError: Error, CustomStringConvertible {
    case invalidHash(String)
    case missing(String)
    case io(String)

    public var description: String {
        switch self {
        case .invalidHash(let hash): "'\(hash)' is not a SHA-256 in hex"
        case .missing(let hash): "the blob \(hash) is not in the store"
        case .io(let message): message
        }
    }
}

/// Blobs as files `root/ab/cd/abcd…` (two levels of fan-out keep folders small).
public struct LocalBlobStore: BlobStore {
    public let root: String

    public init(root: String) throws {
        self.root = root
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    static func isHash(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    func path(_ sha256: String) throws -> (folder: String, file: String) {
        guard Self.isHash(sha256) else { throw BlobStoreError.invalidHash(sha256) }
        let folder = "\(root)/\(sha256.prefix(2))/\(sha256.dropFirst(2).prefix(2))"
        return (folder, "\(folder)/\(sha256)")
    }

    public func put(movingFile path: String, sha256: String) throws {
        let (folder, file) = try self.path(sha256)
        let manager = FileManager.default
        if manager.fileExists(atPath: file) {
            try? manager.removeItem(atPath: path)
            return
        }
        try manager.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try Self.sync(path)
        guard rename(path, file) == 0 else {
            throw BlobStoreError.io("cannot move \(path) into the blob store: \(String(cString: strerror(errno)))")
        }
        // The rename is durable once the folder is synced.
        try Self.sync(folder)
    }

    /// Flushes a file or a folder to disk.
    static func sync(_ path: String) throws {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw BlobStoreError.io("cannot open \(path): \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw BlobStoreError.io("cannot sync \(path): \(String(cString: strerror(errno)))") }
    }

    public func localPath(of sha256: String) -> String? {
        guard let file = try? path(sha256).file, FileManager.default.fileExists(atPath: file) else { return nil }
        return file
    }

    public func read(_ sha256: String) throws -> [UInt8] {
        guard let file = localPath(of: sha256), let data = FileManager.default.contents(atPath: file) else {
            throw BlobStoreError.missing(sha256)
        }
        return [UInt8](data)
    }
}
