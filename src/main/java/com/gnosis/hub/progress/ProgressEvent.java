package com.gnosis.hub.progress;

import com.gnosis.hub.session.SessionStatus;

/**
 * One thing that happened to a session, as its live subscribers hear it. Each transport (SSE, WebSocket)
 * decides which events it shows and how.
 *
 * @param status  the session's status after the event; null for upload events
 * @param page    the page that was stored (PAGE_DONE), else 0
 * @param chunks  the chunked upload's state (UPLOAD_PROGRESS), else null
 * @param message a reason (UPLOAD_FAILED) or the file name (UPLOAD_COMPLETE), else null
 */
public record ProgressEvent(Kind kind, String sessionId, SessionStatus status, int page, Chunks chunks, String message) {

    public enum Kind {
        /** The state at subscription time (read from status.json, or "uploading" while chunks arrive). */
        SNAPSHOT,
        UPLOAD_PROGRESS, UPLOAD_COMPLETE, UPLOAD_FAILED,
        QUEUED, STARTED, PAGE_DONE, FINISHED
    }

    /** A chunked upload's progress. */
    public record Chunks(int chunkNumber, int received, int total, long bytes) {
        public int percent() {
            return total == 0 ? 0 : received * 100 / total;
        }

        /** As gnosis-ocr v2 computes it, (received / total) * 100, so the same counts give the same number. */
        public double progressPercent() {
            return total == 0 ? 0 : ((double) received / total) * 100;
        }
    }

    /** Status of a session whose chunks are still arriving (no status.json yet). */
    public static final String UPLOADING = "uploading";

    static ProgressEvent of(Kind kind, String sessionId, SessionStatus status) {
        return new ProgressEvent(kind, sessionId, status, 0, null, null);
    }

    /** True when nothing can follow: the session completed or failed, or its upload was refused. */
    public boolean terminal() {
        return kind == Kind.UPLOAD_FAILED || (status != null && status.finished()
                && (kind == Kind.FINISHED || kind == Kind.SNAPSHOT));
    }

    /** Orders states so a subscriber never sees a session go backwards: stage first, then pages done. */
    int rank() {
        if (status == null) return -1;
        int stage = switch (status.status()) {
            case UPLOADING -> 0;
            case SessionStatus.PENDING -> 1;
            case SessionStatus.PROCESSING -> 2;
            default -> 3;
        };
        return stage * 1_000_000 + status.pagesDone();
    }
}
