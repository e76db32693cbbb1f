import Fluent
import GlossCore
import GlossStore
import Vapor

/// Sets up an application: database, migrations, middleware and routes.
public func configure(_ app: Application, _ configuration: GlossConfiguration) async throws {
    app.http.server.configuration.hostname = configuration.host
    app.http.server.configuration.port = configuration.port
    app.http.server.configuration.responseCompression = .disabled
    app.http.server.configuration.requestDecompression = .disabled
    app.routes.defaultMaxBodySize = "4mb"
    app.passwords.use(.bcrypt(cost: configuration.bcryptCost))

    let metrics = GlossMetrics.bootstrap()
    try Store.register(configuration.location, on: app.databases)
    let store = Store(databases: app.databases, location: configuration.location, logger: app.logger)
    try await store.prepareConnections()
    try await store.migrate()

    // Model endpoints are called with this client: no redirects (a POST must not turn into a GET elsewhere),
    // and no call outlives the longest endpoint time limit.
    app.http.client.configuration.redirectConfiguration = .disallow
    app.http.client.configuration.timeout = .init(connect: .seconds(10), read: .seconds(300))
    app.storage[GlossContextKey.self] = GlossContext(
        configuration: configuration,
        store: store,
        accounts: AccountRepository(store: store),
        projects: ProjectRepository(store: store),
        tasks: TaskRepository(store: store),
        taxonomies: TaxonomyRepository(store: store),
        models: ModelRepository(store: store),
        chats: ChatRepository(store: store),
        media: MediaRepository(store: store),
        quality: QualityRepository(store: store),
        workforce: WorkforceRepository(store: store),
        pay: PayRepository(store: store),
        blobs: try LocalBlobStore(root: configuration.blobDirectory),
        schemas: SchemaCache(),
        taxonomyCache: TaxonomyCache(),
        modelClient: ModelClient(http: app.http.client.shared, secrets: try SecretBox.load(directory: configuration.secretsDirectory)),
        metrics: metrics)
    try await app.gloss.workforce.seedTracks(Tracks.defaults)
    // Gloss ships its starter assessments, a specialist one and practice sets; an admin's own stay as they are.
    for seed in StarterAssessments.all {
        try await app.gloss.workforce.createAssessment(.init(
            slug: seed.slug, title: seed.title, description: seed.description, kind: seed.kind, path: seed.path,
            timeLimitSeconds: seed.timeLimitSeconds, attemptsAllowed: seed.attemptsAllowed, unlocks: seed.kind == "practice" ? (seed.track.map { [$0] } ?? []) : seed.unlocks,
            definitionJSON: seed.definitionJSON), ifMissing: true)
    }
    if configuration.runsPrelabelJobs {
        app.lifecycle.use(PrelabelRunner(context: app.gloss, retryBaseSeconds: configuration.prelabelRetryBaseSeconds))
    }
    if configuration.runsMailSender, configuration.mailURL != nil {
        app.lifecycle.use(OutboxSender(context: app.gloss, client: app.http.client.shared))
    }

    app.middleware = Middlewares()
    app.middleware.use(RouteLoggingMiddleware(logLevel: .debug))
    app.middleware.use(SecurityHeadersMiddleware())
    app.middleware.use(ProblemMiddleware())
    app.middleware.use(StaticFilesMiddleware(publicDirectory: configuration.publicDirectory))
    try routes(app)
}

func routes(_ app: Application) throws {
    try app.register(collection: HealthController())
    let authenticated = app.grouped(AuthenticationMiddleware())
    let api = authenticated.grouped("api", "v1")
    try api.register(collection: ProjectsController())
    try api.register(collection: TasksController())
    try api.register(collection: ExportController())
    try api.register(collection: MeController())
    try api.register(collection: TaxonomiesController())
    try api.register(collection: EndpointsController())
    try api.register(collection: ChatController())
    try api.register(collection: MediaController())
    try api.register(collection: QualityController())
    try api.register(collection: ReviewsController())
    try api.register(collection: WorkforceController())
    try api.register(collection: AssessmentsController())
    try api.register(collection: AdminController())
    try api.register(collection: PayController())
    try app.register(collection: StandInModel())
    try authenticated.register(collection: PagesController())
}
