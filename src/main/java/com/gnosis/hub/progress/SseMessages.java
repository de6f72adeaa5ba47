package com.gnosis.hub.progress;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.gnosis.hub.session.Json;
import java.io.UncheckedIOException;
import com.gnosis.hub.session.SessionStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * GET /events/{id} as Server-Sent Events: {@code progress} (status, progress, current_page, total_pages),
 * {@code page} (page_number, when a page's result is stored), then {@code completed} or {@code failed}
 * (with the message), after which the stream ends. Upload events are the WebSocket's business.
 */
public final class SseMessages {

    private static final ObjectWriter ONE_LINE = Json.MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT);

    private SseMessages() {
    }

    /** The SSE frames ("event: ...\ndata: ...\n\n") for one event, in order; often none. */
    public static List<String> frames(ProgressEvent event) {
        List<String> frames = new ArrayList<>();
        switch (event.kind()) {
            case SNAPSHOT, QUEUED, STARTED, FINISHED -> {
                frames.add(frame("progress", progress(event)));
                if (event.status().finished()) frames.add(terminal(event));
            }
            case PAGE_DONE -> {
                Map<String, Object> page = new LinkedHashMap<>();
                page.put("session_hash", event.sessionId());
                page.put("page_number", event.page());
                page.put("pages_done", event.status().pagesDone());
                page.put("total_pages", event.status().totalPages());
                page.put("image_url", "/images/" + event.sessionId() + "/" + event.page());
                frames.add(frame("page", page));
                frames.add(frame("progress", progress(event)));
            }
            case UPLOAD_FAILED -> {
                Map<String, Object> failed = new LinkedHashMap<>();
                failed.put("session_hash", event.sessionId());
                failed.put("status", SessionStatus.FAILED);
                failed.put("message", "The upload was refused: " + event.message());
                failed.put("error", event.message());
                frames.add(frame("failed", failed));
            }
            default -> {
                // chunk progress is shown by the uploader itself (and on the WebSocket)
            }
        }
        return frames;
    }

    private static Map<String, Object> progress(ProgressEvent event) {
        SessionStatus status = event.status();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("session_hash", event.sessionId());
        body.put("status", status.status());
        body.put("progress", status.progress());
        body.put("current_page", status.currentPage());
        body.put("total_pages", status.totalPages());
        body.put("pages_done", status.pagesDone());
        body.put("message", status.message());
        return body;
    }

    private static String terminal(ProgressEvent event) {
        SessionStatus status = event.status();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("session_hash", event.sessionId());
        body.put("status", status.status());
        body.put("message", status.message());
        if (SessionStatus.COMPLETED.equals(status.status())) {
            body.put("total_pages", status.totalPages());
            body.put("results_url", "/results/" + event.sessionId());
            return frame("completed", body);
        }
        body.put("error", status.error());
        return frame("failed", body);
    }

    static String frame(String name, Map<String, Object> data) {
        return "event: " + name + "\ndata: " + oneLine(data) + "\n\n";
    }

    /** JSON on one line: an SSE "data:" field and a WebSocket text message both want that. */
    static String oneLine(Object value) {
        try {
            return ONE_LINE.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
