package com.gnosis.hub.ocr;

import java.util.Arrays;
import java.util.Optional;

/** The document kinds the hub reads, recognised by their first bytes, never by file name. */
public enum DocumentType {
    PDF("application/pdf", "pdf"),
    PNG("image/png", "png"),
    JPEG("image/jpeg", "jpg"),
    TIFF("image/tiff", "tif");

    private final String contentType;
    private final String extension;

    DocumentType(String contentType, String extension) {
        this.contentType = contentType;
        this.extension = extension;
    }

    public String contentType() { return contentType; }

    /** The extension of the stored original: upload.pdf, upload.png, upload.jpg, upload.tif. */
    public String extension() { return extension; }

    public boolean isImage() { return this != PDF; }

    /** Recognises a document from its first bytes (at least 8 are needed). */
    public static Optional<DocumentType> detect(byte[] head) {
        if (startsWith(head, '%', 'P', 'D', 'F', '-')) return Optional.of(PDF);
        if (startsWith(head, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) return Optional.of(PNG);
        if (startsWith(head, 0xFF, 0xD8, 0xFF)) return Optional.of(JPEG);
        if (startsWith(head, 'I', 'I', 42, 0) || startsWith(head, 'M', 'M', 0, 42)) return Optional.of(TIFF);
        return Optional.empty();
    }

    public static Optional<DocumentType> fromExtension(String extension) {
        return Arrays.stream(values()).filter(t -> t.extension.equalsIgnoreCase(extension)).findFirst();
    }

    private static boolean startsWith(byte[] head, int... magic) {
        if (head.length < magic.length) return false;
        for (int i = 0; i < magic.length; i++) {
            if ((head[i] & 0xFF) != magic[i]) return false;
        }
        return true;
    }
}
