package com.gnosis.hub.session;

/**
 * metadata.json: what was received, from whom and how. Written once at intake.
 *
 * @param source http, drop or gcs
 * @param originalFile the stored original's name (upload.pdf ...)
 */
public record SessionMetadata(String sessionId, String userEmail, String userHash, String createdAt,
                              String filename, long fileSize, String contentType, String sha256,
                              int totalPages, String source, String originalFile) {
}
