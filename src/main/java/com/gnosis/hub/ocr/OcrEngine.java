package com.gnosis.hub.ocr;

import java.awt.image.BufferedImage;
import java.util.List;

/** Reads the text lines on a page image. Implementations are thread-safe; a page is read on the calling thread. */
public interface OcrEngine extends AutoCloseable {

    /** The lines found on the page, in no particular order (see {@link ReadingOrder}). */
    List<TextLine> read(BufferedImage page) throws OcrException;

    /** The page's lines in reading order, in layout blocks, with what the engine could not account for. */
    default PageText readPage(BufferedImage page) throws OcrException {
        return ReadingOrder.arrange(read(page));
    }

    /** Engine name as configured by OCR_ENGINE, e.g. "ppocr". */
    String name();

    /** Loads models and predictors now instead of on first use; idempotent. */
    void load() throws OcrException;

    /** Whether the models are loaded. */
    boolean loaded();

    /** The device requested and the one actually in use. */
    DeviceInfo device();

    @Override
    void close();
}
