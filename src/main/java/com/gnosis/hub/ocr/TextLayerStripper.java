package com.gnosis.hub.ocr;

import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.pdfbox.text.TextPosition;

/**
 * PDFBox's position-sorted text of one page, plus each line's box and each word's box in page pixels. A word's box is
 * the extent of its own glyphs (PDFBox calls {@link #writeString} once per word), so the searchable PDF, hOCR and ALTO
 * place a born-digital page's words where they are printed.
 */
final class TextLayerStripper extends PDFTextStripper {

    private final float scale;
    private final List<TextLine> lines = new ArrayList<>();
    private final StringBuilder lineText = new StringBuilder();
    private final List<Word> lineWords = new ArrayList<>();
    private float x0 = Float.MAX_VALUE, y0 = Float.MAX_VALUE, x1 = -Float.MAX_VALUE, y1 = -Float.MAX_VALUE;

    private TextLayerStripper(float scale) {
        this.scale = scale;
        setSortByPosition(true);
    }

    static Document.TextLayer strip(PDDocument pdf, int pageIndex, float scale) throws IOException {
        TextLayerStripper stripper = new TextLayerStripper(scale);
        stripper.setStartPage(pageIndex + 1);
        stripper.setEndPage(pageIndex + 1);
        StringWriter out = new StringWriter();
        stripper.writeText(pdf, out);
        stripper.endLine();
        return new Document.TextLayer(out.toString().strip(), List.copyOf(stripper.lines), null);
    }

    @Override
    protected void writeString(String text, List<TextPosition> positions) throws IOException {
        super.writeString(text, positions);
        lineText.append(text);
        // PDFBox's "word" keeps the PDF's own space glyphs: words are split again at them
        StringBuilder word = new StringBuilder();
        float[] box = null;
        for (TextPosition p : positions) {
            String unicode = p.getUnicode();
            if (unicode == null || unicode.isBlank()) {
                addWord(word, box);
                box = null;
                continue;
            }
            float px0 = p.getXDirAdj();
            float px1 = p.getXDirAdj() + p.getWidthDirAdj();
            float py0 = p.getYDirAdj() - p.getHeightDir();
            float py1 = p.getYDirAdj();
            x0 = Math.min(x0, px0);
            x1 = Math.max(x1, px1);
            y0 = Math.min(y0, py0);
            y1 = Math.max(y1, py1);
            if (box == null) {
                box = new float[] {px0, py0, px1, py1};
            } else {
                box[0] = Math.min(box[0], px0);
                box[1] = Math.min(box[1], py0);
                box[2] = Math.max(box[2], px1);
                box[3] = Math.max(box[3], py1);
            }
            word.append(unicode);
        }
        addWord(word, box);
    }

    private void addWord(StringBuilder word, float[] box) {
        String text = word.toString().strip();
        word.setLength(0);
        if (text.isEmpty() || box == null || box[2] < box[0]) return;
        lineWords.add(new Word(text, new float[] {box[0] * scale, box[1] * scale, box[2] * scale, box[3] * scale}, 1.0));
    }

    @Override
    protected void writeWordSeparator() throws IOException {
        super.writeWordSeparator();
        lineText.append(getWordSeparator());
    }

    @Override
    protected void writeLineSeparator() throws IOException {
        super.writeLineSeparator();
        endLine();
    }

    private void endLine() {
        String text = lineText.toString().strip();
        if (!text.isEmpty() && x1 >= x0) {
            float[][] box = {{x0 * scale, y0 * scale}, {x1 * scale, y0 * scale}, {x1 * scale, y1 * scale}, {x0 * scale, y1 * scale}};
            lines.add(new TextLine(text, 1.0, box, TextLine.Source.TEXT_LAYER, lineWords));
        }
        lineText.setLength(0);
        lineWords.clear();
        x0 = y0 = Float.MAX_VALUE;
        x1 = y1 = -Float.MAX_VALUE;
    }
}
