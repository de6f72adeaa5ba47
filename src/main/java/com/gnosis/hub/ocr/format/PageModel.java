package com.gnosis.hub.ocr.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.gnosis.hub.ocr.Block;
import com.gnosis.hub.ocr.PageResult;
import com.gnosis.hub.ocr.TextLine;
import com.gnosis.hub.ocr.Word;
import com.gnosis.hub.session.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One page as every output format sees it: the stored page_NNN.json (or a page just read), with the gaps of older
 * data filled in. Lines without words get words split along the line by character count ({@link #words}); a page
 * without layout blocks gets one block of all its lines, and lines no block names get a block each ({@link #blocks}),
 * so no format drops text the page has.
 *
 * @param pageNumber 1-based
 * @param width      page width in pixels (the unit of every coordinate below)
 * @param height     page height in pixels
 * @param source     where the page's text came from
 * @param lines      the lines in reading order
 * @param blocks     the layout's blocks as stored (possibly empty)
 */
public record PageModel(int pageNumber, int width, int height, TextLine.Source source, double confidence,
                        List<TextLine> lines, List<Block> blocks) {

    public PageModel {
        lines = List.copyOf(lines);
        blocks = List.copyOf(blocks);
    }

    /** A page just read (the command line renders without storage). */
    public static PageModel of(PageResult page) {
        return new PageModel(page.pageNumber(), page.width(), page.height(), page.source(), page.confidence(),
                page.lines(), page.blocks());
    }

    /** Reads a stored page_NNN.json; fields older sessions lack are left empty. */
    public static PageModel parse(byte[] json, int pageNumber) throws IOException {
        JsonNode root = Json.MAPPER.readTree(json);
        List<TextLine> lines = new ArrayList<>();
        for (JsonNode l : root.path("lines")) {
            float[][] polygon = polygon(l.path("polygon"));
            String text = l.path("text").asText("");
            if (polygon == null || text.isBlank()) continue;
            List<Word> words = new ArrayList<>();
            for (JsonNode w : l.path("words")) {
                float[] box = box(w.path("box"));
                String wordText = w.path("text").asText("");
                if (box != null && !wordText.isBlank()) {
                    words.add(new Word(wordText, box, w.path("confidence").asDouble(l.path("confidence").asDouble(1))));
                }
            }
            lines.add(new TextLine(text, l.path("confidence").asDouble(1), polygon, source(l.path("source").asText()),
                    words));
        }
        List<Block> blocks = new ArrayList<>();
        for (JsonNode b : root.path("blocks")) {
            List<Integer> indexes = new ArrayList<>();
            for (JsonNode i : b.path("lines")) {
                if (i.canConvertToInt() && i.asInt() >= 0 && i.asInt() < lines.size()) indexes.add(i.asInt());
            }
            float[] box = box(b.path("box"));
            if (!indexes.isEmpty()) blocks.add(new Block(kind(b.path("kind").asText()), box, indexes));
        }
        // old sessions: blocks that name lines dropped above (blank text) would point at the wrong lines
        if (blocks.stream().mapToInt(b -> b.lines().size()).sum() > lines.size()) blocks.clear();
        return new PageModel(root.path("page_number").asInt(pageNumber), root.path("width").asInt(),
                root.path("height").asInt(), source(root.path("source").asText()), root.path("confidence").asDouble(),
                lines, blocks);
    }

    /** The line's words: as stored, or split along the line by character count where none are stored. */
    public static List<Word> words(TextLine line) {
        return line.words().isEmpty() ? WordSplit.split(line) : line.words();
    }

    /**
     * The blocks in reading order, each with at least one line: the stored ones, then a block for every line that no
     * stored block names; one block of all lines where nothing is stored.
     */
    public List<Block> layout() {
        List<Block> out = new ArrayList<>();
        boolean[] placed = new boolean[lines.size()];
        for (Block b : blocks) {
            List<Integer> mine = b.lines().stream().filter(i -> !placed[i]).toList();
            if (mine.isEmpty()) continue;
            mine.forEach(i -> placed[i] = true);
            out.add(new Block(b.kind(), b.box() != null ? b.box() : bounds(mine), mine));
        }
        if (out.isEmpty() && !lines.isEmpty()) {
            List<Integer> all = new ArrayList<>();
            for (int i = 0; i < lines.size(); i++) all.add(i);
            return List.of(new Block(Block.Kind.PARAGRAPH, bounds(all), all));
        }
        for (int i = 0; i < lines.size(); i++) {
            if (!placed[i]) out.add(new Block(Block.Kind.PARAGRAPH, bounds(List.of(i)), List.of(i)));
        }
        return out;
    }

    /** {x0, y0, x1, y1} around the given lines. */
    public float[] bounds(List<Integer> lineIndexes) {
        float x0 = Float.MAX_VALUE, y0 = Float.MAX_VALUE, x1 = -Float.MAX_VALUE, y1 = -Float.MAX_VALUE;
        for (int i : lineIndexes) {
            TextLine l = lines.get(i);
            x0 = Math.min(x0, l.minX());
            y0 = Math.min(y0, l.minY());
            x1 = Math.max(x1, l.maxX());
            y1 = Math.max(y1, l.maxY());
        }
        return new float[] {x0, y0, x1, y1};
    }

    private static float[][] polygon(JsonNode node) {
        if (!node.isArray() || node.size() != 4) return null;
        float[][] p = new float[4][];
        for (int i = 0; i < 4; i++) {
            JsonNode point = node.get(i);
            if (!point.isArray() || point.size() < 2) return null;
            p[i] = new float[] {(float) point.get(0).asDouble(), (float) point.get(1).asDouble()};
        }
        return p;
    }

    /** A box as [x0, y0, x1, y1] or as {x0, y0, x1, y1}. */
    private static float[] box(JsonNode node) {
        if (node.isArray() && node.size() == 4) {
            return new float[] {(float) node.get(0).asDouble(), (float) node.get(1).asDouble(),
                    (float) node.get(2).asDouble(), (float) node.get(3).asDouble()};
        }
        if (node.isObject() && node.has("x0") && node.has("y1")) {
            return new float[] {(float) node.get("x0").asDouble(), (float) node.get("y0").asDouble(),
                    (float) node.get("x1").asDouble(), (float) node.get("y1").asDouble()};
        }
        return null;
    }

    private static TextLine.Source source(String value) {
        return "text-layer".equals(value) ? TextLine.Source.TEXT_LAYER : TextLine.Source.OCR;
    }

    private static Block.Kind kind(String value) {
        try {
            return Block.Kind.valueOf(value.replace('-', '_').toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return Block.Kind.PARAGRAPH;
        }
    }
}
