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
        Reading[] partReadings = read(predictors, page, parts);
        return joinParts(quads, parts, owner, partReadings);
    }

    /** The crops read in batches of similar width (widest first), answers in the crops' order. */
    Reading[] read(Predictors predictors, PageImage page, List<float[][]> parts) throws TranslateException {
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
        return partReadings;
    }

    /**
     * Parts back into their lines, in order, a space where a line was cut; confidence weighted by characters; each
     * character's position moved from its part onto the whole line.
     */
    private static Reading[] joinParts(List<float[][]> quads, List<float[][]> parts, List<Integer> owner, Reading[] partReadings) {
        Reading[] readings = new Reading[quads.size()];
        for (int k = 0; k < partReadings.length; ) {
            int line = owner.get(k);
            float[][] q = quads.get(line);
            double length = Math.max(1e-3, PageImage.dist(q[0], q[1]));
            List<Reading> pieces = new ArrayList<>();
            double plain = 0;
            int n = 0;
            for (; k < partReadings.length && owner.get(k) == line; k++) {
                float[][] p = parts.get(k);
                float from = (float) (PageImage.dist(q[0], p[0]) / length);
                float to = (float) (PageImage.dist(q[0], p[1]) / length);
                pieces.add(partReadings[k].within(from, to));
                plain += partReadings[k].confidence();
                n++;
            }
            readings[line] = n == 1 ? pieces.get(0) : concat(pieces, plain / n);
        }
        return readings;
    }

    private static Reading concat(List<Reading> pieces, double emptyConfidence) {
        StringBuilder text = new StringBuilder();
        int total = pieces.stream().mapToInt(r -> r.text().length() + 1).sum();
        float[] starts = new float[total];
        float[] ends = new float[total];
        float[] scores = new float[total];
        double weighted = 0;
        int chars = 0;
        for (Reading r : pieces) {
            String t = r.text();
            int lead = 0;
            while (lead < t.length() && t.charAt(lead) == ' ') {
                lead++;
            }
            int trail = t.length();
            while (trail > lead && t.charAt(trail - 1) == ' ') {
                trail--;
            }
            if (trail == lead) {
                continue;
            }
            if (text.length() > 0) {
                starts[text.length()] = ends[text.length() - 1];
                ends[text.length()] = r.starts()[lead];
                text.append(' ');
            }
            for (int i = lead; i < trail; i++) {
                starts[text.length()] = r.starts()[i];
                ends[text.length()] = r.ends()[i];
                scores[text.length()] = r.scores()[i];
                text.append(t.charAt(i));
            }
            weighted += r.confidence() * (trail - lead);
            chars += trail - lead;
        }
        int n = text.length();
        return new Reading(text.toString(), chars == 0 ? emptyConfidence : weighted / chars,
                java.util.Arrays.copyOf(starts, n), java.util.Arrays.copyOf(ends, n), java.util.Arrays.copyOf(scores, n));
    }
}
