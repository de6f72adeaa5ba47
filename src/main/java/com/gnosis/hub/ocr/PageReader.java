package com.gnosis.hub.ocr;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Optional;

/**
 * The per-page pipeline shared by the hub and the command line: render the page, take a PDF's text
 * layer where {@link PdfTextMode} allows, otherwise OCR the rendered image.
 */
public final class PageReader {

    private final OcrEngine engine;
    private final PdfTextMode pdfTextMode;
    private final int dpi;

    public PageReader(OcrEngine engine, PdfTextMode pdfTextMode, int dpi) {
        this.engine = engine;
        this.pdfTextMode = pdfTextMode;
        this.dpi = dpi;
    }

    /** Reads page {@code pageIndex} (0-based). Safe to call from several threads on one document. */
    public PageResult read(Document document, int pageIndex) throws DocumentException, OcrException {
        long start = System.nanoTime();
        BufferedImage image = document.render(pageIndex, dpi);
        if (document.type() == DocumentType.PDF && pdfTextMode != PdfTextMode.NEVER) {
            Optional<Document.TextLayer> layer = document.textLayer(pageIndex, dpi);
            if (pdfTextMode == PdfTextMode.ALWAYS || layer.filter(Document.TextLayer::usable).isPresent()) {
                String text = layer.map(Document.TextLayer::text).orElse("");
                List<TextLine> lines = layer.map(Document.TextLayer::lines).orElse(List.of());
                return new PageResult(pageIndex + 1, text, text, lines, TextLine.Source.TEXT_LAYER, image, elapsed(start));
            }
        }
        PageText page = engine.readPage(image);
        return new PageResult(pageIndex + 1, page.text(), page.markdown(), page.lines(), TextLine.Source.OCR, image,
                elapsed(start), page.blocks(), page.warnings());
    }

    private static long elapsed(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
