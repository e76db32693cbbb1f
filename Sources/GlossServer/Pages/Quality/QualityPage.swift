import GlossCore
import GlossStore

/// The requester's quality page: agreement, the confusion between labels, workers' scores, the
/// disagreements with one-click adjudication, the queues, flags, gold tasks, reviewers and the policy. The
/// figures are loaded over the API by `quality.js`; the page carries the project's schema as a JSON data block.
enum QualityPage {
    struct Model {
        var principal: Principal
        var project: ProjectModel
        var schema: LabelSchema
    }

    static func render(_ model: Model) -> String {
        let project = model.project
        let id = project.id!
        let config = JSONValue.object([
            "project_id": .string(id.text),
            "schema": model.schema.json,
            "policy": QualityService.policy(json: project.qualityPolicyJSON).json,
            "policy_as_written": (try? JSONValue.parse(project.qualityPolicyJSON)) ?? .object([:]),
        ])
        let content = """
        <section class="panel quality-page">
          <p class="crumbs"><a href="\(SiteURL.projects.path)">Projects</a> › <a href="\(SiteURL.project(id).path)">\(project.name.htmlEscaped)</a></p>
          <h1>Quality · \(project.name.htmlEscaped)</h1>
          <p class="exports">
            <a class="button export-link" data-answers="final" href="\(SiteURL.export(id, "jsonl").path)&amp;answers=final" download>Export final answers (JSON Lines)</a>
            <a class="button export-link" data-answers="all" href="\(SiteURL.export(id, "jsonl").path)&amp;answers=all" download>Export all annotations (JSON Lines)</a>
          </p>
          <div id="quality-root" aria-live="polite"><p class="muted">Loading…</p></div>
        </section>
        <script type="application/json" id="quality-config">\(config.jsonText)</script>
        """
        return Layout.render(.init(title: "Quality · \(project.name)", principal: model.principal, scripts: ["/js/quality.js"]), content: content)
    }
}
