package com.gnosis.hub.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.gnosis.hub.identity.IdentityResolver;
import com.gnosis.hub.identity.UserIdentity;
import com.gnosis.hub.retention.Retention;
import com.gnosis.hub.ocr.DocumentException;
import com.gnosis.hub.ocr.format.OutputFormat;
import com.gnosis.hub.output.SessionOutputs;
import com.gnosis.hub.session.Json;
import com.gnosis.hub.session.SessionFiles;
import com.gnosis.hub.session.SessionMetadata;
import com.gnosis.hub.session.SessionRef;
import com.gnosis.hub.session.SessionStatus;
import com.gnosis.hub.session.SessionStore;
import com.gnosis.hub.storage.ContentTypes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.camel.Exchange;

/** The read side of sessions: status, results, pages, outputs, files, download, delete and the caller's list. */
public final class SessionApi {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SessionApi.class);

    private final IdentityResolver identities;
    private final SessionStore sessions;
    private final Clock clock;
    private final Retention retention;
    private final SessionOutputs outputs;

    /**
     * @param retention SESSION_TTL, for each session's expires_at; null or off: no expires_at
     * @param outputs   the searchable PDF, hOCR and ALTO of a session, made on first request
     */
    public SessionApi(IdentityResolver identities, SessionStore sessions, Clock clock, Retention retention,
                      SessionOutputs outputs) {
        this.identities = identities;
        this.sessions = sessions;
        this.clock = clock;
        this.retention = retention;
        this.outputs = outputs;
    }

    public void status(Exchange exchange) throws IOException {
        SessionRef ref = ownSession(exchange, "id");
        Map<String, Object> answer = statusAnswer(ref.sessionId(), sessions.status(ref));
        if (retention != null && retention.enabled()) {
            answer.put("expires_at", retention.expiresAt(sessions.metadata(ref).createdAt()).orElse(null));
        }
        HttpReplies.json(exchange, answer);
    }

    public void results(Exchange exchange) throws IOException {
        SessionRef ref = ownSession(exchange, "id");
        SessionStatus status = sessions.status(ref);
        if (notCompleted(exchange, ref, status)) return;
        SessionMetadata metadata = sessions.metadata(ref);
        String id = ref.sessionId();
        List<Map<String, Object>> pages = new ArrayList<>();
        for (int page = 1; page <= metadata.totalPages(); page++) {
            // sessions migrated from gnosis-ocr have the page texts but no page_NNN.json
            Optional<byte[]> linesJson = sessions.storage().get(ref.key(SessionFiles.pageLines(page)));
            JsonNode lines = linesJson.isPresent() ? Json.MAPPER.readTree(linesJson.get())
                    : Json.MAPPER.createObjectNode().put("source", "gnosis-ocr");
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("page_number", page);
            entry.put("text", new String(read(ref, SessionFiles.pageText(page)), StandardCharsets.UTF_8));
            entry.put("confidence", lines.path("confidence").asDouble());
            entry.put("source", lines.path("source").asText());
            entry.put("image_url", "/images/" + id + "/" + page);
            entry.put("processing_time", lines.path("processing_time").asDouble());
            pages.add(entry);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("session_hash", id);
        answer.put("filename", metadata.filename());
        answer.put("total_pages", metadata.totalPages());
        answer.put("pages", pages);
        answer.put("combined_markdown_url", "/results/" + id + "/combined.md");
        answer.put("download_url", "/download/" + id);
        answer.put("pdf_url", "/results/" + id + "/document.pdf");
        answer.put("hocr_url", "/results/" + id + "/hocr");
        answer.put("alto_url", "/results/" + id + "/alto");
        answer.put("metadata", metadata);
        answer.put("processing_time", status.processingSeconds(clock.instant()));
        answer.put("created_at", metadata.createdAt());
        HttpReplies.json(exchange, answer);
    }

    /** 409 with the current status while the session is not completed; true when that was the answer. */
    private boolean notCompleted(Exchange exchange, SessionRef ref, SessionStatus status) {
        if (SessionStatus.COMPLETED.equals(status.status())) return false;
        Map<String, Object> current = statusAnswer(ref.sessionId(), status);
        current.remove("session_hash");
        HttpReplies.error(exchange, 409, "conflict", "not_completed",
                "The session is " + status.status() + " (" + status.progress() + "%); results are ready once it is completed.",
                ref.sessionId(), current);
        return true;
    }

    /** GET /results/{id}/document.pdf: the searchable PDF. */
    public void pdf(Exchange exchange) throws IOException {
        output(exchange, OutputFormat.PDF);
    }

    /** GET /results/{id}/hocr */
    public void hocr(Exchange exchange) throws IOException {
        output(exchange, OutputFormat.HOCR);
    }

    /** GET /results/{id}/alto: ALTO 4.4 */
    public void alto(Exchange exchange) throws IOException {
        output(exchange, OutputFormat.ALTO);
    }

    private void output(Exchange exchange, OutputFormat format) throws IOException {
        SessionRef ref = ownSession(exchange, "id");
        if (notCompleted(exchange, ref, sessions.status(ref))) return;
        String file;
        try {
            file = outputs.ensure(ref, format);
        } catch (DocumentException e) {
            throw new ApiException(422, "unprocessable_entity", e.code(), "The " + format.name().toLowerCase(java.util.Locale.ROOT)
                    + " output cannot be made: " + e.getMessage(), ref.sessionId());
        }
        InputStream in = sessions.storage().open(ref.key(file))
                .orElseThrow(() -> ApiException.sessionNotFound(ref.sessionId())); // deleted meanwhile
        HttpReplies.stream(exchange, format.contentType(), in);
        exchange.getMessage().setHeader("Content-Disposition",
                "inline; filename=\"" + format.downloadName(sessions.metadata(ref).filename()) + "\"");
    }

    public void combined(Exchange exchange) throws IOException {
        SessionRef ref = ownSession(exchange, "id");
        sendFile(exchange, ref, SessionFiles.COMBINED, "combined_not_ready",
                "The combined markdown is written when the session completes.");
    }

    public void image(Exchange exchange) throws IOException {
        SessionRef ref = ownSession(exchange, "id");
        int page;
        try {
            page = Integer.parseInt(HttpReplies.param(exchange, "page"));
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("invalid_page", "The page must be a number (1 for the first page).");
        }
        if (page < 1) throw ApiException.badRequest("invalid_page", "Pages are numbered from 1.");
        try {
            // a page read from its text layer was never rendered: its image is made now, once
            outputs.pageImage(ref, page);
        } catch (DocumentException e) {
            LOG.warn("Page {} of {} cannot be rendered: {}", page, ref, e.getMessage());
        }
        sendFile(exchange, ref, SessionFiles.pageImage(page), "page_not_found", "Page " + page + " has no image (yet).");
    }

    /** GET /storage/{user_hash}/{session}/{file}: a stored file, to its owner only. */
    public void storedFile(Exchange exchange) throws IOException {
        UserIdentity user = HttpReplies.caller(exchange, identities);
        String sessionId = HttpReplies.param(exchange, "session");
        if (!user.hash().equals(HttpReplies.param(exchange, "user_hash"))) {
            throw ApiException.sessionNotFound(sessionId);
        }
        SessionRef ref = sessions.find(user, sessionId).orElseThrow(() -> ApiException.sessionNotFound(sessionId));
        String file = HttpReplies.param(exchange, "file");
        if (!SessionFiles.isSafeName(file)) {
            throw ApiException.notFound("file_not_found", "No such file in this session.", sessionId);
        }
        sendFile(exchange, ref, file, "file_not_found", "No such file in this session.");
    }

    public void download(Exchange exchange) throws IOException {
        SessionRef ref = ownSession(exchange, "id");
        if (SessionStatus.COMPLETED.equals(sessions.status(ref).status())) {
            for (OutputFormat format : OutputFormat.values()) {
                try {
                    outputs.ensure(ref, format);
                } catch (DocumentException | IOException e) {
                    // the ZIP still carries everything else
                    LOG.warn("The {} of {} cannot be made for its ZIP: {}", format, ref, e.getMessage());
                }
            }
        }
        Path zip = Files.createTempFile("gnosis-download-", ".zip");
        try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream archive = new ZipOutputStream(out)) {
            for (String name : sessions.files(ref)) {
                Optional<InputStream> in = sessions.storage().open(ref.key(name));
                if (in.isEmpty()) continue; // deleted meanwhile
                archive.putNextEntry(new ZipEntry(ref.sessionId() + "/" + name));
                try (InputStream content = in.get()) {
                    content.transferTo(archive);
                }
                archive.closeEntry();
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(zip);
            throw e;
        }
        HttpReplies.streamTemporary(exchange, "application/zip", zip, "gnosis-ocr-" + ref.sessionId() + ".zip");
    }

    public void delete(Exchange exchange) throws IOException {
        SessionRef ref = ownSession(exchange, "id");
        sessions.delete(ref);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("session_hash", ref.sessionId());
        answer.put("deleted", true);
        answer.put("message", "Session deleted");
        HttpReplies.json(exchange, answer);
    }

    public void list(Exchange exchange) throws IOException {
        UserIdentity user = HttpReplies.caller(exchange, identities);
        List<Map<String, Object>> list = new ArrayList<>();
        for (SessionStore.Summary summary : sessions.list(user)) {
            SessionMetadata m = summary.metadata();
            SessionStatus s = summary.status();
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("session_hash", m.sessionId());
            entry.put("filename", m.filename());
            entry.put("status", s.status());
            entry.put("progress", s.progress());
            entry.put("total_pages", m.totalPages());
            entry.put("file_size", m.fileSize());
            entry.put("source", m.source());
            entry.put("created_at", m.createdAt());
            entry.put("completed_at", s.completedAt());
            entry.put("message", s.message());
            if (retention != null && retention.enabled()) entry.put("expires_at", retention.expiresAt(m.createdAt()).orElse(null));
            list.add(entry);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("user_hash", user.hash());
        answer.put("total", list.size());
        answer.put("sessions", list);
        HttpReplies.json(exchange, answer);
    }

    private Map<String, Object> statusAnswer(String id, SessionStatus status) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("session_hash", id);
        answer.put("status", status.status());
        answer.put("progress", status.progress());
        answer.put("current_page", status.currentPage());
        answer.put("total_pages", status.totalPages());
        answer.put("pages_done", status.pagesDone());
        answer.put("message", status.message());
        answer.put("error", status.error());
        answer.put("started_at", status.startedAt());
        answer.put("completed_at", status.completedAt());
        answer.put("updated_at", status.updatedAt());
        answer.put("processing_time", status.processingSeconds(clock.instant()));
        return answer;
    }

    private SessionRef ownSession(Exchange exchange, String param) throws IOException {
        UserIdentity user = HttpReplies.caller(exchange, identities);
        String sessionId = HttpReplies.param(exchange, param);
        return sessions.find(user, sessionId).orElseThrow(() -> ApiException.sessionNotFound(sessionId));
    }

    private byte[] read(SessionRef ref, String file) throws IOException {
        return sessions.storage().get(ref.key(file))
                .orElseThrow(() -> new IOException("session " + ref + " is completed but lacks " + file));
    }

    private void sendFile(Exchange exchange, SessionRef ref, String file, String code, String missing) throws IOException {
        InputStream in = sessions.storage().open(ref.key(file))
                .orElseThrow(() -> ApiException.notFound(code, missing, ref.sessionId()));
        HttpReplies.stream(exchange, ContentTypes.of(file), in);
    }
}
