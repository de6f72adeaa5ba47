package com.gnosis.hub.ocr.ppocr;

/** Otsu's threshold: the grey level that best separates a histogram's ink from its paper (most between-class variance). */
public final class Otsu {

    private Otsu() {
    }

    /** @param histogram pixel counts per grey level 0-255; {@code total} their sum */
    public static int threshold(int[] histogram, long total) {
        double sum = 0;
        for (int i = 0; i < 256; i++) {
            sum += i * (double) histogram[i];
        }
        double sumB = 0;
        long wB = 0;
        double best = -1;
        int threshold = 127;
        for (int t = 0; t < 256; t++) {
            wB += histogram[t];
            if (wB == 0) {
                continue;
            }
            long wF = total - wB;
            if (wF == 0) {
                break;
            }
            sumB += t * (double) histogram[t];
            double mB = sumB / wB;
            double mF = (sum - sumB) / wF;
            double between = (double) wB * wF * (mB - mF) * (mB - mF);
            if (between > best) {
                best = between;
                threshold = t;
            }
        }
        return threshold;
    }
}
