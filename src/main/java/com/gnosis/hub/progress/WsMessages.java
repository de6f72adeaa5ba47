package com.gnosis.hub.progress;

import com.gnosis.hub.session.SessionStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * WS /ws/progress/{id} as gnosis-ocr v2 speaks it: JSON messages {@code {type, message, ...}} of type
 * {@code upload_progress} (per chunk: chunk_number, total_chunks, received_chunks, progress_percent),
 * {@code upload_complete} (the last chunk is in), {@code processing_started} (the session is queued: gnosis-ocr's
 * page starts polling /status only then) and {@code error}, with gnosis-ocr's own message texts. The hub adds
 * session_hash to each, and its earlier names (chunks_received, bytes_received, progress) to upload_progress.
 * One instance per socket: {@code processing_started} is sent once even when the socket's first state and the
 * queue both announce it.
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
                body.put("chunk_number", chunks.chunkNumber());
                body.put("total_chunks", chunks.total());
                body.put("received_chunks", chunks.received());
                body.put("progress_percent", chunks.progressPercent());
                // gnosis-ocr's text, chunk_number 0-based as it has it
                body.put("message", "Uploading chunk " + chunks.chunkNumber() + " of " + chunks.total());
                body.put("chunks_received", chunks.received());
                body.put("bytes_received", chunks.bytes());
                body.put("progress", chunks.percent());
            }
            case UPLOAD_COMPLETE -> {
                body.put("type", "upload_complete");
                body.put("message", "Upload complete, assembling file...");
                body.put("filename", event.message());
            }
            case UPLOAD_FAILED -> {
                body.put("type", "error");
                body.put("message", "Failed to assemble file: " + event.message());
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
                    body.put("message", "File assembled, starting OCR processing...");
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
