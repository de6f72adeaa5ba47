package com.gnosis.hub.queue;

import com.gnosis.hub.session.Json;
import com.gnosis.hub.session.SessionRef;
import java.io.IOException;

/**
 * The message on the OCR queue: only the user hash and the session id. Everything else is read from
 * storage, so a broker can carry it to another machine.
 */
public record QueuedDocument(String userHash, String sessionId) {

    /** The exchange variable a channel leaves the message in for direct:enqueue-document. */
    public static final String VARIABLE = "queuedDocument";

    public static QueuedDocument of(SessionRef ref) {
        return new QueuedDocument(ref.userHash(), ref.sessionId());
    }

    public static QueuedDocument parse(String json) throws IOException {
        return Json.read(json.getBytes(java.nio.charset.StandardCharsets.UTF_8), QueuedDocument.class);
    }

    public SessionRef ref() {
        return new SessionRef(userHash, sessionId);
    }

    public String toJson() {
        return Json.string(this);
    }
}
