package com.gnosis.hub.testing.pages;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * A generated page: the image as an engine would receive it, and the text on it in reading order.
 *
 * @param name        stable name: layout, dpi, seed and degradations, e.g. {@code two-columns-unequal-300dpi-s7+skew(1.5)}
 * @param image       the degraded page (8-bit grey)
 * @param lines       every text line in reading order (see {@link PageGenerator} for the convention)
 * @param dpi         the resolution it was set at
 * @param fonts       the font families used (they decide the pixels: a machine with other fonts draws other pages)
 */
public record GeneratedPage(String name, BufferedImage image, List<TruthLine> lines, int dpi, List<String> fonts) {

    /**
     * One line of the truth.
     *
     * @param text  the words as set, single spaces
     * @param box   where it was drawn, in the page before degradation (rotation, skew, creases and curl move it)
     * @param block lines with the same number belong to one block (paragraph, caption, table row group, header ...)
     */
    public record TruthLine(String text, Rectangle box, int block) {
    }

    public GeneratedPage {
        lines = List.copyOf(lines);
        fonts = List.copyOf(fonts);
    }

    /** The truth: lines in reading order, one per line, a blank line between blocks (CER collapses whitespace anyway). */
    public String truth() {
        StringBuilder out = new StringBuilder();
        int block = Integer.MIN_VALUE;
        for (TruthLine line : lines) {
            if (out.length() > 0) {
                out.append(line.block() == block ? "\n" : "\n\n");
            }
            out.append(line.text());
            block = line.block();
        }
        return out.toString();
    }

    /** The truth's blocks, each its lines joined by newlines, in reading order. */
    public List<String> blocks() {
        List<String> out = new ArrayList<>();
        int block = Integer.MIN_VALUE;
        for (TruthLine line : lines) {
            if (line.block() != block || out.isEmpty()) {
                out.add(line.text());
            } else {
                out.set(out.size() - 1, out.get(out.size() - 1) + "\n" + line.text());
            }
            block = line.block();
        }
        return out;
    }
}
