@preconcurrency import Crypto
import Foundation

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
        if let text = try? String(contentsOfFile: path, encoding: .utf8) {
            guard let data = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)), data.count == 32 else {
                throw SecretBoxError.badKey("\(path) does not hold a 32-byte base64 key")
            }
            return SecretBox(key: SymmetricKey(data: data))
        }
        let key = SymmetricKey(size: .bits256)
        let encoded = key.withUnsafeBytes { Data($0).base64EncodedString() }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: path, contents: Data((encoded + "\n").utf8), attributes: [.posixPermissions: 0o600]) else {
            throw SecretBoxError.badKey("cannot write \(path)")
        }
        return SecretBox(key: key)
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
