package com.gnosis.hub.ocr;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One line of text on a page.
 *
 * @param text       the line's text
 * @param confidence 0..1 (1 for a PDF text layer)
 * @param polygon    4 points {x, y} in page pixels: top-left, top-right, bottom-right, bottom-left
 * @param source     where the text came from
 * @param words      the line's words with their boxes, in reading order; empty where nobody placed them
 */
public record TextLine(String text, double confidence, float[][] polygon, Source source, List<Word> words) {

    public TextLine {
        words = words == null ? List.of() : List.copyOf(words);
    }

    /** A line whose words are not placed (yet). */
    public TextLine(String text, double confidence, float[][] polygon, Source source) {
        this(text, confidence, polygon, source, List.of());
    }

    public enum Source {
        @JsonProperty("ocr") OCR,
        @JsonProperty("text-layer") TEXT_LAYER
    }

    public float minX() { return Math.min(Math.min(polygon[0][0], polygon[1][0]), Math.min(polygon[2][0], polygon[3][0])); }
    public float maxX() { return Math.max(Math.max(polygon[0][0], polygon[1][0]), Math.max(polygon[2][0], polygon[3][0])); }
    public float minY() { return Math.min(Math.min(polygon[0][1], polygon[1][1]), Math.min(polygon[2][1], polygon[3][1])); }
    public float maxY() { return Math.max(Math.max(polygon[0][1], polygon[1][1]), Math.max(polygon[2][1], polygon[3][1])); }

    /** An axis-aligned line, as a text layer gives it. */
    public static TextLine box(String text, double confidence, float x0, float y0, float x1, float y1, Source source) {
        return new TextLine(text, confidence, new float[][] {{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}}, source);
    }
}
