package com.gnosis.hub.ocr;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Puts OCR lines in reading order: columns left to right, each top to bottom, in paragraphs.
 * The layout is cut recursively (XY-cut) at empty vertical bands (columns) and empty horizontal bands (blocks),
 * in a frame turned by the page's skew so that tilted scans cut as cleanly as straight ones.
 */
public final class ReadingOrder {

    // A column gutter is at least this many line heights wide; word gaps inside a column are covered by other lines.
    private static final double COLUMN_GAP = 0.4;
    // Blocks are separated by an empty band at least this many line heights tall.
    private static final double BLOCK_GAP = 0.5;
    // Two pieces share a visual line when they overlap vertically by this share of the smaller height.
    private static final double SAME_LINE_OVERLAP = 0.5;

    private ReadingOrder() {
    }

    public static PageText arrange(List<TextLine> lines) {
        List<Item> items = new ArrayList<>();
        double angle = skew(lines);
        for (TextLine line : lines) {
            if (!line.text().isBlank()) {
                items.add(new Item(line, angle));
            }
        }
        if (items.isEmpty()) {
            return new PageText(List.of());
        }
        double h = median(items.stream().mapToDouble(Item::height).toArray());
        List<List<Item>> leaves = new ArrayList<>();
        cut(items, h, leaves);
        List<Item> ordered = new ArrayList<>();
        for (List<Item> leaf : leaves) {
            ordered.addAll(visualLines(leaf));
        }
        return paragraphs(mergeNeighbours(ordered), h);
    }

    /**
     * The page's direction: the mean direction (start to end) of the lines clearly wider than tall, weighted by length.
     * Small for a skewed scan, about pi for a page read upside down.
     */
    static double skew(List<TextLine> lines) {
        double x = 0;
        double y = 0;
        for (TextLine l : lines) {
            float[][] p = l.polygon();
            if (p != null && width(p) > 2 * height(p)) {
                x += p[1][0] - p[0][0];
                y += p[1][1] - p[0][1];
            }
        }
        return x == 0 && y == 0 ? 0 : Math.atan2(y, x);
    }

    private static void cut(List<Item> items, double h, List<List<Item>> out) {
        if (items.size() <= 1) {
            out.add(items);
            return;
        }
        List<List<Item>> columns = split(items, Comparator.comparingDouble(i -> i.x0), i -> i.x0, i -> i.x1, COLUMN_GAP * h);
        if (columns.size() > 1) {
            columns.forEach(c -> cut(c, h, out));
            return;
        }
        List<List<Item>> blocks = split(items, Comparator.comparingDouble(i -> i.y0), i -> i.y0, i -> i.y1, BLOCK_GAP * h);
        if (blocks.size() > 1) {
            blocks.forEach(b -> cut(b, h, out));
            return;
        }
        out.add(items);
    }

    private interface Edge {
        double of(Item i);
    }

    /** Splits at every empty band of at least {@code gap} along one axis. */
    private static List<List<Item>> split(List<Item> items, Comparator<Item> order, Edge start, Edge end, double gap) {
        List<Item> sorted = new ArrayList<>(items);
        sorted.sort(order);
        List<List<Item>> groups = new ArrayList<>();
        List<Item> current = new ArrayList<>();
        double reach = Double.NEGATIVE_INFINITY;
        for (Item i : sorted) {
            if (!current.isEmpty() && start.of(i) - reach >= gap) {
                groups.add(current);
                current = new ArrayList<>();
            }
            current.add(i);
            reach = Math.max(reach, end.of(i));
        }
        groups.add(current);
        return groups;
    }

    /** Within a block: pieces grouped into visual lines (top to bottom), each read left to right. */
    private static List<Item> visualLines(List<Item> block) {
        List<Item> sorted = new ArrayList<>(block);
        sorted.sort(Comparator.comparingDouble(Item::centerY));
        List<List<Item>> rows = new ArrayList<>();
        for (Item i : sorted) {
            List<Item> row = rows.isEmpty() ? null : rows.get(rows.size() - 1);
            if (row != null && row.stream().anyMatch(r -> sameLine(r, i))) {
                row.add(i);
            } else {
                rows.add(new ArrayList<>(List.of(i)));
            }
        }
        List<Item> out = new ArrayList<>();
        for (List<Item> row : rows) {
            row.sort(Comparator.comparingDouble(i -> i.x0));
            Item merged = row.get(0);
            for (int k = 1; k < row.size(); k++) {
                merged = merged.join(row.get(k));
            }
            out.add(merged);
        }
        return out;
    }

    /** Pieces of one visual line that ended in neighbouring blocks (a split line) become one line. */
    private static List<Item> mergeNeighbours(List<Item> ordered) {
        List<Item> out = new ArrayList<>();
        for (Item i : ordered) {
            Item last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (last != null && sameLine(last, i) && i.x0 >= last.x1 - 0.5 * Math.min(last.height(), i.height())) {
                out.set(out.size() - 1, last.join(i));
            } else {
                out.add(i);
            }
        }
        return out;
    }

    private static boolean sameLine(Item a, Item b) {
        double overlap = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
        return overlap >= SAME_LINE_OVERLAP * Math.min(a.height(), b.height());
    }

    /** A new paragraph starts where the next line is not just below the previous one, or after a wider gap than usual. */
    private static PageText paragraphs(List<Item> lines, double h) {
        double[] gaps = new double[Math.max(0, lines.size() - 1)];
        int n = 0;
        for (int k = 1; k < lines.size(); k++) {
            if (below(lines.get(k - 1), lines.get(k))) {
                gaps[n++] = lines.get(k).y0 - lines.get(k - 1).y1;
            }
        }
        double usual = n == 0 ? 0 : median(Arrays.copyOf(gaps, n));
        double limit = Math.max(0.7 * h, usual + 0.6 * h);
        List<List<TextLine>> paragraphs = new ArrayList<>();
        List<TextLine> current = new ArrayList<>();
        for (int k = 0; k < lines.size(); k++) {
            Item line = lines.get(k);
            if (k > 0) {
                Item previous = lines.get(k - 1);
                if (!below(previous, line) || line.y0 - previous.y1 > limit) {
                    paragraphs.add(current);
                    current = new ArrayList<>();
                }
            }
            current.add(line.line);
        }
        paragraphs.add(current);
        return new PageText(paragraphs);
    }

    // b lies under a, overlapping it horizontally (the same column).
    private static boolean below(Item a, Item b) {
        double overlap = Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0);
        return b.centerY() > a.y1 - 0.3 * a.height() && overlap > 0;
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length == 0 ? 0 : v[v.length / 2];
    }

    private static double width(float[][] p) {
        return Math.hypot(p[1][0] - p[0][0], p[1][1] - p[0][1]);
    }

    private static double height(float[][] p) {
        return Math.hypot(p[3][0] - p[0][0], p[3][1] - p[0][1]);
    }

    /** A line with its bounds in the de-skewed frame. */
    private static final class Item {
        final TextLine line;
        final double angle;
        final double x0;
        final double y0;
        final double x1;
        final double y1;

        Item(TextLine line, double angle) {
            this.line = line;
            this.angle = angle;
            double cos = Math.cos(-angle);
            double sin = Math.sin(-angle);
            double ax = Double.MAX_VALUE;
            double ay = Double.MAX_VALUE;
            double bx = -Double.MAX_VALUE;
            double by = -Double.MAX_VALUE;
            for (float[] p : line.polygon()) {
                double x = p[0] * cos - p[1] * sin;
                double y = p[0] * sin + p[1] * cos;
                ax = Math.min(ax, x);
                ay = Math.min(ay, y);
                bx = Math.max(bx, x);
                by = Math.max(by, y);
            }
            x0 = ax;
            y0 = ay;
            x1 = bx;
            y1 = by;
        }

        double height() {
            return y1 - y0;
        }

        double centerY() {
            return (y0 + y1) / 2;
        }

        /** This piece followed on its right by another: one line, confidence weighted by text length. */
        Item join(Item right) {
            String a = line.text();
            String b = right.line.text();
            double confidence = (line.confidence() * a.length() + right.line.confidence() * b.length()) / (a.length() + b.length());
            float[][] p = line.polygon();
            float[][] q = right.line.polygon();
            float[][] polygon = {p[0].clone(), q[1].clone(), q[2].clone(), p[3].clone()};
            return new Item(new TextLine(a + " " + b, confidence, polygon, line.source()), angle);
        }
    }
}
