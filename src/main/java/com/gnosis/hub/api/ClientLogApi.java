package com.gnosis.hub.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.gnosis.hub.identity.IdentityResolver;
import com.gnosis.hub.identity.UserIdentity;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POST /api/log: gnosis-ocr v2's web page logger ({level, message, context, timestamp, session_id, url,
 * user_agent}) answered as gnosis-ocr does, {"status": "logged", "timestamp"}; and POST /api/log/batch, where its
 * logger sends what is left when the page closes ({logs: [...]}). An entry goes into the hub's log at DEBUG only
 * (logger {@value #LOGGER}), whatever level the page gave it: a browser must not be able to fill the log at INFO,
 * and the log names the user by hash, never by e-mail. Bodies, fields and entries are bounded.
 */
public final class ClientLogApi {

    static final String LOGGER = "com.gnosis.hub.clientlog";
    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

    static final long ENTRY_BODY_BYTES = 64 * 1024;
    static final long BATCH_BODY_BYTES = 512 * 1024;
    private static final int MAX_BATCH_ENTRIES = 100;
    private static final int MAX_TEXT = 1000;
    private static final int MAX_CONTEXT = 4000;
    private static final Duration IDLE = Duration.ofSeconds(30);

    private final IdentityResolver identities;
    private final Clock clock;

    public ClientLogApi(IdentityResolver identities, Clock clock) {
        this.identities = identities;
        this.clock = clock;
    }

    public void log(Exchange exchange) throws IOException {
        try (BoundedBody in = BoundedBody.open(exchange, IDLE)) {
            UserIdentity user = HttpReplies.caller(exchange, identities);
            JsonNode entry = in.bound(ENTRY_BODY_BYTES, UploadApi.SMALL_BODY_TOTAL, "A log entry").readObject();
            write(user, entry);
            HttpReplies.json(exchange, answer(null));
        }
    }

    public void batch(Exchange exchange) throws IOException {
        try (BoundedBody in = BoundedBody.open(exchange, IDLE)) {
            UserIdentity user = HttpReplies.caller(exchange, identities);
            JsonNode body = in.bound(BATCH_BODY_BYTES, UploadApi.SMALL_BODY_TOTAL, "A batch of log entries").readObject();
            JsonNode logs = body.path("logs");
            if (!logs.isArray()) throw ApiException.badRequest("missing_field", "logs (an array of entries) is required.");
            int written = 0;
            for (JsonNode entry : logs) {
                if (written == MAX_BATCH_ENTRIES) break;
                if (entry.isObject()) {
                    write(user, entry);
                    written++;
                }
            }
            HttpReplies.json(exchange, answer(written));
        }
    }

    private Map<String, Object> answer(Integer count) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("status", "logged");
        answer.put("timestamp", clock.instant().toString());
        if (count != null) answer.put("count", count);
        return answer;
    }

    private static void write(UserIdentity user, JsonNode entry) {
        if (!LOG.isDebugEnabled()) return;
        LOG.debug("Web page {} (user {}, page session {}, at {}): {} context={}",
                clean(entry.path("level").asText("info").toUpperCase(java.util.Locale.ROOT), 16), user.hash(),
                clean(entry.path("session_id").asText(""), 100), clean(entry.path("timestamp").asText(""), 40),
                clean(entry.path("message").asText(""), MAX_TEXT),
                clean(entry.path("context").isMissingNode() ? "{}" : entry.path("context").toString(), MAX_CONTEXT));
    }

    /** One line, bounded: control characters (a forged line break) become spaces. */
    static String clean(String text, int max) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), max) + 3);
        for (int i = 0; i < text.length() && out.length() < max; i++) {
            char c = text.charAt(i);
            out.append(Character.isISOControl(c) ? ' ' : c);
        }
        if (text.length() > max) out.append("...");
        return out.toString();
    }
}
