package com.gnosis.hub;

/** Placeholder until the ocr command lands (removed in the same stretch of work). */
final class OcrCommandPending {
    static int run(String[] args) {
        System.err.println("ocr: not available in this build");
        return 2;
    }
}
