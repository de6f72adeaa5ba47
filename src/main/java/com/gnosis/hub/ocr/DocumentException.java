package com.gnosis.hub.ocr;

/** A document cannot be read: unsupported, corrupt, encrypted or too large. The message says which, for a user. */
public class DocumentException extends Exception {

    /** A stable code for the JSON error's detail, e.g. "unsupported_type", "corrupt_pdf". */
    private final String code;

    public DocumentException(String code, String message) {
        super(message);
        this.code = code;
    }

    public DocumentException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public String code() { return code; }
}
