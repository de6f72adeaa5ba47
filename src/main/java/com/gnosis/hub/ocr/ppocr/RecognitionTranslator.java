package com.gnosis.hub.ocr.ppocr;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;

import java.util.ArrayList;
import java.util.List;

/**
 * PP-OCR recognition (SVTR-LCNet, CTC): crops sampled from the page at height 48 and their own aspect ratio,
 * padded on the right to the widest of the batch, decoded greedily.
 */
final class RecognitionTranslator implements NoBatchifyTranslator<LineBatch, List<Reading>> {

    static final int HEIGHT = 48;
    // The model downsamples the width by 8: one time step per 8 input columns.
    private static final int STRIDE = 8;
    private static final String WIDTHS = "widths";

    private final CtcDecoder decoder;
    private final int minWidth;

    RecognitionTranslator(CtcDecoder decoder, int minWidth) {
        this.decoder = decoder;
        this.minWidth = minWidth;
    }

    @Override
    public NDList processInput(TranslatorContext ctx, LineBatch batch) {
        int n = batch.quads().size();
        int[] widths = new int[n];
        int maxWidth = minWidth;
        for (int i = 0; i < n; i++) {
            widths[i] = LineBatch.scaledWidth(batch.quads().get(i), HEIGHT);
            maxWidth = Math.max(maxWidth, widths[i]);
        }
        maxWidth = (maxWidth + STRIDE - 1) / STRIDE * STRIDE;
        int plane = HEIGHT * maxWidth;
        // Zero is mid-grey after normalisation: PaddleOCR pads with it.
        float[] data = new float[n * 3 * plane];
        for (int i = 0; i < n; i++) {
            batch.page().cropInto(batch.quads().get(i), widths[i], HEIGHT, data, i * 3 * plane, maxWidth, plane);
        }
        ctx.setAttachment(WIDTHS, widths);
        return new NDList(ctx.getNDManager().create(data, new Shape(n, 3, HEIGHT, maxWidth)));
    }

    @Override
    public List<Reading> processOutput(TranslatorContext ctx, NDList list) {
        int[] widths = (int[]) ctx.getAttachment(WIDTHS);
        NDArray out = list.get(0);
        Shape shape = out.getShape();
        int steps = (int) shape.get(1);
        int classes = (int) shape.get(2);
        float[] probs = out.toFloatArray();
        List<Reading> readings = new ArrayList<>(widths.length);
        for (int i = 0; i < widths.length; i++) {
            int own = Math.min(steps, (int) Math.ceil((double) Math.max(widths[i], minWidth) / STRIDE));
            readings.add(decoder.decode(probs, i * steps * classes, own, classes, (float) STRIDE / widths[i]));
        }
        return readings;
    }
}
