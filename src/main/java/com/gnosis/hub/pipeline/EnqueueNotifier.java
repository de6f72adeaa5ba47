package com.gnosis.hub.pipeline;

import com.gnosis.hub.queue.QueuedDocument;
import com.gnosis.hub.session.SessionRef;
import com.gnosis.hub.session.SessionStore;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the {@link SessionEvents} listeners that a session is being queued (route ocr-enqueue). It runs
 * just before the message is sent, so no listener hears "queued" after the pipeline has started it.
 */
public final class EnqueueNotifier {

    private static final Logger LOG = LoggerFactory.getLogger(EnqueueNotifier.class);

    private final SessionStore sessions;
    private final SessionEvents events;

    public EnqueueNotifier(SessionStore sessions, SessionEvents events) {
        this.sessions = sessions;
        this.events = events;
    }

    /** @param message the queue message ({@link QueuedDocument} JSON) */
    public void queued(String message) {
        try {
            SessionRef ref = QueuedDocument.parse(message).ref();
            if (sessions.exists(ref)) events.queued(ref, sessions.status(ref));
        } catch (IOException | RuntimeException e) {
            // live progress is a courtesy: the document is queued all the same
            LOG.warn("Could not announce a queued session: {}", e.toString());
        }
    }
}
