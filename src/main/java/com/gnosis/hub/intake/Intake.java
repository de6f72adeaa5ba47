package com.gnosis.hub.intake;

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
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
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
    private final Object[] stripes = java.util.stream.Stream.generate(Object::new).limit(64).toArray();

    public Intake(SessionStore sessions, Document.Limits limits, Clock clock, Duplicates duplicates, PendingPages pending) {
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
            return store(ref, user, filename, file, takeFile, source, origin, size, type, pages, sha256);
        }
    }

    private Accepted store(SessionRef ref, UserIdentity user, String filename, Path file, boolean takeFile,
                           String source, String origin, long size, DocumentType type, int pages, String sha256)
            throws IOException {
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
                pages, source, original, origin, null);
        pending.expect(ref.sessionId(), pages);
        sessions.create(ref, metadata, SessionStatus.pending(pages, clock.instant()));
        sessions.index(ref, sha256);
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
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
