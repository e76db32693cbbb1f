import Foundation

/// Every page path in one place, so a link never points at a route that does not exist.
enum SiteURL {
    case home
    case login
    case logout
    case projects
    case project(UUID)
    case projectSettings(UUID)
    case label(UUID)
    case quality(UUID)
    case cost(UUID)
    case review(UUID, String)
    case settings
    case export(UUID, String)
    case apply
    case jobs
    case dashboard
    case timesheet
    case earnings
    case assessments
    case attempt(UUID)
    case practice(String)
    case admin
    case adminPay
    case unsubscribe

    var path: String {
        switch self {
        case .home: "/"
        case .login: "/login"
        case .logout: "/logout"
        case .projects: "/projects"
        case .project(let id): "/projects/\(id.text)"
        case .projectSettings(let id): "/projects/\(id.text)/settings"
        case .label(let id): "/projects/\(id.text)/label"
        case .quality(let id): "/projects/\(id.text)/quality"
        case .cost(let id): "/projects/\(id.text)/cost"
        case .review(let id, let stage): "/projects/\(id.text)/review?stage=\(stage)"
        case .settings: "/settings"
        case .export(let id, let format): "/api/v1/projects/\(id.text)/export?format=\(format)"
        case .apply: "/apply"
        case .jobs: "/jobs"
        case .dashboard: "/dashboard"
        case .timesheet: "/timesheet"
        case .earnings: "/earnings"
        case .assessments: "/assessments"
        case .attempt(let id): "/attempts/\(id.text)"
        case .practice(let track): "/practice/\(track.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? track)"
        case .admin: "/admin"
        case .adminPay: "/admin/pay"
        case .unsubscribe: "/unsubscribe"
        }
    }
}
