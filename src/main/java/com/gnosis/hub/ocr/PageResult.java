package com.gnosis.hub.ocr;

import java.awt.image.BufferedImage;
import java.util.List;

/**
 * What one page gave.
 *
 * @param pageNumber 1-based
 * @param text       the page's text in reading order
 * @param markdown   the page's text as markdown
 * @param lines      the lines in reading order, with polygons in {@code image} pixels
 * @param source     where the text came from
 * @param image      the rendered page; null where none was needed (a text-layer page: the viewer renders it on demand)
 * @param millis     how long reading the page took
 * @param blocks     the layout's blocks in reading order, each naming its lines (empty where no layout was found)
 * @param warnings   what the reader noticed and could not fix, for the user (e.g. ink on the page not read as text)
 * @param width      the page's width in pixels (the unit of the line polygons), with or without an image
 * @param height     the page's height in pixels
 */
public record PageResult(int pageNumber, String text, String markdown, List<TextLine> lines,
                         TextLine.Source source, BufferedImage image, long millis,
                         List<Block> blocks, List<String> warnings, int width, int height) {

    public PageResult {
        blocks = blocks == null ? List.of() : List.copyOf(blocks);
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    /** A page whose size is its image's. */
    public PageResult(int pageNumber, String text, String markdown, List<TextLine> lines,
                      TextLine.Source source, BufferedImage image, long millis,
                      List<Block> blocks, List<String> warnings) {
        this(pageNumber, text, markdown, lines, source, image, millis, blocks, warnings, image.getWidth(),
                image.getHeight());
    }

    /** A page without layout blocks or warnings. */
    public PageResult(int pageNumber, String text, String markdown, List<TextLine> lines,
                      TextLine.Source source, BufferedImage image, long millis) {
        this(pageNumber, text, markdown, lines, source, image, millis, List.of(), List.of());
    }

    /** Mean line confidence weighted by line length; 0 for a page without text. */
    public double confidence() {
        double weighted = 0;
        long chars = 0;
        for (TextLine line : lines) {
            weighted += line.confidence() * line.text().length();
            chars += line.text().length();
        }
        return chars == 0 ? 0 : weighted / chars;
    }
}
