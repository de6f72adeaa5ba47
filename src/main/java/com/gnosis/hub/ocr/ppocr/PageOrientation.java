package com.gnosis.hub.ocr.ppocr;

import ai.djl.translate.TranslateException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Direction stage: turns each detected box so that its corners run in reading direction (TL is where the text
 * starts). Tall boxes are turned a quarter (PaddleOCR's rule), then the page's vote may turn all by half.
 */
final class PageOrientation {

    // The direction vote needs a sample of lines, not all of them.
    private static final int SAMPLE = 24;
    private static final int BATCH = 8;
    private static final float FLIP_SCORE = 0.9f;

    private PageOrientation() {
    }

    /**
     * Boxes whose height is at least 1.5 times their width read from top to bottom: their corners turn a quarter.
     * On a page where such boxes outnumber the clearly wide ones (a page turned by 90 degrees), every box that is
     * not clearly wide turns with them, short words included.
     */
    static List<float[][]> quarterTurns(List<float[][]> boxes) {
        int tall = 0;
        int wide = 0;
        for (float[][] b : boxes) {
            double ratio = aspect(b);
            tall += ratio >= 1.5 ? 1 : 0;
            wide += ratio <= 1 / 1.5 ? 1 : 0;
        }
        boolean turnedPage = tall > wide;
        List<float[][]> reading = new ArrayList<>(boxes.size());
        for (float[][] b : boxes) {
            double ratio = aspect(b);
            boolean turn = turnedPage ? ratio > 1 / 1.5 : ratio >= 1.5;
            reading.add(turn ? new float[][] {b[1], b[2], b[3], b[0]} : b);
        }
        return reading;
    }

    /** Whether most of the clearly elongated boxes are tall: the page's text runs up or down it. */
    static boolean turnedByAQuarter(List<float[][]> boxes) {
        int tall = 0;
        int wide = 0;
        for (float[][] b : boxes) {
            double ratio = aspect(b);
            tall += ratio >= 1.5 ? 1 : 0;
            wide += ratio <= 1 / 1.5 ? 1 : 0;
        }
        return tall > wide;
    }

    /** Height over width of a box. */
    private static double aspect(float[][] b) {
        double width = Math.max(PageImage.dist(b[0], b[1]), PageImage.dist(b[3], b[2]));
        double height = Math.max(PageImage.dist(b[0], b[3]), PageImage.dist(b[1], b[2]));
        return height / Math.max(1e-3, width);
    }

    static float[][] halfTurn(float[][] q) {
        return new float[][] {q[2], q[3], q[0], q[1]};
    }

    /** The page's majority vote: a per-line decision flipped clean lines in an experiment, a per-page one did not. */
    static boolean classifierSaysUpsideDown(Predictors predictors, PageImage page, List<float[][]> reading)
            throws TranslateException {
        List<float[][]> sample = new ArrayList<>(reading);
        sample.sort(Comparator.comparingDouble((float[][] q) -> -PageImage.dist(q[0], q[1])));
        sample = sample.subList(0, Math.min(SAMPLE, sample.size()));
        int flipped = 0;
        for (int from = 0; from < sample.size(); from += BATCH) {
            float[] p = predictors.cls().predict(new LineBatch(page, sample.subList(from, Math.min(sample.size(), from + BATCH))));
            for (float v : p) {
                if (v >= FLIP_SCORE) {
                    flipped++;
                }
            }
        }
        return flipped * 2 > sample.size();
    }
}
