package com.gnosis.hub.ocr;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A page's text in reading order: its lines, the layout blocks that group them, and what the reader could not fix.
 *
 * @param lines    all lines in reading order
 * @param blocks   the blocks in reading order, each naming its lines by index into {@code lines}
 * @param warnings for the user, e.g. ink on the page that no line accounts for
 */
public record PageText(List<TextLine> lines, List<Block> blocks, List<String> warnings) {

    public PageText {
        lines = List.copyOf(lines);
        blocks = List.copyOf(blocks);
        warnings = List.copyOf(warnings);
    }

    public static PageText empty() {
        return new PageText(List.of(), List.of(), List.of());
    }

    /** The same page with more warnings. */
    public PageText withWarnings(List<String> more) {
        List<String> all = new ArrayList<>(warnings);
        all.addAll(more);
        return new PageText(lines, blocks, all);
    }

    /** Lines joined by newlines, a blank line between blocks; a table's cells of one row share a line. */
    public String text() {
        return blocks.stream()
                .map(b -> rows(b).stream().map(row -> join(row, " ")).collect(Collectors.joining("\n")))
                .collect(Collectors.joining("\n\n"));
    }

    /** Markdown: headings as {@code #}, tables as pipe tables, other blocks as one paragraph each. */
    public String markdown() {
        List<String> out = new ArrayList<>();
        for (Block b : blocks) {
            List<List<TextLine>> rows = rows(b);
            switch (b.kind()) {
                case HEADING -> out.add("# " + join(rows.stream().flatMap(List::stream).toList(), " "));
                case TABLE -> out.add(table(rows));
                default -> out.add(rows.stream().flatMap(List::stream).map(l -> escape(l.text()))
                        .collect(Collectors.joining(" ")));
            }
        }
        return String.join("\n\n", out);
    }

    /** A block's lines; a table's cells grouped into rows (cells that overlap vertically). */
    private List<List<TextLine>> rows(Block b) {
        List<List<TextLine>> rows = new ArrayList<>();
        for (int index : b.lines()) {
            TextLine line = lines.get(index);
            List<TextLine> last = rows.isEmpty() ? null : rows.get(rows.size() - 1);
            if (b.kind() == Block.Kind.TABLE && last != null && overlaps(last.get(0), line)) {
                last.add(line);
            } else {
                rows.add(new ArrayList<>(List.of(line)));
            }
        }
        return rows;
    }

    private static boolean overlaps(TextLine a, TextLine b) {
        double overlap = Math.min(a.maxY(), b.maxY()) - Math.max(a.minY(), b.minY());
        return overlap > 0.5 * Math.min(a.maxY() - a.minY(), b.maxY() - b.minY());
    }

    private static String table(List<List<TextLine>> rows) {
        int columns = rows.stream().mapToInt(List::size).max().orElse(1);
        List<String> out = new ArrayList<>();
        for (int r = 0; r < rows.size(); r++) {
            List<String> cells = new ArrayList<>(rows.get(r).stream().map(l -> l.text().replace("|", "\\|")).toList());
            while (cells.size() < columns) {
                cells.add("");
            }
            out.add("| " + String.join(" | ", cells) + " |");
            if (r == 0) {
                out.add("|" + " --- |".repeat(columns));
            }
        }
        return String.join("\n", out);
    }

    private static String join(List<TextLine> lines, String separator) {
        return lines.stream().map(TextLine::text).collect(Collectors.joining(separator));
    }

    // A line starting with #, -, + or "1." would otherwise turn into a heading or a list item.
    private static String escape(String line) {
        if (line.matches("^(#{1,6}\\s|[-+*]\\s|\\d+[.)]\\s|>|\\|).*")) {
            return "\\" + line;
        }
        return line;
    }
}
