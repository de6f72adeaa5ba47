package com.gnosis.hub.gcs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.gnosis.hub.HubConfiguration;
import com.gnosis.hub.session.Json;
import com.gnosis.hub.testing.Corpus;
import com.gnosis.hub.testing.HubServer;
import com.google.api.gax.retrying.RetrySettings;
import com.google.cloud.NoCredentials;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bucket that cannot be reached leaves the hub up: HTTP and the drop folder work, /health names the route. */
class GcsOutageTest {

    @TempDir
    Path storage;

    @Test
    void unreachableIngestBucketIsNamedByHealthWhileTheRestWorks() throws Exception {
        int deadPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            deadPort = socket.getLocalPort(); // closed again: nothing listens there
        }
        Storage unreachable = StorageOptions.http().setHost("http://127.0.0.1:" + deadPort).setProjectId("test")
                .setCredentials(NoCredentials.getInstance())
                .setRetrySettings(RetrySettings.newBuilder().setMaxAttempts(1).build()).build().getService();
        try (HubServer hub = HubServer.start(storage, Map.of("GCS_INGEST_BUCKET", "in", "GCS_INGEST_POLL_MS", "100",
                "DROP_STABLE_MS", "500", "DROP_POLL_MS", "200"), Map.of(HubConfiguration.GCS_CLIENT, unreachable))) {
            NotifyBuilder two = hub.documentsDone(2);
            assertThat(hub.upload("kim@example.org", Corpus.dev("pdfbox_PDFBOX-3038-001033-p2.pdf")).statusCode()).isEqualTo(200);
            Path dropped = storage.resolve("inbox/kim@example.org/dropped.pdf");
            Files.createDirectories(dropped.getParent());
            Files.copy(Corpus.dev("pdfbox_PDFBOX-3038-001033-p2.pdf"), dropped);
            HubServer.await(two);

            JsonNode health = awaitHealth(hub, h -> h.get("failing_routes").toString().contains("gcs-ingest"));
            assertThat(health.get("status").asText()).isEqualTo("degraded");
            assertThat(health.get("storage_available").asBoolean()).isTrue();
        }
    }

    /** Reads /health until it shows what is expected (the consumer's health turns DOWN after failed polls). */
    private static JsonNode awaitHealth(HubServer hub, java.util.function.Predicate<JsonNode> expected) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        JsonNode health = null;
        while (Instant.now().isBefore(deadline)) {
            health = Json.MAPPER.readTree(hub.get("/health", null).body());
            if (expected.test(health)) return health;
            LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
        }
        throw new AssertionError("health never showed the failing route: " + health);
    }
}
