package com.gnosis.hub.ocr.ppocr;

import ai.djl.translate.TranslateException;
import com.gnosis.hub.ocr.TextLine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * One page, start to end, on the calling thread with its own predictors: detection, direction, recognition.
 * Which thread reads which page is the caller's business (the hub's and the CLI's page scheduler).
 */
final class PagePipeline {

    private static final Logger LOG = LoggerFactory.getLogger(PagePipeline.class);
    // Below this mean probability a reading is noise (PaddleOCR's drop_score).
    private static final double DROP_SCORE = 0.5;

    private final LineDetector detector;
    private final LineRecogniser recogniser;
    private final boolean useClassifier;

    PagePipeline(PpOcrSettings settings) {
        this.detector = new LineDetector(settings);
        this.recogniser = new LineRecogniser(settings.recBatch());
        this.useClassifier = settings.useClassifier();
    }

    List<TextLine> read(Predictors predictors, PageImage page) throws TranslateException {
        long start = System.nanoTime();
        List<float[][]> boxes = detector.detect(predictors, page);
        long detected = System.nanoTime();
        if (boxes.isEmpty()) {
            return List.of();
        }
        List<float[][]> reading = PageOrientation.quarterTurns(boxes);
        if (useClassifier && PageOrientation.classifierSaysUpsideDown(predictors, page, reading)) {
            reading.replaceAll(PageOrientation::halfTurn);
        }
        long oriented = System.nanoTime();
        Reading[] readings = recogniser.recognise(predictors, page, reading);
        LOG.debug("page {}x{}: detection {} ms ({} boxes), direction {} ms, recognition {} ms", page.width, page.height,
                (detected - start) / 1_000_000, boxes.size(), (oriented - detected) / 1_000_000,
                (System.nanoTime() - oriented) / 1_000_000);
        List<TextLine> lines = new ArrayList<>(boxes.size());
        for (int i = 0; i < reading.size(); i++) {
            Reading r = readings[i];
            String text = r.text().strip();
            if (text.isEmpty() || r.confidence() < DROP_SCORE) {
                continue;
            }
            // Corners in reading direction: on an upside-down page TL is the text's start, at the page's bottom right.
            float[][] b = reading.get(i);
            float[][] polygon = {b[0].clone(), b[1].clone(), b[2].clone(), b[3].clone()};
            lines.add(new TextLine(text, r.confidence(), polygon, TextLine.Source.OCR));
        }
        return lines;
    }
}
