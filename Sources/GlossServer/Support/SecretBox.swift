@preconcurrency import Crypto
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Encrypts the secrets Gloss keeps for requesters (model endpoint keys) with AES-GCM under the server's
/// secret key, so a copy of the database alone reveals none of them.
///
/// The key: `GLOSS_SECRET_KEY` (32 bytes, base64), else `secret.key` in the data folder, created on first
/// start (readable by the owner only). Every server of one deployment needs the same key.
struct SecretBox: @unchecked Sendable {
    let key: SymmetricKey

    init(key: SymmetricKey) {
        self.key = key
    }

    /// The key from the environment or the key file, creating the file when neither exists.
    static func load(directory: String) throws -> SecretBox {
        if let text = ProcessInfo.processInfo.environment["GLOSS_SECRET_KEY"], !text.isEmpty {
            guard let data = Data(base64Encoded: text), data.count == 32 else {
                throw SecretBoxError.badKey("GLOSS_SECRET_KEY must be 32 bytes in base64 (openssl rand -base64 32)")
            }
            return SecretBox(key: SymmetricKey(data: data))
        }
        let path = URL(fileURLWithPath: directory).appendingPathComponent("secret.key").path
        // Created exclusively (two processes starting at once agree on one key) and never replaced: an
        // unreadable key file is an error, not a reason to make a new key and orphan every stored secret.
        for _ in 0..<3 {
            if FileManager.default.fileExists(atPath: path) {
                let text = try String(contentsOfFile: path, encoding: .utf8)
                guard let data = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)), data.count == 32 else {
                    throw SecretBoxError.badKey("\(path) does not hold a 32-byte base64 key")
                }
                return SecretBox(key: SymmetricKey(data: data))
            }
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let descriptor = Glibc.open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
            if descriptor < 0 {
                if errno == EEXIST { continue }
                throw SecretBoxError.badKey("cannot create \(path) (errno \(errno))")
            }
            let key = SymmetricKey(size: .bits256)
            let line = key.withUnsafeBytes { Data($0).base64EncodedString() } + "\n"
            let written = line.utf8CString.withUnsafeBufferPointer { write(descriptor, $0.baseAddress, $0.count - 1) }
            let synced = fsync(descriptor)
            close(descriptor)
            guard written == line.utf8.count, synced == 0 else { throw SecretBoxError.badKey("cannot write \(path)") }
            return SecretBox(key: key)
        }
        throw SecretBoxError.badKey("cannot read or create \(path)")
    }

    /// Nonce, ciphertext and tag, in base64.
    func seal(_ plaintext: String) throws -> String {
        guard let combined = try AES.GCM.seal(Data(plaintext.utf8), using: key).combined else {
            throw SecretBoxError.badKey("AES-GCM gave no combined form")
        }
        return combined.base64EncodedString()
    }

    func open(_ sealed: String) throws -> String {
        guard let data = Data(base64Encoded: sealed) else { throw SecretBoxError.undecryptable }
        do {
            return String(decoding: try AES.GCM.open(AES.GCM.SealedBox(combined: data), using: key), as: UTF8.self)
        } catch {
            throw SecretBoxError.undecryptable
        }
    }
}

enum SecretBoxError: Error, CustomStringConvertible {
    case badKey(String)
    case undecryptable

    var description: String {
        switch self {
        case .badKey(let message): message
        case .undecryptable: "a stored secret cannot be decrypted with this server's key (GLOSS_SECRET_KEY or secret.key changed?)"
        }
    }
}
