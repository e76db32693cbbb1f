import SQLKit
import Vapor

/// Liveness, readiness, metrics and the API description.
struct HealthController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("healthz", use: health)
        routes.get("readyz", use: ready)
        routes.get("metrics", use: metrics)
        routes.get("api", "v1", "openapi.yaml", use: openAPI)
    }

    @Sendable func health(req: Request) async throws -> Response {
        .json(.object(["status": .string("ok")]))
    }

    @Sendable func ready(req: Request) async throws -> Response {
        do {
            _ = try await req.gloss.store.sql.raw("SELECT 1 AS ready").first()
            return .json(.object(["status": .string("ready")]))
        } catch {
            req.logger.warning("readiness check failed: \(error)")
            return .json(.object(["status": .string("database unreachable")]), status: .serviceUnavailable)
        }
    }

    @Sendable func metrics(req: Request) async throws -> Response {
        Response(status: .ok, headers: ["Content-Type": "text/plain; version=0.0.4; charset=utf-8"],
                 body: .init(string: req.gloss.metrics.exposition()))
    }

    @Sendable func openAPI(req: Request) async throws -> Response {
        Response(status: .ok, headers: ["Content-Type": "application/yaml; charset=utf-8"], body: .init(string: OpenAPIDocument.yaml))
    }
}
