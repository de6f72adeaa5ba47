package com.gnosis.hub.ocr.format;

import com.gnosis.hub.ocr.DocumentException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * The three documents rendered from a read document's page models, by the hub (per session) and by the command line
 * alike: the searchable PDF, hOCR and ALTO. Rendering needs only the page models (and, for the PDF, the original),
 * which is why it lives beside the OCR model rather than with the session storage.
 */
public enum OutputFormat {
    PDF("document.pdf", "application/pdf"),
    HOCR("document.hocr", "application/xhtml+xml; charset=utf-8"),
    ALTO("document.alto.xml", "application/xml; charset=utf-8");

    private static final String SOFTWARE = "gnosis-ocr-hub";

    private final String file;
    private final String contentType;

    OutputFormat(String file, String contentType) {
        this.file = file;
        this.contentType = contentType;
    }

    /** The name it is stored under in a session. */
    public String file() {
        return file;
    }

    public String contentType() {
        return contentType;
    }

    /** A format by its name on the command line or in a URL ("pdf", "hocr", "alto"). */
    public static Optional<OutputFormat> parse(String name) {
        try {
            return Optional.of(valueOf(name.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The name a download or the command line's file gets: the document's base name, ASCII, with the format's ending. */
    public String downloadName(String documentName) {
        String base = documentName == null ? "document" : documentName;
        int dot = base.lastIndexOf('.');
        if (dot > 0) base = base.substring(0, dot);
        base = base.replaceAll("[^A-Za-z0-9._ -]", "_");
        if (base.isBlank()) base = "document";
        return switch (this) {
            case PDF -> base + ".ocr.pdf";
            case HOCR -> base + ".hocr";
            case ALTO -> base + ".alto.xml";
        };
    }

    /**
     * Writes the format.
     *
     * @param name     the document's name (hOCR's title, ALTO's file name)
     * @param original the original document (the PDF's pages come from it)
     * @param dpi      the resolution assumed for an image that does not say its own (the PDF's page size)
     * @param version  the hub's version, named in the metadata
     */
    public void write(String name, Path original, Pages pages, float dpi, String version, OutputStream out)
            throws IOException, DocumentException {
        switch (this) {
            case PDF -> new SearchablePdf(dpi).write(original, pages, out);
            case HOCR -> new HocrWriter(SOFTWARE + " " + version).write(name, pages, writer(out));
            case ALTO -> new AltoWriter(SOFTWARE, version).write(name, pages, writer(out));
        }
        out.flush();
    }

    private static Writer writer(OutputStream out) {
        return new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
    }
}
