package com.gnosis.hub.ocr;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * A group of lines that a reader takes as one unit (a paragraph, a heading, a caption ...), found by layout analysis.
 * A page's blocks are stored in reading order; every output format (text, markdown, hOCR, ALTO, PDF) follows them.
 *
 * @param kind  what the block is
 * @param box   {x0, y0, x1, y1} in page pixels around the block's lines
 * @param lines indexes into the page's lines (which are themselves in reading order), top to bottom
 */
public record Block(Kind kind, float[] box, List<Integer> lines) {

    public enum Kind {
        @JsonProperty("heading") HEADING,
        @JsonProperty("paragraph") PARAGRAPH,
        @JsonProperty("caption") CAPTION,
        @JsonProperty("header") HEADER,
        @JsonProperty("footer") FOOTER,
        @JsonProperty("page-number") PAGE_NUMBER,
        @JsonProperty("footnote") FOOTNOTE,
        @JsonProperty("table") TABLE
    }

    public Block {
        lines = List.copyOf(lines);
    }
}
