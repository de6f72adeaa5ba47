package com.gnosis.hub.testing.pages;

/**
 * What to set: a layout on a sheet of paper at a resolution.
 *
 * @param layout the layout
 * @param dpi    pixels per inch, 72-600 (type sizes are in points, so a 100 dpi page has small, coarse letters)
 * @param paper  the sheet; {@link Paper#AUTO} takes the layout's usual one (letter, a small card for short pages)
 */
public record PageSpec(Layout layout, int dpi, Paper paper) {

    /** Sheet sizes in inches. */
    public enum Paper {
        AUTO(0, 0), LETTER(8.5, 11), A4(8.27, 11.69), HALF_LETTER(5.5, 8.5), CARD(6, 4);

        final double width;
        final double height;

        Paper(double width, double height) {
            this.width = width;
            this.height = height;
        }
    }

    public PageSpec {
        if (dpi < 72 || dpi > 600) {
            throw new IllegalArgumentException("dpi must be 72-600, not " + dpi);
        }
    }

    /** The layout at 200 dpi on its usual paper. */
    public static PageSpec of(Layout layout) {
        return new PageSpec(layout, 200, Paper.AUTO);
    }

    public PageSpec dpi(int newDpi) {
        return new PageSpec(layout, newDpi, paper);
    }

    public PageSpec paper(Paper newPaper) {
        return new PageSpec(layout, dpi, newPaper);
    }

    Paper sheet() {
        if (paper != Paper.AUTO) {
            return paper;
        }
        return switch (layout) {
            case SHORT_PAGE -> Paper.CARD;
            default -> Paper.LETTER;
        };
    }
}
