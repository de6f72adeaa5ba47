package com.gnosis.hub.ocr.ppocr;

import com.gnosis.hub.ocr.Word;

import java.util.ArrayList;
import java.util.List;

/** Words of a read line placed where the recogniser's CTC columns put their characters, not by an even split. */
final class LineWords {

    private LineWords() {
    }

    /** The line's words with page boxes; {@code quad} is the line box in reading direction. */
    static List<Word> place(Reading reading, float[][] quad) {
        String text = reading.text();
        List<Word> words = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            if (Character.isWhitespace(text.charAt(i))) {
                i++;
                continue;
            }
            int j = i;
            double score = 0;
            while (j < text.length() && !Character.isWhitespace(text.charAt(j))) {
                score += reading.scores()[j];
                j++;
            }
            float from = reading.starts()[i];
            float to = Math.max(reading.ends()[j - 1], from);
            // A CTC peak marks a character's middle more than its edges: widen by half a column each side.
            float column = reading.ends()[i] - reading.starts()[i];
            from = Math.max(0f, from - column / 2);
            to = Math.min(1f, to + column / 2);
            words.add(new Word(text.substring(i, j), box(quad, from, to), score / (j - i)));
            i = j;
        }
        return words;
    }

    /** The axis-aligned page box of the stretch [from, to] of the line box's length. */
    static float[] box(float[][] q, float from, float to) {
        float[][] corners = {lerp(q[0], q[1], from), lerp(q[0], q[1], to), lerp(q[3], q[2], to), lerp(q[3], q[2], from)};
        float[] box = {Float.MAX_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE, -Float.MAX_VALUE};
        for (float[] c : corners) {
            box[0] = Math.min(box[0], c[0]);
            box[1] = Math.min(box[1], c[1]);
            box[2] = Math.max(box[2], c[0]);
            box[3] = Math.max(box[3], c[1]);
        }
        return box;
    }

    private static float[] lerp(float[] p, float[] q, float f) {
        return new float[] {p[0] + (q[0] - p[0]) * f, p[1] + (q[1] - p[1]) * f};
    }
}
