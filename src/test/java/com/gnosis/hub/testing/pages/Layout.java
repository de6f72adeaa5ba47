package com.gnosis.hub.testing.pages;

/** The page layouts the generator sets. Every page's text comes from the corpus truths (see {@link Words}). */
public enum Layout {
    /** Running head, optional section title, one column of justified paragraphs, page number. */
    ONE_COLUMN,
    /**
     * A magazine page: running head, a column-spanning (sometimes letter-spaced) headline, two columns of unequal
     * width, a half-tone figure with text wrapped beside it and a caption under it, footnotes, footer and page number.
     */
    TWO_COLUMNS_UNEQUAL,
    /** As {@link #TWO_COLUMNS_UNEQUAL} with three columns of unequal width. */
    THREE_COLUMNS,
    /** One column of text with one or two ruled tables (a header row, a label and figures per row) and their captions. */
    TABLE,
    /** A dark bar at the top with the page number and section title in light type, and light-on-dark section bars. */
    INVERSE_BARS,
    /** A small page of five to nine lines in one paragraph (a note, a letter's end), large type. */
    SHORT_PAGE,
    /** One line of text cropped to its ink with a margin of 0-2 pixels. */
    SINGLE_LINE;

    /** Lower-case, hyphenated: the name used in page names and on the benchmark's command line. */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
