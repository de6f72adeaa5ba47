package com.gnosis.hub.migration;

import com.gnosis.hub.digest.Sha256;
import com.fasterxml.jackson.databind.JsonNode;
import com.gnosis.hub.identity.UserIdentity;
import com.gnosis.hub.session.Json;
import com.gnosis.hub.session.SessionFiles;
import com.gnosis.hub.session.SessionMetadata;
import com.gnosis.hub.session.SessionRef;
import com.gnosis.hub.session.SessionStatus;
import com.gnosis.hub.storage.ContentTypes;
import com.gnosis.hub.storage.Storage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Copies gnosis-ocr v1 sessions ({@code DIR/{old id}/...}) into the hub's layout
 * ({@code users/{hash}/{new id}/...}) of any {@link Storage}, keeping relative paths.
 * <ul>
 *   <li>Every file is read back from the storage and compared by SHA-256 before its session counts as migrated;
 *       {@code metadata.json} is written last, so a session that failed half-way is never seen by the hub.</li>
 *   <li>The source is only read. Unreadable files, symlinks that leave DIR and name clashes are reported,
 *       never followed; a session with an unreadable file or a clash fails and nothing of it is kept.</li>
 *   <li>The hub's {@code metadata.json} carries {@code migrated_from}: a second run skips those sessions. The
 *       old {@code metadata.json} is kept byte for byte as {@code metadata.v1.json}; an old {@code status.json} the
 *       hub cannot read, or one of a session that never finished, as {@code status.v1.json}. {@code status.json}
 *       is written when there is none left: completed when a combined output exists, failed otherwise.</li>
 * </ul>
 */
public final class LegacyMigration {

    /** The name the old session's own metadata.json is kept under (the hub writes its own metadata.json). */
    public static final String LEGACY_METADATA = "metadata.v1.json";
    /** The name an old status.json the hub cannot read (gnosis-ocr's {"progress": {"percent": ..}}) is kept under. */
    public static final String LEGACY_STATUS = "status.v1.json";
    /** metadata.json's {@code source} for a migrated session. */
    public static final String SOURCE = "migrated";

    private static final Pattern PAGE_FILE = Pattern.compile("page_(\\d{3,})(_result\\.txt|\\.png)");
    private static final List<String> DOCUMENT_EXTENSIONS = List.of(".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff");

    /** The figures of one run; in a dry run {@code migrated}, {@code files} and {@code bytes} are what would be. */
    public record Summary(int found, int migrated, int skipped, int failed, int warnings, long files, long bytes,
                          boolean dryRun) {
        public boolean ok() {
            return failed == 0;
        }
    }

    /** A file to copy: its name in the new session, its path in the old one, the content it must keep. */
    private record SourceFile(String name, String sourceName, Path path, String sha256, long size) {
    }

    private final Storage storage;
    private final Clock clock;
    private final Consumer<String> report;

    /** @param report receives one line per session and per problem, as they happen */
    public LegacyMigration(Storage storage, Clock clock, Consumer<String> report) {
        this.storage = storage;
        this.clock = clock;
        this.report = report;
    }

    public Summary run(Path from, UserIdentity user, boolean dryRun) throws IOException {
        Path root = from.toRealPath();
        if (!Files.isDirectory(root)) {
            throw new IOException(from + " is not a folder");
        }
        Map<String, String> migrated = migratedSessions(user);
        Tally tally = new Tally();
        for (Path entry : sorted(root)) {
            String name = entry.getFileName().toString();
            if (Files.isSymbolicLink(entry)) {
                warn(tally, name, "is a symlink" + describeLink(root, entry) + "; not followed");
            } else if (!Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                warn(tally, name, "is not a session folder; left alone");
            } else {
                tally.found++;
                String existing = migrated.get(name);
                if (existing != null) {
                    tally.skipped++;
                    report.accept("skipped   " + name + ": already migrated as " + existing);
                } else {
                    migrateSession(root, entry, user, dryRun, tally);
                }
            }
        }
        return new Summary(tally.found, tally.migrated, tally.skipped, tally.failed, tally.warnings, tally.files,
                tally.bytes, dryRun);
    }

    /** Old session id -> new session id, from the user's sessions that carry migrated_from. */
    private Map<String, String> migratedSessions(UserIdentity user) throws IOException {
        Map<String, String> migrated = new HashMap<>();
        for (String id : storage.children("users/" + user.hash() + "/")) {
            if (!SessionRef.isSessionId(id)) continue;
            Optional<byte[]> metadata = storage.get("users/" + user.hash() + "/" + id + "/" + SessionFiles.METADATA);
            if (metadata.isEmpty()) continue;
            try {
                JsonNode from = Json.MAPPER.readTree(metadata.get()).path("migrated_from");
                if (from.isTextual()) migrated.put(from.asText(), id);
            } catch (IOException e) {
                // a damaged metadata.json is not a migrated session; the hub reports it elsewhere
            }
        }
        return migrated;
    }

    private void migrateSession(Path root, Path dir, UserIdentity user, boolean dryRun, Tally tally) throws IOException {
        String oldId = dir.getFileName().toString();
        List<String> errors = new ArrayList<>();
        List<SourceFile> files = collect(root, dir, oldId, errors, tally);
        checkNames(files, errors);
        if (!errors.isEmpty()) {
            tally.failed++;
            errors.forEach(e -> report.accept("FAILED    " + oldId + ": " + e));
            report.accept("FAILED    " + oldId + ": nothing written");
            return;
        }
        SessionRef ref = SessionRef.create(user);
        long bytes = files.stream().mapToLong(SourceFile::size).sum();
        if (dryRun) {
            tally.migrated++;
            tally.files += files.size();
            tally.bytes += bytes;
            report.accept("would migrate " + oldId + " (" + files.size() + " files, " + bytes + " bytes)");
            return;
        }
        try {
            for (SourceFile file : files) {
                String key = ref.key(file.name());
                storage.putFile(key, file.path());
                String stored = storedSha256(key);
                if (!file.sha256().equals(stored)) {
                    throw new IOException(file.name() + " differs after copying (SHA-256 " + file.sha256()
                            + " in the source, " + stored + " stored)");
                }
            }
            boolean hasStatus = files.stream().anyMatch(f -> f.name().equals(SessionFiles.STATUS));
            SessionMetadata metadata = metadata(ref, user, oldId, files);
            if (!hasStatus) storage.put(ref.key(SessionFiles.STATUS), Json.bytes(status(metadata, files)));
            // metadata last: the session exists for the hub (and for the next run) only once all is verified
            storage.put(ref.key(SessionFiles.METADATA), Json.bytes(metadata));
        } catch (IOException | RuntimeException e) {
            tally.failed++;
            report.accept("FAILED    " + oldId + ": " + e.getMessage());
            try {
                storage.deleteAll(ref.prefix());
                report.accept("FAILED    " + oldId + ": the partial copy " + ref.prefix() + " was removed");
            } catch (IOException cleanup) {
                report.accept("FAILED    " + oldId + ": the partial copy " + ref.prefix() + " could not be removed: "
                        + cleanup.getMessage());
            }
            return;
        }
        tally.migrated++;
        tally.files += files.size();
        tally.bytes += bytes;
        report.accept("migrated  " + oldId + " -> " + ref.prefix() + " (" + files.size() + " files, " + bytes
                + " bytes, SHA-256 verified)");
    }

    /** The session's files, hashed; what cannot be read is an error, links that leave DIR a warning. */
    private List<SourceFile> collect(Path root, Path dir, String oldId, List<String> errors, Tally tally) throws IOException {
        List<SourceFile> files = new ArrayList<>();
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path path, BasicFileAttributes attrs) {
                String name = dir.relativize(path).toString().replace('\\', '/');
                Path content = path;
                if (attrs.isSymbolicLink()) {
                    Path target;
                    try {
                        target = path.toRealPath();
                    } catch (IOException e) {
                        warn(tally, oldId, name + " is a broken symlink; not followed");
                        return FileVisitResult.CONTINUE;
                    }
                    if (!target.startsWith(root) || !Files.isRegularFile(target)) {
                        warn(tally, oldId, name + " is a symlink" + describeLink(root, path) + "; not followed");
                        return FileVisitResult.CONTINUE;
                    }
                    content = target;
                } else if (!attrs.isRegularFile()) {
                    errors.add(name + " is unreadable: not a regular file (a pipe, socket or device)");
                    return FileVisitResult.CONTINUE;
                }
                try {
                    long size = Files.size(content);
                    String stored = name.equals(SessionFiles.METADATA) ? LEGACY_METADATA
                            : name.equals(SessionFiles.STATUS) && !isHubStatus(content) ? LEGACY_STATUS : name;
                    files.add(new SourceFile(stored, name, content, sha256(content), size));
                } catch (IOException e) {
                    errors.add(name + " is unreadable: " + reason(e));
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path path, IOException e) {
                errors.add(dir.relativize(path) + " is unreadable: " + reason(e));
                return FileVisitResult.CONTINUE;
            }
        });
        files.sort((a, b) -> a.name().compareTo(b.name()));
        return files;
    }

    /** Whether an old status.json can serve as the hub's as it is: it reads as one and says the session finished. */
    private static boolean isHubStatus(Path file) {
        try {
            SessionStatus status = Json.read(Files.readAllBytes(file), SessionStatus.class);
            return status.finished();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Names the storage cannot hold, or that would land on one another (case-insensitive disks, metadata.v1.json). */
    private static void checkNames(List<SourceFile> files, List<String> errors) {
        Map<String, String> seen = new HashMap<>();
        for (SourceFile file : files) {
            String name = file.name();
            String origin = file.sourceName();
            try {
                Storage.checkKey("users/x/y/" + name);
            } catch (IllegalArgumentException e) {
                errors.add("name clash: " + origin + " cannot be a storage key");
                continue;
            }
            if (name.contains("/.tmp-") || name.startsWith(".tmp-")) {
                errors.add("name clash: " + origin + " looks like the storage's temporary files");
                continue;
            }
            String other = seen.putIfAbsent(name.toLowerCase(Locale.ROOT), origin);
            if (other != null) {
                errors.add("name clash: " + origin + " and " + other + " would be stored under the same name");
            }
        }
    }

    private SessionMetadata metadata(SessionRef ref, UserIdentity user, String oldId, List<SourceFile> files) {
        JsonNode old = legacyMetadata(files);
        JsonNode info = old.path("file_info");
        Optional<SourceFile> original = original(files);
        String created = time(old.path("created_at").asText(null)).orElseGet(() -> oldestTime(files)).toString();
        String filename = firstText(old.path("filename"), old.path("original_filename"), info.path("filename"))
                .orElse(original.map(f -> f.path().getFileName().toString()).orElse("unknown"));
        long size = original.map(SourceFile::size).orElse(firstLong(old.path("file_size"), info.path("file_size")));
        int pages = (int) firstLong(old.path("total_pages"), info.path("total_pages"));
        if (pages <= 0) pages = pageNumbers(files).size();
        return new SessionMetadata(ref.sessionId(), user.email(), user.hash(), created, filename, size,
                original.map(f -> ContentTypes.of(f.name())).orElse(null), original.map(SourceFile::sha256).orElse(null),
                pages, SOURCE, original.map(SourceFile::name).orElse(null), null, oldId);
    }

    /** Completed when gnosis-ocr wrote the combined output; otherwise it never finished there. */
    private SessionStatus status(SessionMetadata metadata, List<SourceFile> files) throws IOException {
        int pages = metadata.totalPages();
        Optional<SourceFile> combined = files.stream().filter(f -> f.name().equals(SessionFiles.COMBINED)).findFirst();
        if (combined.isPresent()) {
            String done = Files.getLastModifiedTime(combined.get().path()).toInstant().toString();
            return new SessionStatus(SessionStatus.COMPLETED, 100, pages, pages, pages,
                    "Migrated from gnosis-ocr session " + metadata.migratedFrom(), null, metadata.createdAt(), done, done);
        }
        int done = (int) files.stream().filter(f -> f.name().matches("page_\\d{3,}_result\\.txt")).count();
        String reason = "not finished in gnosis-ocr (no " + SessionFiles.COMBINED + "); migrated as it was";
        return new SessionStatus(SessionStatus.FAILED, pages == 0 ? 0 : Math.min(99, done * 100 / pages), 0, pages, done,
                "Processing failed: " + reason, reason, metadata.createdAt(), clock.instant().toString(),
                clock.instant().toString());
    }

    private static JsonNode legacyMetadata(List<SourceFile> files) {
        for (SourceFile file : files) {
            if (file.name().equals(LEGACY_METADATA)) {
                try {
                    return Json.MAPPER.readTree(file.path().toFile());
                } catch (IOException e) {
                    return Json.MAPPER.createObjectNode();
                }
            }
        }
        return Json.MAPPER.createObjectNode();
    }

    /** The uploaded document: upload.* first, else a document at the session's top level that is not a page. */
    private static Optional<SourceFile> original(List<SourceFile> files) {
        List<SourceFile> top = files.stream().filter(f -> !f.name().contains("/")).toList();
        return top.stream().filter(f -> f.name().startsWith("upload.") && isDocument(f.name())).findFirst()
                .or(() -> top.stream().filter(f -> isDocument(f.name()) && !PAGE_FILE.matcher(f.name()).matches()).findFirst());
    }

    private static boolean isDocument(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return DOCUMENT_EXTENSIONS.stream().anyMatch(lower::endsWith);
    }

    private static TreeSet<Integer> pageNumbers(List<SourceFile> files) {
        TreeSet<Integer> pages = new TreeSet<>();
        for (SourceFile file : files) {
            Matcher m = PAGE_FILE.matcher(file.name());
            if (m.matches()) pages.add(Integer.parseInt(m.group(1)));
        }
        return pages;
    }

    /** gnosis-ocr wrote naive UTC times ("2025-07-15T23:12:19.184531"); the hub writes ISO-8601 instants. */
    static Optional<Instant> time(String value) {
        if (value == null || value.isBlank()) return Optional.empty();
        try {
            return Optional.of(Instant.parse(value));
        } catch (DateTimeParseException e) {
            // not an instant: try the other two shapes
        }
        try {
            return Optional.of(OffsetDateTime.parse(value).toInstant());
        } catch (DateTimeParseException e) {
            // naive next
        }
        try {
            return Optional.of(LocalDateTime.parse(value).toInstant(ZoneOffset.UTC));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private Instant oldestTime(List<SourceFile> files) {
        Instant oldest = null;
        for (SourceFile file : files) {
            try {
                Instant t = Files.getLastModifiedTime(file.path()).toInstant();
                if (oldest == null || t.isBefore(oldest)) oldest = t;
            } catch (IOException e) {
                // read a moment ago; a file that vanished since has no time to give
            }
        }
        return oldest == null ? clock.instant() : oldest;
    }

    private static Optional<String> firstText(JsonNode... nodes) {
        for (JsonNode node : nodes) {
            if (node.isTextual() && !node.asText().isBlank()) return Optional.of(node.asText());
        }
        return Optional.empty();
    }

    private static long firstLong(JsonNode... nodes) {
        for (JsonNode node : nodes) {
            if (node.canConvertToLong()) return node.asLong();
        }
        return 0;
    }

    private String storedSha256(String key) throws IOException {
        try (InputStream in = storage.open(key).orElseThrow(() -> new IOException(key + " is missing after copying"))) {
            return sha256(in);
        }
    }

    static String sha256(Path file) throws IOException {
        return Sha256.hex(file);
    }

    private static String sha256(InputStream in) throws IOException {
        return Sha256.hex(in);
    }

    private static String describeLink(Path root, Path link) {
        try {
            Path target = Files.readSymbolicLink(link);
            Path resolved = link.getParent().resolve(target).normalize();
            return " to " + target + (resolved.startsWith(root) ? " (inside DIR)" : " (it leaves DIR)");
        } catch (IOException e) {
            return "";
        }
    }

    private void warn(Tally tally, String session, String message) {
        tally.warnings++;
        report.accept("warning   " + session + ": " + message);
    }

    private static String reason(IOException e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : " (" + m + ")");
    }

    private static List<Path> sorted(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.sorted().toList();
        }
    }

    private static final class Tally {
        int found;
        int migrated;
        int skipped;
        int failed;
        int warnings;
        long files;
        long bytes;
    }
}
