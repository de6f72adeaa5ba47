package com.gnosis.hub.ocr.layout;

import java.util.List;

/**
 * One block of the page in reading order.
 *
 * @param kind  what the block is
 * @param lines its visual lines top to bottom, each the ids of its pieces left to right; a table's are its cells,
 *              row by row
 */
public record Region(Kind kind, List<List<Integer>> lines) {

    public enum Kind { HEADING, PARAGRAPH, CAPTION, HEADER, FOOTER, PAGE_NUMBER, FOOTNOTE, TABLE }

    public Region {
        lines = lines.stream().map(List::copyOf).toList();
    }
}
