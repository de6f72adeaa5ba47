package com.gnosis.hub.ocr.ppocr;

import ai.djl.translate.TranslateException;

import java.util.List;

/** Detection stage: the page's text line boxes (TL, TR, BR, BL in page pixels, as the boxes lie on the page). */
final class LineDetector {

    private final TextBoxes boxes;

    LineDetector(PpOcrSettings settings) {
        this.boxes = new TextBoxes(settings.detThreshold(), settings.boxThreshold(), settings.unclipRatio());
    }

    List<float[][]> detect(Predictors predictors, PageImage page) throws TranslateException {
        ProbabilityMap map = predictors.det().predict(page);
        return boxes.find(map, page.width, page.height);
    }
}
