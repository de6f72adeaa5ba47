package com.gnosis.hub.ocr;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Optional;

/**
 * The per-page pipeline shared by the hub and the command line. A page's path is decided before anything is
 * rendered: a PDF page whose text layer {@link PdfTextMode} accepts is taken from that layer and never rendered (its
 * image, for the viewer, is made on demand); every other page is rendered and read by the OCR engine.
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

    /** OCR_DPI: the resolution pages are rendered at (and page pixel coordinates are in). */
    public int dpi() {
        return dpi;
    }

    /** Reads page {@code pageIndex} (0-based). Safe to call from several threads on one document. */
    public PageResult read(Document document, int pageIndex) throws DocumentException, OcrException {
        long start = System.nanoTime();
        if (document.type() == DocumentType.PDF && pdfTextMode != PdfTextMode.NEVER) {
            Optional<Document.TextLayer> layer = document.textLayer(pageIndex, dpi);
            if (pdfTextMode == PdfTextMode.ALWAYS || layer.filter(Document.TextLayer::usable).isPresent()) {
                String text = layer.map(Document.TextLayer::text).orElse("");
                List<TextLine> lines = layer.map(Document.TextLayer::lines).orElse(List.of());
                int[] size = layer.isPresent() ? layer.get().size() : document.pageSize(pageIndex, dpi);
                return new PageResult(pageIndex + 1, text, text, lines, TextLine.Source.TEXT_LAYER, null,
                        elapsed(start), List.of(), List.of(), size[0], size[1]);
            }
        }
        BufferedImage image = document.render(pageIndex, dpi);
        PageText page = engine.readPage(image);
        return new PageResult(pageIndex + 1, page.text(), page.markdown(), page.lines(), TextLine.Source.OCR, image,
                elapsed(start), page.blocks(), page.warnings());
    }

    private static long elapsed(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
