import GlossCore

enum LoginPage {
    struct Model {
        var email: String = ""
        var error: String?
    }

    static func render(_ model: Model) -> String {
        let error = model.error.map { "<p class=\"error\" role=\"alert\">\($0.htmlEscaped)</p>" } ?? ""
        let content = """
        <section class="panel narrow">
          <h1>Sign in</h1>
          \(error)
          <form id="login-form" method="post" action="\(SiteURL.login.path)">
            <label>E-mail <input type="email" name="email" required autocomplete="username" value="\(model.email.htmlEscaped)" autofocus></label>
            <label>Password <input type="password" name="password" required autocomplete="current-password"></label>
            <button type="submit" class="primary">Sign in</button>
          </form>
        </section>
        """
        return Layout.render(.init(title: "Sign in", principal: nil), content: content)
    }
}
