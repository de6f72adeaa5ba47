package com.gnosis.hub.ocr.ppocr;

/**
 * The detection model's per-pixel text probability, with the mapping back to page pixels:
 * page = map / scale - padding.
 */
record ProbabilityMap(float[] prob, int width, int height, float scaleX, float scaleY, int padding) {

    float pageX(double mapX) {
        return (float) (mapX / scaleX - padding);
    }

    float pageY(double mapY) {
        return (float) (mapY / scaleY - padding);
    }
}
