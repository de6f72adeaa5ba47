package com.gnosis.hub.ocr.ppocr;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Greedy CTC decoding over PaddleOCR's character list: class 0 is the blank, then the keys, then a space. */
final class CtcDecoder {

    private final String[] classes;

    CtcDecoder(List<String> keys) {
        List<String> all = new ArrayList<>(keys.size() + 2);
        all.add("");
        all.addAll(keys);
        all.add(" ");
        this.classes = all.toArray(String[]::new);
    }

    static CtcDecoder fromFile(Path keysFile) throws IOException {
        List<String> keys = new ArrayList<>();
        for (String line : Files.readAllLines(keysFile, StandardCharsets.UTF_8)) {
            // Keys files end lines with \n; a trailing \r would become part of a character.
            keys.add(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
        }
        return new CtcDecoder(keys);
    }

    int classCount() {
        return classes.length;
    }

    /**
     * Decodes one crop's steps x classCount probabilities starting at {@code offset}; only the first {@code steps}
     * time steps belong to the crop (the rest is batch padding), and each step spans {@code stepFraction} of the crop.
     */
    Reading decode(float[] probs, int offset, int steps, int classCount, float stepFraction) {
        StringBuilder text = new StringBuilder();
        float[] starts = new float[2 * steps];
        float[] ends = new float[2 * steps];
        float[] scores = new float[2 * steps];
        double sum = 0;
        int kept = 0;
        int previous = -1;
        for (int t = 0; t < steps; t++) {
            int base = offset + t * classCount;
            int best = 0;
            float max = probs[base];
            for (int c = 1; c < classCount; c++) {
                if (probs[base + c] > max) {
                    max = probs[base + c];
                    best = c;
                }
            }
            if (best != 0 && best == previous && text.length() > 0) {
                // The same character over several steps: its span grows.
                ends[text.length() - 1] = Math.min(1f, (t + 1) * stepFraction);
            }
            if (best != 0 && best != previous && best < classes.length && text.length() + classes[best].length() <= starts.length) {
                String c = classes[best];
                for (int k = 0; k < c.length(); k++) {
                    starts[text.length()] = t * stepFraction;
                    ends[text.length()] = Math.min(1f, (t + 1) * stepFraction);
                    scores[text.length()] = max;
                    text.append(c.charAt(k));
                }
                sum += max;
                kept++;
            }
            previous = best;
        }
        int n = text.length();
        return new Reading(text.toString(), kept == 0 ? 0 : sum / kept, java.util.Arrays.copyOf(starts, n),
                java.util.Arrays.copyOf(ends, n), java.util.Arrays.copyOf(scores, n));
    }
}
