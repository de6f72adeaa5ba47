package com.gnosis.hub.testing.pages;

import com.gnosis.hub.testing.pages.PageSpec.Paper;

/**
 * One small page per way an engine was seen to fail on real scans (issue 18), quick enough for a unit test on the real
 * models. Each is a fixed page: {@code FailureCase.COLUMN_ORDER.page()}.
 */
public enum FailureCase {
    /** Two columns of unequal width under a headline, a figure with a caption: read column by column, not across. */
    COLUMN_ORDER,
    /** An upright note of a few lines: it must not be turned upside down. */
    UPRIGHT_SHORT_PAGE,
    /** The same note scanned upside down: it must be turned. */
    UPSIDE_DOWN_SHORT_PAGE,
    /** One line cropped to its ink (0-2 px margin): not empty, not upside down. */
    TIGHT_LINE,
    /** A creased, faded note: every line read, or the result says which ink was not accounted for. */
    CREASED_NOTE,
    /** Page number and title in light type on a dark bar at the top: read first. */
    INVERSE_BAR;

    public GeneratedPage page() {
        return switch (this) {
            case COLUMN_ORDER -> PageGenerator.page(PageSpec.of(Layout.TWO_COLUMNS_UNEQUAL).dpi(150).paper(Paper.HALF_LETTER), 18_001);
            case UPRIGHT_SHORT_PAGE -> PageGenerator.page(PageSpec.of(Layout.SHORT_PAGE).dpi(200), 18_002);
            case UPSIDE_DOWN_SHORT_PAGE -> PageGenerator.page(PageSpec.of(Layout.SHORT_PAGE).dpi(200), 18_002, Degradation.rotate(180));
            case TIGHT_LINE -> PageGenerator.page(PageSpec.of(Layout.SINGLE_LINE).dpi(300), 18_004);
            case CREASED_NOTE -> PageGenerator.page(PageSpec.of(Layout.SHORT_PAGE).dpi(200), 18_005, Degradation.creases(3),
                    Degradation.lowContrast(80, 210, 30), Degradation.noise(8));
            case INVERSE_BAR -> PageGenerator.page(PageSpec.of(Layout.INVERSE_BARS).dpi(150).paper(Paper.HALF_LETTER), 18_006);
        };
    }
}
