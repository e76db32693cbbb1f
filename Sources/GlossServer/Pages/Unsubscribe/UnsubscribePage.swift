import GlossCore

/// The page an alert e-mail's unsubscribe link opens: one button that posts the link's token, so that a mail
/// scanner following the link turns nothing off. `unsubscribe.js` sends it.
enum UnsubscribePage {
    struct Model {
        var token: String
    }

    static func render(_ model: Model) -> String {
        let action = model.token.isEmpty
            ? "<p class=\"error\" role=\"alert\">This link has no token. Open the link from the e-mail again, or turn alerts off in your settings.</p>"
            : """
            <button type="button" class="primary" id="unsubscribe-button">Stop job alerts</button>
            """
        let content = """
        <section class="panel narrow unsubscribe-page" id="unsubscribe-root" data-token="\(model.token.htmlEscaped)" aria-labelledby="unsubscribe-title">
          <h1 id="unsubscribe-title">Job alerts</h1>
          <p>Stop the e-mails and notifications about new projects that match you. You can turn them on again at any
          time in your <a href="\(SiteURL.settings.path)">settings</a>.</p>
          \(action)
          <p id="unsubscribe-status" class="apply-status" role="status" aria-live="polite"></p>
        </section>
        """
        return Layout.render(.init(title: "Job alerts", principal: nil, bodyClass: "unsubscribe", scripts: ["/js/unsubscribe.js"]),
                             content: content)
    }
}
