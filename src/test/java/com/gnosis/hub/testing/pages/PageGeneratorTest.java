package com.gnosis.hub.testing.pages;

import org.junit.jupiter.api.Test;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PageGeneratorTest {

    @Test
    void theSameSeedGivesTheSamePixelsAndTruth() {
        Degradation[] worn = {Degradation.creases(3), Degradation.curl(20), Degradation.skew(-2.2),
            Degradation.lowContrast(80, 210, 30), Degradation.blur(0.8), Degradation.noise(8), Degradation.jpeg(0.5f)};
        GeneratedPage a = PageGenerator.page(PageSpec.of(Layout.TWO_COLUMNS_UNEQUAL).dpi(100), 42, worn);
        GeneratedPage b = PageGenerator.page(PageSpec.of(Layout.TWO_COLUMNS_UNEQUAL).dpi(100), 42, worn);

        assertThat(a.name()).isEqualTo(b.name()).isEqualTo(
                "two-columns-unequal-100dpi-s42+creases(3)+curl(20)+skew(-2.2)+contrast(80-210)+blur(0.8)+noise(8)+jpeg(50)");
        assertThat(a.truth()).isEqualTo(b.truth());
        assertThat(samePixels(a.image(), b.image())).isTrue();
        assertThat(samePixels(a.image(), PageGenerator.page(PageSpec.of(Layout.TWO_COLUMNS_UNEQUAL).dpi(100), 43, worn).image()))
                .as("another seed, another page").isFalse();
    }

    @Test
    void everyLayoutSetsTextItsTruthNames() {
        for (Layout layout : Layout.values()) {
            GeneratedPage page = PageGenerator.page(PageSpec.of(layout).dpi(100), 7);
            assertThat(page.truth()).as(layout.id()).isNotBlank();
            assertThat(page.lines()).as(layout.id()).allSatisfy(l -> assertThat(l.text()).isNotBlank());
            assertThat(page.fonts()).as(layout.id()).isNotEmpty();
            assertThat(darkShare(page.image())).as(layout.id() + " has ink").isGreaterThan(0.005);
        }
    }

    @Test
    void theTruthReadsHeaderFirstColumnsInOrderAndFooterLast() {
        GeneratedPage page = PageGenerator.page(Layout.TWO_COLUMNS_UNEQUAL, 11);
        List<GeneratedPage.TruthLine> lines = page.lines();
        int top = lines.stream().mapToInt(l -> l.box().y).min().orElseThrow();
        int bottom = lines.stream().mapToInt(l -> l.box().y + l.box().height).max().orElseThrow();
        assertThat(lines.get(0).box().y).as("running head first").isEqualTo(top);
        Rectangle last = lines.get(lines.size() - 1).box();
        assertThat(last.y + last.height).as("footer last").isEqualTo(bottom);
        assertThat(lines.get(lines.size() - 1).text()).as("page number ends the footer").matches(".*\\d+");

        // The body: once a line of the right column is read, no line of the left column follows (figures and their
        // captions stand in one column, so they obey this too).
        List<GeneratedPage.TruthLine> body = lines.stream().filter(l -> l.box().width < page.image().getWidth() * 0.6).toList();
        int leftEdge = body.stream().mapToInt(l -> l.box().x).min().orElseThrow();
        // justified lines of the left column all end at its right edge: the most common right end among them
        int leftColumnEnd = body.stream().filter(l -> l.box().x < leftEdge + page.dpi() / 4)
                .collect(java.util.stream.Collectors.groupingBy(l -> l.box().x + l.box().width, java.util.stream.Collectors.counting()))
                .entrySet().stream().max(java.util.Map.Entry.comparingByValue()).orElseThrow().getKey();
        // the columns' band: from the right column's top to its bottom (the deck is above it, the footnotes below)
        int bandTop = body.stream().filter(l -> l.box().x > leftColumnEnd).mapToInt(l -> l.box().y).min().orElseThrow();
        int bandBottom = body.stream().filter(l -> l.box().x > leftColumnEnd).mapToInt(l -> l.box().y).max().orElseThrow();
        body = body.stream().filter(l -> l.box().y >= bandTop && l.box().y <= bandBottom).toList();
        boolean right = false;
        int backwards = 0;
        for (GeneratedPage.TruthLine l : body) {
            boolean inRight = l.box().x > leftColumnEnd;
            backwards += right && !inRight ? 1 : 0;
            right |= inRight;
        }
        assertThat(body).hasSizeGreaterThan(20);
        assertThat(backwards).as("lines read from the right column back to the left").isZero();
        assertThat(page.truth()).containsPattern("(Figure|Fig\\.) \\d\\.");
    }

    @Test
    void aTightCropLeavesAtMostTwoPixelsAroundTheInk() {
        for (long seed = 1; seed <= 12; seed++) {
            GeneratedPage line = PageGenerator.page(PageSpec.of(Layout.SINGLE_LINE).dpi(300), seed);
            Rectangle ink = PageGenerator.inkBox(line.image());
            BufferedImage image = line.image();
            assertThat(ink.x).isLessThanOrEqualTo(2);
            assertThat(ink.y).isLessThanOrEqualTo(2);
            assertThat(image.getWidth() - ink.x - ink.width).isLessThanOrEqualTo(2);
            assertThat(image.getHeight() - ink.y - ink.height).isLessThanOrEqualTo(2);
            assertThat(line.lines()).hasSize(1);
            assertThat(line.truth()).doesNotContain("\n");
        }
    }

    @Test
    void quarterTurnsAreExactAndFourMakeTheSamePage() {
        GeneratedPage upright = PageGenerator.page(PageSpec.of(Layout.SHORT_PAGE).dpi(100), 5);
        GeneratedPage turned = PageGenerator.page(PageSpec.of(Layout.SHORT_PAGE).dpi(100), 5, Degradation.rotate(90));
        assertThat(turned.image().getWidth()).isEqualTo(upright.image().getHeight());
        assertThat(turned.truth()).isEqualTo(upright.truth());
        BufferedImage back = upright.image();
        for (int k = 0; k < 4; k++) {
            back = Degradation.rotate(90).apply(back, new java.util.Random(0));
        }
        assertThat(samePixels(back, upright.image())).isTrue();
    }

    @Test
    void everyFailureCaseIsASmallPageWithText() {
        for (FailureCase c : FailureCase.values()) {
            GeneratedPage page = c.page();
            assertThat(page.truth()).as(c.name()).isNotBlank();
            assertThat((long) page.image().getWidth() * page.image().getHeight()).as(c.name()).isLessThan(1_300_000);
        }
        assertThat(FailureCase.INVERSE_BAR.page().lines().get(0).text()).as("the page number opens the bar").matches("\\d+ .*");
    }

    @Test
    void aClassPageIsTheSameEveryTime() {
        assertThat(samePixels(PageClass.TIGHT_CROPS.page(3).image(), PageClass.TIGHT_CROPS.page(3).image())).isTrue();
        assertThat(PageClass.TIGHT_CROPS.page(3).name()).isNotEqualTo(PageClass.TIGHT_CROPS.page(4).name());
        assertThat(PageClass.byId("tight-crops")).isEqualTo(PageClass.TIGHT_CROPS);
    }

    private static boolean samePixels(BufferedImage a, BufferedImage b) {
        return a.getWidth() == b.getWidth() && a.getHeight() == b.getHeight()
                && java.util.Arrays.equals(Degradation.pixels(a), Degradation.pixels(b));
    }

    private static double darkShare(BufferedImage image) {
        byte[] p = Degradation.pixels(image);
        long dark = 0;
        for (byte b : p) {
            dark += (b & 0xff) < 128 ? 1 : 0;
        }
        return (double) dark / p.length;
    }
}
