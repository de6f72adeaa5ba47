package com.gnosis.hub.ocr.ppocr;

import ai.djl.inference.Predictor;

import java.util.List;

/** One reading thread's predictors, one per model; used by that thread only. */
record Predictors(Predictor<PageImage, ProbabilityMap> det, Predictor<LineBatch, float[]> cls,
                  Predictor<LineBatch, List<Reading>> rec) implements AutoCloseable {

    @Override
    public void close() {
        det.close();
        if (cls != null) {
            cls.close();
        }
        rec.close();
    }
}
