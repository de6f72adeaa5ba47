package com.gnosis.hub.ocr.ppocr;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;

/** A page's pixels as packed RGB, read once and sampled many times (detection input, line crops). */
final class PageImage {

    final int width;
    final int height;
    private final int[] rgb;
    // Every pixel has R = G = B: one channel is sampled and copied to the others.
    private final boolean grey;

    private PageImage(int width, int height, int[] rgb) {
        this.width = width;
        this.height = height;
        this.rgb = rgb;
        boolean g = true;
        for (int i = 0; i < rgb.length && g; i++) {
            int p = rgb[i];
            g = (p & 0xff) == ((p >> 8) & 0xff) && (p & 0xff) == ((p >> 16) & 0xff);
        }
        this.grey = g;
    }

    static PageImage of(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        int[] rgb = new int[w * h];
        // Grey scans are the common case; reading their bytes directly avoids a slow colour-model conversion.
        if (image.getType() == BufferedImage.TYPE_BYTE_GRAY && image.getRaster().getDataBuffer() instanceof DataBufferByte buffer
                && image.getRaster().getSampleModelTranslateX() == 0 && image.getRaster().getSampleModelTranslateY() == 0
                && buffer.getNumBanks() == 1 && buffer.getData().length == w * h) {
            byte[] grey = buffer.getData();
            for (int i = 0; i < rgb.length; i++) {
                int g = grey[i] & 0xff;
                rgb[i] = (g << 16) | (g << 8) | g;
            }
        } else {
            image.getRGB(0, 0, w, h, rgb, 0, w);
        }
        return new PageImage(w, h, rgb);
    }

    /**
     * Bilinear sample of the 3 channels at (x, y) in pixel-corner coordinates (pixel i spans [i, i+1)),
     * borders replicated, written as B, G, R into out[0..2]; outside the page is white when {@code whiteOutside}.
     */
    void sample(float x, float y, float[] out, boolean whiteOutside) {
        if (whiteOutside && (x < 0 || y < 0 || x >= width || y >= height)) {
            out[0] = 255f;
            out[1] = 255f;
            out[2] = 255f;
            return;
        }
        float fx = x - 0.5f;
        float fy = y - 0.5f;
        int x0 = (int) Math.floor(fx);
        int y0 = (int) Math.floor(fy);
        float ax = fx - x0;
        float ay = fy - y0;
        int xa = clamp(x0, width);
        int xb = clamp(x0 + 1, width);
        int ya = clamp(y0, height) * width;
        int yb = clamp(y0 + 1, height) * width;
        int p00 = rgb[ya + xa];
        int p01 = rgb[ya + xb];
        int p10 = rgb[yb + xa];
        int p11 = rgb[yb + xb];
        float w00 = (1 - ax) * (1 - ay);
        float w01 = ax * (1 - ay);
        float w10 = (1 - ax) * ay;
        float w11 = ax * ay;
        out[0] = (p00 & 0xff) * w00 + (p01 & 0xff) * w01 + (p10 & 0xff) * w10 + (p11 & 0xff) * w11;
        out[1] = ((p00 >> 8) & 0xff) * w00 + ((p01 >> 8) & 0xff) * w01 + ((p10 >> 8) & 0xff) * w10 + ((p11 >> 8) & 0xff) * w11;
        out[2] = ((p00 >> 16) & 0xff) * w00 + ((p01 >> 16) & 0xff) * w01 + ((p10 >> 16) & 0xff) * w10 + ((p11 >> 16) & 0xff) * w11;
    }

    // Bicubic weights (OpenCV's kernel, a = -0.75) tabulated at 1/CUBIC_STEPS pixel: no per-sample arithmetic or allocation.
    private static final int CUBIC_STEPS = 128;
    private static final float[] CUBIC = new float[(CUBIC_STEPS + 1) * 4];

    static {
        for (int i = 0; i <= CUBIC_STEPS; i++) {
            float[] w = cubicWeights((float) i / CUBIC_STEPS);
            System.arraycopy(w, 0, CUBIC, i * 4, 4);
        }
    }

    /** Bicubic sample (OpenCV's kernel, a = -0.75), sharper than bilinear where small text is enlarged. */
    void sampleCubic(float x, float y, float[] out) {
        float fx = x - 0.5f;
        float fy = y - 0.5f;
        int x0 = (int) Math.floor(fx);
        int y0 = (int) Math.floor(fy);
        int wx = Math.round((fx - x0) * CUBIC_STEPS) * 4;
        int wy = Math.round((fy - y0) * CUBIC_STEPS) * 4;
        float b = 0;
        float g = 0;
        float r = 0;
        boolean inside = x0 >= 1 && y0 >= 1 && x0 + 2 < width && y0 + 2 < height;
        for (int j = 0; j < 4; j++) {
            int row = (inside ? y0 - 1 + j : clamp(y0 - 1 + j, height)) * width;
            float rb = 0;
            float rg = 0;
            float rr = 0;
            for (int i = 0; i < 4; i++) {
                int p = rgb[row + (inside ? x0 - 1 + i : clamp(x0 - 1 + i, width))];
                float w = CUBIC[wx + i];
                rb += (p & 0xff) * w;
                if (!grey) {
                    rg += ((p >> 8) & 0xff) * w;
                    rr += ((p >> 16) & 0xff) * w;
                }
            }
            float w = CUBIC[wy + j];
            b += rb * w;
            g += rg * w;
            r += rr * w;
        }
        out[0] = Math.max(0f, Math.min(255f, b));
        if (grey) {
            out[1] = out[0];
            out[2] = out[0];
        } else {
            out[1] = Math.max(0f, Math.min(255f, g));
            out[2] = Math.max(0f, Math.min(255f, r));
        }
    }

    private static float[] cubicWeights(float t) {
        final float a = -0.75f;
        float[] w = new float[4];
        float d0 = 1 + t;
        float d1 = t;
        float d2 = 1 - t;
        float d3 = 2 - t;
        w[0] = ((a * d0 - 5 * a) * d0 + 8 * a) * d0 - 4 * a;
        w[1] = ((a + 2) * d1 - (a + 3)) * d1 * d1 + 1;
        w[2] = ((a + 2) * d2 - (a + 3)) * d2 * d2 + 1;
        w[3] = 1 - w[0] - w[1] - w[2];
        return w;
    }

    /**
     * Samples the quadrilateral (TL, TR, BR, BL in page pixels) into an outW x outH image, normalised as PaddleOCR's
     * recognition and classifier models expect ((v / 255 - 0.5) / 0.5, BGR planes), at {@code offset} of a
     * CHW tensor whose rows are {@code stride} wide. Rectangles (what detection yields) map exactly.
     */
    void cropInto(float[][] quad, int outW, int outH, float[] dest, int offset, int stride, int planeSize) {
        float[] px = new float[3];
        // Average several samples per output pixel when shrinking a lot, so thin strokes do not vanish.
        double lineHeight = Math.max(dist(quad[0], quad[3]), dist(quad[1], quad[2]));
        int sub = (int) Math.max(1, Math.min(3, Math.floor(lineHeight / outH / 1.5)));
        boolean enlarging = lineHeight < outH * 0.8;
        float inv = 1f / (sub * sub);
        // Bilinear interpolation of the corners, done incrementally: x(s, t) = a + s*bx + t*cx + s*t*dx.
        float ax = quad[0][0];
        float ay = quad[0][1];
        float bx = quad[1][0] - quad[0][0];
        float by = quad[1][1] - quad[0][1];
        float cx = quad[3][0] - quad[0][0];
        float cy = quad[3][1] - quad[0][1];
        float dx = quad[2][0] - quad[1][0] - quad[3][0] + quad[0][0];
        float dy = quad[2][1] - quad[1][1] - quad[3][1] + quad[0][1];
        for (int v = 0; v < outH; v++) {
            for (int u = 0; u < outW; u++) {
                float b = 0;
                float g = 0;
                float r = 0;
                for (int sv = 0; sv < sub; sv++) {
                    float t = (v + (sv + 0.5f) / sub) / outH;
                    for (int su = 0; su < sub; su++) {
                        float s = (u + (su + 0.5f) / sub) / outW;
                        float x = ax + s * bx + t * cx + s * t * dx;
                        float y = ay + s * by + t * cy + s * t * dy;
                        if (enlarging) {
                            sampleCubic(x, y, px);
                        } else {
                            sample(x, y, px, false);
                        }
                        b += px[0];
                        g += px[1];
                        r += px[2];
                    }
                }
                int at = offset + v * stride + u;
                dest[at] = b * inv / 127.5f - 1f;
                dest[at + planeSize] = g * inv / 127.5f - 1f;
                dest[at + 2 * planeSize] = r * inv / 127.5f - 1f;
            }
        }
    }

    /**
     * Grey levels (0..255) of the quadrilateral sampled bilinearly on an outW x outH grid, row-major: a cheap look at
     * a line, for finding the blank gaps between its words.
     */
    float[] greyGrid(float[][] quad, int outW, int outH) {
        float[] px = new float[3];
        float[] grid = new float[outW * outH];
        for (int v = 0; v < outH; v++) {
            float t = (v + 0.5f) / outH;
            for (int u = 0; u < outW; u++) {
                float s = (u + 0.5f) / outW;
                float x = (1 - t) * ((1 - s) * quad[0][0] + s * quad[1][0]) + t * ((1 - s) * quad[3][0] + s * quad[2][0]);
                float y = (1 - t) * ((1 - s) * quad[0][1] + s * quad[1][1]) + t * ((1 - s) * quad[3][1] + s * quad[2][1]);
                sample(x, y, px, false);
                grid[v * outW + u] = (px[0] + px[1] + px[2]) / 3f;
            }
        }
        return grid;
    }

    /**
     * The part [x0, x1) x [y0, y1) of the page (clamped) as a page of its own, its grey levels stretched to the full
     * range (faint print) and, when {@code invert}, turned light-on-dark to dark-on-light.
     */
    PageImage region(int x0, int y0, int x1, int y1, boolean invert) {
        int ax = Math.max(0, x0);
        int ay = Math.max(0, y0);
        int bx = Math.min(width, x1);
        int by = Math.min(height, y1);
        int w = Math.max(1, bx - ax);
        int h = Math.max(1, by - ay);
        int[] out = new int[w * h];
        int[] histogram = new int[256];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = rgb[Math.min(height - 1, ay + y) * width + Math.min(width - 1, ax + x)];
                int g = (((p >> 16) & 0xff) + ((p >> 8) & 0xff) + (p & 0xff)) / 3;
                out[y * w + x] = g;
                histogram[g]++;
            }
        }
        int lo = percentile(histogram, w * h, 0.01);
        int hi = percentile(histogram, w * h, 0.99);
        float scale = 255f / Math.max(16, hi - lo);
        for (int i = 0; i < out.length; i++) {
            int g = Math.max(0, Math.min(255, Math.round((out[i] - lo) * scale)));
            if (invert) {
                g = 255 - g;
            }
            out[i] = (g << 16) | (g << 8) | g;
        }
        return new PageImage(w, h, out);
    }

    private static int percentile(int[] histogram, int total, double share) {
        int seen = 0;
        for (int i = 0; i < 256; i++) {
            seen += histogram[i];
            if (seen >= share * total) {
                return i;
            }
        }
        return 255;
    }

    /** The page turned a quarter clockwise: pixel (x, y) moves to (height - 1 - y, x). */
    PageImage turnedClockwise() {
        int[] out = new int[rgb.length];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                out[x * height + (height - 1 - y)] = rgb[y * width + x];
            }
        }
        return new PageImage(height, width, out);
    }

    static double dist(float[] a, float[] b) {
        return Math.hypot(a[0] - b[0], a[1] - b[1]);
    }

    private static int clamp(int i, int n) {
        return i < 0 ? 0 : (i >= n ? n - 1 : i);
    }
}
