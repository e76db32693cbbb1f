import Foundation
import GlossCore
import GlossStore

/// Imports a file into a project as one transaction, reading it chunk by chunk: the API route and the command
/// line both come through here.
struct ImportService {
    let context: GlossContext

    func importTasks<Chunks: AsyncSequence & Sendable>(into project: ProjectModel, format: ImportFormat,
                                                       chunks: Chunks) async throws -> Int where Chunks.Element: Collection<UInt8> {
        let schema = try context.schemas.schema(of: project)
        let taxonomies = try await context.taxonomyCache.taxonomies(for: schema, projectID: try project.requireID(), repository: context.taxonomies)
        let batches = ImportBatches(chunks, format: format, schema: schema, taxonomies: taxonomies)
        let policy = QualityService.policy(json: project.qualityPolicyJSON)
        let imported = try await context.tasks.importTasks(projectID: try project.requireID(), target: project.overlap,
                                                           autoAcceptScore: policy.autoAccept.prelabelScore, batches: batches)
        context.metrics.tasksImported.increment(by: imported)
        // New work: matching workers who asked for alerts hear of it (once per project, at most daily after).
        // The import has committed: a failed alert is logged, never reported as a failed import.
        if imported > 0, let fresh = try? await context.projects.find(id: try project.requireID()) {
            do {
                try await MatchingService(context: context).alert(fresh)
            } catch {
                context.store.logger.report(error: error)
            }
        }
        return imported
    }
}
