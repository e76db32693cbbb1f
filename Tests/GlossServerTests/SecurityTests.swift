import Foundation
import GlossCore
@testable import GlossServer
import Testing
import Vapor

@Suite("Access control, sessions and escaping") struct SecurityTests {
    @Test func requestsWithoutOrWithABadTokenAreRefused() async throws {
        try await TestApp.run { t in
            #expect(try await t.request(.GET, "/api/v1/projects").status == .unauthorized)
            let bad = try await t.request(.GET, "/api/v1/projects", token: "gls_not-a-token")
            #expect(bad.status == .unauthorized)
            #expect(bad.headers.first(name: .contentType) == "application/problem+json")
        }
    }

    /// A worker may not export, edit or list the tasks of any project, nor read another worker's annotations.
    @Test func workersCannotManageProjectsOrSeeOthersWork() async throws {
        try await TestApp.run { t in
            let requester = try await t.makeUser(.requester)
            let alice = try await t.makeUser(.worker)
            let bob = try await t.makeUser(.worker)
            let project = try await t.makeProject(requester, overlap: 2, tasks: 1)
            let done = try await t.labelAll(project, worker: alice)
            let taskID = try #require(done.first)
            for (method, path) in [(HTTPMethod.GET, "/api/v1/projects/\(project)/export?format=jsonl"),
                                   (.GET, "/api/v1/projects/\(project)/tasks"),
                                   (.PATCH, "/api/v1/projects/\(project)"),
                                   (.POST, "/api/v1/projects/\(project)/tasks")] {
                let reply = try await t.request(method, path, token: bob.token, json: method == .GET ? nil : "{\"name\": \"x\"}")
                #expect(reply.status == .forbidden, "\(method) \(path) answered \(reply.status)")
            }
            let own = try await t.request(.GET, "/api/v1/tasks/\(taskID)/annotations", token: alice.token)
            #expect(own.json["annotations"]?.arrayValue?.count == 1)
            let other = try await t.request(.GET, "/api/v1/tasks/\(taskID)/annotations", token: bob.token)
            #expect(other.status == .notFound)
            #expect(!other.body.contains("positive"))
            // Bob now leases the task himself: he still sees only his own (none), not Alice's.
            #expect(try await t.request(.GET, "/api/v1/projects/\(project)/next", token: bob.token).string("id") == taskID)
            let whileLeased = try await t.request(.GET, "/api/v1/tasks/\(taskID)/annotations", token: bob.token)
            #expect(whileLeased.json["annotations"]?.arrayValue?.isEmpty == true)
        }
    }

    /// A requester of organization A can neither read nor touch anything of organization B, on every route.
    @Test func organizationsAreIsolated() async throws {
        try await TestApp.run { t in
            let ownerB = try await t.makeUser(.requester, organization: "Org B")
            let intruder = try await t.makeUser(.requester, organization: "Org A")
            let worker = try await t.makeUser(.worker)
            let project = try await t.makeProject(ownerB, tasks: 2, name: "Secret B")
            let taskID = try #require(try await t.labelAll(project, worker: worker).first)
            let routes: [(HTTPMethod, String, String?)] = [
                (.GET, "/api/v1/projects/\(project)", nil),
                (.PATCH, "/api/v1/projects/\(project)", "{\"name\": \"pwned\"}"),
                (.POST, "/api/v1/projects/\(project)/tasks", "[{\"data\": {}}]"),
                (.GET, "/api/v1/projects/\(project)/tasks", nil),
                (.GET, "/api/v1/projects/\(project)/export?format=jsonl", nil),
                (.GET, "/api/v1/projects/\(project)/export?format=csv", nil),
                (.GET, "/api/v1/tasks/\(taskID)/annotations", nil),
            ]
            for (method, path, json) in routes {
                let reply = try await t.request(method, path, token: intruder.token, json: json)
                #expect(reply.status == .notFound, "\(method) \(path) answered \(reply.status)")
                #expect(!reply.body.contains("Secret B") && !reply.body.contains("review"))
            }
            for (method, path) in [(HTTPMethod.GET, "/api/v1/projects/\(project)/next"), (.POST, "/api/v1/tasks/\(taskID)/skip"),
                                   (.POST, "/api/v1/tasks/\(taskID)/heartbeat"), (.POST, "/api/v1/tasks/\(taskID)/annotations")] {
                let reply = try await t.request(method, path, token: intruder.token, json: method == .GET ? nil : "{}")
                #expect(reply.status == .forbidden, "\(method) \(path) answered \(reply.status)")
            }
            let list = try await t.request(.GET, "/api/v1/projects", token: intruder.token)
            #expect(list.json["projects"]?.arrayValue?.isEmpty == true)
            let shown = try await t.request(.GET, "/api/v1/projects/\(project)", token: ownerB.token)
            #expect(shown.string("name") == "Secret B")
            #expect(shown.json["progress"]?["tasks_total"]?.intValue == 2)
        }
    }

    @Test func pagesNeedASessionAndWritesNeedTheCSRFToken() async throws {
        try await TestApp.run { t in
            let requester = try await t.makeUser(.requester)
            let redirect = try await t.request(.GET, "/projects")
            #expect(redirect.status == .seeOther || redirect.status == .found)
            let cookie = try await signIn(t, email: requester.email)
            let page = try await t.request(.GET, "/projects", headers: ["Cookie": cookie])
            #expect(page.status == .ok)
            #expect(page.headers.first(name: "Content-Security-Policy")?.contains("script-src 'self'") == true)
            #expect(page.headers.first(name: "Content-Security-Policy")?.contains("img-src 'self' data: https:;") == true)
            let csrf = try #require(page.body.firstMatch(of: /name="csrf-token" content="([^"]+)"/)?.1)
            // The API with the session cookie: reads work, writes need the token.
            #expect(try await t.request(.GET, "/api/v1/projects", headers: ["Cookie": cookie]).status == .ok)
            let body = "{\"name\": \"Via cookie\", \"schema\": \(TestApp.sentimentSchema)}"
            let refused = try await t.request(.POST, "/api/v1/projects", json: body, headers: ["Cookie": cookie])
            #expect(refused.status == .forbidden)
            let accepted = try await t.request(.POST, "/api/v1/projects", json: body, headers: ["Cookie": cookie, "X-CSRF-Token": String(csrf)])
            #expect(accepted.status == .created)
            // A form post without the token is refused too.
            let form = try await t.request(.POST, "/projects", body: "name=x&schema=%7B%7D", contentType: "application/x-www-form-urlencoded",
                                           headers: ["Cookie": cookie])
            #expect(form.status == .forbidden)
            // Signing out ends the session.
            let out = try await t.request(.POST, "/logout", body: "_csrf=\(csrf)", contentType: "application/x-www-form-urlencoded",
                                          headers: ["Cookie": cookie])
            #expect(out.status == .seeOther || out.status == .found)
            #expect(try await t.request(.GET, "/api/v1/projects", headers: ["Cookie": cookie]).status == .unauthorized)
        }
    }

    @Test func repeatedFailedSignInsAreSlowedDown() async throws {
        try await TestApp.run { t in
            let worker = try await t.makeUser(.worker)
            for _ in 0..<LoginThrottle.freeAttempts {
                let reply = try await t.request(.POST, "/login", body: "email=\(worker.email)&password=wrong-password",
                                                contentType: "application/x-www-form-urlencoded")
                #expect(reply.status == .unauthorized)
            }
            let locked = try await t.request(.POST, "/login", body: "email=\(worker.email)&password=password-123",
                                             contentType: "application/x-www-form-urlencoded")
            #expect(locked.status == .tooManyRequests)
            #expect(locked.headers.first(name: .retryAfter) != nil)
        }
    }

    /// Untrusted text (task data, project names, guidelines) is escaped wherever the server renders it.
    @Test func untrustedTextIsEscapedInPages() async throws {
        try await TestApp.run { t in
            let requester = try await t.makeUser(.requester)
            let worker = try await t.makeUser(.worker)
            let payload = "<img src=x onerror=alert(1)>"
            let created = try await t.request(.POST, "/api/v1/projects", token: requester.token, json: """
                {"name": "\(payload)", "schema": {"fields": [{"name": "label", "type": "choice", "options": ["</script><script>alert(2)</script>"]}]},
                 "guidelines": "Hi <script>alert(3)</script> [x](javascript:alert(4)) <a href=\\"javascript:alert(5)\\">y</a>"}
                """)
            let project = try #require(created.string("id"))
            let html = try #require(created.string("guidelines_html"))
            #expect(!html.contains("<script") && !html.contains("href=\"javascript"))
            #expect(html.contains("&lt;script&gt;"))
            try await t.request(.POST, "/api/v1/projects/\(project)/tasks", token: requester.token,
                                body: "[{\"data\": {\"text\": \"\(payload)\"}}]", contentType: "application/json")
            for (account, path) in [(requester, "/projects/\(project)"), (requester, "/projects"), (worker, "/projects/\(project)/label")] {
                let cookie = try await signIn(t, email: account.email)
                let page = try await t.request(.GET, path, headers: ["Cookie": cookie])
                #expect(page.status == .ok, "\(path)")
                #expect(!page.body.contains("<img src=x"), "\(path) shows raw HTML")
                #expect(!page.body.contains("<script>alert"), "\(path) shows a raw script")
            }
            let next = try await t.request(.GET, "/api/v1/projects/\(project)/next", token: worker.token)
            #expect(next.json["data"]?["text"]?.stringValue == payload)
        }
    }

    func signIn(_ t: TestApp, email: String) async throws -> String {
        let reply = try await t.request(.POST, "/login", body: "email=\(email)&password=password-123",
                                        contentType: "application/x-www-form-urlencoded")
        #expect(reply.status == .seeOther || reply.status == .found, "sign-in failed: \(reply.status)")
        let setCookie = try #require(reply.headers.first(name: .setCookie))
        #expect(setCookie.contains("HttpOnly"))
        #expect(setCookie.lowercased().contains("samesite=lax"))
        return String(setCookie.split(separator: ";").first!)
    }
}
