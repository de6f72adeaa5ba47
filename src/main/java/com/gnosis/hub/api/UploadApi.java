package com.gnosis.hub.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.gnosis.hub.identity.IdentityResolver;
import com.gnosis.hub.identity.UserIdentity;
import com.gnosis.hub.queue.BusyException;
import com.gnosis.hub.intake.ChunkedUploads;
import com.gnosis.hub.intake.Intake;
import com.gnosis.hub.intake.UploadEvents;
import com.gnosis.hub.intake.UploadException;
import com.gnosis.hub.ocr.DocumentException;
import com.gnosis.hub.queue.QueuedDocument;
import com.gnosis.hub.session.Json;
import com.gnosis.hub.session.SessionMetadata;
import com.gnosis.hub.session.SessionRef;
import io.vertx.core.http.HttpServerRequest;
import jakarta.activation.DataHandler;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.camel.Exchange;
import org.apache.camel.attachment.AttachmentMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POST /upload (multipart field "file", streamed to disk as it arrives) and gnosis-ocr's chunked upload
 * (POST /upload/start, POST /upload/chunk/{id}). Each stores the document through {@link Intake} and leaves
 * the queue message in the exchange variable {@value QueuedDocument#VARIABLE} for the route to enqueue.
 */
public final class UploadApi {

    private static final Logger LOG = LoggerFactory.getLogger(UploadApi.class);

    /** An upload that sends nothing for this long is ended (400 upload_stalled) and its worker thread freed. */
    private static final Duration BODY_IDLE_LIMIT = Duration.ofSeconds(60);
    private static final long FORM_FIELDS_BYTES = 1024 * 1024;
    private static final Pattern DECIMAL = Pattern.compile("\\d{1,18}");

    private final IdentityResolver identities;
    private final Intake intake;
    private final ChunkedUploads chunks;
    private final long maxUploadBytes;
    private final Path uploadFolder;
    private final UploadEvents events;

    /**
     * @param uploadFolder where /upload's file parts are written while they stream in (on the storage's disk, so
     *                     that intake moves rather than copies them)
     */
    public UploadApi(IdentityResolver identities, Intake intake, ChunkedUploads chunks, long maxUploadBytes,
                     Path uploadFolder, UploadEvents events) {
        this.identities = identities;
        this.intake = intake;
        this.chunks = chunks;
        this.maxUploadBytes = maxUploadBytes;
        this.uploadFolder = uploadFolder;
        this.events = events;
    }

    /**
     * Deletes what uploads in flight left in {@code folder} when the hub stopped (a crash mid-upload): their clients
     * got no answer, so nothing of them was taken. Called at start, before any request is served.
     */
    public static void removeLeftovers(Path folder) {
        if (!Files.isDirectory(folder)) return;
        int removed = 0;
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                if (Files.deleteIfExists(file)) removed++;
            }
        } catch (IOException e) {
            LOG.warn("Cannot clear {} of unfinished uploads: {}", folder, e.getMessage());
        }
        if (removed > 0) LOG.info("Removed {} unfinished upload(s) left in {}", removed, folder);
    }

    /**
     * POST /upload. The route takes the request undecoded, so the multipart body is read here as it streams in:
     * the file part goes straight to a temporary file that intake then moves into the session. Refusals that need
     * no body (caller, full queue, a declared length over the limit) come before any of it is read.
     */
    public void upload(Exchange exchange) throws IOException, DocumentException, BusyException {
        try (InputStream body = requestBody(exchange)) {
            UserIdentity user = HttpReplies.caller(exchange, identities);
            intake.checkRoom();
            String boundary = MultipartBody.boundary(HttpReplies.param(exchange, Exchange.CONTENT_TYPE));
            if (boundary == null) throw MultipartBody.noFile();
            String length = HttpReplies.param(exchange, Exchange.CONTENT_LENGTH);
            if (length != null && DECIMAL.matcher(length.trim()).matches() && Long.parseLong(length.trim()) > maxBodyBytes()) {
                throw ApiException.tooLarge(maxUploadBytes);
            }
            if (!Files.isDirectory(uploadFolder)) Files.createDirectories(uploadFolder);
            MultipartBody.FilePart part = MultipartBody.read(body, boundary, uploadFolder, maxUploadBytes, maxBodyBytes());
            try {
                // the part's file is moved into the session; it is deleted here only when intake refused or linked it
                Intake.Accepted accepted = intake.accept(SessionRef.create(user), user, part.filename(), part.file(),
                        "http", null, true);
                queue(exchange, accepted);
                HttpReplies.json(exchange, sessionAnswer(accepted));
            } finally {
                Files.deleteIfExists(part.file());
            }
        }
    }

    /** The whole body may hold other form fields besides the file: up to 1 MB more than MAX_UPLOAD_MB. */
    private long maxBodyBytes() {
        return maxUploadBytes + FORM_FIELDS_BYTES;
    }

    /** The request body as it arrives from the HTTP server; from any other transport, the message body. */
    private InputStream requestBody(Exchange exchange) {
        Object body = exchange.getMessage().getBody();
        if (body instanceof HttpServerRequest request) {
            return new RequestBodyStream(request, BODY_IDLE_LIMIT, Math.max(4 * maxBodyBytes(), 64L * 1024 * 1024));
        }
        InputStream stream = exchange.getMessage().getBody(InputStream.class);
        return stream == null ? InputStream.nullInputStream() : stream;
    }

    public void start(Exchange exchange) throws IOException, UploadException, BusyException {
        UserIdentity user = HttpReplies.caller(exchange, identities);
        intake.checkRoom();
        JsonNode body = jsonBody(exchange);
        String filename = text(body, "filename", "file_name");
        long totalSize = number(body, "total_size", "file_size");
        int totalChunks = (int) number(body, "total_chunks");
        if (filename == null) throw ApiException.badRequest("missing_field", "filename is required.");
        SessionRef ref = chunks.start(user, filename, totalSize, totalChunks);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("session_hash", ref.sessionId());
        answer.put("upload_id", ref.sessionId());
        answer.put("filename", filename);
        answer.put("total_size", totalSize);
        answer.put("total_chunks", totalChunks);
        answer.put("chunk_size", (totalSize + totalChunks - 1) / totalChunks);
        answer.put("status", "uploading");
        answer.put("message", "Chunked upload started; send chunks 0 to " + (totalChunks - 1));
        HttpReplies.json(exchange, answer);
    }

    public void chunk(Exchange exchange) throws IOException, UploadException, DocumentException {
        UserIdentity user = HttpReplies.caller(exchange, identities);
        String uploadId = HttpReplies.param(exchange, "id");
        ChunkedUploads.Receipt receipt;
        AttachmentMessage attachments = exchange.getMessage(AttachmentMessage.class);
        if (attachments != null && attachments.hasAttachments()) {
            String header = HttpReplies.param(exchange, "X-Chunk-Number");
            if (header == null) throw ApiException.badRequest("missing_field", "X-Chunk-Number header is required.");
            DataHandler part = attachments.getAttachments().values().iterator().next();
            try (InputStream in = part.getInputStream()) {
                receipt = chunks.addChunk(user, uploadId, parseChunkNumber(header), in);
            }
        } else {
            JsonNode body = jsonBody(exchange);
            String data = text(body, "data", "chunk_data", "chunk");
            if (data == null) throw ApiException.badRequest("missing_field", "data (the chunk, base64) is required.");
            Long number = optionalNumber(body, "chunk_number", "chunk_index");
            if (number == null && HttpReplies.param(exchange, "X-Chunk-Number") != null) {
                number = (long) parseChunkNumber(HttpReplies.param(exchange, "X-Chunk-Number"));
            }
            if (number == null) throw ApiException.badRequest("missing_field", "chunk_number is required.");
            byte[] bytes;
            try {
                bytes = Base64.getMimeDecoder().decode(data);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("bad_base64", "data is not valid base64: " + e.getMessage());
            }
            receipt = chunks.addChunk(user, uploadId, number.intValue(), new ByteArrayInputStream(bytes));
        }
        SessionRef upload = SessionRef.of(user, uploadId).orElseThrow();
        events.chunkReceived(upload, receipt);
        Map<String, Object> answer = new LinkedHashMap<>();
        if (receipt.complete()) {
            try {
                answer.putAll(finish(exchange, user, uploadId));
            } catch (IOException | UploadException | DocumentException | RuntimeException e) {
                events.uploadFailed(upload, e.getMessage());
                throw e;
            }
        } else {
            answer.put("session_hash", uploadId);
        }
        answer.put("upload_complete", receipt.complete());
        answer.put("chunk_number", receipt.chunkNumber());
        answer.put("chunks_received", receipt.chunksReceived());
        answer.put("total_chunks", receipt.totalChunks());
        answer.put("bytes_received", receipt.bytesReceived());
        answer.put("duplicate", receipt.duplicate());
        answer.put("message", receipt.duplicate() ? "Chunk " + receipt.chunkNumber() + " already received (duplicate)"
                : receipt.complete() ? "Upload complete; queued for processing"
                : "Chunk " + receipt.chunkNumber() + " received");
        HttpReplies.json(exchange, answer);
    }

    private Map<String, Object> finish(Exchange exchange, UserIdentity user, String uploadId)
            throws IOException, UploadException, DocumentException {
        ChunkedUploads.Upload upload = chunks.find(user, uploadId).orElseThrow();
        try {
            Path assembled = chunks.assemble(user, uploadId);
            SessionRef ref = SessionRef.of(user, uploadId).orElseThrow();
            Intake.Accepted accepted = intake.accept(ref, user, upload.filename(), assembled, "http", null, true);
            queue(exchange, accepted);
            // told on the upload's id, which its subscribers know; a duplicate names its existing session
            events.uploadComplete(ref, accepted.metadata());
            return sessionAnswer(accepted);
        } finally {
            chunks.discard(user, uploadId);
        }
    }

    /** A new session goes on the queue; a duplicate is the existing session and is not queued again. */
    private static void queue(Exchange exchange, Intake.Accepted accepted) {
        if (!accepted.duplicate()) {
            exchange.setVariable(QueuedDocument.VARIABLE, QueuedDocument.of(accepted.ref()).toJson());
        }
    }

    /** The answer of /upload (gnosis-ocr's shape), also sent for the last chunk. */
    static Map<String, Object> sessionAnswer(Intake.Accepted accepted) {
        SessionMetadata metadata = accepted.metadata();
        String id = metadata.sessionId();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("session_hash", id);
        answer.put("filename", metadata.filename());
        answer.put("file_size", metadata.fileSize());
        answer.put("total_pages", metadata.totalPages());
        answer.put("status_url", "/status/" + id);
        answer.put("results_url", "/results/" + id);
        answer.put("created_at", metadata.createdAt());
        answer.put("duplicate", accepted.duplicate());
        if (accepted.duplicate()) {
            answer.put("message", "The same file was uploaded before; this is its session (DUPLICATES=link).");
        }
        return answer;
    }

    private static JsonNode jsonBody(Exchange exchange) throws IOException {
        byte[] body = exchange.getMessage().getBody(byte[].class);
        if (body == null || body.length == 0) throw ApiException.badRequest("missing_body", "A JSON body is required.");
        JsonNode node = Json.MAPPER.readTree(body);
        if (node == null || !node.isObject()) throw ApiException.badRequest("invalid_json", "The body must be a JSON object.");
        return node;
    }

    private static String text(JsonNode body, String... names) {
        for (String name : names) {
            if (body.hasNonNull(name) && body.get(name).isTextual()) return body.get(name).asText();
        }
        return null;
    }

    private static Long optionalNumber(JsonNode body, String... names) {
        for (String name : names) {
            if (body.hasNonNull(name) && body.get(name).canConvertToLong()) return body.get(name).asLong();
            if (body.hasNonNull(name) && body.get(name).isTextual()) {
                try {
                    return Long.parseLong(body.get(name).asText().trim());
                } catch (NumberFormatException e) {
                    throw ApiException.badRequest("invalid_field", name + " must be a number.");
                }
            }
        }
        return null;
    }

    private static long number(JsonNode body, String... names) {
        Long value = optionalNumber(body, names);
        if (value == null) throw ApiException.badRequest("missing_field", names[0] + " is required.");
        return value;
    }

    private static int parseChunkNumber(String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("invalid_field", "X-Chunk-Number must be a number.");
        }
    }
}
