package com.gnosis.hub.api;

/** An HTTP answer other than success, in DESIGN.md's error shape. */
public class ApiException extends RuntimeException {

    private final int status;
    private final String error;
    private final String code;
    private final String sessionHash;

    public ApiException(int status, String error, String code, String message, String sessionHash) {
        super(message, null, false, false);
        this.status = status;
        this.error = error;
        this.code = code;
        this.sessionHash = sessionHash;
    }

    public static ApiException badRequest(String code, String message) {
        return new ApiException(400, "bad_request", code, message, null);
    }

    /** A body over MAX_UPLOAD_MB (413), wherever it is noticed. */
    public static ApiException tooLarge(long maxBytes) {
        return new ApiException(413, "payload_too_large", "too_large",
                "The upload is larger than " + maxBytes / (1024 * 1024) + " MB (MAX_UPLOAD_MB).", null);
    }

    /** The one answer for a session that does not exist and for one that is not the caller's. */
    public static ApiException sessionNotFound(String sessionId) {
        return new ApiException(404, "not_found", "session_not_found", "Session not found", sessionId);
    }

    public static ApiException notFound(String code, String message, String sessionId) {
        return new ApiException(404, "not_found", code, message, sessionId);
    }

    /** DESIGN.md's error body, for answers written outside Camel (the Vert.x progress endpoints). */
    public java.util.Map<String, Object> body() {
        return body(error, code, getMessage(), sessionHash);
    }

    /** DESIGN.md's error shape: {error, message, detail: "code: message", session_hash when there is one}. */
    public static java.util.Map<String, Object> body(String error, String code, String message, String sessionHash) {
        java.util.Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("error", error);
        body.put("message", message);
        body.put("detail", code + ": " + message);
        if (sessionHash != null) body.put("session_hash", sessionHash);
        return body;
    }

    public int status() { return status; }

    public String error() { return error; }

    public String code() { return code; }

    public String sessionHash() { return sessionHash; }
}
