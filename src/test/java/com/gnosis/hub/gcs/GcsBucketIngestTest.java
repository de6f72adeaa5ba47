package com.gnosis.hub.gcs;

import static org.awaitility.Awaitility.await;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.gnosis.hub.HubConfiguration;
import com.gnosis.hub.identity.UserIdentity;
import com.gnosis.hub.session.Json;
import com.gnosis.hub.testing.Corpus;
import com.gnosis.hub.testing.HubServer;
import java.time.Duration;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bucket ingestion and the GCS backend end to end, over Google's own in-memory Storage (a fresh one per test)
 * injected as the hub's client: polling, bucket events in both formats, and the backend's three switches.
 */
class GcsBucketIngestTest {

    private static final String PDF = "pdfbox_PDFBOX-3038-001033-p2.pdf";

    /** Events carry the shared token (GCS_EVENTS_TOKEN) as a push endpoint URL would. */
    private static final String EVENTS = "/events/gcs?token=test-events-token";

    private final Storage gcs = LocalStorageHelper.customOptions(false).getService();

    @TempDir
    Path local;

    @Test
    void polledObjectBecomesASessionInTheOutputBucketAndMovesToProcessed() throws Exception {
        seed("in", "incoming/gina@example.org/doc.pdf", Map.of());
        try (HubServer hub = start(Map.of("STORAGE_BACKEND", "gcs", "GCS_BUCKET_NAME", "out",
                "GCS_INGEST_BUCKET", "in", "GCS_INGEST_POLL_MS", "200"))) {
            NotifyBuilder done = hub.documentsDone(1);
            HubServer.await(done);

            String hash = UserIdentity.hashOf("gina@example.org");
            List<String> names = names("out", "users/" + hash + "/");
            assertThat(names).hasSize(6); // a text-layer page has no image until the viewer asks for it
            String prefix = names.get(0).substring(0, names.get(0).lastIndexOf('/') + 1);
            assertThat(names).containsExactlyInAnyOrder(prefix + "combined_output.md", prefix + "metadata.json",
                    prefix + "page_001.json", prefix + "page_001_result.txt",
                    prefix + "status.json", prefix + "upload.pdf");
            assertThat(gcs.get(BlobId.of("out", prefix + "upload.pdf")).getContentType()).isEqualTo("application/pdf");
            JsonNode metadata = Json.MAPPER.readTree(gcs.readAllBytes(BlobId.of("out", prefix + "metadata.json")));
            assertThat(metadata.get("source").asText()).isEqualTo("gcs");
            assertThat(metadata.get("user_hash").asText()).isEqualTo(hash);
            JsonNode status = Json.MAPPER.readTree(gcs.readAllBytes(BlobId.of("out", prefix + "status.json")));
            assertThat(status.get("status").asText()).isEqualTo("completed");

            assertThat(names("in", "")).containsExactly("processed/gina@example.org/doc.pdf");
            // the hub reads its sessions back from the bucket
            String id = metadata.get("session_id").asText();
            JsonNode results = Json.MAPPER.readTree(hub.get("/results/" + id, "gina@example.org").body());
            assertThat(results.get("pages").get(0).get("text").asText()).contains("Good afternoon.");
        }
    }

    @Test
    void ownerComesFromObjectMetadataFirstAndRefusedObjectsMoveToFailed() throws Exception {
        seed("in", "incoming/scan.pdf", Map.of("user-email", "Hal@Example.org"));
        gcs.createFrom(BlobInfo.newBuilder("in", "incoming/notes.pdf").build(),
                new java.io.ByteArrayInputStream("not a document".getBytes()));
        try (HubServer hub = start(Map.of("GCS_INGEST_BUCKET", "in", "GCS_INGEST_POLL_MS", "200"))) {
            HubServer.await(hub.documentsDone(1));
            assertThat(local.resolve("users/" + UserIdentity.hashOf("hal@example.org")).toFile().list()).hasSize(1);
            await("the refused object in failed/").atMost(Duration.ofSeconds(30)).until(() -> gcs.get(BlobId.of("in", "failed/notes.error.txt")) != null);
            assertThat(names("in", "")).contains("processed/scan.pdf", "failed/notes.pdf", "failed/notes.error.txt");
            assertThat(new String(gcs.readAllBytes(BlobId.of("in", "failed/notes.error.txt"))))
                    .contains("Not a PDF, PNG, JPEG or TIFF");
        }
    }

    @Test
    void bucketEventsInBothFormatsAreTakenOnceAndOtherEventsIgnored() throws Exception {
        Blob first = seed("in", "incoming/ida@example.org/a.pdf", Map.of());
        Blob second = seed("in", "incoming/ida@example.org/b.pdf", Map.of());
        Blob third = seed("in", "incoming/ida@example.org/c.pdf", Map.of());
        try (HubServer hub = start(Map.of("GCS_EVENTS", "true", "DUPLICATES", "keep",
                "GCS_EVENTS_TOKEN", "test-events-token", "GCS_EVENTS_BUCKETS", "in"))) {
            String user = "ida@example.org";
            NotifyBuilder three = hub.documentsDone(3);
            HttpResponse<String> push = hub.postJson(EVENTS, null, pubSubPush(first, "OBJECT_FINALIZE"));
            assertThat(push.statusCode()).isEqualTo(202);
            HttpResponse<String> binary = hub.post(EVENTS, null,
                    java.net.http.HttpRequest.BodyPublishers.ofString(objectJson(second)), "application/json",
                    Map.of("ce-type", "google.cloud.storage.object.v1.finalized", "ce-specversion", "1.0",
                            "ce-id", "1", "ce-source", "//storage.googleapis.com/projects/_/buckets/in"));
            assertThat(binary.statusCode()).isEqualTo(202);
            HttpResponse<String> structured = hub.post(EVENTS, null, java.net.http.HttpRequest.BodyPublishers.ofString(
                    "{\"specversion\":\"1.0\",\"type\":\"google.cloud.storage.object.v1.finalized\",\"id\":\"2\","
                            + "\"source\":\"//storage.googleapis.com/projects/_/buckets/in\",\"data\":" + objectJson(third) + "}"),
                    "application/cloudevents+json", Map.of());
            assertThat(structured.statusCode()).isEqualTo(202);
            HubServer.await(three);

            // Pub/Sub delivers twice: the second delivery takes nothing
            NotifyBuilder redelivered = new NotifyBuilder(hub.context()).fromRoute("gcs-events-take").whenDone(1).create();
            assertThat(hub.postJson(EVENTS, null, pubSubPush(first, "OBJECT_FINALIZE")).statusCode()).isEqualTo(202);
            assertThat(redelivered.matches(30, TimeUnit.SECONDS)).isTrue();
            assertThat(local.resolve("users/" + UserIdentity.hashOf(user)).toFile().list()).hasSize(3);
            assertThat(names("in", "")).containsExactlyInAnyOrder("processed/ida@example.org/a.pdf",
                    "processed/ida@example.org/b.pdf", "processed/ida@example.org/c.pdf");

            assertThat(hub.postJson(EVENTS, null, pubSubPush(first, "OBJECT_DELETE")).statusCode()).isEqualTo(204);
            assertThat(hub.post(EVENTS, null, java.net.http.HttpRequest.BodyPublishers.ofString(objectJson(first)),
                    "application/json", Map.of("ce-type", "google.cloud.storage.object.v1.deleted")).statusCode())
                    .isEqualTo(204);
            // the move to processed/ raises its own finalize event: not under the prefix, so ignored
            assertThat(hub.postJson(EVENTS, null, "{\"message\":{\"attributes\":{\"eventType\":\"OBJECT_FINALIZE\","
                    + "\"bucketId\":\"in\",\"objectId\":\"processed/ida@example.org/a.pdf\"}}}").statusCode()).isEqualTo(204);
            HttpResponse<String> malformed = hub.postJson(EVENTS, null, "{\"hello\": \"world\"}");
            assertThat(malformed.statusCode()).isEqualTo(400);
            assertThat(Json.MAPPER.readTree(malformed.body()).get("error").asText()).isEqualTo("bad_request");
            assertThat(hub.postJson(EVENTS, null, "not json").statusCode()).isEqualTo(400);
        }
    }

    @Test
    void gcsBackendIsChosenByEachOfItsSwitches() throws Exception {
        for (Map<String, String> switchOn : List.of(Map.of("STORAGE_BACKEND", "gcs"), Map.of("RUNNING_IN_CLOUD", "true"),
                Map.of("K_SERVICE", "gnosis-ocr-hub"))) {
            Storage fresh = LocalStorageHelper.customOptions(false).getService();
            Map<String, String> settings = new java.util.HashMap<>(switchOn);
            settings.put("GCS_BUCKET_NAME", "sessions");
            Path root = java.nio.file.Files.createTempDirectory(local, "switch");
            try (HubServer hub = HubServer.start(root, settings, Map.of(HubConfiguration.GCS_CLIENT, fresh))) {
                NotifyBuilder done = hub.documentsDone(1);
                assertThat(hub.upload("jo@example.org", Corpus.dev(PDF)).statusCode()).as(switchOn.toString()).isEqualTo(200);
                HubServer.await(done);
                List<String> names = new ArrayList<>();
                fresh.list("sessions").iterateAll().forEach(b -> names.add(b.getName()));
                assertThat(names).as(switchOn.toString()).anyMatch(n -> n.startsWith("users/" + UserIdentity.hashOf("jo@example.org") + "/")
                        && n.endsWith("/combined_output.md"));
                assertThat(root.resolve("users")).as(switchOn.toString()).doesNotExist();
                assertThat(Json.MAPPER.readTree(hub.get("/health", null).body()).get("storage_backend").asText()).isEqualTo("gcs");
            }
        }
    }

    @Test
    void gcsBackendWithoutABucketFailsAtStartNamingTheSetting() {
        assertThatThrownBy(() -> start(Map.of("RUNNING_IN_CLOUD", "true")))
                .hasStackTraceContaining("GCS_BUCKET_NAME is not set");
    }

    private HubServer start(Map<String, String> settings) throws Exception {
        return HubServer.start(local, settings, Map.of(HubConfiguration.GCS_CLIENT, gcs));
    }

    private Blob seed(String bucket, String name, Map<String, String> metadata) throws Exception {
        return gcs.createFrom(BlobInfo.newBuilder(bucket, name).setContentType("application/pdf").setMetadata(metadata).build(),
                Corpus.dev(PDF));
    }

    private List<String> names(String bucket, String prefix) {
        List<String> names = new ArrayList<>();
        gcs.list(bucket, Storage.BlobListOption.prefix(prefix)).iterateAll().forEach(b -> names.add(b.getName()));
        names.sort(null);
        return names;
    }

    private static String objectJson(Blob blob) {
        return Json.string(Map.of("bucket", blob.getBucket(), "name", blob.getName(), "generation",
                String.valueOf(blob.getGeneration()), "contentType", "application/pdf"));
    }

    private static String pubSubPush(Blob blob, String eventType) {
        Map<String, Object> message = Map.of("attributes", Map.of("eventType", eventType, "bucketId", blob.getBucket(),
                        "objectId", blob.getName(), "objectGeneration", String.valueOf(blob.getGeneration())),
                "data", Base64.getEncoder().encodeToString(objectJson(blob).getBytes()), "messageId", "123");
        return Json.string(Map.of("message", message, "subscription", "projects/p/subscriptions/s"));
    }
}
