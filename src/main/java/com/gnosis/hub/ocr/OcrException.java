package com.gnosis.hub.ocr;

/** An OCR engine could not read a page, or could not start. The message says why, for a user. */
public class OcrException extends Exception {
    public OcrException(String message) { super(message); }
    public OcrException(String message, Throwable cause) { super(message, cause); }
}
