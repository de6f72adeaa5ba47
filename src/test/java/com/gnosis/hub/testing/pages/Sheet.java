package com.gnosis.hub.testing.pages;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.GraphicsEnvironment;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.font.TextAttribute;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A sheet being set: an 8-bit grey page, the fonts, and the truth lines in the order they are recorded. */
final class Sheet {

    enum Face {
        SERIF("Serif", "DejaVu Serif", "Liberation Serif", "Nimbus Roman", "Times New Roman", "Noto Serif"),
        SANS("SansSerif", "DejaVu Sans", "Liberation Sans", "Nimbus Sans", "Arial", "Noto Sans"),
        CONDENSED("SansSerif", "DejaVu Sans Condensed", "Liberation Sans Narrow", "Nimbus Sans Narrow", "Arial Narrow"),
        SERIF_CONDENSED("Serif", "DejaVu Serif Condensed", "Liberation Serif", "Nimbus Roman", "Times New Roman");

        private final String logical;
        private final String[] families;
        private volatile String chosen;

        Face(String logical, String... families) {
            this.logical = logical;
            this.families = families;
        }

        /** The first family installed here; the JDK's logical font, with a warning on stderr, when none is. */
        String family() {
            String f = chosen;
            if (f == null) {
                Set<String> installed = Set.of(GraphicsEnvironment.getLocalGraphicsEnvironment().getAvailableFontFamilyNames());
                f = Arrays.stream(families).filter(installed::contains).findFirst().orElse(null);
                if (f == null) {
                    f = logical;
                    System.err.printf("PageGenerator: none of %s installed; %s pages use the logical font %s (%s)%n",
                            Arrays.toString(families), name(), logical, new Font(logical, Font.PLAIN, 12).getFontName());
                }
                chosen = f;
            }
            return f;
        }
    }

    final BufferedImage image;
    final Graphics2D g;
    final int dpi;
    final int width;
    final int height;
    private final List<GeneratedPage.TruthLine> lines = new ArrayList<>();
    private final Set<String> fonts = new LinkedHashSet<>();
    private int block;

    Sheet(int width, int height, int dpi) {
        this.width = width;
        this.height = height;
        this.dpi = dpi;
        image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
    }

    /** Points to pixels at this sheet's resolution. */
    double px(double points) {
        return points * dpi / 72.0;
    }

    Font font(Face face, int style, double points) {
        return font(face, style, points, 0);
    }

    /** A font; {@code tracking} > 0 spaces the letters out (0.1 = a tenth of the size between letters). */
    Font font(Face face, int style, double points, double tracking) {
        String family = face.family();
        fonts.add(family);
        Font f = new Font(family, style, 12).deriveFont((float) px(points));
        return tracking == 0 ? f : f.deriveFont(Map.of(TextAttribute.TRACKING, (float) tracking));
    }

    FontMetrics metrics(Font f) {
        return g.getFontMetrics(f);
    }

    double width(String s, Font f) {
        return f.getStringBounds(s, g.getFontRenderContext()).getWidth();
    }

    /** Lines recorded from now on belong to a new block. */
    void startBlock() {
        block++;
    }

    void record(String text, Rectangle box) {
        lines.add(new GeneratedPage.TruthLine(text, box, block));
    }

    /** Draws a string with its left end at x on the baseline; returns the box of its line (ascent to descent). */
    Rectangle draw(String s, Font f, double x, double baseline, int grey) {
        g.setFont(f);
        g.setColor(new Color(grey, grey, grey));
        g.drawString(s, (float) x, (float) baseline);
        FontMetrics m = metrics(f);
        return new Rectangle((int) Math.floor(x), (int) Math.floor(baseline - m.getAscent()), (int) Math.ceil(width(s, f)),
                m.getAscent() + m.getDescent());
    }

    /**
     * Sets words as one line from x across {@code measure} pixels, spread to both ends when {@code justify} (unless
     * that opens gaps over three spaces wide), and records it.
     */
    Rectangle line(List<String> words, Font f, double x, double baseline, double measure, boolean justify, int grey) {
        double space = width(" ", f);
        double inked = words.stream().mapToDouble(w -> width(w, f)).sum();
        double gap = space;
        if (justify && words.size() > 1) {
            double spread = (measure - inked) / (words.size() - 1);
            if (spread >= space && spread <= 3 * space) {
                gap = spread;
            }
        }
        double at = x;
        for (String w : words) {
            draw(w, f, at, baseline, grey);
            at += width(w, f) + gap;
        }
        FontMetrics m = metrics(f);
        Rectangle box = new Rectangle((int) Math.floor(x), (int) Math.floor(baseline - m.getAscent()),
                (int) Math.ceil(at - gap - x), m.getAscent() + m.getDescent());
        record(String.join(" ", words), box);
        return box;
    }

    /** Greedy line breaking: as many words per line as fit the measure (a longer word gets a line of its own). */
    List<List<String>> wrap(List<String> words, Font f, double measure) {
        List<List<String>> out = new ArrayList<>();
        List<String> current = new ArrayList<>();
        double used = 0;
        double space = width(" ", f);
        for (String w : words) {
            double ww = width(w, f);
            if (!current.isEmpty() && used + space + ww > measure) {
                out.add(current);
                current = new ArrayList<>();
                used = 0;
            }
            used += (current.isEmpty() ? 0 : space) + ww;
            current.add(w);
        }
        if (!current.isEmpty()) {
            out.add(current);
        }
        return out;
    }

    void fill(int x, int y, int w, int h, int grey) {
        g.setColor(new Color(grey, grey, grey));
        g.fillRect(x, y, w, h);
    }

    List<GeneratedPage.TruthLine> lines() {
        return lines;
    }

    List<String> fonts() {
        return List.copyOf(fonts);
    }
}
