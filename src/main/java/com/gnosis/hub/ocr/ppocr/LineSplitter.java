package com.gnosis.hub.ocr.ppocr;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Geometry stage: lines too wide for the recogniser are cut in blank gaps between words. The model's time grows
 * faster than the width beyond ~1600 columns, and it was trained on crops of 320.
 */
final class LineSplitter {

    private LineSplitter() {
    }

    // Lines wider than this at the recognition height are cut; no part is made narrower than MIN_PART.
    static final int SPLIT_WIDTH = Integer.getInteger("gnosis.ocr.splitWidth", 1280);
    private static final int MIN_PART = 320;
    // A blank run this wide (at the recognition height) is a word gap, not the space between two letters.
    private static final int MIN_GAP = 5;
    private static final int GRID_ROWS = 24;

    /** The line cut in the widest blank gap near the middle, recursively, until every part is at most SPLIT_WIDTH. */
    static List<float[][]> split(PageImage page, float[][] quad) {
        int width = LineBatch.scaledWidth(quad, RecognitionTranslator.HEIGHT);
        if (width <= SPLIT_WIDTH) {
            return List.<float[][]>of(quad);
        }
        float[] grid = page.greyGrid(quad, width, GRID_ROWS);
        // Ink threshold halfway between the line's background (bright percentile) and its darkest strokes.
        float[] sorted = grid.clone();
        Arrays.sort(sorted);
        float dark = sorted[(int) (sorted.length * 0.02)];
        float bright = sorted[(int) (sorted.length * 0.90)];
        if (bright - dark < 40) {
            return List.<float[][]>of(quad);
        }
        float ink = (bright + dark) / 2;
        boolean[] blank = new boolean[width];
        for (int u = 0; u < width; u++) {
            boolean any = false;
            for (int v = 0; v < GRID_ROWS && !any; v++) {
                any = grid[v * width + u] < ink;
            }
            blank[u] = !any;
        }
        List<float[][]> out = new ArrayList<>();
        cut(quad, blank, 0, width, width, out);
        return out;
    }

    private static void cut(float[][] quad, boolean[] blank, int from, int to, int width, List<float[][]> out) {
        int len = to - from;
        int best = -1;
        int bestRun = MIN_GAP - 1;
        if (len > SPLIT_WIDTH) {
            // The widest blank run (most likely a word gap, not one inside a word) where both parts are at least
            // MIN_PART and the first at most SPLIT_WIDTH; ties go to the one nearest the middle.
            int lo = Math.max(from + MIN_PART, to - SPLIT_WIDTH);
            int hi = Math.min(to - MIN_PART, from + SPLIT_WIDTH);
            if (lo > hi) {
                // More than two parts' worth: a first part of at most SPLIT_WIDTH, the rest cut again.
                lo = from + MIN_PART;
                hi = from + SPLIT_WIDTH;
            }
            int u = from;
            while (u < to) {
                if (!blank[u]) {
                    u++;
                    continue;
                }
                int start = u;
                while (u < to && blank[u]) {
                    u++;
                }
                int mid = (start + u) / 2;
                int run = u - start;
                if (mid >= lo && mid <= hi && (run > bestRun || (run == bestRun && Math.abs(mid - from - len / 2) < Math.abs(best - from - len / 2)))) {
                    best = mid;
                    bestRun = run;
                }
            }
        }
        if (best < 0) {
            out.add(sub(quad, (float) from / width, (float) to / width));
            return;
        }
        cut(quad, blank, from, best, width, out);
        cut(quad, blank, best, to, width, out);
    }

    /** The part of a line box between fractions a and b of its length (exact for parallelograms). */
    private static float[][] sub(float[][] q, float a, float b) {
        if (a == 0f && b == 1f) {
            return q;
        }
        return new float[][] {lerp(q[0], q[1], a), lerp(q[0], q[1], b), lerp(q[3], q[2], b), lerp(q[3], q[2], a)};
    }

    private static float[] lerp(float[] p, float[] q, float f) {
        return new float[] {p[0] + (q[0] - p[0]) * f, p[1] + (q[1] - p[1]) * f};
    }
}
