package com.gnosis.hub.ocr.format;

import com.gnosis.hub.ocr.TextLine;
import com.gnosis.hub.ocr.Word;
import java.util.ArrayList;
import java.util.List;

/**
 * Word boxes for a line that was stored without them (sessions from before words were placed): each word gets the
 * stretch of the line its characters take, counting every character (spaces included) as equally wide. Only a
 * fallback: the recogniser's own word positions and a PDF's glyph positions are better and are used where stored.
 */
final class WordSplit {

    private WordSplit() {
    }

    static List<Word> split(TextLine line) {
        String text = line.text();
        int n = text.length();
        List<Word> words = new ArrayList<>();
        if (n == 0) return words;
        float[][] p = line.polygon();
        int i = 0;
        while (i < n) {
            while (i < n && Character.isWhitespace(text.charAt(i))) i++;
            int start = i;
            while (i < n && !Character.isWhitespace(text.charAt(i))) i++;
            if (i > start) {
                words.add(new Word(text.substring(start, i), box(p, (float) start / n, (float) i / n), line.confidence()));
            }
        }
        return words;
    }

    /** The axis-aligned box around the part of the line polygon between fractions t0 and t1 of its length. */
    private static float[] box(float[][] p, float t0, float t1) {
        float[][] corners = {
                lerp(p[0], p[1], t0), lerp(p[0], p[1], t1), lerp(p[3], p[2], t1), lerp(p[3], p[2], t0)};
        float x0 = Float.MAX_VALUE, y0 = Float.MAX_VALUE, x1 = -Float.MAX_VALUE, y1 = -Float.MAX_VALUE;
        for (float[] c : corners) {
            x0 = Math.min(x0, c[0]);
            y0 = Math.min(y0, c[1]);
            x1 = Math.max(x1, c[0]);
            y1 = Math.max(y1, c[1]);
        }
        return new float[] {x0, y0, x1, y1};
    }

    private static float[] lerp(float[] a, float[] b, float t) {
        return new float[] {a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t};
    }
}
