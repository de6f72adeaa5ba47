package com.gnosis.hub.ocr;

/**
 * One word of a line, as the recogniser placed it (its CTC columns) or as a text layer gave it.
 *
 * @param text       the word, without spaces
 * @param box        {x0, y0, x1, y1} in page pixels, axis-aligned around the word
 * @param confidence 0..1
 */
public record Word(String text, float[] box, double confidence) {
}
