import Metrics
import NIOConcurrencyHelpers
import Prometheus

/// The Prometheus registry behind `/metrics`. swift-metrics is bootstrapped once per process (Vapor reports
/// request counts and latencies through it); Gloss adds its own counters.
final class GlossMetrics: Sendable {
    let registry: PrometheusCollectorRegistry
    let tasksLeased: Metrics.Counter
    let annotationsSubmitted: Metrics.Counter
    let tasksImported: Metrics.Counter

    private static let shared = NIOLockedValueBox<GlossMetrics?>(nil)

    static func bootstrap() -> GlossMetrics {
        shared.withLockedValue { existing in
            if let existing { return existing }
            let registry = PrometheusCollectorRegistry()
            var factory = PrometheusMetricsFactory(registry: registry)
            factory.defaultDurationHistogramBuckets = [.milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10),
                                                       .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250),
                                                       .milliseconds(500), .seconds(1), .seconds(5)]
            MetricsSystem.bootstrap(factory)
            let metrics = GlossMetrics(registry: registry)
            existing = metrics
            return metrics
        }
    }

    private init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
        tasksLeased = Metrics.Counter(label: "gloss_tasks_leased_total")
        annotationsSubmitted = Metrics.Counter(label: "gloss_annotations_submitted_total")
        tasksImported = Metrics.Counter(label: "gloss_tasks_imported_total")
    }

    func exposition() -> String {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }
}
