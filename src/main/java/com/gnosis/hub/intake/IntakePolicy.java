package com.gnosis.hub.intake;

import com.gnosis.hub.queue.BusyException;
import com.gnosis.hub.identity.UserIdentity;
import com.gnosis.hub.session.SessionMetadata;
import java.io.IOException;
import java.util.Optional;

/**
 * What the operator's settings add to intake (HubConfiguration builds it): per-user quotas, the callback URLs
 * the hub agrees to call, and counting what was taken. The default lets everything through.
 */
public interface IntakePolicy {

    IntakePolicy OPEN = new IntakePolicy() { };

    /** Whether any user can be over a quota at all (channels skip their per-file checks when not). */
    default boolean limitsUsers() {
        return false;
    }

    /** Why the user may not send a document now (over a quota), or empty. */
    default Optional<BusyException> refusal(UserIdentity user) throws IOException {
        return Optional.empty();
    }

    /**
     * The callback URL as it will be stored, or null for none (a blank value, and no default for the user).
     *
     * @throws UploadException (400) for a URL the hub will not call
     */
    default String callback(UserIdentity user, String url) throws UploadException {
        return url == null || url.isBlank() ? null : url.trim();
    }

    /** A document was taken into a new session. */
    default void taken(SessionMetadata metadata) {
    }
}
