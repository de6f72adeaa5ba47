package com.gnosis.hub.hardening;

import static org.awaitility.Awaitility.await;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.gnosis.hub.session.Json;
import com.gnosis.hub.testing.Corpus;
import com.gnosis.hub.testing.HubServer;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A seeded mutation run: 200+ truncated or bit-flipped variants of corpus PDFs and images. Each is refused with
 * a reason or ends completed or failed with one; nothing hangs, nothing crashes, the hub stays healthy.
 */
class MutationTest {

    private static final long SEED = 20261128L;
    private static final String USER = "fuzz@example.org";
    private static final List<String> SOURCES = List.of("pdfbox_PDFBOX-3038-001033-p2.pdf",
            "pdfbox_PDFBOX-3110-poems-beads.pdf", "tika_testOCR.pdf", "tess4j_eurotext.pdf",
            "tess_HelloGoogle.tif", "ocropy_uw3_0022_010005.png", "ocropy_uw3_0173_010009.png");

    @TempDir
    Path storage;

    @Test
    void everyVariantIsRefusedOrEndsWithAReason() throws Exception {
        Random random = new Random(SEED);
        List<byte[]> variants = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 210; i++) {
            String source = SOURCES.get(i % SOURCES.size());
            byte[] original = Files.readAllBytes(Corpus.dev(source));
            variants.add(mutate(original, random));
            names.add(i + "-" + source);
        }
        try (HubServer hub = HubServer.start(storage, Map.of("DROP_FOLDER", "", "DUPLICATES", "keep",
                "OCR_PDF_TEXT", "always", "OCR_DOC_TIMEOUT", "120s", "OCR_WORKERS", "2"))) {
            List<String> sessions = new ArrayList<>();
            int refused = 0;
            for (int i = 0; i < variants.size(); i++) {
                HttpResponse<String> response = hub.upload(USER, "file", names.get(i), variants.get(i));
                JsonNode body = Json.MAPPER.readTree(response.body());
                if (response.statusCode() == 200) {
                    sessions.add(body.get("session_hash").asText());
                } else {
                    assertThat(response.statusCode()).as(names.get(i)).isIn(400, 415, 422);
                    assertThat(body.get("message").asText()).as(names.get(i)).isNotBlank();
                    refused++;
                }
            }
            // every accepted session must end; wait on the sessions themselves
            await("all mutated sessions to end").atMost(java.time.Duration.ofMinutes(6)).until(() -> {
                for (String id : sessions) {
                    String status = Json.MAPPER.readTree(hub.get("/status/" + id, USER).body()).get("status").asText();
                    if (!status.equals("completed") && !status.equals("failed")) return false;
                }
                return true;
            });
            int completed = 0;
            int failed = 0;
            for (String id : sessions) {
                JsonNode status = Json.MAPPER.readTree(hub.get("/status/" + id, USER).body());
                if (status.get("status").asText().equals("failed")) {
                    failed++;
                    assertThat(status.get("error").asText()).as(id).isNotBlank();
                } else {
                    completed++;
                }
            }
            System.out.printf("mutation run (seed %d): %d variants, %d refused at intake, %d completed, %d failed%n",
                    SEED, variants.size(), refused, completed, failed);
            assertThat(refused + completed + failed).isEqualTo(variants.size());
            assertThat(Json.MAPPER.readTree(hub.get("/health", null).body()).get("status").asText()).isEqualTo("healthy");
        }
    }

    /** A truncation, some flipped bits, or a span overwritten with noise, chosen by the seeded random. */
    private static byte[] mutate(byte[] original, Random random) {
        byte[] bytes = original.clone();
        switch (random.nextInt(3)) {
            case 0 -> {
                return java.util.Arrays.copyOf(bytes, 8 + random.nextInt(bytes.length - 8));
            }
            case 1 -> {
                int flips = 1 + random.nextInt(20);
                for (int i = 0; i < flips; i++) {
                    int at = 8 + random.nextInt(bytes.length - 8); // keep the magic bytes: get past the type check
                    bytes[at] ^= (byte) (1 << random.nextInt(8));
                }
            }
            default -> {
                int at = 8 + random.nextInt(bytes.length - 8);
                int length = Math.min(bytes.length - at, 1 + random.nextInt(512));
                byte[] noise = new byte[length];
                random.nextBytes(noise);
                System.arraycopy(noise, 0, bytes, at, length);
            }
        }
        return bytes;
    }
}
