package com.gnosis.hub.ocr.ppocr;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;

/** A page's pixels as packed RGB, read once and sampled many times (detection input, line crops). */
final class PageImage {

    final int width;
    final int height;
    private final int[] rgb;

    private PageImage(int width, int height, int[] rgb) {
        this.width = width;
        this.height = height;
        this.rgb = rgb;
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

    /** Bicubic sample (OpenCV's kernel, a = -0.75), sharper than bilinear where small text is enlarged. */
    void sampleCubic(float x, float y, float[] out) {
        float fx = x - 0.5f;
        float fy = y - 0.5f;
        int x0 = (int) Math.floor(fx);
        int y0 = (int) Math.floor(fy);
        float[] wx = cubicWeights(fx - x0);
        float[] wy = cubicWeights(fy - y0);
        float b = 0;
        float g = 0;
        float r = 0;
        for (int j = 0; j < 4; j++) {
            int row = clamp(y0 - 1 + j, height) * width;
            float rb = 0;
            float rg = 0;
            float rr = 0;
            for (int i = 0; i < 4; i++) {
                int p = rgb[row + clamp(x0 - 1 + i, width)];
                rb += (p & 0xff) * wx[i];
                rg += ((p >> 8) & 0xff) * wx[i];
                rr += ((p >> 16) & 0xff) * wx[i];
            }
            b += rb * wy[j];
            g += rg * wy[j];
            r += rr * wy[j];
        }
        out[0] = Math.max(0f, Math.min(255f, b));
        out[1] = Math.max(0f, Math.min(255f, g));
        out[2] = Math.max(0f, Math.min(255f, r));
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
        for (int v = 0; v < outH; v++) {
            for (int u = 0; u < outW; u++) {
                float b = 0;
                float g = 0;
                float r = 0;
                for (int sv = 0; sv < sub; sv++) {
                    float t = (v + (sv + 0.5f) / sub) / outH;
                    for (int su = 0; su < sub; su++) {
                        float s = (u + (su + 0.5f) / sub) / outW;
                        float x = (1 - t) * ((1 - s) * quad[0][0] + s * quad[1][0]) + t * ((1 - s) * quad[3][0] + s * quad[2][0]);
                        float y = (1 - t) * ((1 - s) * quad[0][1] + s * quad[1][1]) + t * ((1 - s) * quad[3][1] + s * quad[2][1]);
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

    static double dist(float[] a, float[] b) {
        return Math.hypot(a[0] - b[0], a[1] - b[1]);
    }

    private static int clamp(int i, int n) {
        return i < 0 ? 0 : (i >= n ? n - 1 : i);
    }
}
