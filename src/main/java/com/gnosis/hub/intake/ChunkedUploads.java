package com.gnosis.hub.intake;

import com.gnosis.hub.identity.UserIdentity;
import com.gnosis.hub.session.Json;
import com.gnosis.hub.session.SessionRef;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * gnosis-ocr's chunked upload: start, then numbered chunks in any order, each written to disk (never
 * held in memory); a repeated chunk is not counted twice; when the last one arrives the chunks are
 * assembled in order and the upload's id becomes the session's id. Staging lives under the user's hash,
 * so another user's upload id is simply not found.
 */
public final class ChunkedUploads {

    /** upload.json in the staging folder. */
    public record Upload(String filename, long totalSize, int totalChunks, String userHash, String createdAt) {
    }

    /** What a chunk changed; {@code complete} is true for exactly one caller, who must then {@link #assemble}. */
    public record Receipt(int chunkNumber, int chunksReceived, int totalChunks, long bytesReceived,
                          boolean duplicate, boolean complete) {
    }

    private static final String MANIFEST = "upload.json";
    private static final String CLAIMED = "assembling";

    private final Path root;
    private final long maxBytes;
    private final Clock clock;
    private final ConcurrentHashMap<String, Object> locks = new ConcurrentHashMap<>();

    public ChunkedUploads(Path root, long maxBytes, Clock clock) {
        this.root = root;
        this.maxBytes = maxBytes;
        this.clock = clock;
    }

    public SessionRef start(UserIdentity user, String filename, long totalSize, int totalChunks)
            throws UploadException, IOException {
        if (totalSize <= 0) {
            throw new UploadException(UploadException.Reason.INVALID, "empty_file", "total_size must be above 0.");
        }
        if (totalChunks <= 0 || totalChunks > totalSize) {
            throw new UploadException(UploadException.Reason.INVALID, "bad_chunks",
                    "total_chunks must be between 1 and total_size.");
        }
        if (totalSize > maxBytes) {
            throw new UploadException(UploadException.Reason.TOO_LARGE, "too_large",
                    "The file is " + totalSize + " bytes; at most " + maxBytes + " are accepted (MAX_UPLOAD_MB).");
        }
        SessionRef ref = SessionRef.create(user);
        Path dir = dir(ref);
        Files.createDirectories(dir);
        Upload upload = new Upload(filename, totalSize, totalChunks, user.hash(), clock.instant().toString());
        Files.write(dir.resolve(MANIFEST), Json.bytes(upload));
        return ref;
    }

    /** The user's upload with that id, if one is in progress. */
    public Optional<Upload> find(UserIdentity user, String uploadId) throws IOException {
        Optional<SessionRef> ref = SessionRef.of(user, uploadId);
        if (ref.isEmpty()) return Optional.empty();
        try {
            return Optional.of(Json.read(Files.readAllBytes(dir(ref.get()).resolve(MANIFEST)), Upload.class));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    public Receipt addChunk(UserIdentity user, String uploadId, int chunkNumber, InputStream data)
            throws UploadException, IOException {
        Upload upload = find(user, uploadId).orElseThrow(() -> notFound(uploadId));
        if (chunkNumber < 0 || chunkNumber >= upload.totalChunks()) {
            throw new UploadException(UploadException.Reason.INVALID, "bad_chunk_number",
                    "chunk_number must be between 0 and " + (upload.totalChunks() - 1) + ", not " + chunkNumber + ".");
        }
        Path dir = dir(new SessionRef(user.hash(), uploadId));
        Path chunk = dir.resolve(String.format("chunk_%06d.part", chunkNumber));
        Path temp = Files.createTempFile(dir, ".chunk-", ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(temp)) {
                long written = data.transferTo(out);
                if (written > maxBytes) {
                    throw new UploadException(UploadException.Reason.TOO_LARGE, "too_large",
                            "A chunk of " + written + " bytes is larger than MAX_UPLOAD_MB allows.");
                }
            }
            synchronized (locks.computeIfAbsent(uploadId, id -> new Object())) {
                if (Files.exists(dir.resolve(CLAIMED))) {
                    throw new UploadException(UploadException.Reason.CONFLICT, "upload_complete",
                            "All chunks of this upload were already received.");
                }
                // the first copy stays; a retried chunk must not count twice
                boolean duplicate = Files.exists(chunk);
                if (!duplicate) Files.move(temp, chunk, StandardCopyOption.ATOMIC_MOVE);
                long[] stats = chunkStats(dir);
                if (stats[1] > maxBytes || stats[1] > upload.totalSize()) {
                    Files.deleteIfExists(chunk);
                    throw new UploadException(UploadException.Reason.TOO_LARGE, "too_large",
                            "The chunks add up to more than total_size (" + upload.totalSize() + " bytes).");
                }
                boolean complete = stats[0] == upload.totalChunks();
                if (complete) Files.createFile(dir.resolve(CLAIMED));
                return new Receipt(chunkNumber, (int) stats[0], upload.totalChunks(), stats[1], duplicate, complete);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Joins the chunks in order into one file, checks its size, and returns it (to be taken by intake). */
    public Path assemble(UserIdentity user, String uploadId) throws UploadException, IOException {
        Upload upload = find(user, uploadId).orElseThrow(() -> notFound(uploadId));
        Path dir = dir(new SessionRef(user.hash(), uploadId));
        Path assembled = dir.resolve("assembled.bin");
        try (OutputStream out = Files.newOutputStream(assembled)) {
            for (int i = 0; i < upload.totalChunks(); i++) {
                Files.copy(dir.resolve(String.format("chunk_%06d.part", i)), out);
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
        Path dir = dir(ref.get());
        if (Files.isDirectory(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
        locks.remove(uploadId);
    }

    private Path dir(SessionRef ref) {
        return root.resolve(ref.userHash()).resolve(ref.sessionId());
    }

    /** {count, bytes} of the chunks received so far. */
    private static long[] chunkStats(Path dir) throws IOException {
        long count = 0;
        long bytes = 0;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(p -> p.getFileName().toString().startsWith("chunk_")).toList()) {
                count++;
                bytes += Files.size(p);
            }
        }
        return new long[] {count, bytes};
    }

    private static UploadException notFound(String uploadId) {
        return new UploadException(UploadException.Reason.NOT_FOUND, "upload_not_found",
                "No upload " + uploadId + " is in progress.");
    }
}
