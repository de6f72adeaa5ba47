package com.gnosis.hub;

import com.gnosis.hub.identity.UserIdentity;
import com.gnosis.hub.queue.BusyException;
import com.gnosis.hub.intake.IntakePolicy;
import com.gnosis.hub.queue.PendingPages;
import com.gnosis.hub.intake.UploadException;
import com.gnosis.hub.metrics.HubMetrics;
import com.gnosis.hub.metrics.MeasuredEngine;
import com.gnosis.hub.metrics.MetricsApi;
import com.gnosis.hub.metrics.RefusalCounter;
import com.gnosis.hub.ocr.OcrEngine;
import com.gnosis.hub.pipeline.SessionEvents;
import com.gnosis.hub.quota.QuotaLimits;
import com.gnosis.hub.quota.Quotas;
import com.gnosis.hub.retention.Retention;
import com.gnosis.hub.session.SessionMetadata;
import com.gnosis.hub.session.SessionStore;
import com.gnosis.hub.settings.HubSettings;
import com.gnosis.hub.usersettings.UserSettings;
import com.gnosis.hub.webhook.CallbackGuard;
import com.gnosis.hub.webhook.Outbox;
import com.gnosis.hub.webhook.WebhookSigner;
import com.gnosis.hub.webhook.Webhooks;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.camel.CamelContext;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.component.micrometer.routepolicy.MicrometerRoutePolicyFactory;
import org.apache.camel.spi.PropertiesComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the people who run the hub need, built from its settings and bound for the routes: metrics (GET /metrics),
 * signed webhooks from an outbox, SESSION_TTL retention and per-user quotas (README, "Operations").
 */
final class Operations {

    private static final Logger LOG = LoggerFactory.getLogger(Operations.class);

    private final HubMetrics metrics;
    private final Quotas quotas;
    private final Webhooks webhooks;
    private final Retention retention;

    private Operations(HubMetrics metrics, Quotas quotas, Webhooks webhooks, Retention retention) {
        this.metrics = metrics;
        this.quotas = quotas;
        this.webhooks = webhooks;
        this.retention = retention;
    }

    static Operations configure(CamelContext context, HubSettings settings, SessionStore sessions, PendingPages pending,
                                Clock clock) {
        PropertiesComponent properties = context.getPropertiesComponent();
        HubMetrics metrics = new HubMetrics(pending, clock);
        context.getRegistry().bind(MicrometerConstants.METRICS_REGISTRY_NAME, metrics.registry());
        context.getRegistry().bind("metricsApi", new MetricsApi(metrics));
        MicrometerRoutePolicyFactory routeMetrics = new MicrometerRoutePolicyFactory();
        routeMetrics.setMeterRegistry(metrics.registry());
        context.addRoutePolicyFactory(routeMetrics);
        context.getManagementStrategy().addEventNotifier(new RefusalCounter(metrics));

        UserSettings userSettings = userSettings(settings);
        Duration ttl = settings.getDuration("SESSION_TTL");
        if (ttl.isZero() || ttl.isNegative()) ttl = null;
        Quotas quotas = new Quotas(sessions, QuotaLimits.fromSettings(settings::env), userSettings, clock, ttl);

        String secret = settings.env("WEBHOOK_SECRET");
        CallbackGuard guard = new CallbackGuard(settings.env("WEBHOOK_ALLOWED_HOSTS"));
        if (secret == null && !userSettings.all(UserSettings.CALLBACK_URL).isEmpty()) {
            throw new IllegalStateException("Users have a default callback_url but WEBHOOK_SECRET is not set: "
                    + "set it (the key that signs webhooks) or remove their callback_url.");
        }
        userSettings.all(UserSettings.CALLBACK_URL).forEach((user, url) -> guard.refusal(url).ifPresent(reason ->
                LOG.warn("The default callback_url of user {} will not be called: {}", user, reason)));
        Webhooks webhooks = new Webhooks(sessions, new Outbox(sessions.storage()), guard,
                secret == null ? null : new WebhookSigner(secret), userSettings, settings.env("PUBLIC_URL"),
                new Webhooks.Timing(settings.getDuration("WEBHOOK_RETRY_MIN"),
                        settings.getDuration("WEBHOOK_RETRY_MAX"), settings.getDuration("WEBHOOK_RETRY_FOR"),
                        settings.getDuration("WEBHOOK_TIMEOUT")), clock, metrics);
        context.getRegistry().bind("webhooks", webhooks);
        properties.addOverrideProperty("app.webhook.poll-ms", settings.get("WEBHOOK_POLL_MS"));

        Retention retention = new Retention(sessions, new Outbox(sessions.storage()), pending, ttl, clock, metrics);
        context.getRegistry().bind("retention", retention);
        properties.addOverrideProperty("app.retention.enabled", String.valueOf(retention.enabled()));
        properties.addOverrideProperty("app.retention.interval-ms",
                String.valueOf(settings.getDuration("SESSION_SWEEP_INTERVAL").toMillis()));
        LOG.info("Operations: metrics at /metrics; webhooks {}; SESSION_TTL {}; default quotas {}",
                secret == null ? "off (no WEBHOOK_SECRET)" : "on", ttl == null ? "off" : ttl,
                QuotaLimits.fromSettings(settings::env));
        return new Operations(metrics, quotas, webhooks, retention);
    }

    /** Quotas and callback URLs checked at intake; what was taken counted. */
    IntakePolicy intakePolicy() {
        boolean limits = quotas.any();
        return new IntakePolicy() {
            @Override
            public boolean limitsUsers() {
                return limits;
            }

            @Override
            public Optional<BusyException> refusal(UserIdentity user) throws IOException {
                return quotas.refusal(user).map(BusyException.class::cast);
            }

            @Override
            public String callback(UserIdentity user, String url) throws UploadException {
                return webhooks.callback(user, url);
            }

            @Override
            public void taken(SessionMetadata metadata) {
                metrics.uploaded(metadata.source(), metadata.fileSize());
                try {
                    quotas.taken(metadata);
                } catch (IOException e) {
                    LOG.warn("Could not count the pages of session {} against the daily quota: {}",
                            metadata.sessionId(), e.getMessage());
                }
            }
        };
    }

    /** The pipeline's listeners: metrics count pages and documents, webhooks put ended sessions in the outbox. */
    List<SessionEvents> listeners() {
        return List.of(metrics, webhooks);
    }

    /** The engine the hub uses: its model loading timed, its device shown by /metrics. */
    OcrEngine measured(OcrEngine engine) {
        metrics.showDevice(engine::device);
        return new MeasuredEngine(engine, metrics);
    }

    Retention retention() {
        return retention;
    }

    private static UserSettings userSettings(HubSettings settings) {
        String file = settings.env("USER_SETTINGS_FILE");
        String keys = settings.env("API_KEYS_FILE");
        try {
            return UserSettings.read(file == null ? null : Path.of(file), keys == null ? null : Path.of(keys));
        } catch (IOException e) {
            throw new IllegalStateException("USER_SETTINGS_FILE or API_KEYS_FILE cannot be read: " + e.getMessage(), e);
        }
    }
}
