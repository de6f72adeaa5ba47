package com.gnosis.hub.intake;

/** A chunked upload request that cannot be taken; the reason decides the HTTP status. */
public class UploadException extends Exception {

    public enum Reason { NOT_FOUND, INVALID, TOO_LARGE, CONFLICT }

    private final Reason reason;
    private final String code;

    public UploadException(Reason reason, String code, String message) {
        super(message);
        this.reason = reason;
        this.code = code;
    }

    public Reason reason() { return reason; }

    public String code() { return code; }
}
