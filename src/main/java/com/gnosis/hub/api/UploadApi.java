package com.gnosis.hub.api;

import com.fasterxml.jackson.core.Base64Variants;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
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
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.camel.Exchange;
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
    /** The chunked upload's bodies: no gap over this (400 upload_stalled). */
    private static final Duration BODY_IDLE = Duration.ofSeconds(30);
    /** /upload/start's JSON: at most this many bytes, all within SMALL_BODY_TOTAL. */
    static final long SMALL_BODY_BYTES = 64 * 1024;
    static final Duration SMALL_BODY_TOTAL = Duration.ofSeconds(30);
    /** A chunk's body: two minutes plus a second per 100 KB it may hold, then 400 upload_too_slow. */
    private static final Duration CHUNK_BODY_TOTAL = Duration.ofMinutes(2);
    private static final long CHUNK_BODY_RATE = 100 * 1024;
    /** Room for the JSON around a chunk's base64 (field names, number, other fields a client adds). */
    private static final long CHUNK_ENVELOPE_BYTES = 64 * 1024;
    private static final Set<String> CONTENT_NAMES = Set.of("content", "data", "chunk_data", "chunk");
    private static final Set<String> NUMBER_NAMES = Set.of("chunk_number", "chunk_index");
    private static final long FORM_FIELDS_BYTES = 1024 * 1024;
    private static final Pattern DECIMAL = Pattern.compile("\\d{1,18}");
    /** The header that may carry callback_url (webhook) instead of the form field or JSON member. */
    static final String CALLBACK_HEADER = "X-Callback-Url";

    private final IdentityResolver identities;
    private final Intake intake;
    private final ChunkedUploads chunks;
    private final long maxUploadBytes;
    private final Path uploadFolder;
    private final UploadEvents events;
    private UploadSpool spool;

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
    public void upload(Exchange exchange) throws IOException, DocumentException, BusyException, UploadException {
        try (InputStream body = requestBody(exchange)) {
            UserIdentity user = HttpReplies.caller(exchange, identities);
            intake.checkRoom(user);
            // callback_url: a header, or a form field before or after the file (checked once the body is read)
            String callbackHeader = HttpReplies.param(exchange, CALLBACK_HEADER);
            String callback = callbackHeader == null ? null : intake.callback(user, callbackHeader);
            String boundary = MultipartBody.boundary(HttpReplies.param(exchange, Exchange.CONTENT_TYPE));
            if (boundary == null) throw MultipartBody.noFile();
            String length = HttpReplies.param(exchange, Exchange.CONTENT_LENGTH);
            if (length != null && DECIMAL.matcher(length.trim()).matches() && Long.parseLong(length.trim()) > maxBodyBytes()) {
                throw ApiException.tooLarge(maxUploadBytes);
            }
            if (!Files.isDirectory(uploadFolder)) Files.createDirectories(uploadFolder);
            MultipartBody.FilePart part = MultipartBody.read(body, boundary, uploadFolder, maxUploadBytes, maxBodyBytes());
            try {
                if (callback == null) callback = intake.callback(user, part.fields().get("callback_url"));
                // the part's file is moved into the session; it is deleted here only when intake refused or linked it
                Intake.Accepted accepted = intake.accept(SessionRef.create(user), user, part.filename(), part.file(),
                        "http", null, true, callback);
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

    /** Bodies of /upload taken onto disk before the route runs (see {@link UploadSpool}); null: read as they stream. */
    public void spoolBodies(UploadSpool spool) {
        this.spool = spool;
    }

    /**
     * Whether the headers of an /upload request let its body be taken at all: a known caller, room in the queue,
     * a multipart body, a declared size within the limit. When not, the route answers without reading the body.
     */
    public boolean worthReading(java.util.function.Function<String, String> header) {
        try {
            identities.resolve(header);
            intake.checkRoom();
            if (MultipartBody.boundary(header.apply(Exchange.CONTENT_TYPE)) == null) return false;
        } catch (BusyException | RuntimeException e) {
            return false;
        }
        String length = header.apply(Exchange.CONTENT_LENGTH);
        return length == null || !DECIMAL.matcher(length.trim()).matches() || Long.parseLong(length.trim()) <= maxBodyBytes();
    }

    /** The request body as it arrives from the HTTP server; from any other transport, the message body. */
    private InputStream requestBody(Exchange exchange) throws IOException {
        Object body = exchange.getMessage().getBody();
        if (body instanceof HttpServerRequest request) {
            Optional<InputStream> spooled = spool == null ? Optional.empty() : spool.take(request);
            if (spooled.isPresent()) return spooled.get();
            return new RequestBodyStream(request, BODY_IDLE_LIMIT, Math.max(4 * maxBodyBytes(), 64L * 1024 * 1024));
        }
        InputStream stream = exchange.getMessage().getBody(InputStream.class);
        return stream == null ? InputStream.nullInputStream() : stream;
    }

    /**
     * POST /upload/start {filename, total_size, total_chunks}: gnosis-ocr v2's answer {session_hash, status: "ready",
     * total_chunks} and more. The body is read only once the caller is known, and only {@value #SMALL_BODY_BYTES} bytes of it.
     */
    public void start(Exchange exchange) throws IOException, UploadException, BusyException {
        try (BoundedBody in = BoundedBody.open(exchange, BODY_IDLE)) {
            UserIdentity user = HttpReplies.caller(exchange, identities);
            intake.checkRoom(user);
            JsonNode body = in.bound(SMALL_BODY_BYTES, SMALL_BODY_TOTAL, "The body of /upload/start").readObject();
            String callbackGiven = text(body, "callback_url");
            String callback = intake.callback(user, callbackGiven == null ? HttpReplies.param(exchange, CALLBACK_HEADER) : callbackGiven);
            String filename = text(body, "filename", "file_name");
            Long totalSize = wholeNumber(body, "total_size", "file_size");
            Long totalChunks = wholeNumber(body, "total_chunks");
            // gnosis-ocr's test is "not value": an empty name and a zero count are missing too
            if (filename == null || filename.isEmpty() || totalSize == null || totalSize == 0
                    || totalChunks == null || totalChunks == 0) {
                throw ApiException.badRequest("missing_field", "Missing required fields: filename, total_size, total_chunks");
            }
            SessionRef ref = chunks.start(user, filename, totalSize, totalChunks);
            intake.rememberCallback(ref, callback);
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("session_hash", ref.sessionId());
            answer.put("status", "ready");
            answer.put("total_chunks", totalChunks);
            answer.put("upload_id", ref.sessionId());
            answer.put("filename", filename);
            answer.put("total_size", totalSize);
            answer.put("chunk_size", (totalSize + totalChunks - 1) / totalChunks);
            answer.put("expires_in", chunks.limits().ttl().toSeconds());
            if (callback != null) answer.put("callback_url", callback);
            answer.put("message", "Chunked upload started; send chunks 0 to " + (totalChunks - 1));
            HttpReplies.json(exchange, answer);
        }
    }

    /**
     * POST /upload/chunk/{id} {chunk_number, content: base64} (gnosis-ocr v2; the hub's earlier names chunk_index
     * and data too, or a multipart part with X-Chunk-Number). The caller and the upload are checked before any of
     * the body is read; the base64 is decoded as it streams in, straight into a file, so no chunk is ever held in
     * memory, whatever its size.
     */
    public void chunk(Exchange exchange) throws IOException, UploadException, DocumentException {
        try (BoundedBody body = BoundedBody.open(exchange, BODY_IDLE)) {
            UserIdentity user = HttpReplies.caller(exchange, identities);
            String uploadId = HttpReplies.param(exchange, "id");
            ChunkedUploads.Upload upload = chunks.find(user, uploadId)
                    .orElseThrow(() -> ChunkedUploads.notFound(uploadId));
            long limit = chunkBodyLimit(upload);
            body.bound(limit, CHUNK_BODY_TOTAL.plusSeconds(limit / CHUNK_BODY_RATE), "A chunk's request body");
            String boundary = MultipartBody.boundary(HttpReplies.param(exchange, Exchange.CONTENT_TYPE));
            ChunkedUploads.Receipt receipt = boundary != null
                    ? multipartChunk(exchange, user, uploadId, upload, body, boundary)
                    : jsonChunk(exchange, user, uploadId, upload, body);
            answerChunk(exchange, user, uploadId, receipt);
        }
    }

    /** A request for a chunk may carry at most its upload's total_size, in base64, and 64 KB of JSON around it. */
    private long chunkBodyLimit(ChunkedUploads.Upload upload) {
        long bytes = Math.min(upload.totalSize(), maxUploadBytes);
        return 4 * ((bytes + 2) / 3) + CHUNK_ENVELOPE_BYTES;
    }

    private ChunkedUploads.Receipt multipartChunk(Exchange exchange, UserIdentity user, String uploadId,
                                                  ChunkedUploads.Upload upload, InputStream body, String boundary)
            throws IOException, UploadException {
        String header = HttpReplies.param(exchange, "X-Chunk-Number");
        if (header == null) throw ApiException.badRequest("missing_field", "X-Chunk-Number header is required.");
        long number = chunkNumber(upload, header.trim());
        MultipartBody.FilePart part = MultipartBody.read(body, boundary, chunks.folder(user, uploadId),
                upload.totalSize(), chunkBodyLimit(upload));
        return chunks.addChunk(user, uploadId, number, part.file());
    }

    /**
     * The JSON body read as a stream: the number may come before or after the content, and the content (base64) goes
     * to a file in the upload's folder as it is decoded.
     */
    private ChunkedUploads.Receipt jsonChunk(Exchange exchange, UserIdentity user, String uploadId,
                                             ChunkedUploads.Upload upload, InputStream body)
            throws IOException, UploadException {
        Path content = null;
        long contentBytes = 0;
        Long number = null;
        try (JsonParser parser = Json.MAPPER.getFactory().createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw ApiException.badRequest("invalid_json", "The body must be a JSON object.");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (CONTENT_NAMES.contains(name) && value == JsonToken.VALUE_STRING) {
                    if (content != null) Files.deleteIfExists(content);
                    content = chunks.newChunkFile(user, uploadId);
                    contentBytes = decodeInto(parser, content, upload);
                } else if (NUMBER_NAMES.contains(name) && value != JsonToken.VALUE_NULL && number == null) {
                    number = chunkNumber(upload, parser);
                } else {
                    parser.skipChildren();
                }
            }
            if (number == null && HttpReplies.param(exchange, "X-Chunk-Number") != null) {
                number = chunkNumber(upload, HttpReplies.param(exchange, "X-Chunk-Number").trim());
            }
            // gnosis-ocr's test is "not content": an empty string is missing too
            if (number == null || content == null || contentBytes == 0) {
                throw ApiException.badRequest("missing_field", "Missing chunk_number or content");
            }
            ChunkedUploads.Receipt receipt = chunks.addChunk(user, uploadId, number, content);
            content = null;
            return receipt;
        } catch (JacksonException e) {
            throw ApiException.badRequest("invalid_json", "The body is not valid JSON: " + e.getOriginalMessage());
        } finally {
            if (content != null) Files.deleteIfExists(content);
        }
    }

    /** Decodes the current base64 string token into the file as it streams in; returns the bytes written. */
    private static long decodeInto(JsonParser parser, Path file, ChunkedUploads.Upload upload)
            throws IOException, UploadException {
        try (OutputStream out = new LimitedOutput(Files.newOutputStream(file), upload)) {
            return parser.readBinaryValue(Base64Variants.MIME_NO_LINEFEEDS, out);
        } catch (StreamReadException e) {
            throw ApiException.badRequest("bad_base64", "Invalid base64 content: " + e.getOriginalMessage());
        } catch (IllegalArgumentException e) {
            // Jackson reports a character outside the base64 alphabet this way
            throw ApiException.badRequest("bad_base64", "Invalid base64 content: " + e.getMessage());
        } catch (UncheckedUploadException e) {
            throw e.getCause();
        }
    }

    /** A chunk_number token: a whole number in 0 .. total_chunks - 1, given as a JSON number or a numeric string. */
    private static long chunkNumber(ChunkedUploads.Upload upload, JsonParser parser) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.VALUE_NUMBER_INT) return chunkNumber(upload, parser.getText());
        if (token == JsonToken.VALUE_STRING) return chunkNumber(upload, parser.getText().trim());
        if (token == JsonToken.VALUE_NUMBER_FLOAT) {
            throw ApiException.badRequest("invalid_field", "chunk_number must be a whole number, not " + parser.getText() + ".");
        }
        parser.skipChildren();
        throw ApiException.badRequest("invalid_field", "chunk_number must be a number.");
    }

    /** Compared as text-sized numbers, so 2^32 or 2^64 never wraps into a valid chunk number. */
    private static long chunkNumber(ChunkedUploads.Upload upload, String text) {
        if (!text.matches("-?\\d+")) {
            throw ApiException.badRequest("invalid_field", "chunk_number must be a whole number, not " + abbreviate(text) + ".");
        }
        BigInteger value = new BigInteger(text);
        if (value.signum() < 0 || value.compareTo(BigInteger.valueOf(upload.totalChunks())) >= 0) {
            UploadException e = ChunkedUploads.badNumber(upload, abbreviate(text));
            throw new ApiException(400, "bad_request", e.code(), e.getMessage(), null);
        }
        return value.longValueExact();
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }

    private void answerChunk(Exchange exchange, UserIdentity user, String uploadId, ChunkedUploads.Receipt receipt)
            throws IOException, UploadException, DocumentException {
        SessionRef upload = SessionRef.of(user, uploadId).orElseThrow();
        events.chunkReceived(upload, receipt);
        Map<String, Object> answer = new LinkedHashMap<>();
        // gnosis-ocr v2's fields first
        answer.put("status", "received");
        answer.put("chunk_number", receipt.chunkNumber());
        answer.put("received_chunks", receipt.chunksReceived());
        answer.put("total_chunks", receipt.totalChunks());
        answer.put("progress_percent", receipt.progressPercent());
        if (receipt.complete()) {
            try {
                finish(exchange, user, uploadId).forEach(answer::putIfAbsent);
            } catch (IOException | UploadException | DocumentException | RuntimeException e) {
                events.uploadFailed(upload, e.getMessage());
                throw e;
            }
        } else {
            answer.put("session_hash", uploadId);
        }
        answer.put("upload_complete", receipt.complete());
        answer.put("chunks_received", receipt.chunksReceived());
        answer.put("bytes_received", receipt.bytesReceived());
        answer.put("duplicate", receipt.duplicate());
        answer.put("message", receipt.duplicate() ? "Chunk " + receipt.chunkNumber() + " already received (duplicate)"
                : receipt.complete() ? "Upload complete; queued for processing"
                : "Chunk " + receipt.chunkNumber() + " received");
        HttpReplies.json(exchange, answer);
    }

    /** GET /uploads: the caller's unfinished chunked uploads, oldest first, with the chunks each still lacks. */
    public void listUploads(Exchange exchange) throws IOException {
        UserIdentity user = HttpReplies.caller(exchange, identities);
        List<Map<String, Object>> uploads = new ArrayList<>();
        for (ChunkedUploads.Pending pending : chunks.list(user)) uploads.add(describe(pending));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("uploads", uploads);
        answer.put("total", uploads.size());
        HttpReplies.json(exchange, answer);
    }

    /** GET /uploads/{id}: one unfinished upload of the caller (404 when it is not, or no longer, in progress). */
    public void describeUpload(Exchange exchange) throws IOException, UploadException {
        UserIdentity user = HttpReplies.caller(exchange, identities);
        String id = HttpReplies.param(exchange, "id");
        ChunkedUploads.Pending pending = chunks.describe(user, id).orElseThrow(() -> ChunkedUploads.notFound(id));
        HttpReplies.json(exchange, describe(pending));
    }

    /** DELETE /uploads/{id}: cancels an unfinished upload of the caller and removes its chunks. */
    public void cancelUpload(Exchange exchange) throws IOException, UploadException {
        UserIdentity user = HttpReplies.caller(exchange, identities);
        String id = HttpReplies.param(exchange, "id");
        chunks.cancel(user, id);
        events.uploadFailed(SessionRef.of(user, id).orElseThrow(), "the upload was cancelled");
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("session_hash", id);
        answer.put("status", "cancelled");
        answer.put("message", "Upload cancelled; its chunks are deleted");
        HttpReplies.json(exchange, answer);
    }

    private static Map<String, Object> describe(ChunkedUploads.Pending pending) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("session_hash", pending.sessionId());
        body.put("status", "uploading");
        body.put("filename", pending.upload().filename());
        body.put("total_size", pending.upload().totalSize());
        body.put("total_chunks", pending.upload().totalChunks());
        body.put("received_chunks", pending.chunksReceived());
        body.put("bytes_received", pending.bytesReceived());
        body.put("missing_chunks", pending.missingChunks());
        body.put("created_at", pending.upload().createdAt());
        body.put("updated_at", pending.updatedAt().toString());
        body.put("expires_at", pending.expiresAt().toString());
        return body;
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
        if (metadata.callbackUrl() != null) answer.put("callback_url", metadata.callbackUrl());
        if (accepted.duplicate()) {
            answer.put("message", "The same file was uploaded before; this is its session (DUPLICATES=link).");
        }
        return answer;
    }

    private static String text(JsonNode body, String... names) {
        for (String name : names) {
            if (body.hasNonNull(name) && body.get(name).isTextual()) return body.get(name).asText();
        }
        return null;
    }

    /** A whole number field (a JSON integer or a numeric string); null when absent; 400 when not a whole number. */
    private static Long wholeNumber(JsonNode body, String... names) {
        for (String name : names) {
            JsonNode value = body.get(name);
            if (value == null || value.isNull()) continue;
            String text = value.isTextual() ? value.asText().trim() : value.isIntegralNumber() ? value.asText() : null;
            if (text == null || !text.matches("-?\\d{1,18}")) {
                throw ApiException.badRequest("invalid_field", name + " must be a whole number below 10^18.");
            }
            return Long.parseLong(text);
        }
        return null;
    }

    /** Counts what is decoded into a chunk's file: more than the upload's total_size is a 413 at once. */
    private static final class LimitedOutput extends FilterOutputStream {
        private final ChunkedUploads.Upload upload;
        private long written;

        LimitedOutput(OutputStream out, ChunkedUploads.Upload upload) {
            super(out);
            this.upload = upload;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            written += len;
            if (written > upload.totalSize()) throw new UncheckedUploadException(ChunkedUploads.chunkTooLarge(upload));
            out.write(b, off, len);
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }
    }

    /** Carries an UploadException out of an OutputStream called by Jackson. */
    private static final class UncheckedUploadException extends RuntimeException {
        UncheckedUploadException(UploadException cause) {
            super(cause);
        }

        @Override
        public synchronized UploadException getCause() {
            return (UploadException) super.getCause();
        }
    }
}
