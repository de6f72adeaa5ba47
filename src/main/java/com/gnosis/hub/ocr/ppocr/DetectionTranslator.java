package com.gnosis.hub.ocr.ppocr;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;

/**
 * PP-OCR text detection (DB): the page, padded with white and resized to multiples of 32 with its long side bounded,
 * normalised with ImageNet mean/std on BGR planes as PaddleOCR does; out comes the text probability map.
 */
final class DetectionTranslator implements NoBatchifyTranslator<PageImage, ProbabilityMap> {

    // BGR order: PaddleOCR applies these to OpenCV's BGR image.
    private static final float[] MEAN = {0.485f, 0.456f, 0.406f};
    private static final float[] STD = {0.229f, 0.224f, 0.225f};

    private final int maxSide;
    private final int padding;

    DetectionTranslator(int maxSide, int padding) {
        this.maxSide = maxSide;
        this.padding = padding;
    }

    private static final String SIZE = "size";

    @Override
    public NDList processInput(TranslatorContext ctx, PageImage page) {
        int paddedW = page.width + 2 * padding;
        int paddedH = page.height + 2 * padding;
        double scale = Math.min(1.0, (double) maxSide / Math.max(paddedW, paddedH));
        int w = Math.max(32, (int) Math.round(paddedW * scale / 32) * 32);
        int h = Math.max(32, (int) Math.round(paddedH * scale / 32) * 32);
        float sx = (float) w / paddedW;
        float sy = (float) h / paddedH;
        int plane = w * h;
        float[] data = new float[3 * plane];
        float[] px = new float[3];
        float[] a = new float[3];
        float[] b = new float[3];
        for (int c = 0; c < 3; c++) {
            a[c] = 1f / (255f * STD[c]);
            b[c] = -MEAN[c] / STD[c];
        }
        for (int y = 0; y < h; y++) {
            float srcY = (y + 0.5f) / sy - padding;
            for (int x = 0; x < w; x++) {
                page.sample((x + 0.5f) / sx - padding, srcY, px, true);
                int at = y * w + x;
                data[at] = px[0] * a[0] + b[0];
                data[at + plane] = px[1] * a[1] + b[1];
                data[at + 2 * plane] = px[2] * a[2] + b[2];
            }
        }
        ctx.setAttachment(SIZE, new float[] {w, h, sx, sy});
        return new NDList(ctx.getNDManager().create(data, new Shape(1, 3, h, w)));
    }

    @Override
    public ProbabilityMap processOutput(TranslatorContext ctx, NDList list) {
        float[] size = (float[]) ctx.getAttachment(SIZE);
        return new ProbabilityMap(list.get(0).toFloatArray(), (int) size[0], (int) size[1], size[2], size[3], padding);
    }
}
