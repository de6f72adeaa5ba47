package com.gnosis.hub.pipeline;

import com.gnosis.hub.session.Json;
import com.gnosis.hub.session.SessionRef;
import com.gnosis.hub.session.SessionStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;

/**
 * Sends every ended session to {@value #ENDPOINT} (route session-finished), so routes, metrics and tests see
 * a document finish as an exchange: {@code {user_hash, session_id, status, message}}.
 */
public final class FinishedSessionsRoute implements SessionEvents {

    public static final String ENDPOINT = "direct:session-finished";

    private final CamelContext context;
    private volatile ProducerTemplate template;

    public FinishedSessionsRoute(CamelContext context) {
        this.context = context;
    }

    @Override
    public void finished(SessionRef ref, SessionStatus status) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("user_hash", ref.userHash());
        body.put("session_id", ref.sessionId());
        body.put("status", status.status());
        body.put("message", status.message());
        template().sendBody(ENDPOINT, Json.string(body));
    }

    private ProducerTemplate template() {
        if (template == null) {
            synchronized (this) {
                if (template == null) template = context.createProducerTemplate();
            }
        }
        return template;
    }
}
