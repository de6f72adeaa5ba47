package com.gnosis.hub.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.gnosis.hub.identity.IdentityResolver;
import com.gnosis.hub.identity.UserIdentity;
import com.gnosis.hub.intake.BusyException;
import com.gnosis.hub.intake.ChunkedUploads;
import com.gnosis.hub.intake.Intake;
import com.gnosis.hub.intake.UploadEvents;
import com.gnosis.hub.intake.UploadException;
import com.gnosis.hub.ocr.DocumentException;
import com.gnosis.hub.pipeline.QueuedDocument;
import com.gnosis.hub.session.Json;
import com.gnosis.hub.session.SessionMetadata;
import com.gnosis.hub.session.SessionRef;
import jakarta.activation.DataHandler;
import jakarta.activation.FileDataSource;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.attachment.AttachmentMessage;

/**
 * POST /upload (multipart field "file", streamed to disk by the server) and gnosis-ocr's chunked upload
 * (POST /upload/start, POST /upload/chunk/{id}). Each stores the document through {@link Intake} and leaves
 * the queue message in the exchange variable {@value QueuedDocument#VARIABLE} for the route to enqueue.
 */
public final class UploadApi {

    private final IdentityResolver identities;
    private final Intake intake;
    private final ChunkedUploads chunks;
    private final long maxUploadBytes;
    private final UploadEvents events;

    public UploadApi(IdentityResolver identities, Intake intake, ChunkedUploads chunks, long maxUploadBytes) {
        this(identities, intake, chunks, maxUploadBytes, UploadEvents.NONE);
    }

    public UploadApi(IdentityResolver identities, Intake intake, ChunkedUploads chunks, long maxUploadBytes,
                     UploadEvents events) {
        this.identities = identities;
        this.intake = intake;
        this.chunks = chunks;
        this.maxUploadBytes = maxUploadBytes;
        this.events = events;
    }

    public void upload(Exchange exchange) throws IOException, DocumentException, BusyException {
        UserIdentity user = HttpReplies.caller(exchange, identities);
        intake.checkRoom();
        AttachmentMessage message = exchange.getMessage(AttachmentMessage.class);
        if (message == null || !message.hasAttachments()) {
            throw ApiException.badRequest("no_file", "Send the document as multipart/form-data in a field named 'file'.");
        }
        Map<String, DataHandler> parts = message.getAttachments();
        DataHandler part = parts.getOrDefault("file", parts.values().iterator().next());
        // Vert.x deletes its upload file when the exchange ends: intake copies it into storage before the answer
        Path file = uploadedFile(part);
        try {
            if (Files.size(file) > maxUploadBytes) {
                throw new ApiException(413, "payload_too_large", "too_large", "The file is " + Files.size(file)
                        + " bytes; at most " + maxUploadBytes + " are accepted (MAX_UPLOAD_MB).", null);
            }
            // the server's upload file is moved into the session (its own clean-up finds it gone, which it allows)
            Intake.Accepted accepted = intake.accept(SessionRef.create(user), user, part.getName(), file, "http", null,
                    true);
            queue(exchange, accepted);
            HttpReplies.json(exchange, sessionAnswer(accepted));
        } finally {
            if (!(part.getDataSource() instanceof FileDataSource)) Files.deleteIfExists(file);
        }
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

    private static Path uploadedFile(DataHandler handler) throws IOException {
        if (handler.getDataSource() instanceof FileDataSource source) {
            return source.getFile().toPath();
        }
        Path temp = Files.createTempFile("gnosis-upload-", ".bin");
        try (InputStream in = handler.getInputStream()) {
            Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
        }
        return temp;
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
