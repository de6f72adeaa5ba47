package com.gnosis.hub.pipeline;

import com.gnosis.hub.session.SessionRef;
import com.gnosis.hub.session.SessionStatus;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the page pipeline tells interested parts of this process as a session advances (live progress,
 * drop-folder results). Listeners must be quick and must not throw into the pipeline; the durable record
 * is always status.json.
 */
public interface SessionEvents {

    SessionEvents NONE = new SessionEvents() { };

    /** The session was stored and queued. */
    default void queued(SessionRef ref, SessionStatus status) { }

    /** Processing started (or resumed). */
    default void started(SessionRef ref, SessionStatus status) { }

    /** A page's results are stored. */
    default void pageDone(SessionRef ref, int page, SessionStatus status) { }

    /** A page was read (before it is counted done): where its text came from (ocr, text-layer) and how long it took. */
    default void pageRead(SessionRef ref, int page, String source, java.time.Duration took) { }

    /** A page could not be read; the session fails with it. */
    default void pageFailed(SessionRef ref, int page) { }

    /** The session ended: completed or failed. */
    default void finished(SessionRef ref, SessionStatus status) { }

    /** Several listeners as one; a failing listener is logged and the others still hear the event. */
    static SessionEvents all(List<SessionEvents> listeners) {
        Logger log = LoggerFactory.getLogger(SessionEvents.class);
        return new SessionEvents() {
            private void each(java.util.function.Consumer<SessionEvents> event) {
                for (SessionEvents listener : listeners) {
                    try {
                        event.accept(listener);
                    } catch (RuntimeException e) {
                        log.warn("A session listener failed: {}", e.toString());
                    }
                }
            }

            @Override
            public void queued(SessionRef ref, SessionStatus status) { each(l -> l.queued(ref, status)); }

            @Override
            public void started(SessionRef ref, SessionStatus status) { each(l -> l.started(ref, status)); }

            @Override
            public void pageDone(SessionRef ref, int page, SessionStatus status) { each(l -> l.pageDone(ref, page, status)); }

            @Override
            public void pageRead(SessionRef ref, int page, String source, java.time.Duration took) {
                each(l -> l.pageRead(ref, page, source, took));
            }

            @Override
            public void pageFailed(SessionRef ref, int page) { each(l -> l.pageFailed(ref, page)); }

            @Override
            public void finished(SessionRef ref, SessionStatus status) { each(l -> l.finished(ref, status)); }
        };
    }
}
