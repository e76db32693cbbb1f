import AsyncHTTPClient
import Foundation
import GlossCore
import GlossStore
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import Vapor

/// Delivers the outbox through the operator's mail service: each due e-mail is claimed (several servers may
/// run a sender; one gets each mail), POSTed as JSON `{to, subject, text}`, and marked sent on a 2xx answer.
/// A failure is retried with exponential backoff; after `maximumAttempts` the mail stays in the outbox as
/// failed, with its last error, for an operator to see (`gloss outbox`).
final class OutboxSender: LifecycleHandler, Sendable {
    let context: GlossContext
    let client: HTTPClient
    static let maximumAttempts = 8
    static let pollSeconds = 2.0
    private let loop = NIOLockedValueBox<Task<Void, Never>?>(nil)

    init(context: GlossContext, client: HTTPClient) {
        self.context = context
        self.client = client
    }

    func didBootAsync(_ application: Application) async throws {
        loop.withLockedValue { task in
            task = Task { [self] in
                while !Task.isCancelled {
                    do {
                        _ = try await sendDue()
                    } catch {
                        if !Task.isCancelled { context.store.logger.report(error: error) }
                    }
                    try? await Task.sleep(for: .seconds(Self.pollSeconds))
                }
            }
        }
    }

    func shutdownAsync(_ application: Application) async {
        let running = loop.withLockedValue { task -> Task<Void, Never>? in
            defer { task = nil }
            return task
        }
        running?.cancel()
        await running?.value
    }

    /// Sends every due mail once; returns how many were sent.
    func sendDue(now: Double = Store.now()) async throws -> Int {
        guard let url = context.configuration.mailURL else { return 0 }
        var sent = 0
        for mail in try await context.workforce.dueMail(now: now, limit: 20) {
            guard try await context.workforce.claimMail(id: mail.id, expectedNextAttempt: mail.nextAttemptAt, lease: 120) else { continue }
            do {
                try await deliver(mail, to: url)
                try await context.workforce.mailSent(id: mail.id, now: Store.now())
                sent += 1
            } catch {
                let attempts = mail.attempts + 1
                let next = attempts >= Self.maximumAttempts ? nil
                    : Store.now() + min(3600, context.configuration.mailRetryBaseSeconds * pow(2, Double(attempts - 1)))
                try await context.workforce.mailFailed(id: mail.id, error: String(describing: error), nextAttemptAt: next)
            }
        }
        return sent
    }

    struct DeliveryError: Error, CustomStringConvertible {
        var description: String
    }

    func deliver(_ mail: WorkforceRepository.OutboxMail, to url: String) async throws {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        if let token = context.configuration.mailToken { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        let body = JSONValue.object(["to": .string(mail.to), "subject": .string(mail.subject), "text": .string(mail.body),
                                     "id": .string(mail.id.text)]).jsonText
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await client.execute(request, timeout: .seconds(30))
        guard (200..<300).contains(response.status.code) else {
            let text = String(buffer: try await response.body.collect(upTo: 2048))
            throw DeliveryError(description: "the mail service answered \(response.status.code): \(text.prefix(200))")
        }
    }
}
