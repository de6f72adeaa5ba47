package com.gnosis.hub.ocr.ppocr;

import java.util.List;

/** Line boxes (TL, TR, BR, BL in page pixels, already turned to read left to right) of one page, run together. */
record LineBatch(PageImage page, List<float[][]> quads) {

    /** Width of a box's crop scaled to the given height, by its aspect ratio. */
    static int scaledWidth(float[][] quad, int height) {
        double w = Math.max(PageImage.dist(quad[0], quad[1]), PageImage.dist(quad[3], quad[2]));
        double h = Math.max(PageImage.dist(quad[0], quad[3]), PageImage.dist(quad[1], quad[2]));
        return (int) Math.max(1, Math.ceil(height * w / Math.max(1e-3, h)));
    }
}
