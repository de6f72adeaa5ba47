package com.gnosis.hub.ocr.ppocr;

import ai.djl.translate.TranslateException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Recognition stage: each line box (in reading direction) cut where it is too wide ({@link LineSplitter}), the parts
 * read in batches of similar width so little of a batch is padding, and put back together per line.
 */
final class LineRecogniser {

    private final int batch;

    LineRecogniser(int batch) {
        this.batch = batch;
    }

    Reading[] recognise(Predictors predictors, PageImage page, List<float[][]> quads) throws TranslateException {
        List<float[][]> parts = new ArrayList<>(quads.size());
        List<Integer> owner = new ArrayList<>(quads.size());
        for (int i = 0; i < quads.size(); i++) {
            for (float[][] part : LineSplitter.split(page, quads.get(i))) {
                parts.add(part);
                owner.add(i);
            }
        }
        Integer[] order = new Integer[parts.size()];
        int[] widths = new int[parts.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
            widths[i] = LineBatch.scaledWidth(parts.get(i), RecognitionTranslator.HEIGHT);
        }
        Arrays.sort(order, Comparator.comparingInt((Integer i) -> -widths[i]));
        Reading[] partReadings = new Reading[parts.size()];
        for (int from = 0; from < order.length; from += batch) {
            int to = Math.min(order.length, from + batch);
            List<float[][]> chunk = new ArrayList<>(to - from);
            for (int k = from; k < to; k++) {
                chunk.add(parts.get(order[k]));
            }
            List<Reading> read = predictors.rec().predict(new LineBatch(page, chunk));
            for (int k = from; k < to; k++) {
                partReadings[order[k]] = read.get(k - from);
            }
        }
        return joinParts(quads.size(), owner, partReadings);
    }

    /** Parts back into their lines, in order, a space where a line was cut; confidence weighted by characters. */
    private static Reading[] joinParts(int lines, List<Integer> owner, Reading[] partReadings) {
        Reading[] readings = new Reading[lines];
        for (int k = 0; k < partReadings.length; ) {
            int line = owner.get(k);
            StringBuilder text = new StringBuilder();
            double weighted = 0;
            int chars = 0;
            double plain = 0;
            int n = 0;
            for (; k < partReadings.length && owner.get(k) == line; k++) {
                Reading r = partReadings[k];
                String t = r.text().strip();
                plain += r.confidence();
                n++;
                if (t.isEmpty()) {
                    continue;
                }
                if (text.length() > 0) {
                    text.append(' ');
                }
                text.append(t);
                weighted += r.confidence() * t.length();
                chars += t.length();
            }
            readings[line] = n == 1 ? partReadings[k - 1] : new Reading(text.toString(), chars == 0 ? plain / n : weighted / chars);
        }
        return readings;
    }
}
