import GlossCore

/// Keyboard settings: every labeling hotkey can be remapped, for other keyboard layouts.
enum SettingsPage {
    struct Model {
        var principal: Principal
        var hotkeys: [String: String]
        var errors: [FieldError] = []
        var saved = false
    }

    static let descriptions: [String: String] = [
        "submit": "Submit the annotation",
        "skip": "Skip the task",
        "undo": "Undo",
        "redo": "Redo",
    ]

    static func render(_ model: Model) -> String {
        let rows = Hotkeys.actions.map { action -> String in
            let label = descriptions[action] ?? "Choose option \(action.replacingOccurrences(of: "option_", with: ""))"
            return """
            <label class="hotkey-row">\(label.htmlEscaped) <input name="\(action)" value="\((model.hotkeys[action] ?? "").htmlEscaped)" maxlength="24"></label>
            """
        }.joined(separator: "\n")
        let errors = Layout.errorList(model.errors)
        let content = """
        <section class="panel narrow">
          <h1>Keyboard shortcuts</h1>
          <p class="muted">Keys as the browser names them: a letter or digit, <code>enter</code>, <code>space</code>, <code>arrowright</code>, with <code>ctrl+</code>, <code>alt+</code>, <code>shift+</code> or <code>meta+</code> in front.</p>
          \(model.saved ? "<p class=\"ok\" role=\"status\">Saved.</p>" : "")
          \(errors)
          <form id="hotkeys-form" method="post" action="\(SiteURL.settings.path)">
            <input type="hidden" name="_csrf" value="\((model.principal.csrfToken ?? "").htmlEscaped)">
            \(rows)
            <button type="submit" class="primary">Save</button>
          </form>
        </section>
        \(model.principal.role == .worker ? "<section class=\"panel narrow\" id=\"alerts-panel\"></section>" : "")
        """
        let scripts = model.principal.role == .worker ? ["/js/settings-alerts.js"] : []
        return Layout.render(.init(title: "Settings", principal: model.principal, scripts: scripts), content: content)
    }
}
