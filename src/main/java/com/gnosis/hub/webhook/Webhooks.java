package com.gnosis.hub.webhook;

import com.gnosis.hub.identity.UserIdentity;
import com.gnosis.hub.intake.UploadException;
import com.gnosis.hub.metrics.HubMetrics;
import com.gnosis.hub.pipeline.SessionEvents;
import com.gnosis.hub.session.Json;
import com.gnosis.hub.session.SessionMetadata;
import com.gnosis.hub.session.SessionRef;
import com.gnosis.hub.session.SessionStatus;
import com.gnosis.hub.session.SessionStore;
import com.gnosis.hub.usersettings.UserSettings;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells a caller that its document is done. When a session with a callback URL ends, the event
 * {@code {event, session_hash, status, total_pages, results_url, message, created_at, completed_at}} goes into
 * the {@link Outbox} first; {@link #deliverDue} (route webhook-delivery, every WEBHOOK_POLL_MS) POSTs what is
 * due, signed ({@link WebhookSigner}), and removes it on a 2xx answer. A failed attempt is tried again after
 * WEBHOOK_RETRY_MIN, doubling up to WEBHOOK_RETRY_MAX, until WEBHOOK_RETRY_FOR after the event: at least once
 * while the receiver comes back within that time, and a receiver may see an event twice (same X-Gnosis-Delivery).
 */
public final class Webhooks implements SessionEvents {

    private static final Logger LOG = LoggerFactory.getLogger(Webhooks.class);

    /** The timing of deliveries. */
    public record Timing(Duration retryMin, Duration retryMax, Duration retryFor, Duration requestTimeout) {
    }

    private final SessionStore sessions;
    private final Outbox outbox;
    private final CallbackGuard guard;
    private final WebhookSigner signer;
    private final UserSettings userSettings;
    private final String publicUrl;
    private final Timing timing;
    private final Clock clock;
    private final HubMetrics metrics;
    private final HttpClient http;
    // whether the outbox may hold something: set at start and by each new event, cleared by a pass that empties it;
    // it is looked at once a minute all the same, for what another hub process on the same storage left there
    private final AtomicBoolean mayHaveWork = new AtomicBoolean(true);
    private volatile long lastLook = System.nanoTime();
    private static final long LOOK_ANYWAY_NANOS = Duration.ofMinutes(1).toNanos();

    /**
     * @param signer    null when WEBHOOK_SECRET is not set: callbacks are then refused at upload
     * @param publicUrl PUBLIC_URL, the hub's address as callers reach it (results_url is absolute then); may be null
     */
    public Webhooks(SessionStore sessions, Outbox outbox, CallbackGuard guard, WebhookSigner signer,
                    UserSettings userSettings, String publicUrl, Timing timing, Clock clock, HubMetrics metrics) {
        this.sessions = sessions;
        this.outbox = outbox;
        this.guard = guard;
        this.signer = signer;
        this.userSettings = userSettings;
        this.publicUrl = publicUrl == null ? "" : publicUrl.replaceAll("/+$", "");
        this.timing = timing;
        this.clock = clock;
        this.metrics = metrics;
        // never follow a redirect: it could lead where the guard would not have let the hub go
        this.http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(timing.requestTimeout()).build();
    }

    /**
     * The callback URL to record for a document of the user: the one given, else the user's default from the user
     * settings; null when there is none.
     *
     * @throws UploadException 400 callback_refused for a URL the hub will not call, webhooks_off without WEBHOOK_SECRET
     */
    public String callback(UserIdentity user, String given) throws UploadException {
        if (given == null || given.isBlank()) return userDefault(user);
        String url = given.trim();
        if (signer == null) {
            throw new UploadException(UploadException.Reason.INVALID, "webhooks_off",
                    "This hub sends no webhooks: WEBHOOK_SECRET is not set, so callback_url cannot be used.");
        }
        if (url.length() > 2048) {
            throw new UploadException(UploadException.Reason.INVALID, "callback_refused", "callback_url is longer than 2048 characters");
        }
        Optional<String> refusal = guard.refusal(url);
        if (refusal.isPresent()) {
            throw new UploadException(UploadException.Reason.INVALID, "callback_refused", refusal.get());
        }
        return url;
    }

    /**
     * The user's default callback_url, or null. The operator wrote it, not the caller: one the guard refuses now
     * (its host no longer resolves, or resolves inward) means no webhook, not a refused upload.
     */
    private String userDefault(UserIdentity user) {
        String url = userSettings.get(user, UserSettings.CALLBACK_URL).orElse(null);
        if (url == null || signer == null) return null;
        Optional<String> refusal = guard.refusal(url);
        if (refusal.isPresent()) {
            LOG.warn("The default callback_url of {} is not used: {}", user, refusal.get());
            return null;
        }
        return url;
    }

    /** A session ended: its event goes into the outbox when it has a callback URL. */
    @Override
    public void finished(SessionRef ref, SessionStatus status) {
        try {
            SessionMetadata metadata = sessions.metadata(ref);
            if (metadata.callbackUrl() == null || signer == null) return;
            String event = "session." + status.status();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("event", event);
            body.put("session_hash", ref.sessionId());
            body.put("status", status.status());
            body.put("total_pages", metadata.totalPages());
            body.put("results_url", publicUrl + "/results/" + ref.sessionId());
            body.put("message", status.message());
            body.put("created_at", metadata.createdAt());
            body.put("completed_at", status.completedAt());
            Instant now = clock.instant();
            outbox.put(new Delivery(UUID.randomUUID().toString(), ref.userHash(), ref.sessionId(), event,
                    metadata.callbackUrl(), Json.string(body), now.toString(), 0, now.toString(), null));
            mayHaveWork.set(true);
        } catch (IOException | RuntimeException e) {
            LOG.error("The webhook of {} could not be put in the outbox: {}", ref, e.toString());
        }
    }

    /** Makes every delivery that is due; returns how many were made (route webhook-delivery). */
    public int deliverDue() throws IOException {
        boolean look = mayHaveWork.getAndSet(false) || System.nanoTime() - lastLook > LOOK_ANYWAY_NANOS;
        if (!look) return 0;
        lastLook = System.nanoTime();
        int delivered = 0;
        boolean waiting = true; // a pass that fails (storage unreachable) looks again next time
        try {
            boolean left = false;
            for (Delivery delivery : outbox.all()) {
                Instant now = clock.instant();
                if (Instant.parse(delivery.nextAttemptAt()).isAfter(now)) {
                    left = true;
                    continue;
                }
                if (attempt(delivery, now)) delivered++;
                else left = true;
            }
            waiting = left;
        } finally {
            if (waiting) mayHaveWork.set(true);
        }
        return delivered;
    }

    /** One attempt; true when delivered, false when it stays in the outbox for a later one. */
    private boolean attempt(Delivery delivery, Instant now) throws IOException {
        if (!sessions.exists(new SessionRef(delivery.userHash(), delivery.sessionId()))) {
            LOG.info("Webhook {} not sent: session {} was deleted", delivery.id(), delivery.sessionId());
            outbox.remove(delivery);
            metrics.webhookDelivery("dropped");
            return true;
        }
        Optional<String> refusal = guard.refusal(delivery.url());
        if (refusal.isPresent()) {
            LOG.warn("Webhook {} of session {} not sent: {}", delivery.id(), delivery.sessionId(), refusal.get());
            outbox.remove(delivery);
            metrics.webhookDelivery("refused");
            return true;
        }
        String error;
        try {
            long timestamp = now.getEpochSecond();
            HttpRequest request = HttpRequest.newBuilder(URI.create(delivery.url()))
                    .timeout(timing.requestTimeout())
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "gnosis-ocr-hub")
                    .header("X-Gnosis-Event", delivery.event())
                    .header("X-Gnosis-Delivery", delivery.id())
                    .header(WebhookSigner.TIMESTAMP_HEADER, Long.toString(timestamp))
                    .header(WebhookSigner.SIGNATURE_HEADER, signer.sign(timestamp, delivery.body()))
                    .POST(HttpRequest.BodyPublishers.ofString(delivery.body()))
                    .build();
            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() / 100 == 2) {
                outbox.remove(delivery);
                metrics.webhookDelivery("delivered");
                LOG.info("Webhook {} of session {} delivered ({})", delivery.event(), delivery.sessionId(),
                        response.statusCode());
                return true;
            }
            error = "HTTP " + response.statusCode();
        } catch (IOException | IllegalArgumentException e) {
            error = e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        if (!now.isBefore(Instant.parse(delivery.createdAt()).plus(timing.retryFor()))) {
            LOG.error("Webhook {} of session {} to {} given up after {} attempts: {}", delivery.id(),
                    delivery.sessionId(), delivery.url(), delivery.attempts() + 1, error);
            outbox.remove(delivery);
            metrics.webhookDelivery("gave_up");
            return true;
        }
        Duration wait = backoff(delivery.attempts() + 1);
        LOG.warn("Webhook {} of session {} failed ({}); next attempt in {} s", delivery.id(), delivery.sessionId(),
                error, wait.toSeconds());
        outbox.put(delivery.retryAt(now.plus(wait).toString(), error));
        metrics.webhookDelivery("retry");
        return false;
    }

    /** WEBHOOK_RETRY_MIN after the first failure, doubling, at most WEBHOOK_RETRY_MAX. */
    Duration backoff(int failures) {
        Duration wait = timing.retryMin();
        for (int i = 1; i < failures && wait.compareTo(timing.retryMax()) < 0; i++) wait = wait.multipliedBy(2);
        return wait.compareTo(timing.retryMax()) > 0 ? timing.retryMax() : wait;
    }
}
