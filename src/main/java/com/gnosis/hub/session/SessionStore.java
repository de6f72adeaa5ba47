package com.gnosis.hub.session;

import com.gnosis.hub.identity.UserIdentity;
import com.gnosis.hub.storage.Storage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Sessions in storage. Every lookup goes through the caller's own folder, so another user's session
 * is simply not found: the same answer as for a session that does not exist.
 */
public final class SessionStore {

    /** A session's two documents, as listed for its owner. */
    public record Summary(SessionMetadata metadata, SessionStatus status) {
    }

    private final Storage storage;

    public SessionStore(Storage storage) {
        this.storage = storage;
    }

    public Storage storage() {
        return storage;
    }

    public void create(SessionRef ref, SessionMetadata metadata, SessionStatus status) throws IOException {
        storage.put(ref.key(SessionFiles.STATUS), Json.bytes(status));
        // metadata last: a session counts as existing once its metadata is there
        storage.put(ref.key(SessionFiles.METADATA), Json.bytes(metadata));
    }

    /** The caller's session with that id, if it exists. */
    public Optional<SessionRef> find(UserIdentity user, String sessionId) throws IOException {
        Optional<SessionRef> ref = SessionRef.of(user, sessionId);
        if (ref.isEmpty() || !storage.exists(ref.get().key(SessionFiles.METADATA))) {
            return Optional.empty();
        }
        return ref;
    }

    public boolean exists(SessionRef ref) throws IOException {
        return storage.exists(ref.key(SessionFiles.METADATA));
    }

    public SessionMetadata metadata(SessionRef ref) throws IOException {
        return read(ref, SessionFiles.METADATA, SessionMetadata.class);
    }

    public SessionStatus status(SessionRef ref) throws IOException {
        return read(ref, SessionFiles.STATUS, SessionStatus.class);
    }

    /** The user's sessions, newest first. */
    public List<Summary> list(UserIdentity user) throws IOException {
        List<Summary> sessions = new ArrayList<>();
        for (String id : storage.children("users/" + user.hash() + "/")) {
            Optional<SessionRef> ref = SessionRef.of(user, id);
            if (ref.isEmpty()) continue;
            try {
                if (exists(ref.get())) sessions.add(new Summary(metadata(ref.get()), status(ref.get())));
            } catch (IOException e) {
                // deleted while listing: not a session any more
            }
        }
        sessions.sort(Comparator.comparing((Summary s) -> s.metadata().createdAt()).reversed());
        return sessions;
    }

    /**
     * Deletes the session's files; metadata first, so it stops existing before its pages go. Its entry in the
     * duplicate index goes last, when it still names this session (the same bytes uploaded again meanwhile made a
     * new session that keeps its entry): nothing is left that says the user once sent these bytes.
     */
    public void delete(SessionRef ref) throws IOException {
        Optional<String> sha256 = Optional.empty();
        try {
            sha256 = Optional.ofNullable(metadata(ref).sha256());
        } catch (IOException e) {
            // no readable metadata (deleted meanwhile, or not written by this hub): no index entry of its own
        }
        storage.delete(ref.key(SessionFiles.METADATA));
        storage.deleteAll(ref.prefix());
        if (sha256.isPresent() && indexed(ref.userHash(), sha256.get()).filter(ref.sessionId()::equals).isPresent()) {
            storage.delete(indexKey(ref.userHash(), sha256.get()));
        }
    }

    /** Records the session as the one that holds these bytes of its user (DUPLICATES=link). */
    public void index(SessionRef ref, String sha256) throws IOException {
        storage.put(indexKey(ref.userHash(), sha256), ref.sessionId().getBytes(StandardCharsets.US_ASCII));
    }

    /** The id of the user's session indexed for these bytes; it may since have been deleted or have failed. */
    public Optional<String> indexed(String userHash, String sha256) throws IOException {
        return storage.get(indexKey(userHash, sha256)).map(id -> new String(id, StandardCharsets.US_ASCII).trim());
    }

    /** index/sha256/{user_hash}/{sha}: beside users/, not in it. */
    private static String indexKey(String userHash, String sha256) {
        return "index/sha256/" + userHash + "/" + sha256;
    }

    /**
     * The names of the session's files, sorted: what its owner gets in the ZIP. The hub's own bookkeeping beside them
     * (claims of the shared queue under {@code .claims/}, any other name starting with a dot) is not theirs.
     */
    public List<String> files(SessionRef ref) throws IOException {
        return storage.list(ref.prefix()).stream().map(key -> key.substring(ref.prefix().length()))
                .filter(name -> !name.startsWith(".")).toList();
    }

    private <T> T read(SessionRef ref, String file, Class<T> type) throws IOException {
        byte[] json = storage.get(ref.key(file))
                .orElseThrow(() -> new java.io.FileNotFoundException(ref + "/" + file));
        return Json.read(json, type);
    }
}
