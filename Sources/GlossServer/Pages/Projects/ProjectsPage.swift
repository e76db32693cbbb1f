import GlossCore
import GlossStore

enum ProjectsPage {
    struct Model {
        var principal: Principal
        var projects: [ProjectModel]
        var form: NewProjectForm = .init()
        var errors: [FieldError] = []
    }

    /// What the requester typed into the new-project form, shown again when it had errors.
    struct NewProjectForm {
        var name = ""
        var schema = ProjectsPage.exampleSchema
        var guidelines = "## What to label\n\nDescribe the task, with examples of each label."
        var overlap = "1"
    }

    static let exampleSchema = """
    {
      "fields": [
        {"name": "sentiment", "type": "choice", "label": "Sentiment",
         "options": ["positive", "negative", "neutral", "mixed"]},
        {"name": "note", "type": "text", "label": "Note", "required": false, "max_length": 500}
      ]
    }
    """

    static func render(_ model: Model) -> String {
        let canCreate = model.principal.role != .worker
        let rows = model.projects.map { project -> String in
            let percent = project.tasksTotal == 0 ? 0 : Int((Double(project.tasksDone) / Double(project.tasksTotal) * 100).rounded(.down))
            return """
            <li class="project-row">
              <a class="project-link" href="\(SiteURL.project(project.id!).path)">\(project.name.htmlEscaped)</a>
              <span class="status status-\(project.status.htmlEscaped)">\(project.status.htmlEscaped)</span>
              \(canCreate ? "<span class=\"muted\">\(project.tasksDone) / \(project.tasksTotal) tasks done</span><progress max=\"100\" value=\"\(percent)\"></progress>" : "")
            </li>
            """
        }.joined(separator: "\n")
        let empty = model.principal.role == .worker
            ? "<p class=\"muted\">No project is open for you right now.</p>"
            : "<p class=\"muted\">No project yet: create the first one below.</p>"
        var content = """
        <section class="panel">
          <h1>Projects</h1>
          \(model.projects.isEmpty ? empty : "<ul class=\"project-list\">\(rows)</ul>")
        </section>
        """
        if canCreate {
            let errors = Layout.errorList(model.errors)
            content += """
            <section class="panel">
              <h2>New project</h2>
              \(errors)
              <form id="new-project-form" method="post" action="\(SiteURL.projects.path)">
                <input type="hidden" name="_csrf" value="\((model.principal.csrfToken ?? "").htmlEscaped)">
                <label>Name <input name="name" required maxlength="200" value="\(model.form.name.htmlEscaped)"></label>
                <label>Label schema (JSON: field types <code>choice</code> and <code>text</code>)
                  <textarea name="schema" rows="10" class="code" spellcheck="false">\(model.form.schema.htmlEscaped)</textarea></label>
                <label>Guidelines (Markdown)
                  <textarea name="guidelines" rows="6">\(model.form.guidelines.htmlEscaped)</textarea></label>
                <label>Overlap (workers per task) <input name="overlap" type="number" min="1" max="100" value="\(model.form.overlap.htmlEscaped)"></label>
                <button type="submit" class="primary">Create project</button>
              </form>
            </section>
            """
        }
        return Layout.render(.init(title: "Projects", principal: model.principal), content: content)
    }
}
