package com.gnosis.hub.queue;

import com.gnosis.hub.identity.UserIdentity;
import com.gnosis.hub.session.SessionRef;
import com.gnosis.hub.session.SessionStatus;
import com.gnosis.hub.session.SessionStore;
import com.gnosis.hub.storage.Storage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After a crash or a restart: the sessions left pending or processing, found in storage, to be queued again.
 * The page pipeline then resumes each at its first page without a stored result. Where several hubs share the
 * storage and a broker queue, every hub runs this on start: a session is queued by the one hub that takes its
 * {@code recovery} claim, so hubs started together queue it once.
 */
public final class SessionRecovery {

    private static final Logger LOG = LoggerFactory.getLogger(SessionRecovery.class);

    private final SessionStore sessions;
    private final Claims claims;

    /** One hub on its storage (the in-process queue). */
    public SessionRecovery(SessionStore sessions) {
        this(sessions, null);
    }

    /** @param claims the claims of hubs that share the storage, or null for a hub alone on it */
    public SessionRecovery(SessionStore sessions, Claims claims) {
        this.sessions = sessions;
        this.claims = claims;
    }

    /** Queue messages ({@link QueuedDocument} JSON) for every unfinished session, oldest user folder first. */
    public List<String> unfinished() throws IOException {
        Storage storage = sessions.storage();
        List<String> messages = new ArrayList<>();
        for (String userHash : storage.children("users/")) {
            if (!UserIdentity.isHash(userHash)) continue;
            for (String sessionId : storage.children("users/" + userHash + "/")) {
                if (!com.gnosis.hub.session.SessionRef.isSessionId(sessionId)) continue;
                SessionRef ref = new SessionRef(userHash, sessionId);
                try {
                    if (sessions.exists(ref) && !sessions.status(ref).finished()
                            && (claims == null || claims.take(ref, "recovery").isPresent())) {
                        messages.add(QueuedDocument.of(ref).toJson());
                    }
                } catch (IOException e) {
                    LOG.warn("Session {} could not be checked for recovery: {}", ref, e.getMessage());
                }
            }
        }
        if (!messages.isEmpty()) LOG.info("Recovering {} unfinished sessions", messages.size());
        return messages;
    }
}
