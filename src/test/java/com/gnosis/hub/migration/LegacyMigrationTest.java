package com.gnosis.hub.migration;

import com.gnosis.hub.cli.MigrateCommand;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.gnosis.hub.identity.UserIdentity;
import com.gnosis.hub.session.Json;
import com.gnosis.hub.session.SessionStore;
import com.gnosis.hub.storage.GcsStorage;
import com.gnosis.hub.storage.LocalStorage;
import com.gnosis.hub.storage.Storage;
import com.gnosis.hub.testing.HubServer;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The migrate command on a synthetic gnosis-ocr v1 tree (four sessions, nested files, an unreadable file, symlinks
 * inside and outside DIR), into a temporary local root and into Google's in-memory Cloud Storage.
 */
class LegacyMigrationTest {

    private static final String EMAIL = "Legacy.User@Example.org";
    private static final UserIdentity USER = UserIdentity.of(EMAIL);

    @TempDir
    Path temp;

    private Path legacy;
    private Path outside;
    /** How the unreadable file was made unreadable: chmod 000, or a FIFO where chmod does not stop reading (root). */
    private String unreadableKind;

    @BeforeEach
    void legacyTree() throws Exception {
        legacy = Files.createDirectories(temp.resolve("ocr_sessions"));
        outside = Files.createDirectories(temp.resolve("elsewhere"));
        Files.writeString(outside.resolve("secret.txt"), "not part of any session");

        Path a = Files.createDirectories(legacy.resolve("5f1c0a2e-aaaa-4bbb-8ccc-000000000001"));
        write(a, "upload.pdf", "%PDF-1.4 report");
        write(a, "page_001.png", "png one");
        write(a, "page_001_result.txt", "First page text");
        write(a, "page_002.png", "png two");
        write(a, "page_002_result.txt", "Second page text");
        write(a, "combined_output.md", "# Page 1\n\nFirst page text\n\n---\n\n# Page 2\n\nSecond page text");
        write(a, "metadata.json", "{\"session_id\": \"5f1c0a2e-aaaa-4bbb-8ccc-000000000001\", \"filename\": \"report.pdf\", "
                + "\"created_at\": \"2025-07-15T23:12:19.184531\", \"total_pages\": 2, \"status\": \"completed\"}");
        write(a, "status.json", "{\"status\": \"completed\", \"progress\": 100, \"total_pages\": 2}");
        write(a, "images/extracted/fig_1.png", "a nested figure");

        Path b = Files.createDirectories(legacy.resolve("session-b"));
        write(b, "paper.pdf", "%PDF-1.4 paper");
        write(b, "page_001_result.txt", "only page one was read");
        write(b, "pages/page_001.png", "nested page image");

        Path c = Files.createDirectories(legacy.resolve("session-c"));
        write(c, "upload.pdf", "%PDF-1.4 third");
        write(c, "page_001_result.txt", "text");
        unreadableKind = makeUnreadable(c.resolve("broken.txt"));

        Path d = Files.createDirectories(legacy.resolve("session-d"));
        write(d, "upload.png", "png original");
        write(d, "combined_output.md", "# Page 1\n\npicture text");
        write(d, "status.json", "{\"status\": \"processing\", \"progress\": {\"percent\": 40}, \"created\": \"2025-07-16T08:00:00\"}");
        Files.createSymbolicLink(d.resolve("leak.txt"), outside.resolve("secret.txt"));
        Files.createSymbolicLink(d.resolve("inner.txt"), Path.of("../5f1c0a2e-aaaa-4bbb-8ccc-000000000001/page_001_result.txt"));

        Files.createSymbolicLink(legacy.resolve("alias"), outside);
        write(legacy, "notes.txt", "a stray file beside the sessions");
    }

    @Test
    void migratesIntoALocalRoot() throws Exception {
        Path root = temp.resolve("storage");
        LocalStorage storage = new LocalStorage(root);
        migrateTwiceAndCheck(storage, () -> localKeys(root));
    }

    @Test
    void migratesIntoABucket() throws Exception {
        com.google.cloud.storage.Storage gcs = LocalStorageHelper.customOptions(false).getService();
        GcsStorage storage = new GcsStorage(gcs, "sessions");
        migrateTwiceAndCheck(storage, () -> {
            List<String> keys = new ArrayList<>();
            for (Blob blob : gcs.list("sessions").iterateAll()) keys.add(blob.getName());
            return keys;
        });
    }

    @Test
    void dryRunWritesNothingAndCountsWhatWouldBeMigrated() throws Exception {
        Path root = temp.resolve("storage");
        LocalStorage storage = new LocalStorage(root);
        Map<String, String> before = treeHash(legacy);

        Run run = migrate(storage, "--dry-run");

        assertThat(run.exit).isEqualTo(1);
        assertThat(run.out).contains("Dry run (nothing is written)")
                .contains("Sessions found 4, would migrate 3, skipped 0 (already migrated), failed 1; 16 files, "
                        + expectedBytes() + " bytes; 3 warnings");
        assertThat(localKeys(root)).isEmpty();
        assertThat(treeHash(legacy)).isEqualTo(before);
        // a dry run is not a migration: the real one still migrates all three
        assertThat(migrate(storage).out).contains("Sessions found 4, migrated 3");
    }

    @Test
    void badArgumentsExitWithTwo() {
        LocalStorage storage = new LocalStorage(temp.resolve("storage"));
        assertThat(run(storage).exit).isEqualTo(2);
        Run noEmail = run(storage, "--from", legacy.toString());
        assertThat(noEmail.exit).isEqualTo(2);
        assertThat(noEmail.err).contains("Missing required option: '--user-email=EMAIL'").contains("Usage: migrate");
        assertThat(run(storage, "--from", temp.resolve("missing").toString(), "--user-email", EMAIL).err)
                .contains("is not a folder");
    }

    @Test
    void theHubServesMigratedSessions() throws Exception {
        Path root = temp.resolve("storage");
        migrate(new LocalStorage(root));
        String id = migratedSessions(new LocalStorage(root)).get("5f1c0a2e-aaaa-4bbb-8ccc-000000000001").split("/")[2];

        try (HubServer hub = HubServer.start(root, Map.of())) {
            JsonNode sessions = Json.MAPPER.readTree(hub.get("/sessions", EMAIL).body());
            assertThat(sessions.get("total").asInt()).isEqualTo(3);
            assertThat(Json.MAPPER.readTree(hub.get("/status/" + id, EMAIL).body()).get("status").asText()).isEqualTo("completed");
            HttpResponse<String> results = hub.get("/results/" + id, EMAIL);
            assertThat(results.statusCode()).isEqualTo(200);
            JsonNode pages = Json.MAPPER.readTree(results.body()).get("pages");
            assertThat(pages).hasSize(2);
            assertThat(pages.get(1).get("text").asText()).isEqualTo("Second page text");
            assertThat(hub.get("/results/" + id + "/combined.md", EMAIL).body()).contains("# Page 2");
            assertThat(hub.get("/results/" + id, "someone.else@example.org").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void nameClashesFailTheSessionAndWriteNothing() throws Exception {
        Path clash = temp.resolve("clash");
        Path s = Files.createDirectories(clash.resolve("session-e"));
        write(s, "Page_001_result.txt", "upper");
        write(s, "page_001_result.txt", "lower");
        write(s, "metadata.json", "{}");
        write(s, "metadata.v1.json", "{}");
        Path root = temp.resolve("storage");

        Run run = run(new LocalStorage(root), "--from", clash.toString(), "--user-email", EMAIL);

        assertThat(run.exit).isEqualTo(1);
        assertThat(run.out).contains("name clash: page_001_result.txt and Page_001_result.txt")
                .contains("name clash: metadata.json and metadata.v1.json")
                .contains("Sessions found 1, migrated 0, skipped 0 (already migrated), failed 1");
        assertThat(localKeys(root)).isEmpty();
    }

    @Test
    void legacyTimesBecomeInstants() {
        assertThat(LegacyMigration.time("2025-07-15T23:12:19.184531")).hasValueSatisfying(t ->
                assertThat(t.toString()).isEqualTo("2025-07-15T23:12:19.184531Z"));
        assertThat(LegacyMigration.time("2025-07-15T23:12:19+02:00")).hasValueSatisfying(t ->
                assertThat(t.toString()).isEqualTo("2025-07-15T21:12:19Z"));
        assertThat(LegacyMigration.time("yesterday")).isEmpty();
    }

    private void migrateTwiceAndCheck(Storage storage, KeyLister keys) throws Exception {
        Map<String, String> before = treeHash(legacy);

        Run first = migrate(storage);

        assertThat(first.exit).as(first.out + first.err).isEqualTo(1);
        assertThat(first.out).contains("Sessions found 4, migrated 3, skipped 0 (already migrated), failed 1; 16 files, "
                + expectedBytes() + " bytes verified by SHA-256; 3 warnings");
        assertThat(first.out).as("unreadable by " + unreadableKind).contains("FAILED    session-c: broken.txt is unreadable")
                .contains("FAILED    session-c: nothing written")
                .contains("warning   alias: is a symlink to " + outside + " (it leaves DIR); not followed")
                .contains("warning   notes.txt: is not a session folder")
                .contains("warning   session-d: leak.txt is a symlink to " + outside.resolve("secret.txt") + " (it leaves DIR)")
                .doesNotContain(EMAIL).doesNotContain(EMAIL.toLowerCase());
        assertThat(treeHash(legacy)).as("the source is untouched").isEqualTo(before);

        Map<String, String> sessions = migratedSessions(storage);
        assertThat(sessions).containsOnlyKeys("5f1c0a2e-aaaa-4bbb-8ccc-000000000001", "session-b", "session-d");
        for (Map.Entry<String, String> session : sessions.entrySet()) {
            assertSameFiles(storage, legacy.resolve(session.getKey()), session.getValue());
        }

        String a = sessions.get("5f1c0a2e-aaaa-4bbb-8ccc-000000000001");
        JsonNode metadataA = json(storage, a + "metadata.json");
        assertThat(metadataA.get("migrated_from").asText()).isEqualTo("5f1c0a2e-aaaa-4bbb-8ccc-000000000001");
        assertThat(metadataA.get("user_hash").asText()).isEqualTo(USER.hash());
        assertThat(metadataA.get("created_at").asText()).isEqualTo("2025-07-15T23:12:19.184531Z");
        assertThat(metadataA.get("filename").asText()).isEqualTo("report.pdf");
        assertThat(metadataA.get("original_file").asText()).isEqualTo("upload.pdf");
        assertThat(metadataA.get("sha256").asText()).isEqualTo(sha256(legacy.resolve(
                "5f1c0a2e-aaaa-4bbb-8ccc-000000000001/upload.pdf")));
        assertThat(metadataA.get("total_pages").asInt()).isEqualTo(2);
        assertThat(metadataA.get("source").asText()).isEqualTo("migrated");
        assertThat(storage.get(a + "status.json")).hasValueSatisfying(s -> assertThat(new String(s, StandardCharsets.UTF_8))
                .isEqualTo("{\"status\": \"completed\", \"progress\": 100, \"total_pages\": 2}"));

        JsonNode metadataB = json(storage, sessions.get("session-b") + "metadata.json");
        assertThat(metadataB.get("filename").asText()).isEqualTo("paper.pdf");
        assertThat(metadataB.get("total_pages").asInt()).isEqualTo(1);
        assertThat(json(storage, sessions.get("session-b") + "status.json").get("status").asText()).isEqualTo("failed");
        JsonNode statusD = json(storage, sessions.get("session-d") + "status.json");
        assertThat(statusD.get("status").asText()).isEqualTo("completed");
        assertThat(json(storage, sessions.get("session-d") + "status.v1.json").get("progress").get("percent").asInt()).isEqualTo(40);
        assertThat(storage.get(sessions.get("session-d") + "inner.txt")).hasValueSatisfying(t ->
                assertThat(new String(t, StandardCharsets.UTF_8)).isEqualTo("First page text"));
        assertThat(storage.exists(sessions.get("session-d") + "leak.txt")).isFalse();

        // the hub sees them as the user's sessions, nothing of the failed one was kept
        assertThat(new SessionStore(storage).list(USER)).hasSize(3);
        List<String> keysAfterFirst = keys.list();
        assertThat(keysAfterFirst).noneMatch(k -> k.contains("broken") || k.contains("secret") || k.contains(".tmp-"));

        Run second = migrate(storage);

        assertThat(second.exit).isEqualTo(1);
        assertThat(second.out).contains("Sessions found 4, migrated 0, skipped 3 (already migrated), failed 1; 0 files, 0 bytes");
        assertThat(keys.list()).isEqualTo(keysAfterFirst);
        assertThat(treeHash(legacy)).isEqualTo(before);
    }

    /** Every source file (the old metadata.json as metadata.v1.json) is in the new session with the same SHA-256. */
    private static void assertSameFiles(Storage storage, Path source, String prefix) throws Exception {
        List<String> stored = storage.list(prefix).stream().map(k -> k.substring(prefix.length())).toList();
        List<String> expected = new ArrayList<>();
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : files.sorted().toList()) {
                String name = source.relativize(file).toString();
                if (Files.isDirectory(file) || name.equals("leak.txt")) continue;
                String target = name.equals("metadata.json") ? "metadata.v1.json"
                        : name.equals("status.json") && !storage.exists(prefix + "status.v1.json") ? "status.json"
                        : name.equals("status.json") ? "status.v1.json" : name;
                expected.add(target);
                byte[] content = storage.get(prefix + target).orElseThrow(() -> new AssertionError(prefix + target));
                assertThat(sha256(content)).as(target).isEqualTo(sha256(file));
            }
        }
        assertThat(stored).containsAll(expected).contains("metadata.json", "status.json");
        // the hub's own metadata.json, and status.json unless the old one is kept as the hub's
        assertThat(stored).hasSize(expected.size() + (expected.contains("status.json") ? 1 : 2));
    }

    /** old id -> "users/{hash}/{new id}/" */
    private static Map<String, String> migratedSessions(Storage storage) throws IOException {
        Map<String, String> sessions = new LinkedHashMap<>();
        for (String id : storage.children("users/" + USER.hash() + "/")) {
            String prefix = "users/" + USER.hash() + "/" + id + "/";
            JsonNode metadata = json(storage, prefix + "metadata.json");
            assertThat(metadata.get("session_id").asText()).isEqualTo(id);
            sessions.put(metadata.get("migrated_from").asText(), prefix);
        }
        return sessions;
    }

    private long expectedBytes() throws IOException {
        long bytes = 0;
        for (String session : List.of("5f1c0a2e-aaaa-4bbb-8ccc-000000000001", "session-b", "session-d")) {
            try (Stream<Path> files = Files.walk(legacy.resolve(session))) {
                for (Path f : files.filter(p -> !p.getFileName().toString().equals("leak.txt")).filter(Files::isRegularFile).toList()) {
                    bytes += Files.size(f);
                }
            }
        }
        return bytes;
    }

    private record Run(int exit, String out, String err) {
    }

    private Run migrate(Storage storage, String... extra) {
        List<String> args = new ArrayList<>(List.of("--from", legacy.toString(), "--user-email", EMAIL));
        args.addAll(List.of(extra));
        return run(storage, args.toArray(String[]::new));
    }

    private static Run run(Storage storage, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = MigrateCommand.run(args, storage, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private interface KeyLister {
        List<String> list() throws IOException;
    }

    private static List<String> localKeys(Path root) throws IOException {
        if (!Files.exists(root)) return List.of();
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).map(p -> root.relativize(p).toString()).sorted().toList();
        }
    }

    /** Every entry under a folder (links not followed): name -> kind, size, time and SHA-256 of regular files. */
    private static Map<String, String> treeHash(Path dir) throws IOException {
        Map<String, String> tree = new LinkedHashMap<>();
        try (Stream<Path> entries = Files.walk(dir)) {
            for (Path p : entries.sorted().toList()) {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                String name = dir.relativize(p).toString();
                if (a.isSymbolicLink()) tree.put(name, "link " + Files.readSymbolicLink(p));
                else if (a.isDirectory()) tree.put(name, "dir");
                else if (a.isRegularFile() && Files.isReadable(p)) {
                    tree.put(name, "file " + a.size() + " " + a.lastModifiedTime() + " " + sha256OrUnreadable(p));
                } else tree.put(name, "other " + a.lastModifiedTime() + " " + Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
            }
        }
        return tree;
    }

    private static String sha256OrUnreadable(Path file) {
        try {
            return sha256(file);
        } catch (IOException e) {
            return "unreadable";
        }
    }

    /** chmod 000; where that does not stop reading (tests running as root), a FIFO in its place. */
    private static String makeUnreadable(Path file) throws Exception {
        Files.writeString(file, "a page nobody can read");
        Files.setPosixFilePermissions(file, Set.of());
        try {
            Files.readAllBytes(file);
        } catch (IOException e) {
            return "chmod 000";
        }
        Files.delete(file);
        Process mkfifo = new ProcessBuilder("mkfifo", file.toString()).redirectErrorStream(true).start();
        assertThat(mkfifo.waitFor()).as("mkfifo").isZero();
        return "fifo";
    }

    private static void write(Path dir, String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    private static JsonNode json(Storage storage, String key) throws IOException {
        return Json.MAPPER.readTree(storage.get(key).orElseThrow(() -> new AssertionError("missing " + key)));
    }

    private static String sha256(Path file) throws IOException {
        return sha256(Files.readAllBytes(file));
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
