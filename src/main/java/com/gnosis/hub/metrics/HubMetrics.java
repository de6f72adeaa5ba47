package com.gnosis.hub.metrics;

import com.gnosis.hub.queue.PendingPages;
import com.gnosis.hub.ocr.DeviceInfo;
import com.gnosis.hub.pipeline.SessionEvents;
import com.gnosis.hub.session.SessionRef;
import com.gnosis.hub.session.SessionStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The hub's own meters, in one Prometheus registry that Camel's route metrics share (README, "Operations",
 * lists each). Counters move as documents pass; gauges are read from the live state when /metrics is scraped.
 * Label values are bounded: sources, outcomes and statuses are fixed words, and the per-user gauge names only
 * user hashes with queued pages.
 */
public final class HubMetrics implements SessionEvents {

    /** Page read times are this histogram's buckets: a text-layer page takes milliseconds, an OCR page seconds. */
    private static final Duration[] PAGE_BUCKETS = {
        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
        Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10),
        Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(120)};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final MultiGauge userQueuedPages;
    private final MultiGauge device;
    private final AtomicReference<Double> modelLoadSeconds = new AtomicReference<>(Double.NaN);
    private final PendingPages pending;
    private volatile Supplier<DeviceInfo> deviceInfo = () -> new DeviceInfo("none", "none", false, null, null);

    /** @param pending the pages waiting to be read (queue depth, oldest, per user) */
    public HubMetrics(PendingPages pending, Clock clock) {
        this.pending = pending;
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        @SuppressWarnings("resource") JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);

        Gauge.builder("gnosis.queue.pages", pending, PendingPages::total)
                .description("Pages waiting to be read or being read, all sessions together").register(registry);
        Gauge.builder("gnosis.queue.oldest.age", pending, p -> p.oldestWaiting()
                        .map(since -> Math.max(0, Duration.between(since, clock.instant()).toMillis() / 1000.0)).orElse(0.0))
                .baseUnit("seconds")
                .description("How long the session that has waited longest with unread pages has been queued (0: none)")
                .register(registry);
        userQueuedPages = MultiGauge.builder("gnosis.user.queued.pages")
                .description("Pages waiting per user (user_hash), only users with queued work").register(registry);
        Gauge.builder("gnosis.model.load", modelLoadSeconds, AtomicReference::get).baseUnit("seconds")
                .description("How long loading the OCR models took (NaN until they are loaded)").register(registry);
        device = MultiGauge.builder("gnosis.ocr.device.info")
                .description("The OCR device in use (device: cpu, gpu or none before loading) and the one requested")
                .register(registry);
        // the meters with fixed label values exist from the start, so a scrape shows them at 0
        for (String source : List.of("ocr", "text-layer")) pagesRead(source, "ok");
        pagesRead("unknown", "failed");
        for (String status : List.of(SessionStatus.COMPLETED, SessionStatus.FAILED)) documents(status);
        for (String source : List.of("http", "drop", "gcs")) uploadBytes(source);
        for (String reason : List.of("busy", "quota_exceeded")) tooManyRequests(reason);
        for (String outcome : List.of("delivered", "retry", "gave_up", "refused", "dropped")) webhookDeliveries(outcome);
        Counter.builder("gnosis.sessions.expired").description("Sessions deleted by the SESSION_TTL sweep")
                .register(registry);
        pageReadTimer("ocr");
        pageReadTimer("text-layer");
    }

    /** Where the OCR device in use is read from (the engine, once it exists). */
    public void showDevice(Supplier<DeviceInfo> device) {
        this.deviceInfo = device;
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** The Prometheus text exposition (format 0.0.4), gauges refreshed from the live state first. */
    public String scrape() {
        refresh();
        return registry.scrape();
    }

    /** Rows of the gauges whose label values change: users with queued pages, the device in use. */
    void refresh() {
        userQueuedPages.register(pending.byUser().entrySet().stream()
                .map(e -> MultiGauge.Row.of(Tags.of("user_hash", e.getKey()), e.getValue()))
                .toList(), true);
        DeviceInfo info = deviceInfo.get();
        device.register(List.of(MultiGauge.Row.of(Tags.of("device", info.inUse(), "requested", info.requested()), 1)),
                true);
    }

    @Override
    public void pageRead(SessionRef ref, int page, String source, Duration took) {
        pagesRead(source, "ok").increment();
        pageReadTimer(source).record(took);
    }

    @Override
    public void pageFailed(SessionRef ref, int page) {
        pagesRead("unknown", "failed").increment();
    }

    @Override
    public void finished(SessionRef ref, SessionStatus status) {
        documents(status.status()).increment();
    }

    /** A document was taken in through a channel (http, drop, gcs). */
    public void uploaded(String source, long bytes) {
        uploadBytes(source).increment(bytes);
    }

    /** A 429 answer; {@code reason} is its error code (busy, quota_exceeded). */
    public void tooManyRequestsGiven(String reason) {
        tooManyRequests(reason).increment();
    }

    /**
     * A webhook delivery attempt ended: delivered, retry (failed, tried again later), gave_up (WEBHOOK_RETRY_FOR
     * passed), refused (the URL now resolves to a non-public address), dropped (the session was deleted).
     */
    public void webhookDelivery(String outcome) {
        webhookDeliveries(outcome).increment();
    }

    public void sessionsExpired(int count) {
        registry.counter("gnosis.sessions.expired").increment(count);
    }

    public void modelLoaded(Duration took) {
        modelLoadSeconds.set(took.toMillis() / 1000.0);
    }

    private Counter pagesRead(String source, String outcome) {
        return Counter.builder("gnosis.pages.read").tags("source", source, "outcome", outcome)
                .description("Pages read, by where the text came from (ocr, text-layer) and outcome").register(registry);
    }

    private Timer pageReadTimer(String source) {
        return Timer.builder("gnosis.page.read").tags("source", source).serviceLevelObjectives(PAGE_BUCKETS)
                .description("Time to read one page (render, text layer or OCR)").register(registry);
    }

    private Counter documents(String status) {
        return Counter.builder("gnosis.documents").tags("status", status)
                .description("Documents that reached a final status").register(registry);
    }

    private Counter uploadBytes(String source) {
        return Counter.builder("gnosis.upload").baseUnit("bytes").tags("source", source)
                .description("Bytes of documents taken in, by channel").register(registry);
    }

    private Counter tooManyRequests(String reason) {
        return Counter.builder("gnosis.http.too.many.requests").tags("reason", reason)
                .description("HTTP 429 answers given (busy: MAX_QUEUED_PAGES; quota_exceeded: a user's QUOTA_*)")
                .register(registry);
    }

    private Counter webhookDeliveries(String outcome) {
        return Counter.builder("gnosis.webhook.deliveries").tags("outcome", outcome)
                .description("Webhook delivery attempts by outcome").register(registry);
    }
}
