package com.gnosis.hub.intake;

import com.gnosis.hub.queue.BusyException;
import com.gnosis.hub.identity.UserIdentity;
import com.gnosis.hub.session.Json;
import com.gnosis.hub.session.SessionRef;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * gnosis-ocr's chunked upload: start, then numbered chunks in any order, each written to disk (never
 * held in memory); a repeated chunk is not counted twice; when the last one arrives the chunks are
 * assembled in order and the upload's id becomes the session's id. Staging lives under the user's hash,
 * so another user's upload id is simply not found.
 *
 * <p>Unfinished uploads are bounded per user and end after {@link Limits#ttl()} without a chunk; what a stopped
 * hub left behind is cleaned at start ({@link #cleanAtStart()}), so abandoned uploads cannot fill the disk.
 */
public final class ChunkedUploads {

    private static final Logger LOG = LoggerFactory.getLogger(ChunkedUploads.class);

    /** upload.json in the staging folder. */
    public record Upload(String filename, long totalSize, int totalChunks, String userHash, String createdAt) {
    }

    /** What a chunk changed; {@code complete} is true for exactly one caller, who must then {@link #assemble}. */
    public record Receipt(int chunkNumber, int chunksReceived, int totalChunks, long bytesReceived,
                          boolean duplicate, boolean complete) {

        /** Computed as gnosis-ocr does ((received / total) * 100), so the same counts give the same number. */
        public double progressPercent() {
            return ((double) chunksReceived / totalChunks) * 100;
        }
    }

    /** An unfinished upload, as its owner may list it. */
    public record Pending(String sessionId, Upload upload, int chunksReceived, long bytesReceived,
                          List<Integer> missingChunks, Instant updatedAt, Instant expiresAt) {
    }

    /**
     * @param maxBytes    largest total_size (MAX_UPLOAD_MB)
     * @param maxChunks   most chunks one upload may have (each is a file)
     * @param perUser     unfinished uploads one user may have at once
     * @param ttl         an upload without a chunk for this long is removed
     */
    public record Limits(long maxBytes, int maxChunks, int perUser, Duration ttl) {
    }

    private static final String MANIFEST = "upload.json";
    private static final String CLAIMED = "assembling";
    private static final String CHUNK_PREFIX = "chunk_";

    private final Path root;
    private final Limits limits;
    private final Clock clock;
    /** Per upload: its lock and its counts (rebuilt from disk when absent, e.g. after a restart). */
    private final ConcurrentHashMap<String, Counts> counts = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Object> userLocks = new ConcurrentHashMap<>();

    public ChunkedUploads(Path root, Limits limits, Clock clock) {
        this.root = root;
        this.limits = limits;
        this.clock = clock;
    }

    /** Only the size limit (tests and tools): 10000 chunks, 20 uploads per user, one hour. */
    public ChunkedUploads(Path root, long maxBytes, Clock clock) {
        this(root, new Limits(maxBytes, 10_000, 20, Duration.ofHours(1)), clock);
    }

    public Limits limits() {
        return limits;
    }

    public SessionRef start(UserIdentity user, String filename, long totalSize, long totalChunks)
            throws UploadException, IOException, BusyException {
        if (totalSize <= 0) {
            throw new UploadException(UploadException.Reason.INVALID, "empty_file", "total_size must be above 0.");
        }
        if (totalSize > limits.maxBytes()) {
            throw new UploadException(UploadException.Reason.TOO_LARGE, "too_large", "File too large. Maximum size: "
                    + limits.maxBytes() / (1024 * 1024) + " MB (MAX_UPLOAD_MB); this one is " + totalSize + " bytes.");
        }
        long most = Math.min(totalSize, limits.maxChunks());
        if (totalChunks <= 0 || totalChunks > most) {
            throw new UploadException(UploadException.Reason.INVALID, "bad_chunks",
                    "total_chunks must be between 1 and " + most + " (at most total_size and MAX_CHUNKS), not "
                            + totalChunks + ".");
        }
        synchronized (userLocks.computeIfAbsent(user.hash(), h -> new Object())) {
            List<Instant> open = new ArrayList<>();
            for (Path dir : uploadDirs(root.resolve(user.hash()))) {
                Instant touched = lastActivity(dir);
                if (expired(touched)) {
                    remove(dir);
                } else {
                    open.add(touched);
                }
            }
            if (open.size() >= limits.perUser()) {
                Instant oldest = open.stream().min(Comparator.naturalOrder()).orElseThrow();
                long wait = Math.max(1, Duration.between(clock.instant(), oldest.plus(limits.ttl())).toSeconds());
                throw new BusyException("You have " + open.size() + " unfinished chunked uploads (at most "
                        + limits.perUser() + ", CHUNKED_UPLOADS_PER_USER): finish or cancel one (DELETE /uploads/{id}); "
                        + "unfinished ones expire after " + limits.ttl().toSeconds() + " s without a chunk.", wait);
            }
            SessionRef ref = SessionRef.create(user);
            Path dir = dir(ref);
            Files.createDirectories(dir);
            Upload upload = new Upload(filename, totalSize, (int) totalChunks, user.hash(), clock.instant().toString());
            Path temp = dir.resolve(MANIFEST + ".tmp");
            Files.write(temp, Json.bytes(upload));
            Files.move(temp, dir.resolve(MANIFEST), StandardCopyOption.ATOMIC_MOVE);
            touch(dir);
            return ref;
        }
    }

    /** The user's upload with that id, if one is in progress. */
    public Optional<Upload> find(UserIdentity user, String uploadId) throws IOException {
        Optional<SessionRef> ref = SessionRef.of(user, uploadId);
        if (ref.isEmpty()) return Optional.empty();
        return manifest(dir(ref.get()));
    }

    /**
     * A new empty file in the upload's staging folder, for a chunk whose bytes are still arriving (then given to
     * {@link #addChunk(UserIdentity, String, long, Path)}, which moves or deletes it).
     */
    public Path newChunkFile(UserIdentity user, String uploadId) throws UploadException, IOException {
        find(user, uploadId).orElseThrow(() -> notFound(uploadId));
        return Files.createTempFile(dir(new SessionRef(user.hash(), uploadId)), ".chunk-", ".tmp");
    }

    /** The staging folder of the user's upload (a chunk written there is moved, not copied). */
    public Path folder(UserIdentity user, String uploadId) throws UploadException, IOException {
        find(user, uploadId).orElseThrow(() -> notFound(uploadId));
        return dir(new SessionRef(user.hash(), uploadId));
    }

    /** Writes the chunk to disk as it is read, then takes it as {@link #addChunk(UserIdentity, String, long, Path)}. */
    public Receipt addChunk(UserIdentity user, String uploadId, long chunkNumber, InputStream data)
            throws UploadException, IOException {
        Upload upload = find(user, uploadId).orElseThrow(() -> notFound(uploadId));
        checkNumber(upload, chunkNumber);
        Path temp = newChunkFile(user, uploadId);
        try (OutputStream out = Files.newOutputStream(temp)) {
            byte[] buffer = new byte[64 * 1024];
            long written = 0;
            for (int n = data.read(buffer); n >= 0; n = data.read(buffer)) {
                written += n;
                if (written > upload.totalSize()) throw chunkTooLarge(upload);
                out.write(buffer, 0, n);
            }
        } catch (IOException | UploadException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        return addChunk(user, uploadId, chunkNumber, temp);
    }

    /**
     * Takes a chunk already on disk (in the upload's folder): it becomes chunk {@code chunkNumber} unless that one
     * arrived before (then it is dropped and counted once). The file is gone afterwards in every case.
     */
    public Receipt addChunk(UserIdentity user, String uploadId, long chunkNumber, Path file)
            throws UploadException, IOException {
        try {
            Upload upload = find(user, uploadId).orElseThrow(() -> notFound(uploadId));
            checkNumber(upload, chunkNumber);
            long size = Files.size(file);
            if (size > upload.totalSize()) throw chunkTooLarge(upload);
            Path dir = dir(new SessionRef(user.hash(), uploadId));
            Path chunk = dir.resolve(String.format("%s%06d.part", CHUNK_PREFIX, chunkNumber));
            Counts state = counts.computeIfAbsent(uploadId, id -> new Counts());
            synchronized (state) {
                if (Files.exists(dir.resolve(CLAIMED))) {
                    throw new UploadException(UploadException.Reason.CONFLICT, "upload_complete",
                            "All chunks of this upload were already received.");
                }
                if (!Files.isDirectory(dir)) throw notFound(uploadId); // expired or cancelled meanwhile
                state.load(dir);
                // the first copy stays; a retried chunk must not count twice
                boolean duplicate = Files.exists(chunk);
                if (!duplicate) {
                    if (state.bytes + size > upload.totalSize()) {
                        throw new UploadException(UploadException.Reason.TOO_LARGE, "too_large",
                                "The chunks add up to more than total_size (" + upload.totalSize() + " bytes).");
                    }
                    Files.move(file, chunk, StandardCopyOption.ATOMIC_MOVE);
                    state.count++;
                    state.bytes += size;
                }
                touch(dir);
                boolean complete = state.count == upload.totalChunks();
                if (complete) Files.createFile(dir.resolve(CLAIMED));
                return new Receipt((int) chunkNumber, state.count, upload.totalChunks(), state.bytes, duplicate, complete);
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** Joins the chunks in order into one file, checks its size, and returns it (to be taken by intake). */
    public Path assemble(UserIdentity user, String uploadId) throws UploadException, IOException {
        Upload upload = find(user, uploadId).orElseThrow(() -> notFound(uploadId));
        Path dir = dir(new SessionRef(user.hash(), uploadId));
        Path assembled = dir.resolve("assembled.bin");
        try (OutputStream out = Files.newOutputStream(assembled)) {
            for (int i = 0; i < upload.totalChunks(); i++) {
                Files.copy(dir.resolve(String.format("%s%06d.part", CHUNK_PREFIX, i)), out);
            }
        }
        long size = Files.size(assembled);
        if (size != upload.totalSize()) {
            throw new UploadException(UploadException.Reason.INVALID, "size_mismatch", "The chunks add up to " + size
                    + " bytes but total_size was " + upload.totalSize() + ".");
        }
        return assembled;
    }

    /** Removes the staging folder of an upload (after intake, or when it failed). */
    public void discard(UserIdentity user, String uploadId) throws IOException {
        Optional<SessionRef> ref = SessionRef.of(user, uploadId);
        if (ref.isEmpty()) return;
        remove(dir(ref.get()));
    }

    /** The user's unfinished uploads, oldest first. */
    public List<Pending> list(UserIdentity user) throws IOException {
        List<Pending> pending = new ArrayList<>();
        for (Path dir : uploadDirs(root.resolve(user.hash()))) {
            describe(dir).ifPresent(pending::add);
        }
        pending.sort(Comparator.comparing(p -> p.upload().createdAt()));
        return pending;
    }

    /** One unfinished upload of the user. */
    public Optional<Pending> describe(UserIdentity user, String uploadId) throws IOException {
        Optional<SessionRef> ref = SessionRef.of(user, uploadId);
        return ref.isEmpty() ? Optional.empty() : describe(dir(ref.get()));
    }

    /** Ends an unfinished upload of the user and removes its chunks; one being assembled can no longer be cancelled. */
    public void cancel(UserIdentity user, String uploadId) throws UploadException, IOException {
        find(user, uploadId).orElseThrow(() -> notFound(uploadId));
        Counts state = counts.computeIfAbsent(uploadId, id -> new Counts());
        synchronized (state) {
            Path dir = dir(new SessionRef(user.hash(), uploadId));
            if (Files.exists(dir.resolve(CLAIMED))) {
                throw new UploadException(UploadException.Reason.CONFLICT, "upload_complete",
                        "All chunks of this upload were already received; it is becoming a session.");
            }
            remove(dir);
        }
    }

    /** Removes every upload without a chunk for longer than the TTL (called periodically). */
    public int expire() {
        int removed = 0;
        for (Path userDir : children(root)) {
            for (Path dir : children(userDir)) {
                try {
                    if (!expired(lastActivity(dir))) continue;
                    // under the upload's lock, so a chunk being taken right now is not removed under it; one being
                    // assembled is left alone unless it has been stuck for a whole TTL
                    Counts state = counts.computeIfAbsent(dir.getFileName().toString(), id -> new Counts());
                    synchronized (state) {
                        if (Files.isDirectory(dir) && expired(lastActivity(dir))) {
                            remove(dir);
                            removed++;
                        }
                    }
                } catch (IOException e) {
                    LOG.warn("Cannot remove the expired chunked upload {}: {}", root.relativize(dir), e.getMessage());
                }
            }
        }
        if (removed > 0) {
            LOG.info("Removed {} chunked upload(s) without a chunk for {} s (CHUNKED_UPLOAD_TTL)", removed,
                    limits.ttl().toSeconds());
        }
        return removed;
    }

    /**
     * At start, before requests are served: removes expired uploads, those whose assembly a stop interrupted (their
     * client got no answer; a session intake had already stored is recovered as any other) and unreadable ones, and
     * the half-written chunks of the rest, which can go on where they stopped.
     */
    public void cleanAtStart() {
        int removed = 0;
        int kept = 0;
        for (Path userDir : children(root)) {
            for (Path dir : children(userDir)) {
                try {
                    if (Files.exists(dir.resolve(CLAIMED)) || manifest(dir).isEmpty() || expired(lastActivity(dir))) {
                        remove(dir);
                        removed++;
                        continue;
                    }
                    FileTime touched = Files.getLastModifiedTime(dir);
                    for (Path file : children(dir)) {
                        String name = file.getFileName().toString();
                        if (!name.equals(MANIFEST) && !name.startsWith(CHUNK_PREFIX)) Files.deleteIfExists(file);
                    }
                    Files.setLastModifiedTime(dir, touched);
                    kept++;
                } catch (IOException e) {
                    LOG.warn("Cannot clean the chunked upload {}: {}", root.relativize(dir), e.getMessage());
                }
            }
        }
        if (removed > 0 || kept > 0) {
            LOG.info("Chunked uploads at start: {} removed (expired, interrupted or unreadable), {} kept to be resumed",
                    removed, kept);
        }
    }

    private Optional<Pending> describe(Path dir) throws IOException {
        Optional<Upload> upload = manifest(dir);
        if (upload.isEmpty() || Files.exists(dir.resolve(CLAIMED))) return Optional.empty();
        Instant touched = lastActivity(dir);
        if (expired(touched)) return Optional.empty();
        boolean[] present = new boolean[upload.get().totalChunks()];
        int received = 0;
        long bytes = 0;
        for (Path file : children(dir)) {
            int number = chunkNumber(file);
            if (number >= 0 && number < present.length) {
                present[number] = true;
                received++;
                bytes += Files.size(file);
            }
        }
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < present.length; i++) {
            if (!present[i]) missing.add(i);
        }
        return Optional.of(new Pending(dir.getFileName().toString(), upload.get(), received, bytes, missing, touched,
                touched.plus(limits.ttl())));
    }

    private boolean expired(Instant lastActivity) {
        return lastActivity.plus(limits.ttl()).isBefore(clock.instant());
    }

    private void touch(Path dir) throws IOException {
        Files.setLastModifiedTime(dir, FileTime.from(clock.instant()));
    }

    private static Instant lastActivity(Path dir) throws IOException {
        return Files.getLastModifiedTime(dir).toInstant();
    }

    private static Optional<Upload> manifest(Path dir) throws IOException {
        try {
            return Optional.of(Json.read(Files.readAllBytes(dir.resolve(MANIFEST)), Upload.class));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            return Optional.empty(); // a manifest a crash cut short: the upload cannot go on
        }
    }

    private void remove(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
        counts.remove(dir.getFileName().toString());
    }

    private Path dir(SessionRef ref) {
        return root.resolve(ref.userHash()).resolve(ref.sessionId());
    }

    /** The upload folders under a user's folder (only well-formed ids). */
    private static List<Path> uploadDirs(Path userDir) {
        return children(userDir).stream().filter(Files::isDirectory)
                .filter(p -> SessionRef.isSessionId(p.getFileName().toString())).toList();
    }

    private static List<Path> children(Path dir) {
        if (!Files.isDirectory(dir)) return List.of();
        List<Path> paths = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            stream.forEach(paths::add);
        } catch (IOException e) {
            LOG.warn("Cannot list {}: {}", dir, e.getMessage());
        }
        return paths;
    }

    private static int chunkNumber(Path file) {
        String name = file.getFileName().toString();
        if (!name.startsWith(CHUNK_PREFIX) || !name.endsWith(".part")) return -1;
        try {
            return Integer.parseInt(name.substring(CHUNK_PREFIX.length(), name.length() - ".part".length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void checkNumber(Upload upload, long chunkNumber) throws UploadException {
        if (chunkNumber < 0 || chunkNumber >= upload.totalChunks()) {
            throw badNumber(upload, String.valueOf(chunkNumber));
        }
    }

    /** 400 for a chunk number outside 0 .. total_chunks - 1 (also one too large for any integer type). */
    public static UploadException badNumber(Upload upload, String chunkNumber) {
        return new UploadException(UploadException.Reason.INVALID, "bad_chunk_number",
                "chunk_number must be between 0 and " + (upload.totalChunks() - 1) + ", not " + chunkNumber + ".");
    }

    public static UploadException chunkTooLarge(Upload upload) {
        return new UploadException(UploadException.Reason.TOO_LARGE, "too_large",
                "A chunk is larger than the whole upload (total_size " + upload.totalSize() + " bytes).");
    }

    public static UploadException notFound(String uploadId) {
        return new UploadException(UploadException.Reason.NOT_FOUND, "upload_not_found", "Upload session not found");
    }

    /** Chunks received and their bytes, counted once from disk and then kept up to date under this lock. */
    private static final class Counts {
        private boolean loaded;
        private int count;
        private long bytes;

        void load(Path dir) throws IOException {
            if (loaded) return;
            for (Path file : children(dir)) {
                if (chunkNumber(file) >= 0) {
                    count++;
                    bytes += Files.size(file);
                }
            }
            loaded = true;
        }
    }
}
