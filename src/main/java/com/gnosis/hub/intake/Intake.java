package com.gnosis.hub.intake;

import com.gnosis.hub.digest.Sha256;
import com.gnosis.hub.queue.BusyException;
import com.gnosis.hub.queue.PendingPages;
import com.gnosis.hub.identity.UserIdentity;
import com.gnosis.hub.ocr.Document;
import com.gnosis.hub.ocr.DocumentException;
import com.gnosis.hub.ocr.DocumentType;
import com.gnosis.hub.session.SessionFiles;
import com.gnosis.hub.session.SessionMetadata;
import com.gnosis.hub.session.SessionRef;
import com.gnosis.hub.session.SessionStatus;
import com.gnosis.hub.session.SessionStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every channel shares: check the document by content, store the original, write metadata.json
 * and status.json (pending). Enqueueing is the route's job; a channel never runs OCR itself.
 */
public final class Intake {

    private static final Logger LOG = LoggerFactory.getLogger(Intake.class);

    /**
     * A stored session, ready to be queued; or, with {@code duplicate}, the user's existing session for the same
     * bytes (DUPLICATES=link), which is not queued again.
     */
    public record Accepted(SessionRef ref, SessionMetadata metadata, boolean duplicate) {
    }

    /** DUPLICATES: link the same bytes from the same user to their existing session, or keep (process again). */
    public enum Duplicates { LINK, KEEP }

    private final SessionStore sessions;
    private final Document.Limits limits;
    private final Clock clock;
    private final Duplicates duplicates;
    private final PendingPages pending;
    private final IntakePolicy policy;
    private final Object[] stripes = java.util.stream.Stream.generate(Object::new).limit(64).toArray();

    public Intake(SessionStore sessions, Document.Limits limits, Clock clock, Duplicates duplicates, PendingPages pending) {
        this(sessions, limits, clock, duplicates, pending, IntakePolicy.OPEN);
    }

    public Intake(SessionStore sessions, Document.Limits limits, Clock clock, Duplicates duplicates, PendingPages pending,
                  IntakePolicy policy) {
        this.policy = policy;
        this.sessions = sessions;
        this.limits = limits;
        this.clock = clock;
        this.duplicates = duplicates;
        this.pending = pending;
    }

    /** Refuses new documents while the hub is over MAX_QUEUED_PAGES (channels ask before taking a file). */
    public void checkRoom() throws BusyException {
        pending.checkRoom();
    }

    public boolean hasRoom() {
        return pending.hasRoom();
    }

    /** As {@link #checkRoom()}, and refuses a user who is over a quota (QUOTA_*): both are 429 with Retry-After. */
    public void checkRoom(UserIdentity user) throws BusyException, IOException {
        pending.checkRoom();
        Optional<BusyException> refusal = policy.refusal(user);
        if (refusal.isPresent()) throw refusal.get();
    }

    /** Whether quotas are set for anyone: when not, a channel need not ask for each file. */
    public boolean limitsUsers() {
        return policy.limitsUsers();
    }

    /** Why a channel that cannot answer 429 (drop folder, bucket) should leave the user's document where it is. */
    public Optional<String> quotaRefusal(UserIdentity user) throws IOException {
        return policy.refusal(user).map(BusyException::getMessage);
    }

    /** The callback URL to store for a document of the user (the user's default when none is given), or null. */
    public String callback(UserIdentity user, String url) throws UploadException {
        return policy.callback(user, url);
    }

    /** Keeps a chunked upload's callback URL until its last chunk makes the session ({@link #accept}). */
    public void rememberCallback(SessionRef ref, String url) throws IOException {
        if (url != null) sessions.storage().put(callbackKey(ref), url.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private String recallCallback(SessionRef ref) throws IOException {
        Optional<byte[]> url = sessions.storage().get(callbackKey(ref));
        if (url.isEmpty()) return null;
        sessions.storage().delete(callbackKey(ref));
        return new String(url.get(), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** uploads/callbacks/{user_hash}/{session_id}: beside users/, so it is never taken for a session. */
    private static String callbackKey(SessionRef ref) {
        return "uploads/callbacks/" + ref.userHash() + "/" + ref.sessionId();
    }
    /** Takes a document into a new session of the user. */
    public Accepted accept(UserIdentity user, String filename, Path file, String source)
            throws DocumentException, IOException {
        return accept(SessionRef.create(user), user, filename, file, source, null, false);
    }

    /** Takes a document from a channel that reports back to {@code origin} (see {@link SessionMetadata#origin()}). */
    public Accepted accept(UserIdentity user, String filename, Path file, String source, String origin)
            throws DocumentException, IOException {
        return accept(SessionRef.create(user), user, filename, file, source, origin, false);
    }

    /**
     * Takes a document into the given (new) session; chunked uploads know their id before the bytes.
     *
     * @param takeFile the caller is done with {@code file}: when it is stored it is moved into the session
     *                 rather than copied (it stays where it was when the document is refused or linked)
     */
    public Accepted accept(SessionRef ref, UserIdentity user, String filename, Path file, String source,
                           String origin, boolean takeFile) throws DocumentException, IOException {
        return accept(ref, user, filename, file, source, origin, takeFile, null);
    }

    /**
     * As above, recording where to POST the session's outcome ({@code callbackUrl}, checked by {@link #callback});
     * null takes the one a chunked upload gave at its start, else the user's default.
     */
    public Accepted accept(SessionRef ref, UserIdentity user, String filename, Path file, String source,
                           String origin, boolean takeFile, String callbackUrl) throws DocumentException, IOException {
        if (callbackUrl == null) callbackUrl = recallCallback(ref);
        if (callbackUrl == null) {
            try {
                callbackUrl = policy.callback(user, null); // the user's default, if any
            } catch (UploadException e) {
                LOG.warn("No webhook for this document of {}: {}", user, e.getMessage());
            }
        }
        long size = Files.size(file);
        if (size == 0) {
            throw new DocumentException("empty_file", "The file is empty.");
        }
        DocumentType type;
        int pages;
        try (Document document = Document.open(file, limits)) {
            type = document.type();
            pages = document.pageCount();
        }
        String sha256 = sha256(file);
        // one intake at a time per user and content, so two copies arriving together cannot both be new
        synchronized (stripes[Math.floorMod((user.hash() + sha256).hashCode(), stripes.length)]) {
            return store(ref, user, filename, file, takeFile, source, origin, size, type, pages, sha256, callbackUrl);
        }
    }

    private Accepted store(SessionRef ref, UserIdentity user, String filename, Path file, boolean takeFile,
                           String source, String origin, long size, DocumentType type, int pages, String sha256,
                           String callbackUrl) throws IOException {
        if (duplicates == Duplicates.LINK) {
            Optional<Accepted> existing = existing(user, sha256);
            if (existing.isPresent()) {
                LOG.info("Same bytes as {} from {}: linked, not processed again", existing.get().ref(), user);
                return existing.get();
            }
        }
        String original = SessionFiles.original(type.extension());
        if (takeFile) {
            sessions.storage().putFileTaking(ref.key(original), file);
        } else {
            sessions.storage().putFile(ref.key(original), file);
        }
        SessionMetadata metadata = new SessionMetadata(ref.sessionId(), user.email(), user.hash(),
                clock.instant().toString(), displayName(filename, type), size, type.contentType(), sha256,
                pages, source, original, origin, null, callbackUrl);
        pending.expect(ref, pages);
        sessions.create(ref, metadata, SessionStatus.pending(pages, clock.instant()));
        sessions.index(ref, sha256);
        policy.taken(metadata);
        LOG.info("Accepted {} ({} pages, {} bytes) from {} via {}", ref, pages, size, user, source);
        return new Accepted(ref, metadata, false);
    }

    /** The user's live session for these bytes: one that exists and did not fail. Never another user's. */
    private Optional<Accepted> existing(UserIdentity user, String sha256) throws IOException {
        Optional<String> indexed = sessions.indexed(user.hash(), sha256);
        if (indexed.isEmpty()) return Optional.empty();
        Optional<SessionRef> ref = sessions.find(user, indexed.get());
        if (ref.isEmpty() || SessionStatus.FAILED.equals(sessions.status(ref.get()).status())) return Optional.empty();
        return Optional.of(new Accepted(ref.get(), sessions.metadata(ref.get()), true));
    }

    /**
     * The client's file name, kept only as data: folders are dropped, control characters removed, the length
     * bounded; a missing name becomes upload.{ext}.
     */
    static String displayName(String filename, DocumentType type) {
        String name = filename == null ? "" : filename;
        name = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
        // a plain loop, not codePoints(): this runs on every upload, and a stream pipeline's JIT profile is shared
        // with every other IntStream in the hub (a deoptimisation there stalls uploads)
        StringBuilder kept = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!Character.isISOControl(c)) kept.append(c);
        }
        name = kept.toString().strip();
        if (name.isEmpty() || name.equals(".") || name.equals("..")) {
            return SessionFiles.original(type.extension());
        }
        return name.length() > 255 ? name.substring(0, 255) : name;
    }

    static String sha256(Path file) throws IOException {
        return Sha256.hex(file);
    }
}
