package com.gnosis.hub.ocr;

import com.gnosis.hub.ocr.layout.LineBox;
import com.gnosis.hub.ocr.layout.PageLayout;
import com.gnosis.hub.ocr.layout.Region;

import java.util.ArrayList;
import java.util.List;

/**
 * Puts OCR lines in reading order, in layout blocks ({@link PageLayout}), in a frame turned by the page's skew so
 * that tilted scans group as cleanly as straight ones. Pieces of one visual line become one line.
 */
public final class ReadingOrder {

    private ReadingOrder() {
    }

    public static PageText arrange(List<TextLine> found) {
        List<TextLine> lines = found.stream().filter(l -> !l.text().isBlank()).toList();
        if (lines.isEmpty()) {
            return PageText.empty();
        }
        double angle = skew(lines);
        double cos = Math.cos(-angle);
        double sin = Math.sin(-angle);
        List<LineBox> boxes = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            double ax = Double.MAX_VALUE;
            double ay = Double.MAX_VALUE;
            double bx = -Double.MAX_VALUE;
            double by = -Double.MAX_VALUE;
            for (float[] p : lines.get(i).polygon()) {
                double x = p[0] * cos - p[1] * sin;
                double y = p[0] * sin + p[1] * cos;
                ax = Math.min(ax, x);
                ay = Math.min(ay, y);
                bx = Math.max(bx, x);
                by = Math.max(by, y);
            }
            boxes.add(new LineBox(i, ax, ay, bx, by, lines.get(i).text()));
        }
        List<TextLine> ordered = new ArrayList<>();
        List<Block> blocks = new ArrayList<>();
        for (Region region : PageLayout.analyse(boxes)) {
            List<Integer> members = new ArrayList<>();
            for (List<Integer> pieces : region.lines()) {
                TextLine line = lines.get(pieces.get(0));
                for (int k = 1; k < pieces.size(); k++) {
                    line = join(line, lines.get(pieces.get(k)));
                }
                members.add(ordered.size());
                ordered.add(line);
            }
            blocks.add(new Block(Block.Kind.valueOf(region.kind().name()), box(ordered, members), members));
        }
        return new PageText(ordered, blocks, List.of());
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

    /** A piece followed on its right by another: one line, confidence weighted by text length, words kept. */
    private static TextLine join(TextLine left, TextLine right) {
        String a = left.text();
        String b = right.text();
        double confidence = (left.confidence() * a.length() + right.confidence() * b.length()) / (a.length() + b.length());
        float[][] p = left.polygon();
        float[][] q = right.polygon();
        float[][] polygon = {p[0].clone(), q[1].clone(), q[2].clone(), p[3].clone()};
        List<Word> words = new ArrayList<>(left.words());
        words.addAll(right.words());
        return new TextLine(a + " " + b, confidence, polygon, left.source(), words);
    }

    private static float[] box(List<TextLine> lines, List<Integer> members) {
        float[] box = {Float.MAX_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE, -Float.MAX_VALUE};
        for (int i : members) {
            TextLine l = lines.get(i);
            box[0] = Math.min(box[0], l.minX());
            box[1] = Math.min(box[1], l.minY());
            box[2] = Math.max(box[2], l.maxX());
            box[3] = Math.max(box[3], l.maxY());
        }
        return box;
    }

    private static double width(float[][] p) {
        return Math.hypot(p[1][0] - p[0][0], p[1][1] - p[0][1]);
    }

    private static double height(float[][] p) {
        return Math.hypot(p[3][0] - p[0][0], p[3][1] - p[0][1]);
    }
}
