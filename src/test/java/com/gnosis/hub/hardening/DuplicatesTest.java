package com.gnosis.hub.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.gnosis.hub.session.Json;
import com.gnosis.hub.testing.Corpus;
import com.gnosis.hub.testing.HubServer;
import java.nio.file.Path;
import java.util.Map;
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

            // a deleted session is not linked to: the bytes are processed again
            assertThat(hub.delete("/session/" + first.get("session_hash").asText(), "ann@example.org").statusCode()).isEqualTo(200);
            JsonNode afterDelete = upload(hub, "ann@example.org");
            assertThat(afterDelete.get("duplicate").asBoolean()).isFalse();
        }
        try (HubServer hub = HubServer.start(storage.resolve("keep"), Map.of("DROP_FOLDER", "", "DUPLICATES", "keep"))) {
            JsonNode first = upload(hub, "ann@example.org");
            JsonNode again = upload(hub, "ann@example.org");
            assertThat(again.get("duplicate").asBoolean()).isFalse();
            assertThat(again.get("session_hash").asText()).isNotEqualTo(first.get("session_hash").asText());
        }
    }

    private static JsonNode upload(HubServer hub, String user) throws Exception {
        var response = hub.upload(user, PDF);
        assertThat(response.statusCode()).isEqualTo(200);
        return Json.MAPPER.readTree(response.body());
    }
}
