package com.gnosis.hub.ocr;

import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.pdfbox.text.TextPosition;

/** PDFBox's position-sorted text of one page, plus each line's box in page pixels. */
final class TextLayerStripper extends PDFTextStripper {

    private final float scale;
    private final List<TextLine> lines = new ArrayList<>();
    private final StringBuilder lineText = new StringBuilder();
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
        return new Document.TextLayer(out.toString().strip(), List.copyOf(stripper.lines));
    }

    @Override
    protected void writeString(String text, List<TextPosition> positions) throws IOException {
        super.writeString(text, positions);
        lineText.append(text);
        for (TextPosition p : positions) {
            x0 = Math.min(x0, p.getXDirAdj());
            x1 = Math.max(x1, p.getXDirAdj() + p.getWidthDirAdj());
            y0 = Math.min(y0, p.getYDirAdj() - p.getHeightDir());
            y1 = Math.max(y1, p.getYDirAdj());
        }
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
            lines.add(TextLine.box(text, 1.0, x0 * scale, y0 * scale, x1 * scale, y1 * scale, TextLine.Source.TEXT_LAYER));
        }
        lineText.setLength(0);
        x0 = y0 = Float.MAX_VALUE;
        x1 = y1 = -Float.MAX_VALUE;
    }
}
