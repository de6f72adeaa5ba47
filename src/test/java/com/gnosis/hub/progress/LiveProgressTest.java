package com.gnosis.hub.progress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.gnosis.hub.session.Json;
import com.gnosis.hub.testing.Corpus;
import com.gnosis.hub.testing.HubServer;
import com.gnosis.hub.testing.WebSocketClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GET /events/{id} (SSE) and WS /ws/progress/{id} on the real hub, with real chunked uploads of real PDFs. */
class LiveProgressTest {

    // each test has its own owner: the same bytes from the same user link to the first session (DUPLICATES=link)
    private static final String ALICE = "alice@example.org";
    private static final String CAROL = "carol@example.org";
    private static final String DAVE = "dave@example.org";
    private static final String ERIN = "erin@example.org";
    private static final String BOB = "bob@example.org";
    private static final String TWO_PAGES = "pdfbox_PDFBOX-3110-poems-beads.pdf";

    @TempDir
    static Path storage;

    static HubServer hub;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        hub = HubServer.start(storage, Map.of("OCR_WORKERS", "2"));
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    @Test
    void aChunkedTwoPageUploadIsFollowedInOrderOnTheSocketAndTheEventStream() throws Exception {
        byte[] pdf = Files.readAllBytes(Corpus.dev(TWO_PAGES));
        List<byte[]> chunks = split(pdf, 3);
        String id = startChunked(CAROL, TWO_PAGES, pdf.length, chunks.size());

        // the socket is opened before the first chunk, as gnosis-ocr's page does
        WebSocketClient socket = WebSocketClient.open(http, hub.uri("/ws/progress/" + id), CAROL);
        for (int n = 0; n < chunks.size() - 1; n++) sendChunk(CAROL, id, n, chunks.get(n));
        // the event stream is opened while chunks are still missing: its first state is "uploading"
        EventStream events = EventStream.open(http, hub.uri("/events/" + id), CAROL);
        assertThat(events.next().data().get("status").asText()).isEqualTo("uploading");
        sendChunk(CAROL, id, chunks.size() - 1, chunks.get(chunks.size() - 1));

        List<Event> rest = events.untilEnd();
        assertThat(rest).extracting(Event::name).containsExactly(
                "progress", "progress", "page", "progress", "page", "progress", "progress", "completed");
        assertThat(rest).filteredOn(e -> e.name().equals("progress")).extracting(e -> e.data().get("status").asText())
                .containsExactly("pending", "processing", "processing", "processing", "completed");
        assertThat(rest).filteredOn(e -> e.name().equals("progress")).extracting(e -> e.data().get("progress").asInt())
                .isSorted().endsWith(100);
        assertThat(rest).filteredOn(e -> e.name().equals("page")).extracting(e -> e.data().get("page_number").asInt())
                .containsExactlyInAnyOrder(1, 2);
        Event completed = rest.get(rest.size() - 1);
        assertThat(completed.data().get("total_pages").asInt()).isEqualTo(2);
        assertThat(completed.data().get("message").asText()).isEqualTo("All 2 pages processed");

        List<JsonNode> messages = socket.take(chunks.size() + 2);
        assertThat(messages).extracting(m -> m.get("type").asText()).containsExactly(
                "upload_progress", "upload_progress", "upload_progress", "upload_complete", "processing_started");
        assertThat(messages).extracting(m -> m.path("chunks_received").asInt(0)).startsWith(1, 2, 3);
        assertThat(messages.get(2).get("progress").asInt()).isEqualTo(100);
        assertThat(messages).allSatisfy(m -> {
            assertThat(m.get("session_hash").asText()).isEqualTo(id);
            assertThat(m.get("message").asText()).isNotBlank();
        });
        socket.close();
    }

    @Test
    void aLateSubscriberFirstGetsTheCurrentState() throws Exception {
        var done = hub.documentsDone(1);
        String id = Json.MAPPER.readTree(hub.upload(ALICE, Corpus.dev(TWO_PAGES)).body()).get("session_hash").asText();
        HubServer.await(done);

        List<Event> events = EventStream.open(http, hub.uri("/events/" + id), ALICE).untilEnd();
        assertThat(events).extracting(Event::name).containsExactly("progress", "completed");
        assertThat(events.get(0).data().get("progress").asInt()).isEqualTo(100);
        assertThat(events.get(0).data().get("total_pages").asInt()).isEqualTo(2);

        // EventSource cannot send headers: the user may come as ?user=
        assertThat(EventStream.open(http, hub.uri("/events/" + id + "?user=" + ALICE), null).untilEnd())
                .extracting(Event::name).containsExactly("progress", "completed");

        WebSocketClient socket = WebSocketClient.open(http, hub.uri("/ws/progress/" + id), ALICE);
        assertThat(socket.take(1).get(0).get("type").asText()).isEqualTo("processing_started");
        socket.close();
    }

    @Test
    void anotherUserGetsTheSame404AsForAMissingSessionAndNoSocket() throws Exception {
        var done = hub.documentsDone(1);
        String id = Json.MAPPER.readTree(hub.upload(DAVE, Corpus.dev(TWO_PAGES)).body()).get("session_hash").asText();
        HubServer.await(done);
        String missing = "00000000-0000-4000-8000-000000000000";

        HttpResponse<String> foreign = hub.get("/events/" + id, BOB);
        assertThat(foreign.statusCode()).isEqualTo(404);
        assertThat(foreign.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(foreign.body()).isEqualTo(hub.get("/status/" + id, BOB).body());
        assertThat(Json.MAPPER.readTree(hub.get("/events/" + missing, BOB).body()).get("message").asText())
                .isEqualTo(Json.MAPPER.readTree(foreign.body()).get("message").asText());
        assertThat(hub.get("/events/" + id + "?user=" + BOB, null).statusCode()).isEqualTo(404);

        for (String session : List.of(id, missing, "not-a-session")) {
            assertThatThrownBy(() -> WebSocketClient.open(http, hub.uri("/ws/progress/" + session), BOB))
                    .as(session).isInstanceOf(CompletionException.class)
                    .cause().isInstanceOf(WebSocketHandshakeException.class)
                    .satisfies(e -> assertThat(((WebSocketHandshakeException) e).getResponse().statusCode()).isEqualTo(404));
        }
        // an upload in progress is its owner's only
        String upload = startChunked(DAVE, "x.pdf", 10, 2);
        assertThat(hub.get("/events/" + upload, BOB).statusCode()).isEqualTo(404);
        assertThatThrownBy(() -> WebSocketClient.open(http, hub.uri("/ws/progress/" + upload), BOB))
                .isInstanceOf(CompletionException.class);
    }

    @Test
    void aRefusedChunkedUploadEndsWithAnErrorOnBothChannels() throws Exception {
        byte[] notADocument = "just some text, not a PDF or an image".getBytes();
        String id = startChunked(ALICE, "notes.pdf", notADocument.length, 1);
        WebSocketClient socket = WebSocketClient.open(http, hub.uri("/ws/progress/" + id), ALICE);
        EventStream events = EventStream.open(http, hub.uri("/events/" + id), ALICE);
        assertThat(events.next().data().get("status").asText()).isEqualTo("uploading");

        HttpResponse<String> last = sendChunk(ALICE, id, 0, notADocument);
        assertThat(last.statusCode()).isEqualTo(415);

        List<Event> rest = events.untilEnd();
        assertThat(rest).extracting(Event::name).containsExactly("failed");
        assertThat(rest.get(0).data().get("message").asText()).contains("refused");
        assertThat(socket.take(2)).extracting(m -> m.get("type").asText()).containsExactly("upload_progress", "error");
        socket.close();
    }

    @Test
    void aChunkedDuplicateNamesTheSessionItIsLinkedTo() throws Exception {
        var done = hub.documentsDone(1);
        String first = Json.MAPPER.readTree(hub.upload(ERIN, Corpus.dev(TWO_PAGES)).body()).get("session_hash").asText();
        HubServer.await(done);

        byte[] pdf = Files.readAllBytes(Corpus.dev(TWO_PAGES));
        String id = startChunked(ERIN, TWO_PAGES, pdf.length, 1);
        WebSocketClient socket = WebSocketClient.open(http, hub.uri("/ws/progress/" + id), ERIN);
        EventStream events = EventStream.open(http, hub.uri("/events/" + id), ERIN);
        assertThat(events.next().data().get("status").asText()).isEqualTo("uploading");
        HttpResponse<String> last = sendChunk(ERIN, id, 0, pdf);
        assertThat(Json.MAPPER.readTree(last.body()).get("session_hash").asText()).isEqualTo(first);

        List<Event> rest = events.untilEnd();
        assertThat(rest).extracting(Event::name).containsExactly("progress", "completed");
        assertThat(rest).extracting(e -> e.data().get("session_hash").asText()).containsOnly(first);
        List<JsonNode> messages = socket.take(3);
        assertThat(messages).extracting(m -> m.get("type").asText())
                .containsExactly("upload_progress", "upload_complete", "processing_started");
        assertThat(messages.get(2).get("session_hash").asText()).isEqualTo(first);
        socket.close();
    }

    @Test
    void inApiKeyModeTheKeyDecidesAndTheQueryParameterDoesNot(@TempDir Path other) throws Exception {
        Path keys = Files.writeString(other.resolve("keys.txt"), "k-alice-123 alice@example.org\n");
        try (HubServer keyed = HubServer.start(other.resolve("hub"), Map.of("AUTH_MODE", "api-key",
                "API_KEYS_FILE", keys.toString(), "DROP_FOLDER", ""))) {
            String id = "00000000-0000-4000-8000-000000000000";
            HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(keyed.uri("/events/" + id + "?user=" + ALICE))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(Json.MAPPER.readTree(anonymous.body()).get("error").asText()).isEqualTo("unauthorized");
            assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
            HttpResponse<String> keyedMissing = http.send(HttpRequest.newBuilder(keyed.uri("/events/" + id))
                    .header("Authorization", "Bearer k-alice-123").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(keyedMissing.statusCode()).isEqualTo(404);
        }
    }

    // ---- helpers: real HTTP, real SSE parsing, real WebSocket ----

    private static List<byte[]> split(byte[] bytes, int parts) {
        List<byte[]> chunks = new ArrayList<>();
        int size = (bytes.length + parts - 1) / parts;
        for (int from = 0; from < bytes.length; from += size) {
            chunks.add(Arrays.copyOfRange(bytes, from, Math.min(bytes.length, from + size)));
        }
        return chunks;
    }

    private static String startChunked(String user, String name, long size, int chunks) throws Exception {
        HttpResponse<String> start = hub.postJson("/upload/start", user,
                "{\"filename\":\"" + name + "\",\"total_size\":" + size + ",\"total_chunks\":" + chunks + "}");
        assertThat(start.statusCode()).isEqualTo(200);
        return Json.MAPPER.readTree(start.body()).get("session_hash").asText();
    }

    private static HttpResponse<String> sendChunk(String user, String id, int n, byte[] data) throws Exception {
        return hub.postJson("/upload/chunk/" + id, user, "{\"chunk_number\":" + n + ",\"data\":\""
                + Base64.getEncoder().encodeToString(data) + "\"}");
    }

    record Event(String name, JsonNode data) {
    }

    /** An SSE response read line by line; returns once the headers are in, i.e. once the hub has subscribed. */
    static final class EventStream {
        private final Iterator<String> lines;
        private final Stream<String> stream;

        private EventStream(HttpResponse<Stream<String>> response) {
            this.stream = response.body();
            this.lines = stream.iterator();
        }

        static EventStream open(HttpClient http, URI uri, String user) throws IOException, InterruptedException {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream");
            if (user != null) request.header("X-User-Email", user);
            HttpResponse<Stream<String>> response = http.send(request.build(), HttpResponse.BodyHandlers.ofLines());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("text/event-stream"));
            return new EventStream(response);
        }

        /** The next event; null when the stream has ended. */
        Event next() throws IOException {
            String name = null;
            StringBuilder data = new StringBuilder();
            while (lines.hasNext()) {
                String line = lines.next();
                if (line.isEmpty()) {
                    if (name != null) return new Event(name, Json.MAPPER.readTree(data.toString()));
                } else if (line.startsWith("event: ")) {
                    name = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data.append(line.substring(6));
                }
            }
            return null;
        }

        /** Every further event until the hub ends the stream (it does after completed or failed). */
        List<Event> untilEnd() throws IOException {
            List<Event> events = new ArrayList<>();
            for (Event e = next(); e != null; e = next()) events.add(e);
            stream.close();
            return events;
        }
    }
}
