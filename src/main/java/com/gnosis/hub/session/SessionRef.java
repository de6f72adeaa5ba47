package com.gnosis.hub.session;

import com.gnosis.hub.identity.UserIdentity;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A session's address: its owner's hash and its id. Only well-formed values make a ref, so a
 * client-supplied id can never become a path outside its owner's folder.
 */
public record SessionRef(String userHash, String sessionId) {

    private static final Pattern UUID_SHAPE =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    public SessionRef {
        if (!UserIdentity.isHash(userHash) || !isSessionId(sessionId)) {
            throw new IllegalArgumentException("not a session: " + userHash + "/" + sessionId);
        }
    }

    /** A new session of the user with a random UUID4 id. */
    public static SessionRef create(UserIdentity user) {
        return new SessionRef(user.hash(), UUID.randomUUID().toString());
    }

    /** The user's session with this id, or empty when the id is not a session id at all. */
    public static Optional<SessionRef> of(UserIdentity user, String sessionId) {
        return isSessionId(sessionId) ? Optional.of(new SessionRef(user.hash(), sessionId)) : Optional.empty();
    }

    public static boolean isSessionId(String value) {
        return value != null && UUID_SHAPE.matcher(value).matches();
    }

    /** "users/{user_hash}/{session_id}/" */
    public String prefix() {
        return "users/" + userHash + "/" + sessionId + "/";
    }

    public String key(String fileName) {
        return prefix() + fileName;
    }

    @Override
    public String toString() {
        return userHash + "/" + sessionId;
    }
}
