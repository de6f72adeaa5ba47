package com.gnosis.hub.ocr.ppocr;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;

/** PaddleOCR's text direction classifier: per crop (3 x 48 x 192), the probability that the line is upside down. */
final class DirectionTranslator implements NoBatchifyTranslator<LineBatch, float[]> {

    private static final int HEIGHT = 48;
    private static final int WIDTH = 192;

    @Override
    public NDList processInput(TranslatorContext ctx, LineBatch batch) {
        int n = batch.quads().size();
        int plane = HEIGHT * WIDTH;
        float[] data = new float[n * 3 * plane];
        for (int i = 0; i < n; i++) {
            float[][] quad = batch.quads().get(i);
            int width = Math.min(WIDTH, LineBatch.scaledWidth(quad, HEIGHT));
            batch.page().cropInto(quad, width, HEIGHT, data, i * 3 * plane, WIDTH, plane);
        }
        return new NDList(ctx.getNDManager().create(data, new Shape(n, 3, HEIGHT, WIDTH)));
    }

    @Override
    public float[] processOutput(TranslatorContext ctx, NDList list) {
        float[] probs = list.get(0).toFloatArray();
        float[] upsideDown = new float[probs.length / 2];
        for (int i = 0; i < upsideDown.length; i++) {
            upsideDown[i] = probs[2 * i + 1];
        }
        return upsideDown;
    }
}
