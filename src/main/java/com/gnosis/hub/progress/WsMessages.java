package com.gnosis.hub.progress;

import com.gnosis.hub.session.SessionStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * WS /ws/progress/{id} as gnosis-ocr had it: JSON messages {@code {type, message, session_hash, ...}} of type
 * {@code upload_progress} (per chunk), {@code upload_complete}, {@code processing_started} (the session is
 * queued) and {@code error}. One instance per socket: {@code processing_started} is sent once even when the
 * socket's first state and the queue both announce it.
 */
public final class WsMessages {

    private boolean processingStarted;

    /** The message for one event, if the socket shows it. */
    public Optional<String> message(ProgressEvent event) {
        Map<String, Object> body = new LinkedHashMap<>();
        switch (event.kind()) {
            case UPLOAD_PROGRESS -> {
                ProgressEvent.Chunks chunks = event.chunks();
                body.put("type", "upload_progress");
                body.put("message", "Received chunk " + (chunks.chunkNumber() + 1) + " of " + chunks.total());
                body.put("chunk_number", chunks.chunkNumber());
                body.put("chunks_received", chunks.received());
                body.put("total_chunks", chunks.total());
                body.put("bytes_received", chunks.bytes());
                body.put("progress", chunks.percent());
            }
            case UPLOAD_COMPLETE -> {
                body.put("type", "upload_complete");
                body.put("message", "Upload of " + event.message() + " complete");
                body.put("filename", event.message());
            }
            case UPLOAD_FAILED -> {
                body.put("type", "error");
                body.put("message", "The upload was refused: " + event.message());
            }
            case SNAPSHOT, QUEUED, STARTED, PAGE_DONE, FINISHED -> {
                SessionStatus status = event.status();
                if (SessionStatus.FAILED.equals(status.status())) {
                    body.put("type", "error");
                    body.put("message", status.message());
                    body.put("status", status.status());
                } else if (!ProgressEvent.UPLOADING.equals(status.status()) && !processingStarted) {
                    processingStarted = true;
                    body.put("type", "processing_started");
                    body.put("message", "Processing started");
                    body.put("status", status.status());
                    body.put("total_pages", status.totalPages());
                    body.put("status_url", "/status/" + event.sessionId());
                } else {
                    return Optional.empty();
                }
            }
            default -> {
                return Optional.empty();
            }
        }
        body.put("session_hash", event.sessionId());
        return Optional.of(SseMessages.oneLine(body));
    }
}
