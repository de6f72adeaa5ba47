package com.gnosis.hub.session;

/**
 * metadata.json: what was received, from whom and how. Written once at intake.
 *
 * @param source http, drop or gcs
 * @param originalFile the stored original's name (upload.pdf ...)
 * @param origin       where the original came from, for the channel to report back (the drop folder's
 *                     .done path, the bucket object); null for HTTP
 * @param migratedFrom the gnosis-ocr session id this session was copied from by {@code migrate}; null otherwise
 * @param callbackUrl  where the hub POSTs the completed or failed event (webhook); null for none
 */
public record SessionMetadata(String sessionId, String userEmail, String userHash, String createdAt,
                              String filename, long fileSize, String contentType, String sha256,
                              int totalPages, String source, String originalFile, String origin,
                              String migratedFrom, String callbackUrl) {

    /** A session without a callback. */
    public SessionMetadata(String sessionId, String userEmail, String userHash, String createdAt, String filename,
                           long fileSize, String contentType, String sha256, int totalPages, String source,
                           String originalFile, String origin, String migratedFrom) {
        this(sessionId, userEmail, userHash, createdAt, filename, fileSize, contentType, sha256, totalPages, source,
                originalFile, origin, migratedFrom, null);
    }
}
