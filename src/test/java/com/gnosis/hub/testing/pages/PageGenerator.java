package com.gnosis.hub.testing.pages;

import com.gnosis.hub.testing.pages.Sheet.Face;

import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * Pages with known text in realistic layouts, for tests and the OCR benchmark: corpus prose set with Java2D in
 * columns of unequal width under spanning headlines, around half-tone figures, in tables and on dark bars, then
 * degraded like a scan ({@link Degradation}). The same spec and seed give the same pixels and truth on a machine with
 * the same fonts.
 * <pre>
 * GeneratedPage p = PageGenerator.page(Layout.TWO_COLUMNS_UNEQUAL, 7, Degradation.skew(1.5), Degradation.noise(8));
 * p.image();  p.truth();
 * </pre>
 *
 * <h2>Reading order of the truth</h2>
 * <ol>
 * <li>The running head (or the dark bar at the top with the page number), its parts left to right.</li>
 * <li>The headline, then its deck (sub-title), across all columns.</li>
 * <li>The columns left to right, each top to bottom. A paragraph that runs on into the next column continues there.</li>
 * <li>Inside a column, a float (figure with its caption, table with its caption, section bar) is read after the text
 * beside it and before the text below it. Figures stand at the right edge of their column, so this is also "the band
 * beside a figure is read left to right". A table's caption is above it; its rows are read top to bottom, each row's
 * cells left to right.</li>
 * <li>Footnotes, in order, after all columns.</li>
 * <li>The footer line last, its parts left to right (so a page number at the bottom right is the very last word).</li>
 * </ol>
 * Truth lines are as set (single spaces, no hyphenation); blocks are separated by blank lines in {@link
 * GeneratedPage#truth()}, which CER ignores.
 */
public final class PageGenerator {

    private static final int INK = 0;

    private PageGenerator() {
    }

    /** The layout at 200 dpi on its usual paper, then the degradations in order. */
    public static GeneratedPage page(Layout layout, long seed, Degradation... degradations) {
        return page(PageSpec.of(layout), seed, degradations);
    }

    public static GeneratedPage page(PageSpec spec, long seed, Degradation... degradations) {
        Random random = new Random(mix(seed));
        Sheet sheet = switch (spec.layout()) {
            case ONE_COLUMN -> columns(spec, random, 1);
            case TWO_COLUMNS_UNEQUAL -> columns(spec, random, 2);
            case THREE_COLUMNS -> columns(spec, random, 3);
            case TABLE -> tables(spec, random);
            case INVERSE_BARS -> inverse(spec, random);
            case SHORT_PAGE -> shortPage(spec, random);
            case SINGLE_LINE -> singleLine(spec, random);
        };
        sheet.g.dispose();
        BufferedImage image = sheet.image;
        // A stream of its own, so adding a degradation does not change the page's text.
        Random damage = new Random(mix(seed + 1));
        for (Degradation d : degradations) {
            image = d.apply(image, damage);
        }
        String name = spec.layout().id() + "-" + spec.dpi() + "dpi-s" + seed
                + Arrays.stream(degradations).map(d -> "+" + d.label()).collect(Collectors.joining());
        return new GeneratedPage(name, image, sheet.lines(), spec.dpi(), sheet.fonts());
    }

    /**
     * A seed spread over all 64 bits (SplitMix64's finaliser): java.util.Random's first draws from neighbouring seeds
     * are nearly equal, and pages 1000 and 1001 of a class must not share their margins and skew.
     */
    static long mix(long seed) {
        long z = seed + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    // ---------------------------------------------------------------- layouts

    private static Sheet blank(PageSpec spec, double heightInches) {
        PageSpec.Paper paper = spec.sheet();
        return new Sheet((int) Math.round(paper.width * spec.dpi()), (int) Math.round(heightInches * spec.dpi()), spec.dpi());
    }

    /** Running head, headline, 1-3 columns with a figure, footnotes, footer. */
    private static Sheet columns(PageSpec spec, Random r, int count) {
        Sheet s = blank(spec, spec.sheet().height);
        double margin = s.dpi * (0.6 + 0.3 * r.nextDouble());
        double left = margin;
        double right = s.width - margin;
        double y = header(s, r, left, right, margin);
        if (count > 1 || r.nextBoolean()) {
            y = headline(s, r, left, right, y, count > 1);
        }
        Footer footer = footer(s, r, left, right, s.height - margin, pageNumber(r));
        double bottom = footer.top();
        Runnable footnotes = () -> { };
        if (count > 1 && r.nextDouble() < 0.7) {
            List<List<String>> notes = footnoteText(r, 1 + r.nextInt(2));
            Font f = s.font(Face.SERIF, Font.PLAIN, 7.5);
            double pitch = s.px(7.5 * 1.25);
            int noteLines = notes.stream().mapToInt(n -> s.wrap(n, f, right - left).size()).sum();
            double top = bottom - noteLines * pitch - s.px(6);
            double noteTop = top;
            footnotes = () -> footnotes(s, notes, f, left, right, noteTop, pitch);
            bottom = top - s.px(8);
        }
        Face face = r.nextDouble() < 0.75 ? Face.SERIF : Face.SANS;
        double size = 9 + r.nextInt(3) + (count == 1 ? 1 : 0);
        Font body = s.font(face, Font.PLAIN, size);
        double pitch = s.px(size * (1.15 + 0.1 * r.nextDouble()));
        List<Frame> frames = frames(left, right, y, bottom, widths(r, count), s.dpi * (0.18 + 0.17 * r.nextDouble()));
        if (count > 1 || r.nextDouble() < 0.4) {
            Frame host = frames.stream().max(Comparator.comparingDouble(f -> f.width)).orElseThrow();
            if (count == 3) {
                host = frames.get(r.nextInt(3));
            }
            figure(s, r, host, body, pitch);
        }
        Flow flow = new Flow(s, r, body, pitch);
        frames.forEach(flow::fill);
        footnotes.run();
        footer.set().run();
        return s;
    }

    /** One column with one or two tables. */
    private static Sheet tables(PageSpec spec, Random r) {
        Sheet s = blank(spec, spec.sheet().height);
        double margin = s.dpi * (0.7 + 0.3 * r.nextDouble());
        double left = margin;
        double right = s.width - margin;
        double y = header(s, r, left, right, margin);
        y = sectionTitle(s, r, left, y);
        Footer footer = footer(s, r, left, right, s.height - margin, pageNumber(r));
        double bottom = footer.top();
        double size = 10 + r.nextInt(2);
        Font body = s.font(r.nextBoolean() ? Face.SERIF : Face.SANS, Font.PLAIN, size);
        double pitch = s.px(size * 1.2);
        Frame frame = new Frame(left, y, right - left, bottom);
        int tables = 1 + r.nextInt(2);
        double slot = (bottom - y) / tables;
        for (int t = 0; t < tables; t++) {
            double top = y + slot * t + pitch * (2 + r.nextInt(4));
            Float table = table(s, r, left, right, top, t + 1);
            if (table.box.y + table.box.height < bottom) {
                frame.floats.add(table);
            }
        }
        new Flow(s, r, body, pitch).fill(frame);
        footer.set().run();
        return s;
    }

    /** A dark bar with the page number on top, one or two columns, light-on-dark section bars inside them. */
    private static Sheet inverse(PageSpec spec, Random r) {
        Sheet s = blank(spec, spec.sheet().height);
        double margin = s.dpi * (0.6 + 0.3 * r.nextDouble());
        double left = margin;
        double right = s.width - margin;
        Font barFont = s.font(Face.SANS, Font.BOLD, 9 + r.nextInt(4));
        FontMetrics m = s.metrics(barFont);
        double barHeight = m.getHeight() * (1.6 + 0.6 * r.nextDouble());
        double barTop = margin * 0.5;
        boolean bleed = r.nextBoolean();
        int dark = r.nextInt(70);
        s.fill((int) (bleed ? 0 : left), (int) barTop, (int) (bleed ? s.width : right - left), (int) barHeight, dark);
        int light = 215 + r.nextInt(41);
        double baseline = barTop + (barHeight + m.getAscent() - m.getDescent()) / 2;
        String number = String.valueOf(pageNumber(r));
        String title = Words.phrase(r, 2, 4).toUpperCase(Locale.ROOT);
        double pad = s.px(8);
        s.startBlock();
        Rectangle a = s.draw(number, barFont, left + pad, baseline, light);
        Rectangle b = s.draw(title, barFont, a.x + a.width + s.px(14), baseline, light);
        String text = number + " " + title;
        Rectangle box = a.union(b);
        if (r.nextBoolean()) {
            String journal = Words.phrase(r, 1, 3);
            Rectangle c = s.draw(journal, barFont, right - pad - s.width(journal, barFont), baseline, light);
            text += " " + journal;
            box = box.union(c);
        }
        s.record(text, box);
        double y = barTop + barHeight + s.px(10);
        if (r.nextBoolean()) {
            y = headline(s, r, left, right, y, false);
        }
        Footer footer = r.nextBoolean() ? footer(s, r, left, right, s.height - margin, -1) : Footer.NONE;
        double bottom = Math.min(s.height - margin, footer.top());
        int count = 1 + r.nextInt(2);
        double size = 9.5 + r.nextInt(2);
        Font body = s.font(r.nextBoolean() ? Face.SERIF : Face.SANS, Font.PLAIN, size);
        double pitch = s.px(size * 1.2);
        List<Frame> frames = frames(left, right, y, bottom, widths(r, count), s.dpi * 0.25);
        for (Frame f : frames) {
            int bars = 1 + r.nextInt(2);
            for (int k = 0; k < bars; k++) {
                double top = f.top + (f.bottom - f.top) * (0.1 + 0.8 * (k + r.nextDouble()) / bars);
                Float bar = sectionBar(s, r, f, top, place -> place.y + place.height < f.bottom - pitch
                        && f.floats.stream().noneMatch(o -> o.box.intersects(grow(place, (int) pitch))));
                if (bar != null) {
                    f.floats.add(bar);
                }
            }
        }
        Flow flow = new Flow(s, r, body, pitch);
        frames.forEach(flow::fill);
        footer.set().run();
        return s;
    }

    /** Five to nine lines of one or two paragraphs in large type on a small card. */
    private static Sheet shortPage(PageSpec spec, Random r) {
        int lines = 5 + r.nextInt(5);
        double size = 11 + r.nextInt(4);
        double margin = 0.4 + 0.2 * r.nextDouble();
        double pitchInches = size * 1.3 / 72;
        double height = spec.paper() == PageSpec.Paper.AUTO ? 2 * margin + lines * pitchInches : spec.sheet().height;
        Sheet s = blank(spec, height);
        Font body = s.font(r.nextBoolean() ? Face.SERIF : Face.SANS, Font.PLAIN, size);
        Frame frame = new Frame(margin * s.dpi, margin * s.dpi, s.width - 2 * margin * s.dpi,
                Math.min(s.height - margin * s.dpi + 1, margin * s.dpi + lines * pitchInches * s.dpi + 1));
        new Flow(s, r, body, pitchInches * s.dpi).fill(frame);
        return s;
    }

    /** A sentence of 3-12 words in one line, cropped to its ink with 0-2 pixels to spare. */
    private static Sheet singleLine(PageSpec spec, Random r) {
        Face face = Face.values()[r.nextInt(Face.values().length)];
        int style = r.nextDouble() < 0.15 ? Font.BOLD : r.nextDouble() < 0.15 ? Font.ITALIC : Font.PLAIN;
        double size = 9 + r.nextInt(6);
        List<String> words = new ArrayList<>(Words.run(r, 3 + r.nextInt(10)));
        double kind = r.nextDouble();
        if (kind < 0.12) {
            words.add(0, "Fig. " + (1 + r.nextInt(12)) + ".");
        } else if (kind < 0.2) {
            words.replaceAll(w -> w.toUpperCase(Locale.ROOT));
        }
        String text = String.join(" ", words);
        Sheet wide = new Sheet(1, 1, spec.dpi());
        Font f = wide.font(face, style, size);
        int w = (int) Math.ceil(wide.width(text, f)) + 40;
        FontMetrics m = wide.metrics(f);
        wide.g.dispose();
        Sheet canvas = new Sheet(w, m.getHeight() + 40, spec.dpi());
        Font font = canvas.font(face, style, size);
        canvas.draw(text, font, 20, 20 + m.getAscent(), INK);
        Rectangle ink = inkBox(canvas.image);
        int margin = r.nextInt(3);
        Rectangle crop = new Rectangle(ink.x - margin, ink.y - margin, ink.width + 2 * margin, ink.height + 2 * margin)
                .intersection(new Rectangle(0, 0, canvas.width, canvas.height));
        Sheet s = new Sheet(crop.width, crop.height, spec.dpi());
        s.g.drawImage(canvas.image.getSubimage(crop.x, crop.y, crop.width, crop.height), 0, 0, null);
        canvas.g.dispose();
        s.font(face, style, size);
        s.startBlock();
        s.record(text, new Rectangle(margin, margin, ink.width, ink.height));
        return s;
    }

    // ---------------------------------------------------------------- page furniture

    /** The running head: a title on the left, an issue or date on the right, a rule under it. Returns the text top. */
    private static double header(Sheet s, Random r, double left, double right, double margin) {
        Font f = r.nextBoolean() ? s.font(Face.SANS, Font.PLAIN, 7.5 + r.nextInt(2)) : s.font(Face.SERIF, Font.ITALIC, 8 + r.nextInt(2));
        FontMetrics m = s.metrics(f);
        double baseline = margin * 0.55 + m.getAscent();
        String title = Words.phrase(r, 2, 5);
        if (r.nextBoolean()) {
            title = title.toUpperCase(Locale.ROOT);
        }
        String issue = r.nextBoolean() ? "Vol. " + (1 + r.nextInt(60)) + ", No. " + (1 + r.nextInt(12))
                : MONTHS[r.nextInt(12)] + " " + (1950 + r.nextInt(70));
        s.startBlock();
        Rectangle a = s.draw(title, f, left, baseline, INK);
        Rectangle b = s.draw(issue, f, right - s.width(issue, f), baseline, INK);
        s.record(title + " " + issue, a.union(b));
        double rule = baseline + m.getDescent() + s.px(3);
        s.fill((int) left, (int) rule, (int) (right - left), Math.max(1, (int) s.px(0.6)), INK);
        return rule + s.px(14);
    }

    private static final String[] MONTHS = {"January", "February", "March", "April", "May", "June", "July", "August",
        "September", "October", "November", "December"};

    /** A headline across the columns (bold, large, sometimes letter-spaced) and often a deck under it. */
    private static double headline(Sheet s, Random r, double left, double right, double top, boolean deck) {
        double size = 18 + r.nextInt(12);
        double tracking = r.nextDouble() < 0.4 ? 0.08 + 0.15 * r.nextDouble() : 0;
        Font f = s.font(r.nextBoolean() ? Face.SERIF : Face.SANS, Font.BOLD, size, tracking);
        List<String> words = new ArrayList<>(Arrays.asList(Words.phrase(r, 3, 8).split(" ")));
        words.set(0, capitalise(words.get(0)));
        boolean centred = r.nextBoolean();
        double pitch = s.px(size * 1.15);
        double y = top;
        s.startBlock();
        for (List<String> line : s.wrap(words, f, right - left)) {
            String text = String.join(" ", line);
            double x = centred ? (left + right - s.width(text, f)) / 2 : left;
            Rectangle box = s.draw(text, f, x, y + s.metrics(f).getAscent(), INK);
            s.record(text, box);
            y += pitch;
        }
        y += s.px(6);
        if (deck && r.nextDouble() < 0.6) {
            double dsize = 11 + r.nextInt(3);
            Font d = s.font(Face.SERIF, Font.ITALIC, dsize);
            List<String> deckWords = Words.run(r, 8 + r.nextInt(14));
            s.startBlock();
            for (List<String> line : s.wrap(deckWords, d, right - left)) {
                s.line(line, d, left, y + s.metrics(d).getAscent(), right - left, false, INK);
                y += s.px(dsize * 1.2);
            }
            y += s.px(6);
        }
        return y + s.px(8);
    }

    private static double sectionTitle(Sheet s, Random r, double left, double top) {
        double size = 13 + r.nextInt(4);
        Font f = s.font(r.nextBoolean() ? Face.SERIF : Face.SANS, Font.BOLD, size);
        String text = (1 + r.nextInt(9)) + ". " + capitalise(Words.phrase(r, 2, 6));
        s.startBlock();
        Rectangle box = s.draw(text, f, left, top + s.metrics(f).getAscent(), INK);
        s.record(text, box);
        return top + s.px(size * 1.2) + s.px(10);
    }

    private static int pageNumber(Random r) {
        return 2 + r.nextInt(480);
    }

    /** The footer's place (the body ends above {@code top}) and how to set it: last, as it is read last. */
    private record Footer(double top, Runnable set) {
        static final Footer NONE = new Footer(Double.MAX_VALUE, () -> { });
    }

    /** Reserves the footer (a page number, perhaps with a line of text) above {@code bottom}. */
    private static Footer footer(Sheet s, Random r, double left, double right, double bottom, int number) {
        Font f = s.font(r.nextBoolean() ? Face.SERIF : Face.SANS, Font.PLAIN, 8 + r.nextInt(2));
        FontMetrics m = s.metrics(f);
        double baseline = bottom - m.getDescent();
        int variant = number < 0 ? 1 : r.nextInt(3);
        String text = variant == 0 || number < 0 ? Words.phrase(r, 2, 5) : null;
        String num = number < 0 ? null : String.valueOf(number);
        boolean centred = variant == 2;
        return new Footer(baseline - m.getAscent() - s.px(16), () -> {
            s.startBlock();
            Rectangle box = null;
            StringBuilder line = new StringBuilder();
            if (text != null) {
                box = s.draw(text, f, left, baseline, INK);
                line.append(text);
            }
            if (num != null) {
                double x = centred ? (left + right - s.width(num, f)) / 2 : right - s.width(num, f);
                Rectangle b = s.draw(num, f, x, baseline, INK);
                box = box == null ? b : box.union(b);
                line.append(line.length() > 0 ? " " : "").append(num);
            }
            s.record(line.toString(), box);
        });
    }

    private static List<List<String>> footnoteText(Random r, int count) {
        List<List<String>> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            List<String> words = new ArrayList<>(Words.run(r, 8 + r.nextInt(22)));
            words.add(0, String.valueOf(i + 1));
            out.add(words);
        }
        return out;
    }

    private static void footnotes(Sheet s, List<List<String>> notes, Font f, double left, double right, double top, double pitch) {
        s.fill((int) left, (int) top, (int) ((right - left) / 3), Math.max(1, (int) s.px(0.5)), INK);
        double y = top + s.px(6);
        for (List<String> note : notes) {
            s.startBlock();
            List<List<String>> lines = s.wrap(note, f, right - left);
            for (int i = 0; i < lines.size(); i++) {
                s.line(lines.get(i), f, left, y + s.metrics(f).getAscent(), right - left, i < lines.size() - 1, INK);
                y += pitch;
            }
        }
    }

    // ---------------------------------------------------------------- columns and floats

    /**
     * Column width shares, visibly unequal: two columns about 60/40 either way round, three a shuffle of about
     * 27/33/40, so the narrowest column still holds a long word (1.5 inches or more on a letter page).
     */
    private static double[] widths(Random r, int count) {
        if (count == 1) {
            return new double[] {1};
        }
        List<Double> shares = new ArrayList<>(count == 2 ? List.of(0.62, 0.38) : List.of(0.27, 0.33, 0.40));
        java.util.Collections.shuffle(shares, r);
        double[] w = new double[count];
        double sum = 0;
        for (int i = 0; i < count; i++) {
            w[i] = shares.get(i) + 0.04 * (r.nextDouble() - 0.5);
            sum += w[i];
        }
        for (int i = 0; i < count; i++) {
            w[i] /= sum;
        }
        return w;
    }

    private static List<Frame> frames(double left, double right, double top, double bottom, double[] shares, double gutter) {
        double measure = right - left - gutter * (shares.length - 1);
        List<Frame> out = new ArrayList<>();
        double x = left;
        for (double share : shares) {
            out.add(new Frame(x, top, measure * share, bottom));
            x += measure * share + gutter;
        }
        return out;
    }

    /** A column, and what stands in it besides the running text. */
    static final class Frame {
        final double x;
        final double top;
        final double width;
        final double bottom;
        final List<Float> floats = new ArrayList<>();

        Frame(double x, double top, double width, double bottom) {
            this.x = x;
            this.top = top;
            this.width = width;
            this.bottom = bottom;
        }
    }

    /** Something the text flows around or over: drawn when made, its truth read when the flow has passed it. */
    static final class Float {
        final Rectangle box;
        final boolean fullWidth;
        final List<GeneratedPage.TruthLine> truth;

        Float(Rectangle box, boolean fullWidth, List<GeneratedPage.TruthLine> truth) {
            this.box = box;
            this.fullWidth = fullWidth;
            this.truth = truth;
        }
    }

    /** A half-tone picture at the right of the column (text wraps on its left) or across it, its caption under it. */
    private static void figure(Sheet s, Random r, Frame host, Font body, double pitch) {
        // Text wraps beside a figure only where at least 1.2 inches are left for it, as a typesetter would.
        double wrapped = host.width * (0.45 + 0.2 * r.nextDouble());
        boolean across = host.width - wrapped < s.dpi * 1.2 || r.nextDouble() < 0.3;
        double w = across ? host.width : wrapped;
        double h = Math.min((host.bottom - host.top) * 0.4, w * (0.6 + 0.5 * r.nextDouble()));
        Font cf = s.font(r.nextBoolean() ? Face.SANS : Face.SERIF, r.nextBoolean() ? Font.ITALIC : Font.PLAIN, 8);
        List<String> caption = new ArrayList<>(Words.run(r, 6 + r.nextInt(16)));
        caption.add(0, (r.nextBoolean() ? "Figure " : "Fig. ") + (1 + r.nextInt(9)) + ".");
        List<List<String>> lines = s.wrap(caption, cf, w);
        double capPitch = s.px(8 * 1.25);
        double total = h + s.px(5) + lines.size() * capPitch;
        double room = host.bottom - host.top - total;
        if (room < 3 * pitch) {
            return;
        }
        double top = host.top + room * (0.05 + 0.9 * r.nextDouble());
        double x = host.x + host.width - w;
        halftone(s, r, (int) x, (int) top, (int) w, (int) h);
        List<GeneratedPage.TruthLine> truth = new ArrayList<>();
        double y = top + h + s.px(5);
        for (List<String> line : lines) {
            String text = String.join(" ", line);
            Rectangle box = s.draw(text, cf, x, y + s.metrics(cf).getAscent(), INK);
            truth.add(new GeneratedPage.TruthLine(text, box, 0));
            y += capPitch;
        }
        host.floats.add(new Float(new Rectangle((int) x, (int) top, (int) Math.ceil(w), (int) Math.ceil(total)), across, truth));
    }

    /** A photograph as a printer screens it: dots on a 45-degree grid, sized by a smooth random picture. */
    static void halftone(Sheet s, Random r, int x0, int y0, int w, int h) {
        double[][] blobs = new double[4 + r.nextInt(5)][];
        for (int i = 0; i < blobs.length; i++) {
            blobs[i] = new double[] {r.nextDouble() * w, r.nextDouble() * h, (0.1 + 0.4 * r.nextDouble()) * Math.max(w, h),
                r.nextDouble() * 0.8 - 0.4};
        }
        double gx = r.nextDouble() - 0.5;
        double gy = r.nextDouble() - 0.5;
        double cell = Math.max(3, s.dpi / (55.0 + 40 * r.nextDouble()));
        byte[] p = Degradation.pixels(s.image);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double d = 0.5 + 0.4 * (gx * x / w + gy * y / h);
                for (double[] b : blobs) {
                    double dx = x - b[0];
                    double dy = y - b[1];
                    d += b[3] * Math.exp(-(dx * dx + dy * dy) / (2 * b[2] * b[2]));
                }
                d = Math.max(0.03, Math.min(0.97, d));
                double u = (x + y) / (cell * Math.sqrt(2));
                double v = (x - y) / (cell * Math.sqrt(2));
                double screen = (Math.cos(2 * Math.PI * u) + Math.cos(2 * Math.PI * v) + 2) / 4;
                int px = x0 + x;
                int py = y0 + y;
                if (px >= 0 && py >= 0 && px < s.width && py < s.height) {
                    p[py * s.width + px] = (byte) (d > screen ? 25 : 245);
                }
            }
        }
        s.g.setColor(java.awt.Color.BLACK);
        s.g.drawRect(x0, y0, w - 1, h - 1);
    }

    /** A ruled table with its caption above: a header row, then a label and figures per row. */
    private static Float table(Sheet s, Random r, double left, double right, double top, int number) {
        Font f = s.font(r.nextBoolean() ? Face.SANS : Face.SERIF, Font.PLAIN, 8.5 + r.nextInt(2));
        Font bold = f.deriveFont(Font.BOLD);
        int cols = 3 + r.nextInt(4);
        int rows = 4 + r.nextInt(7);
        String[][] cells = new String[rows + 1][cols];
        cells[0][0] = r.nextBoolean() ? "" : capitalise(Words.phrase(r, 1, 1));
        int[] kinds = new int[cols];
        for (int c = 1; c < cols; c++) {
            kinds[c] = r.nextInt(4);
            cells[0][c] = r.nextBoolean() ? String.valueOf(1960 + r.nextInt(60)) : capitalise(Words.phrase(r, 1, 1));
        }
        for (int row = 1; row <= rows; row++) {
            cells[row][0] = capitalise(Words.phrase(r, 1, 3));
            for (int c = 1; c < cols; c++) {
                cells[row][c] = number(r, kinds[c]);
            }
        }
        double pad = s.px(6);
        double[] colW = new double[cols];
        for (int c = 0; c < cols; c++) {
            for (int row = 0; row <= rows; row++) {
                colW[c] = Math.max(colW[c], s.width(cells[row][c], row == 0 ? bold : f) + 2 * pad);
            }
        }
        while (cols > 2 && Arrays.stream(colW, 0, cols).sum() > right - left) {
            cols--;
        }
        double tableW = Arrays.stream(colW, 0, cols).sum();
        double x0 = left + (right - left - tableW) / 2;
        List<GeneratedPage.TruthLine> truth = new ArrayList<>();
        Font cf = s.font(Face.SERIF, Font.PLAIN, 9);
        List<String> caption = new ArrayList<>(Words.run(r, 4 + r.nextInt(10)));
        caption.add(0, "Table " + number + ".");
        double y = top;
        for (List<String> line : s.wrap(caption, cf, tableW)) {
            String text = String.join(" ", line);
            truth.add(new GeneratedPage.TruthLine(text, s.draw(text, cf, x0, y + s.metrics(cf).getAscent(), INK), 0));
            y += s.px(9 * 1.25);
        }
        y += s.px(4);
        FontMetrics m = s.metrics(f);
        double rowH = m.getHeight() + 2 * s.px(2.5);
        boolean grid = r.nextBoolean();
        int rule = Math.max(1, (int) s.px(0.6));
        double tableTop = y;
        s.fill((int) x0, (int) y, (int) tableW, rule * 2, INK);
        for (int row = 0; row <= rows; row++) {
            double baseline = y + (rowH + m.getAscent() - m.getDescent()) / 2;
            double x = x0;
            List<String> parts = new ArrayList<>();
            Rectangle box = null;
            for (int c = 0; c < cols; c++) {
                String text = cells[row][c];
                if (!text.isEmpty()) {
                    Font cellFont = row == 0 ? bold : f;
                    double tx = c == 0 ? x + pad : x + colW[c] - pad - s.width(text, cellFont);
                    Rectangle b = s.draw(text, cellFont, tx, baseline, INK);
                    box = box == null ? b : box.union(b);
                    parts.add(text);
                }
                x += colW[c];
            }
            truth.add(new GeneratedPage.TruthLine(String.join(" ", parts), box, 1));
            y += rowH;
            if (row == 0 || grid || row == rows) {
                s.fill((int) x0, (int) y, (int) tableW, row == rows ? rule * 2 : rule, INK);
            }
        }
        if (grid) {
            double x = x0;
            for (int c = 0; c <= cols; c++) {
                s.fill((int) x, (int) tableTop, rule, (int) (y - tableTop), INK);
                x += c < cols ? colW[c] : 0;
            }
        }
        return new Float(new Rectangle((int) x0, (int) top, (int) Math.ceil(tableW), (int) Math.ceil(y - top + rule * 2)), true, truth);
    }

    private static String number(Random r, int kind) {
        return switch (kind) {
            case 0 -> String.format(Locale.ROOT, "%,d", r.nextInt(20000));
            case 1 -> String.format(Locale.ROOT, "%.1f", r.nextDouble() * 200 - 20);
            case 2 -> r.nextInt(100) + "%";
            default -> String.format(Locale.ROOT, "$%.2f", r.nextDouble() * 90);
        };
    }

    /** Light type on a dark bar across a column: a section heading, drawn only if {@code fits} accepts its box. */
    private static Float sectionBar(Sheet s, Random r, Frame f, double top, java.util.function.Predicate<Rectangle> fits) {
        Font font = s.font(Face.SANS, Font.BOLD, 9 + r.nextInt(4));
        FontMetrics m = s.metrics(font);
        double h = m.getHeight() * (1.5 + 0.5 * r.nextDouble());
        int dark = r.nextInt(80);
        int light = 210 + r.nextInt(46);
        String phrase = Words.phrase(r, 1, 4);
        String text = r.nextBoolean() ? phrase.toUpperCase(Locale.ROOT) : capitalise(phrase);
        while (s.width(text, font) > f.width - s.px(12) && text.contains(" ")) {
            text = text.substring(0, text.lastIndexOf(' '));
        }
        Rectangle bar = new Rectangle((int) f.x, (int) top, (int) f.width, (int) Math.ceil(h));
        if (!fits.test(bar)) {
            return null;
        }
        s.fill(bar.x, bar.y, bar.width, bar.height, dark);
        Rectangle box = s.draw(text, font, f.x + s.px(6), top + (h + m.getAscent() - m.getDescent()) / 2, light);
        return new Float(bar, true, List.of(new GeneratedPage.TruthLine(text, box, 0)));
    }

    private static Rectangle grow(Rectangle r, int by) {
        return new Rectangle(r.x - by, r.y - by, r.width + 2 * by, r.height + 2 * by);
    }

    private static String capitalise(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    static Rectangle inkBox(BufferedImage image) {
        byte[] p = Degradation.pixels(image);
        int w = image.getWidth();
        int h = image.getHeight();
        int x0 = w;
        int y0 = h;
        int x1 = -1;
        int y1 = -1;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if ((p[y * w + x] & 0xff) < 250) {
                    x0 = Math.min(x0, x);
                    x1 = Math.max(x1, x);
                    y0 = Math.min(y0, y);
                    y1 = Math.max(y1, y);
                }
            }
        }
        return x1 < 0 ? new Rectangle(0, 0, w, h) : new Rectangle(x0, y0, x1 - x0 + 1, y1 - y0 + 1);
    }

    // ---------------------------------------------------------------- running text

    /** Running text poured into columns: justified paragraphs, first lines indented, around and over floats. */
    private static final class Flow {
        private final Sheet s;
        private final Random r;
        private final Font font;
        private final double pitch;
        private final Deque<String> paragraph = new ArrayDeque<>();
        private boolean paragraphStart = true;

        Flow(Sheet s, Random r, Font font, double pitch) {
            this.s = s;
            this.r = r;
            this.font = font;
            this.pitch = pitch;
        }

        void fill(Frame f) {
            List<Float> pending = new ArrayList<>(f.floats);
            pending.sort(Comparator.comparingInt(fl -> fl.box.y));
            double gap = pitch * 0.5;
            double ascent = s.metrics(font).getAscent();
            double y = f.top;
            boolean newBlock = true;
            while (y + pitch <= f.bottom + 1) {
                double lineTop = y;
                double lineBottom = y + pitch;
                for (var it = pending.iterator(); it.hasNext(); ) {
                    Float fl = it.next();
                    if (fl.box.y + fl.box.height <= lineTop) {
                        emit(fl);
                        it.remove();
                        newBlock = true;
                    }
                }
                Float over = pending.stream().filter(fl -> fl.fullWidth && fl.box.y < lineBottom + gap && fl.box.y + fl.box.height > lineTop)
                        .findFirst().orElse(null);
                if (over != null) {
                    y = over.box.y + over.box.height + gap;
                    continue;
                }
                double x0 = f.x;
                double x1 = f.x + f.width;
                for (Float fl : pending) {
                    if (fl.box.y < lineBottom + gap && fl.box.y + fl.box.height + gap > lineTop) {
                        x1 = Math.min(x1, fl.box.x - gap * 2);
                    }
                }
                if (x1 - x0 < s.width("mmmmmm", font)) {
                    y += pitch;
                    continue;
                }
                if (paragraph.isEmpty()) {
                    nextParagraph();
                }
                if (newBlock || paragraphStart) {
                    s.startBlock();
                    newBlock = false;
                }
                double indent = paragraphStart ? s.width("mm", font) : 0;
                List<String> words = take(x1 - x0 - indent);
                boolean last = paragraph.isEmpty();
                s.line(words, font, x0 + indent, lineTop + ascent, x1 - x0 - indent, !last, INK);
                paragraphStart = last;
                y += pitch;
            }
            pending.forEach(this::emit);
        }

        private void emit(Float fl) {
            s.startBlock();
            int block = -1;
            for (GeneratedPage.TruthLine t : fl.truth) {
                if (block != -1 && t.block() != block) {
                    s.startBlock();
                }
                block = t.block();
                s.record(t.text(), t.box());
            }
        }

        private void nextParagraph() {
            List<String> words = new ArrayList<>(Words.run(r, 25 + r.nextInt(90)));
            words.set(0, capitalise(words.get(0)));
            String lastWord = words.get(words.size() - 1);
            if (!lastWord.matches(".*[.!?]\"?$")) {
                words.set(words.size() - 1, lastWord.replaceAll("[,;:]+$", "") + ".");
            }
            paragraph.addAll(words);
            paragraphStart = true;
        }

        private List<String> take(double measure) {
            List<String> out = new ArrayList<>();
            double used = 0;
            double space = s.width(" ", font);
            while (!paragraph.isEmpty()) {
                double w = s.width(paragraph.peekFirst(), font);
                if (!out.isEmpty() && used + space + w > measure) {
                    break;
                }
                used += (out.isEmpty() ? 0 : space) + w;
                out.add(paragraph.pollFirst());
            }
            return out;
        }
    }
}
