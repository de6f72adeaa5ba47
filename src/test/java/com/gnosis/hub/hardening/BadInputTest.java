package com.gnosis.hub.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.gnosis.hub.identity.UserIdentity;
import com.gnosis.hub.session.Json;
import com.gnosis.hub.testing.Corpus;
import com.gnosis.hub.testing.HubServer;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bad-input matrix: each answered as DESIGN.md says, nothing stored outside its user's folder, the hub still healthy. */
class BadInputTest {

    private static final String USER = "mallory@example.org";

    @TempDir
    static Path storage;

    static HubServer hub;

    @BeforeAll
    static void start() throws Exception {
        hub = HubServer.start(storage, Map.of("MAX_UPLOAD_MB", "1", "DROP_FOLDER", "", "OCR_PDF_TEXT", "always"));
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    @Test
    void eachBadInputGetsItsStatusAndReason() throws Exception {
        byte[] pdf = Files.readAllBytes(Corpus.dev("pdfbox_PDFBOX-3038-001033-p2.pdf"));
        expect(hub.upload(USER, "file", "empty.pdf", new byte[0]), 400, "empty_file");
        expect(hub.upload(USER, "file", "random.pdf", random(5000)), 415, "unsupported_type");
        expect(hub.upload(USER, "file", "big.pdf", Arrays.copyOf(pdf, 1_200_000)), 413, "too_large");
        // far over the limit: the server stops reading the body and answers while it streams in
        expect(hub.upload(USER, "file", "huge.pdf", new byte[8 * 1024 * 1024]), 413, "too_large");
        expect(hub.post("/upload", USER, HttpRequest.BodyPublishers.ofString("file=abc"),
                "application/x-www-form-urlencoded"), 400, "no_file");
        expect(hub.upload(USER, "file", "locked.pdf", encrypted(pdf)), 422, "encrypted_pdf");
        expect(hub.upload(USER, "file", "huge.png", hugePngHeader(30_000, 30_000)), 422, "image_too_large");
        expect(hub.upload(USER, "file", "cut.pdf", Arrays.copyOf(pdf, pdf.length / 2)), 422, "truncated_pdf");
        assertThat(json(hub.get("/sessions", USER)).get("total").asInt()).isZero();
        assertThat(json(hub.get("/health", null)).get("status").asText()).isEqualTo("healthy");
    }

    @Test
    void hostileFileNamesStayDataInsideTheUsersOwnFolder() throws Exception {
        byte[] pdf = Files.readAllBytes(Corpus.dev("pdfbox_PDFBOX-3038-001033-p2.pdf"));
        for (String name : List.of("../../../../etc/cron.d/evil.pdf", "..\\\\..\\\\windows\\\\evil.pdf", "..", "/abs/olute.pdf",
                "users/other/x.pdf", "a\u0000b.pdf")) {
            HttpResponse<String> upload = hub.upload("eve@example.org", "file", name, pdf);
            assertThat(upload.statusCode()).as(name).isEqualTo(200);
            String filename = json(upload).get("filename").asText();
            assertThat(filename).as(name).doesNotContain("/").doesNotContain("\\\\").isNotEqualTo("..");
        }
        Path eve = storage.resolve("users").resolve(UserIdentity.hashOf("eve@example.org"));
        try (Stream<Path> all = Files.walk(storage)) {
            List<Path> outside = all.filter(Files::isRegularFile)
                    .filter(p -> !p.startsWith(eve) && !p.startsWith(storage.resolve("index"))
                            && !p.startsWith(storage.resolve("tmp")) && !p.startsWith(storage.resolve("state")))
                    .toList();
            assertThat(outside).isEmpty();
        }
        assertThat(storage.getParent().resolve("etc")).doesNotExist();
    }

    private static void expect(HttpResponse<String> response, int status, String code) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode error = json(response);
        assertThat(error.get("detail").asText()).startsWith(code + ":");
        assertThat(error.get("message").asText()).isNotBlank();
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return Json.MAPPER.readTree(response.body());
    }

    static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new java.util.Random(7).nextBytes(bytes);
        return bytes;
    }

    static byte[] encrypted(byte[] pdf) throws Exception {
        try (PDDocument document = Loader.loadPDF(pdf); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            StandardProtectionPolicy policy = new StandardProtectionPolicy("owner-secret", "user-secret", new AccessPermission());
            policy.setEncryptionKeyLength(128);
            document.protect(policy);
            document.save(out);
            return out.toByteArray();
        }
    }

    /** A valid PNG whose header claims a huge image; decoding it would need gigabytes, reading the header does not. */
    static byte[] hugePngHeader(int width, int height) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
        ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
        DataOutputStream header = new DataOutputStream(ihdr);
        header.writeInt(width);
        header.writeInt(height);
        header.write(new byte[] {8, 2, 0, 0, 0});
        chunk(out, "IHDR", ihdr.toByteArray());
        Deflater deflater = new Deflater();
        deflater.setInput(new byte[1024]);
        deflater.finish();
        byte[] compressed = new byte[1024];
        chunk(out, "IDAT", Arrays.copyOf(compressed, deflater.deflate(compressed)));
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) throws Exception {
        DataOutputStream stream = new DataOutputStream(out);
        stream.writeInt(data.length);
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        stream.write(typeBytes);
        stream.write(data);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        stream.writeInt((int) crc.getValue());
    }
}
