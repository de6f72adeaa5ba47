package com.gnosis.hub.gcs;

import static org.assertj.core.api.Assertions.assertThat;

import com.gnosis.hub.HubConfiguration;
import com.gnosis.hub.identity.UserIdentity;
import com.gnosis.hub.session.Json;
import com.gnosis.hub.testing.Corpus;
import com.gnosis.hub.testing.HubServer;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pull mode (GCS_EVENTS_SUBSCRIPTION) against Google's Pub/Sub emulator (Debian package
 * google-cloud-cli-pubsub-emulator); reported skipped where the emulator is not installed.
 */
class GcsPubsubPullTest {

    private static final List<Path> EMULATORS = List.of(
            Path.of("/usr/lib/google-cloud-sdk/platform/pubsub-emulator/bin/cloud-pubsub-emulator"),
            Path.of("/usr/share/google-cloud-sdk/platform/pubsub-emulator/bin/cloud-pubsub-emulator"));
    private static final String PROJECT = "gnosis-test";

    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path storage;

    @Test
    void notificationsFromAPullSubscriptionAreTakenOnce() throws Exception {
        Path emulator = EMULATORS.stream().filter(Files::isExecutable).findFirst().orElse(null);
        Assumptions.assumeTrue(emulator != null, "the Pub/Sub emulator is not installed (google-cloud-cli-pubsub-emulator)");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Process process = new ProcessBuilder(emulator.toString(), "--host=localhost", "--port=" + port)
                .redirectErrorStream(true).redirectOutput(storage.resolve("emulator.log").toFile()).start();
        try {
            String base = "http://localhost:" + port + "/v1/projects/" + PROJECT;
            awaitEmulator(base);
            assertThat(call("PUT", base + "/topics/bucket-events", "{}").statusCode()).isEqualTo(200);
            assertThat(call("PUT", base + "/subscriptions/bucket-events-sub",
                    "{\"topic\": \"projects/" + PROJECT + "/topics/bucket-events\"}").statusCode()).isEqualTo(200);

            Storage gcs = LocalStorageHelper.customOptions(false).getService();
            Blob blob = gcs.createFrom(BlobInfo.newBuilder("in", "incoming/lee@example.org/doc.pdf").build(),
                    Corpus.dev("pdfbox_PDFBOX-3038-001033-p2.pdf"));
            try (HubServer hub = HubServer.start(storage.resolve("hub"), Map.of("GCS_EVENTS_SUBSCRIPTION", "bucket-events-sub", "GCS_EVENTS_BUCKETS", "in",
                    "GOOGLE_CLOUD_PROJECT", PROJECT, "PUBSUB_EMULATOR_HOST", "localhost:" + port),
                    Map.of(HubConfiguration.GCS_CLIENT, gcs))) {
                NotifyBuilder pulled = new NotifyBuilder(hub.context()).fromRoute("gcs-events-pull").whenDone(3).create();
                NotifyBuilder processed = hub.documentsDone(1);
                publish(base, blob, "OBJECT_FINALIZE");
                publish(base, blob, "OBJECT_FINALIZE"); // delivered twice
                publish(base, blob, "OBJECT_METADATA_UPDATE");
                HubServer.await(processed);
                assertThat(pulled.matches(60, TimeUnit.SECONDS)).isTrue();
                assertThat(storage.resolve("hub/users/" + UserIdentity.hashOf("lee@example.org")).toFile().list()).hasSize(1);
            }
        } finally {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private void publish(String base, Blob blob, String eventType) throws Exception {
        String data = Base64.getEncoder().encodeToString(Json.string(Map.of("bucket", blob.getBucket(), "name", blob.getName(),
                "generation", String.valueOf(blob.getGeneration()))).getBytes());
        String body = Json.string(Map.of("messages", List.of(Map.of("data", data, "attributes", Map.of(
                "eventType", eventType, "bucketId", blob.getBucket(), "objectId", blob.getName(),
                "objectGeneration", String.valueOf(blob.getGeneration()))))));
        assertThat(call("POST", base + "/topics/bucket-events:publish", body).statusCode()).isEqualTo(200);
    }

    /** The emulator takes a few seconds to start; its HTTP port answering is the signal. */
    private void awaitEmulator(String base) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            try {
                call("GET", base + "/topics", null);
                return;
            } catch (IOException notYet) {
                LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
            }
        }
        throw new AssertionError("the Pub/Sub emulator did not start");
    }

    private HttpResponse<String> call(String method, String url, String json) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json");
        request.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
