package com.gnosis.hub.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.gnosis.hub.session.Json;
import com.gnosis.hub.testing.Corpus;
import com.gnosis.hub.testing.HubServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DUPLICATES=link: the same bytes from the same user link to the existing session, never across users. */
class DuplicatesTest {

    private static final Path PDF = Corpus.dev("pdfbox_PDFBOX-3038-001033-p2.pdf");

    @TempDir
    Path storage;

    @Test
    void sameBytesFromTheSameUserLinkButNeverAcrossUsers() throws Exception {
        try (HubServer hub = HubServer.start(storage, Map.of("DROP_FOLDER", ""))) {
            JsonNode first = upload(hub, "ann@example.org");
            assertThat(first.get("duplicate").asBoolean()).isFalse();
            JsonNode again = upload(hub, "ann@example.org");
            assertThat(again.get("duplicate").asBoolean()).isTrue();
            assertThat(again.get("session_hash").asText()).isEqualTo(first.get("session_hash").asText());
            assertThat(again.get("message").asText()).contains("uploaded before");

            JsonNode other = upload(hub, "ben@example.org");
            assertThat(other.get("duplicate").asBoolean()).isFalse();
            assertThat(other.get("session_hash").asText()).isNotEqualTo(first.get("session_hash").asText());
            assertThat(hub.get("/status/" + first.get("session_hash").asText(), "ben@example.org").statusCode()).isEqualTo(404);
            assertThat(Json.MAPPER.readTree(hub.get("/sessions", "ann@example.org").body()).get("total").asInt()).isEqualTo(1);

            // a deleted session is not linked to, and leaves no index entry behind: the bytes are processed again
            assertThat(indexEntries()).hasSize(2);
            assertThat(hub.delete("/session/" + first.get("session_hash").asText(), "ann@example.org").statusCode()).isEqualTo(200);
            assertThat(indexEntries()).hasSize(1);
            JsonNode afterDelete = upload(hub, "ann@example.org");
            assertThat(afterDelete.get("duplicate").asBoolean()).isFalse();
            assertThat(indexEntries()).hasSize(2);
        }
        try (HubServer hub = HubServer.start(storage.resolve("keep"), Map.of("DROP_FOLDER", "", "DUPLICATES", "keep"))) {
            JsonNode first = upload(hub, "ann@example.org");
            JsonNode again = upload(hub, "ann@example.org");
            assertThat(again.get("duplicate").asBoolean()).isFalse();
            assertThat(again.get("session_hash").asText()).isNotEqualTo(first.get("session_hash").asText());
        }
    }

    /** The duplicate index's files (index/sha256/{user_hash}/{sha}). */
    private List<Path> indexEntries() throws IOException {
        try (Stream<Path> files = Files.walk(storage.resolve("index"))) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    private static JsonNode upload(HubServer hub, String user) throws Exception {
        var response = hub.upload(user, PDF);
        assertThat(response.statusCode()).isEqualTo(200);
        return Json.MAPPER.readTree(response.body());
    }
}
