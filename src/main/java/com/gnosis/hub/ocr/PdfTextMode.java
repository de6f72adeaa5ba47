package com.gnosis.hub.ocr;

import java.util.Locale;

/** OCR_PDF_TEXT: whether a PDF page's own text layer is used instead of OCR. */
public enum PdfTextMode {
    /** Use the text layer when the page has a usable one, OCR otherwise. */
    AUTO,
    /** Always OCR the rendered page. */
    NEVER,
    /** Never OCR a PDF page: its text layer, or nothing. */
    ALWAYS;

    public static PdfTextMode parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("OCR_PDF_TEXT must be auto, never or always, not '" + value + "'");
        }
    }
}
