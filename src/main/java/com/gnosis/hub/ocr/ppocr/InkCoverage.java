package com.gnosis.hub.ocr.ppocr;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Ink on the page that no detected line covers: the dark pixels of a reduced copy of the page (Otsu's threshold),
 * less those inside the line boxes, grouped into line-shaped regions. Specks, rules and figures taller than a few
 * lines are left out; what remains is text that detection lost (creases, faint print, light text on a dark bar).
 */
final class InkCoverage {

    /**
     * A region of uncovered ink in page pixels.
     *
     * @param fill the share of the region's pixels that are ink: most of a dark bar with light text on it
     */
    record Region(int x0, int y0, int x1, int y1, double fill) {

        int width() {
            return x1 - x0;
        }

        int height() {
            return y1 - y0;
        }
    }

    // The page is looked at with its long side reduced to about this many pixels.
    private static final int LOOK_SIDE = 1000;

    private final int step;
    private final int w;
    private final int h;
    private final boolean[] ink;

    private InkCoverage(int step, int w, int h, boolean[] ink) {
        this.step = step;
        this.w = w;
        this.h = h;
        this.ink = ink;
    }

    static InkCoverage of(PageImage page) {
        int step = Math.max(1, (int) Math.ceil(Math.max(page.width, page.height) / (double) LOOK_SIDE));
        int w = Math.max(1, page.width / step);
        int h = Math.max(1, page.height / step);
        float[] grey = new float[w * h];
        int[] histogram = new int[256];
        float[] px = new float[3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                // The darkest of a few samples, so thin strokes survive the reduction.
                float v = 255f;
                for (int k = 0; k < 3; k++) {
                    page.sample(x * step + (k + 0.5f) * step / 3f, y * step + (k + 0.5f) * step / 3f, px, false);
                    v = Math.min(v, (px[0] + px[1] + px[2]) / 3f);
                }
                grey[y * w + x] = v;
                histogram[Math.max(0, Math.min(255, (int) v))]++;
            }
        }
        int threshold = Otsu.threshold(histogram, w * h);
        boolean[] ink = new boolean[w * h];
        // Without contrast (a blank or evenly grey page) there is no ink.
        if (spread(histogram, w * h) >= 24) {
            for (int i = 0; i < grey.length; i++) {
                ink[i] = grey[i] <= threshold;
            }
        }
        return new InkCoverage(step, w, h, ink);
    }

    /** Line-shaped regions of ink outside the boxes (grown by a quarter line), for a page whose lines are lineHeight tall. */
    List<Region> uncovered(List<float[][]> boxes, double lineHeight) {
        boolean[] left = ink.clone();
        int grow = (int) Math.ceil(0.25 * lineHeight / step);
        for (float[][] b : boxes) {
            float minX = Float.MAX_VALUE;
            float minY = Float.MAX_VALUE;
            float maxX = -Float.MAX_VALUE;
            float maxY = -Float.MAX_VALUE;
            for (float[] p : b) {
                minX = Math.min(minX, p[0]);
                minY = Math.min(minY, p[1]);
                maxX = Math.max(maxX, p[0]);
                maxY = Math.max(maxY, p[1]);
            }
            int x0 = Math.max(0, (int) (minX / step) - grow);
            int x1 = Math.min(w - 1, (int) (maxX / step) + grow);
            int y0 = Math.max(0, (int) (minY / step) - grow);
            int y1 = Math.min(h - 1, (int) (maxY / step) + grow);
            for (int y = y0; y <= y1; y++) {
                Arrays.fill(left, y * w + x0, y * w + x1 + 1, false);
            }
        }
        double lh = lineHeight / step;
        List<int[]> components = components(left, lh);
        return regions(components, lh);
    }

    /** 8-connected components of ink as {x0, y0, x1, y1, pixels}, specks dropped. */
    private List<int[]> components(boolean[] mask, double lh) {
        int minPixels = (int) Math.max(3, 0.02 * lh * lh);
        boolean[] seen = new boolean[mask.length];
        int[] stack = new int[1024];
        List<int[]> out = new ArrayList<>();
        for (int start = 0; start < mask.length; start++) {
            if (!mask[start] || seen[start]) {
                continue;
            }
            int top = 0;
            stack[top++] = start;
            seen[start] = true;
            int[] c = {Integer.MAX_VALUE, Integer.MAX_VALUE, -1, -1, 0};
            while (top > 0) {
                int p = stack[--top];
                int x = p % w;
                int y = p / w;
                c[0] = Math.min(c[0], x);
                c[1] = Math.min(c[1], y);
                c[2] = Math.max(c[2], x);
                c[3] = Math.max(c[3], y);
                c[4]++;
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        int nx = x + dx;
                        int ny = y + dy;
                        if (nx < 0 || ny < 0 || nx >= w || ny >= h) {
                            continue;
                        }
                        int q = ny * w + nx;
                        if (mask[q] && !seen[q]) {
                            seen[q] = true;
                            if (top == stack.length) {
                                stack = Arrays.copyOf(stack, top * 2);
                            }
                            stack[top++] = q;
                        }
                    }
                }
            }
            if (c[4] >= minPixels) {
                out.add(c);
            }
        }
        return out;
    }

    /** Components chained into regions along a line (gaps under a line height), kept when line-shaped. */
    private List<Region> regions(List<int[]> components, double lh) {
        List<int[]> sorted = new ArrayList<>(components);
        sorted.sort(Comparator.comparingInt(c -> c[0]));
        List<int[]> groups = new ArrayList<>();
        for (int[] c : sorted) {
            int[] joined = null;
            for (int[] g : groups) {
                int overlap = Math.min(g[3], c[3]) - Math.max(g[1], c[1]);
                int gap = c[0] - g[2];
                if (overlap >= 0.4 * Math.min(g[3] - g[1] + 1, c[3] - c[1] + 1) && gap <= Math.max(2, lh)) {
                    joined = g;
                    break;
                }
            }
            if (joined == null) {
                groups.add(c.clone());
            } else {
                joined[0] = Math.min(joined[0], c[0]);
                joined[1] = Math.min(joined[1], c[1]);
                joined[2] = Math.max(joined[2], c[2]);
                joined[3] = Math.max(joined[3], c[3]);
                joined[4] += c[4];
            }
        }
        List<Region> out = new ArrayList<>();
        for (int[] g : groups) {
            double gw = g[2] - g[0] + 1;
            double gh = g[3] - g[1] + 1;
            // Text-sized (not a rule, not a figure), longer than tall, with ink enough to be letters.
            if (gh < 0.4 * lh || gh > 4 * lh || gw < Math.max(3, 1.2 * gh) || g[4] < 0.15 * lh * lh) {
                continue;
            }
            // Solid ink without holes is a bar or a rule (what is left of a bar whose light type was read), not text.
            if (g[4] > 0.93 * gw * gh) {
                continue;
            }
            out.add(new Region(g[0] * step, g[1] * step, (g[2] + 1) * step, (g[3] + 1) * step, g[4] / (gw * gh)));
        }
        out.sort(Comparator.comparingInt((Region r) -> -r.width() * r.height()));
        return out;
    }

    /** Distance between the 0.2th and 99th grey percentiles (text may cover well under 1% of a page). */
    private static int spread(int[] histogram, int total) {
        int lo = -1;
        int hi = -1;
        int seen = 0;
        for (int i = 0; i < 256; i++) {
            seen += histogram[i];
            if (lo < 0 && seen >= 0.002 * total) {
                lo = i;
            }
            if (hi < 0 && seen >= 0.99 * total) {
                hi = i;
            }
        }
        return hi - lo;
    }
}
