package com.gnosis.hub.ocr.layout;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Layout analysis from line geometry: pieces become visual lines, lines become blocks (paragraphs, headings, captions,
 * tables, headers, footers, footnotes), and the blocks are put in the order a reader takes them.
 *
 * <p>Blocks are grown bottom-up (a line joins the block above it when it is close, of similar height and under it),
 * because a top-down XY-cut needs a gutter that is empty from the top of a region to its bottom, which unequal
 * columns wrapped around a figure do not have. The order is Breuel's (2003, "High performance document layout
 * analysis"): a block comes before another when it is above it and overlaps it horizontally, or when it lies wholly
 * to its left and no third block between them vertically spans both; a topological sort gives the sequence.
 * Running headers and footers are taken out first, since a header at the top right would otherwise follow the left
 * column it lies beside.
 */
public final class PageLayout {

    // Pieces of one visual line further apart than this many line heights are separate segments (columns, cells).
    private static final double SEGMENT_GAP = 0.25;
    // Two pieces share a visual line when they overlap vertically by this share of the smaller height.
    private static final double SAME_LINE_OVERLAP = 0.5;
    // A header or footer band is separated from the body by at least this many line heights.
    private static final double BAND_GAP = 2.0;
    private static final Pattern PAGE_NUMBER = Pattern.compile(
            "(?i)^[\\s\\-–—|·•]*(page|p\\.|seite|pag\\.?)?\\s*(\\d{1,4}|[ivxlc]{1,7})(\\s*(/|of)\\s*\\d{1,4})?[\\s\\-–—|·•]*$");
    private static final Pattern CAPTION = Pattern.compile(
            "(?i)^(fig\\.?|figure|table|tab\\.|plate|photo|chart|abb\\.|abbildung|tabelle)\\s*[0-9IVX]+.*");
    private static final Pattern FOOTNOTE = Pattern.compile("^(\\d{1,3}|[*†‡§¹²³⁴⁵⁶⁷⁸⁹])\\s?.*");

    private PageLayout() {
    }

    /** The page's blocks in reading order. */
    public static List<Region> analyse(List<LineBox> pieces) {
        if (pieces.isEmpty()) {
            return List.of();
        }
        double h = median(pieces.stream().mapToDouble(LineBox::height).toArray());
        List<Segment> segments = new ArrayList<>();
        List<Block> tables = new ArrayList<>();
        List<List<Segment>> rows = new ArrayList<>();
        List<List<LineBox>> visual = visualRows(pieces);
        for (int r = 0; r < visual.size(); r++) {
            rows.add(segments(visual, r));
        }
        findTables(rows, h, tables);
        rows.forEach(segments::addAll);
        List<Block> blocks = grow(segments);
        blocks.addAll(tables);
        double bodyHeight = median(blocks.stream().filter(b -> b.kind != Region.Kind.TABLE)
                .flatMap(b -> b.lines.stream()).mapToDouble(Segment::height).toArray());
        if (bodyHeight == 0) {
            bodyHeight = h;
        }
        List<Block> header = band(blocks, bodyHeight, true);
        List<Block> footer = band(blocks, bodyHeight, false);
        List<Block> body = new ArrayList<>(blocks);
        body.removeAll(header);
        body.removeAll(footer);
        for (Block b : body) {
            if (b.kind == null) {
                b.kind = kind(b, body, bodyHeight);
            }
        }
        List<Region> out = new ArrayList<>();
        header.sort(Comparator.comparingDouble(b -> b.x0));
        footer.sort(Comparator.comparingDouble(b -> b.x0));
        header.forEach(b -> out.add(b.region()));
        order(body, bodyHeight).forEach(b -> out.add(b.region()));
        footer.forEach(b -> out.add(b.region()));
        return out;
    }

    /** Pieces grouped into visual lines, top to bottom, each left to right. */
    static List<List<LineBox>> visualRows(List<LineBox> pieces) {
        List<LineBox> sorted = new ArrayList<>(pieces);
        sorted.sort(Comparator.comparingDouble(LineBox::centerY));
        List<List<LineBox>> rows = new ArrayList<>();
        for (LineBox p : sorted) {
            // Columns with staggered baselines interleave their rows: look back a few rows. A row never holds two
            // pieces above one another, and a piece joins by the row's mean band, so rows do not chain downwards.
            List<LineBox> home = null;
            for (int k = rows.size() - 1; k >= Math.max(0, rows.size() - 4) && home == null; k--) {
                List<LineBox> row = rows.get(k);
                double y0 = row.stream().mapToDouble(LineBox::y0).average().orElse(0);
                double y1 = row.stream().mapToDouble(LineBox::y1).average().orElse(0);
                boolean stacked = row.stream().anyMatch(r -> Math.min(r.x1(), p.x1()) - Math.max(r.x0(), p.x0())
                        > 0.5 * Math.min(r.width(), p.width()));
                if (!stacked && sameLine(new LineBox(-1, p.x0(), y0, p.x1(), y1, ""), p)) {
                    home = row;
                }
            }
            if (home != null) {
                home.add(p);
            } else {
                rows.add(new ArrayList<>(List.of(p)));
            }
        }
        rows.forEach(r -> r.sort(Comparator.comparingDouble(LineBox::x0)));
        return rows;
    }

    private static boolean sameLine(LineBox a, LineBox b) {
        double overlap = Math.min(a.y1(), b.y1()) - Math.max(a.y0(), b.y0());
        return overlap >= SAME_LINE_OVERLAP * Math.min(a.height(), b.height());
    }

    /**
     * A visual line cut where its pieces are further apart than a word gap and a neighbouring line has a gap there
     * too (a gutter runs down several lines; one wide gap in one line is a tab or a justified line).
     */
    private static List<Segment> segments(List<List<LineBox>> rows, int r) {
        List<LineBox> row = rows.get(r);
        List<Segment> out = new ArrayList<>();
        Segment current = null;
        for (LineBox p : row) {
            if (current != null && !gutter(rows, r, current.x1, p.x0())) {
                current.add(p);
            } else {
                current = new Segment(p);
                out.add(current);
            }
        }
        return out;
    }

    private static boolean gutter(List<List<LineBox>> rows, int r, double from, double to) {
        List<LineBox> row = rows.get(r);
        double h = rowHeight(row);
        if (to - from <= SEGMENT_GAP * h) {
            return false;
        }
        if (to - from > 3 * h) {
            // No word gap is that wide: another column lies between, or a tab.
            return true;
        }
        double top = row.stream().mapToDouble(LineBox::y0).min().orElse(0) - 2.5 * h;
        double bottom = row.stream().mapToDouble(LineBox::y1).max().orElse(0) + 2.5 * h;
        // Nearby lines vote: one that leaves part of the gap empty (a gutter is seldom the same width on every line),
        // with text beside it, confirms a gutter; one that runs through all of it (a headline, the next line of the
        // same paragraph) denies it.
        int confirm = 0;
        int deny = 0;
        for (int n = Math.max(0, r - 6); n < Math.min(rows.size(), r + 7); n++) {
            List<LineBox> other = rows.get(n);
            double oh = rowHeight(other);
            // Only lines of the same type size vote: a headline beside body text says nothing about its gutters.
            if (n == r || other.get(0).y1() < top || other.get(0).y0() > bottom || Math.max(oh, h) > 1.5 * Math.min(oh, h)) {
                continue;
            }
            double free = 0;
            double at = from;
            boolean beside = false;
            for (LineBox p : other) {
                beside |= p.x1() <= from + 0.5 * (to - from) || p.x0() >= from + 0.5 * (to - from);
                if (p.x1() <= at || p.x0() >= to) {
                    continue;
                }
                free = Math.max(free, p.x0() - at);
                at = Math.max(at, p.x1());
            }
            free = Math.max(free, to - at);
            if (free < 0.2 * h) {
                deny++;
            } else if (beside) {
                confirm++;
            }
        }
        return confirm > 0 && confirm >= deny;
    }

    private static double rowHeight(List<LineBox> row) {
        return median(row.stream().mapToDouble(LineBox::height).toArray());
    }

    /**
     * Runs of at least three consecutive visual lines cut into segments at the same places, with short segments
     * or more than two of them (unlike two columns of text), become tables; their segments leave the rows.
     */
    private static void findTables(List<List<Segment>> rows, double h, List<Block> tables) {
        int i = 0;
        while (i < rows.size()) {
            int j = i;
            List<double[]> gutters = null;
            while (j < rows.size() && rows.get(j).size() >= 2) {
                if (j > i && rows.get(j).get(0).y0 - bottom(rows.get(j - 1)) > 1.5 * h) {
                    break;
                }
                List<double[]> common = intersect(gutters, gaps(rows.get(j)));
                if (common.isEmpty()) {
                    break;
                }
                gutters = common;
                j++;
            }
            if (j - i >= 3 && tableLike(rows.subList(i, j), h)) {
                Block table = new Block(Region.Kind.TABLE);
                for (int k = i; k < j; k++) {
                    table.rows.add(new ArrayList<>(rows.get(k)));
                    rows.get(k).forEach(table::include);
                    rows.get(k).clear();
                }
                tables.add(table);
                i = j;
            } else {
                i++;
            }
        }
    }

    private static boolean tableLike(List<List<Segment>> rows, double h) {
        // Columns of text are wide; table cells are short.
        double[] widths = rows.stream().flatMap(List::stream).mapToDouble(s -> s.x1 - s.x0).toArray();
        return median(widths) < 8 * h;
    }

    private static double bottom(List<Segment> row) {
        return row.stream().mapToDouble(s -> s.y1).max().orElse(0);
    }

    private static List<double[]> gaps(List<Segment> row) {
        List<double[]> out = new ArrayList<>();
        for (int k = 0; k + 1 < row.size(); k++) {
            out.add(new double[] {row.get(k).x1, row.get(k + 1).x0});
        }
        return out;
    }

    private static List<double[]> intersect(List<double[]> a, List<double[]> b) {
        if (a == null) {
            return b;
        }
        List<double[]> out = new ArrayList<>();
        for (double[] x : a) {
            for (double[] y : b) {
                double lo = Math.max(x[0], y[0]);
                double hi = Math.min(x[1], y[1]);
                if (hi > lo) {
                    out.add(new double[] {lo, hi});
                }
            }
        }
        return out;
    }

    /** Segments, top to bottom, joined into blocks: each joins the nearest block it continues, or starts one. */
    private static List<Block> grow(List<Segment> segments) {
        List<Segment> sorted = new ArrayList<>(segments);
        sorted.sort(Comparator.comparingDouble((Segment s) -> s.y0).thenComparingDouble(s -> s.x0));
        List<Block> blocks = new ArrayList<>();
        for (Segment s : sorted) {
            Block best = null;
            double bestGap = Double.MAX_VALUE;
            for (Block b : blocks) {
                double gap = b.continuedBy(s);
                if (gap < bestGap) {
                    bestGap = gap;
                    best = b;
                }
            }
            if (best == null) {
                best = new Block(null);
                blocks.add(best);
            }
            best.append(s);
        }
        return blocks;
    }

    /**
     * The small blocks above (or below) the first empty band of at least BAND_GAP line heights (one for a page number)
     * from the top (or bottom) of the text, when that band holds no more than two lines per block and no large type.
     */
    private static List<Block> band(List<Block> blocks, double h, boolean top) {
        if (blocks.size() < 2) {
            return new ArrayList<>();
        }
        List<Block> sorted = new ArrayList<>(blocks);
        sorted.sort(Comparator.comparingDouble(b -> top ? b.y0 : -b.y1));
        List<Block> band = new ArrayList<>();
        double edge = top ? sorted.get(0).y1 : sorted.get(0).y0;
        band.add(sorted.get(0));
        for (int k = 1; k < sorted.size(); k++) {
            Block b = sorted.get(k);
            double gap = top ? b.y0 - edge : edge - b.y1;
            boolean numbers = band.stream().allMatch(m -> PAGE_NUMBER.matcher(m.text()).matches());
            if (gap >= (numbers ? 1.0 : BAND_GAP) * h) {
                for (Block member : band) {
                    if (member.lines.size() > 2 || member.lineHeight() > 1.3 * h || member.kind == Region.Kind.TABLE) {
                        return new ArrayList<>();
                    }
                }
                for (Block member : band) {
                    member.kind = PAGE_NUMBER.matcher(member.text()).matches() ? Region.Kind.PAGE_NUMBER
                            : top ? Region.Kind.HEADER : Region.Kind.FOOTER;
                }
                return band;
            }
            band.add(b);
            edge = top ? Math.max(edge, b.y1) : Math.min(edge, b.y0);
            if (band.size() > 3) {
                break;
            }
        }
        return new ArrayList<>();
    }

    private static Region.Kind kind(Block b, List<Block> body, double h) {
        String first = b.lines.get(0).text();
        if (CAPTION.matcher(first).matches()) {
            return Region.Kind.CAPTION;
        }
        if (b.lines.size() <= 3 && b.lineHeight() >= 1.3 * h) {
            return Region.Kind.HEADING;
        }
        if (b.lineHeight() <= 0.85 * h && FOOTNOTE.matcher(first).matches()) {
            boolean lowest = body.stream().noneMatch(o -> o != b && o.y0 > b.y1 && o.x0 < b.x1 && o.x1 > b.x0);
            if (lowest) {
                return Region.Kind.FOOTNOTE;
            }
        }
        return Region.Kind.PARAGRAPH;
    }

    /** Breuel's partial order, sorted topologically; among blocks free to go next the highest goes first. */
    static List<Block> order(List<Block> blocks, double h) {
        int n = blocks.size();
        boolean[][] before = new boolean[n][n];
        int[] incoming = new int[n];
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                if (a != b && precedes(blocks.get(a), blocks.get(b), blocks, h)) {
                    before[a][b] = true;
                }
            }
        }
        // A cycle (overlapping blocks) is broken by position: keep only the edge from the higher block.
        for (int a = 0; a < n; a++) {
            for (int b = a + 1; b < n; b++) {
                if (before[a][b] && before[b][a]) {
                    boolean aFirst = blocks.get(a).y0 <= blocks.get(b).y0;
                    before[a][b] = aFirst;
                    before[b][a] = !aFirst;
                }
            }
        }
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                if (before[a][b]) {
                    incoming[b]++;
                }
            }
        }
        List<Block> out = new ArrayList<>(n);
        boolean[] done = new boolean[n];
        for (int step = 0; step < n; step++) {
            int pick = -1;
            for (int k = 0; k < n; k++) {
                if (!done[k] && incoming[k] == 0 && (pick < 0 || earlier(blocks.get(k), blocks.get(pick)))) {
                    pick = k;
                }
            }
            if (pick < 0) {
                // A longer cycle: take the highest remaining block.
                for (int k = 0; k < n; k++) {
                    if (!done[k] && (pick < 0 || earlier(blocks.get(k), blocks.get(pick)))) {
                        pick = k;
                    }
                }
            }
            done[pick] = true;
            out.add(blocks.get(pick));
            for (int b = 0; b < n; b++) {
                if (before[pick][b]) {
                    incoming[b]--;
                }
            }
        }
        return out;
    }

    private static boolean earlier(Block a, Block b) {
        return a.y0 < b.y0 || (a.y0 == b.y0 && a.x0 < b.x0);
    }

    private static boolean precedes(Block a, Block b, List<Block> all, double h) {
        double tolerance = 0.25 * h;
        boolean xOverlap = Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0) > tolerance;
        if (xOverlap) {
            return a.centerY() < b.centerY() && a.y1 <= b.y0 + Math.max(tolerance, 0.5 * Math.min(a.height(), b.height()));
        }
        if (a.x1 > b.x0 + tolerance) {
            return false;
        }
        double top = Math.min(a.y1, b.y1);
        double bottom = Math.max(a.y0, b.y0);
        for (Block c : all) {
            if (c == a || c == b) {
                continue;
            }
            boolean between = c.y0 >= top - tolerance && c.y1 <= bottom + tolerance;
            boolean spans = c.x0 < a.x1 && c.x1 > a.x0 && c.x0 < b.x1 && c.x1 > b.x0;
            if (between && spans) {
                return false;
            }
        }
        return true;
    }

    static double median(double[] values) {
        if (values.length == 0) {
            return 0;
        }
        double[] v = values.clone();
        Arrays.sort(v);
        return v[v.length / 2];
    }

    /** Pieces of one visual line close enough to be read as one run of text. */
    static final class Segment {
        final List<LineBox> pieces = new ArrayList<>();
        double x0 = Double.MAX_VALUE;
        double y0 = Double.MAX_VALUE;
        double x1 = -Double.MAX_VALUE;
        double y1 = -Double.MAX_VALUE;

        Segment(LineBox first) {
            add(first);
        }

        void add(LineBox p) {
            pieces.add(p);
            x0 = Math.min(x0, p.x0());
            y0 = Math.min(y0, p.y0());
            x1 = Math.max(x1, p.x1());
            y1 = Math.max(y1, p.y1());
        }

        double height() {
            return median(pieces.stream().mapToDouble(LineBox::height).toArray());
        }

        String text() {
            return String.join(" ", pieces.stream().map(LineBox::text).toList()).strip();
        }

        List<Integer> ids() {
            return pieces.stream().map(LineBox::id).toList();
        }
    }

    /** Lines read as one unit. */
    static final class Block {
        Region.Kind kind;
        final List<Segment> lines = new ArrayList<>();
        // A table's rows of cells; empty for other blocks.
        final List<List<Segment>> rows = new ArrayList<>();
        double x0 = Double.MAX_VALUE;
        double y0 = Double.MAX_VALUE;
        double x1 = -Double.MAX_VALUE;
        double y1 = -Double.MAX_VALUE;
        private double gaps;

        Block(Region.Kind kind) {
            this.kind = kind;
        }

        void include(Segment s) {
            lines.add(s);
            x0 = Math.min(x0, s.x0);
            y0 = Math.min(y0, s.y0);
            x1 = Math.max(x1, s.x1);
            y1 = Math.max(y1, s.y1);
        }

        void append(Segment s) {
            if (!lines.isEmpty()) {
                gaps += s.y0 - lines.get(lines.size() - 1).y1;
            }
            include(s);
        }

        double height() {
            return y1 - y0;
        }

        double centerY() {
            return (y0 + y1) / 2;
        }

        double lineHeight() {
            return median(lines.stream().mapToDouble(Segment::height).toArray());
        }

        String text() {
            return String.join(" ", lines.stream().map(Segment::text).toList());
        }

        /**
         * How far below this block's last line s starts when s continues the block (same column, similar type,
         * no wider gap than the block's own line spacing allows); MAX_VALUE when it does not.
         */
        double continuedBy(Segment s) {
            if (kind != null) {
                return Double.MAX_VALUE;
            }
            Segment last = lines.get(lines.size() - 1);
            double hb = lineHeight();
            double hs = s.height();
            if (Math.max(hb, hs) > 1.35 * Math.min(hb, hs)) {
                return Double.MAX_VALUE;
            }
            double gap = s.y0 - last.y1;
            double h = Math.min(hb, hs);
            double limit = lines.size() >= 2 ? gaps / (lines.size() - 1) + 0.5 * h : 0.9 * h;
            if (gap < -0.5 * h || gap > Math.min(limit, 1.5 * h)) {
                return Double.MAX_VALUE;
            }
            double overlap = Math.min(x1, s.x1) - Math.max(x0, s.x0);
            if (overlap < 0.5 * Math.min(x1 - x0, s.x1 - s.x0)) {
                return Double.MAX_VALUE;
            }
            // A line reaching well past the block on either side spans other columns (a headline, a footnote).
            boolean aligned = s.x0 >= x0 - 2 * h && s.x1 <= x1 + 2 * h;
            boolean centred = Math.abs((s.x0 + s.x1) / 2 - (x0 + x1) / 2) < 1.5 * h;
            if (!aligned && !centred) {
                return Double.MAX_VALUE;
            }
            return Math.max(0, gap);
        }

        Region region() {
            List<List<Integer>> out = new ArrayList<>();
            if (kind == Region.Kind.TABLE) {
                rows.forEach(row -> row.forEach(cell -> out.add(cell.ids())));
            } else {
                lines.forEach(s -> out.add(s.ids()));
            }
            return new Region(kind, out);
        }
    }
}
