package com.gnosis.hub.testing.pages;

import com.gnosis.hub.testing.pages.PageSpec.Paper;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * The benchmark's generated classes: each a fixed recipe of layouts, resolutions and degradations, page {@code i} of a
 * class always built from the same seed, so every run scores the same pages (on a machine with the same fonts).
 */
public enum PageClass {
    /** Two and three columns of unequal width, headline, figure with wrapped text and caption, footnotes; a clean scan. */
    COLUMNS(6),
    /** Single lines cropped to their ink (0-2 px margin), some binarised, blurred or JPEG'd. */
    TIGHT_CROPS(30),
    /** Creased, crumpled, curled pages in faded ink: short notes and one-column pages. */
    WORN(8),
    /** Dark bars with light type: page number and title at the top, section headings in the columns. */
    INVERSE(6),
    /** Pages scanned a quarter, half or three quarters turned (and a little skewed on top). */
    ROTATED(6),
    /** One column with ruled tables and their captions. */
    TABLES(6),
    /** Skewed up to 3 degrees, with the artefacts of cheap scans: blur, JPEG, binarisation. */
    SKEWED(6),
    /** 100 dpi scans: small, coarse letters, a little blur and JPEG. */
    LOW_RES(6);

    private final int defaultCount;

    PageClass(int defaultCount) {
        this.defaultCount = defaultCount;
    }

    /** Lower-case, hyphenated, as on the benchmark's command line: {@code tight-crops}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static PageClass byId(String id) {
        for (PageClass c : values()) {
            if (c.id().equals(id)) {
                return c;
            }
        }
        throw new IllegalArgumentException("no generated class " + id);
    }

    /** How many pages the benchmark scores by default. */
    public int defaultCount() {
        return defaultCount;
    }

    /** Pages 0 .. count-1 of this class. */
    public List<GeneratedPage> pages(int count) {
        return IntStream.range(0, count).mapToObj(this::page).toList();
    }

    /** Page {@code index} of this class, always the same. */
    public GeneratedPage page(int index) {
        long seed = 1000L * (ordinal() + 1) + index;
        // The recipe's own choices come from a stream apart from the page's, so they do not shift its text.
        Random pick = new Random(PageGenerator.mix(~seed));
        List<Degradation> d = new ArrayList<>();
        PageSpec spec;
        switch (this) {
            case COLUMNS -> {
                spec = PageSpec.of(index % 2 == 0 ? Layout.TWO_COLUMNS_UNEQUAL : Layout.THREE_COLUMNS).dpi(new int[] {300, 200, 150}[index % 3]);
                d.add(Degradation.skew(pick.nextDouble() * 1.4 - 0.7));
                d.add(Degradation.noise(4));
            }
            case TIGHT_CROPS -> {
                spec = PageSpec.of(Layout.SINGLE_LINE).dpi(new int[] {300, 240, 200}[index % 3]);
                switch (index % 4) {
                    case 1 -> d.add(Degradation.binarise());
                    case 2 -> d.add(Degradation.blur(0.7));
                    case 3 -> {
                        d.add(Degradation.noise(6));
                        d.add(Degradation.jpeg(0.6f));
                    }
                    default -> { }
                }
            }
            case WORN -> {
                spec = index % 2 == 0 ? PageSpec.of(Layout.SHORT_PAGE).dpi(300)
                        : PageSpec.of(Layout.ONE_COLUMN).dpi(200).paper(Paper.HALF_LETTER);
                d.add(Degradation.creases(2 + pick.nextInt(4)));
                if (pick.nextBoolean()) {
                    d.add(Degradation.curl(10 + pick.nextInt(30)));
                }
                d.add(Degradation.lowContrast(50 + pick.nextInt(60), 185 + pick.nextInt(40), 20 + pick.nextInt(30)));
                d.add(Degradation.noise(6 + pick.nextInt(6)));
                d.add(Degradation.jpeg(0.5f));
            }
            case INVERSE -> {
                spec = PageSpec.of(Layout.INVERSE_BARS).dpi(index % 2 == 0 ? 200 : 300);
                d.add(Degradation.skew(pick.nextDouble() - 0.5));
                d.add(Degradation.noise(4));
            }
            case ROTATED -> {
                Layout layout = new Layout[] {Layout.ONE_COLUMN, Layout.TWO_COLUMNS_UNEQUAL, Layout.SHORT_PAGE}[index % 3];
                spec = PageSpec.of(layout).dpi(layout == Layout.SHORT_PAGE ? 300 : 200);
                if (index >= 3) {
                    d.add(Degradation.skew(pick.nextDouble() * 6 - 3));
                }
                d.add(Degradation.rotate(90 * (1 + index % 3)));
                d.add(Degradation.noise(4));
            }
            case TABLES -> {
                spec = PageSpec.of(Layout.TABLE).dpi(index % 2 == 0 ? 200 : 300);
                d.add(Degradation.skew(pick.nextDouble() - 0.5));
                d.add(Degradation.noise(4));
            }
            case SKEWED -> {
                spec = PageSpec.of(index % 2 == 0 ? Layout.ONE_COLUMN : Layout.TWO_COLUMNS_UNEQUAL).dpi(200);
                double angle = (1 + 2 * pick.nextDouble()) * (index % 2 == 0 ? 1 : -1);
                d.add(Degradation.skew(angle));
                switch (index % 3) {
                    case 0 -> d.add(Degradation.blur(1.0));
                    case 1 -> d.add(Degradation.binarise());
                    default -> {
                        d.add(Degradation.noise(8));
                        d.add(Degradation.jpeg(0.4f));
                    }
                }
            }
            case LOW_RES -> {
                spec = PageSpec.of(index % 2 == 0 ? Layout.ONE_COLUMN : Layout.TWO_COLUMNS_UNEQUAL).dpi(100);
                d.add(Degradation.blur(0.5));
                d.add(Degradation.jpeg(0.75f));
            }
            default -> throw new IllegalStateException(name());
        }
        return PageGenerator.page(spec, seed, d.toArray(Degradation[]::new));
    }
}
