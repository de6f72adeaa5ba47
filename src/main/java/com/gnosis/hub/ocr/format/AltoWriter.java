package com.gnosis.hub.ocr.format;

import com.gnosis.hub.ocr.Block;
import com.gnosis.hub.ocr.TextLine;
import com.gnosis.hub.ocr.Word;
import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.Locale;

/**
 * ALTO 4.4 in pixels: Page, PrintSpace, a TextBlock per layout block (its kind as a StructureTag), a TextLine per line
 * and a String per word with HPOS VPOS WIDTH HEIGHT and WC, an SP for the gap between two words.
 */
public final class AltoWriter {

    private static final String NAMESPACE = "http://www.loc.gov/standards/alto/ns-v4#";

    private final String software;
    private final String version;

    public AltoWriter(String software, String version) {
        this.software = software;
        this.version = version;
    }

    public void write(String fileName, Pages pages, Writer out) throws IOException {
        out.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<alto xmlns=\"" + NAMESPACE + "\" "
                + "xmlns:xlink=\"http://www.w3.org/1999/xlink\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
                + "xsi:schemaLocation=\"" + NAMESPACE + " http://www.loc.gov/alto/v4/alto-4-4.xsd\" SCHEMAVERSION=\"4.4\">\n");
        out.write("  <Description>\n    <MeasurementUnit>pixel</MeasurementUnit>\n    <sourceImageInformation>\n"
                + "      <fileName>" + Xml.escape(fileName) + "</fileName>\n    </sourceImageInformation>\n"
                + "    <Processing ID=\"OCR_0\">\n      <processingSoftware>\n"
                + "        <softwareName>" + Xml.escape(software) + "</softwareName>\n"
                + "        <softwareVersion>" + Xml.escape(version) + "</softwareVersion>\n"
                + "      </processingSoftware>\n    </Processing>\n  </Description>\n");
        // every kind is declared, so that a TAGREFS never dangles
        out.write("  <Tags>\n");
        for (Block.Kind kind : Block.Kind.values()) {
            out.write("    <StructureTag ID=\"" + tag(kind) + "\" LABEL=\"" + label(kind) + "\"/>\n");
        }
        out.write("  </Tags>\n  <Layout>\n");
        for (int n = 1; n <= pages.count(); n++) {
            page(pages.page(n), out);
        }
        out.write("  </Layout>\n</alto>\n");
        out.flush();
    }

    private static void page(PageModel page, Writer out) throws IOException {
        int p = page.pageNumber();
        int w = page.width();
        int h = page.height();
        StringBuilder s = new StringBuilder(4096);
        s.append("    <Page ID=\"P").append(p).append("\" PHYSICAL_IMG_NR=\"").append(p).append("\" WIDTH=\"").append(w)
                .append("\" HEIGHT=\"").append(h).append("\" PC=\"")
                .append(String.format(Locale.ROOT, "%.3f", clamp01(page.confidence()))).append("\" PROCESSING=\"OCR_0\">\n");
        List<Block> blocks = page.layout();
        float[] space = {0, 0, w, h};
        if (!blocks.isEmpty()) {
            space = page.bounds(blocks.stream().flatMap(b -> b.lines().stream()).toList());
        }
        s.append("      <PrintSpace").append(position(space, w, h)).append(">\n");
        int blockNo = 0;
        int lineNo = 0;
        int wordNo = 0;
        for (Block block : blocks) {
            blockNo++;
            StringBuilder lines = new StringBuilder();
            for (int index : block.lines()) {
                TextLine line = page.lines().get(index);
                List<Word> words = PageModel.words(line);
                if (words.isEmpty()) continue;
                lineNo++;
                float[] lb = {line.minX(), line.minY(), line.maxX(), line.maxY()};
                lines.append("          <TextLine ID=\"P").append(p).append("_L").append(lineNo).append('"')
                        .append(position(lb, w, h)).append(">\n");
                int[] previous = null;
                for (Word word : words) {
                    wordNo++;
                    int[] b = Xml.pixels(word.box(), w, h);
                    if (previous != null) {
                        lines.append("            <SP HPOS=\"").append(previous[2]).append("\" VPOS=\"").append(b[1])
                                .append("\" WIDTH=\"").append(Math.max(0, b[0] - previous[2])).append("\"/>\n");
                    }
                    lines.append("            <String ID=\"P").append(p).append("_W").append(wordNo)
                            .append("\" CONTENT=\"").append(Xml.escape(word.text())).append('"').append(position(b))
                            .append(" WC=\"").append(String.format(Locale.ROOT, "%.3f", clamp01(word.confidence())))
                            .append("\"/>\n");
                    previous = b;
                }
                lines.append("          </TextLine>\n");
            }
            if (lines.length() == 0) continue;
            s.append("        <TextBlock ID=\"P").append(p).append("_B").append(blockNo).append('"')
                    .append(position(block.box(), w, h)).append(" TAGREFS=\"").append(tag(block.kind())).append("\">\n")
                    .append(lines).append("        </TextBlock>\n");
        }
        s.append("      </PrintSpace>\n    </Page>\n");
        out.write(s.toString());
    }

    private static String position(float[] box, int w, int h) {
        return position(Xml.pixels(box, w, h));
    }

    private static String position(int[] b) {
        return " HPOS=\"" + b[0] + "\" VPOS=\"" + b[1] + "\" WIDTH=\"" + (b[2] - b[0]) + "\" HEIGHT=\"" + (b[3] - b[1]) + '"';
    }

    private static String tag(Block.Kind kind) {
        return "TAG_" + kind.name().toLowerCase(Locale.ROOT);
    }

    private static String label(Block.Kind kind) {
        return kind.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static double clamp01(double v) {
        return Math.max(0, Math.min(1, v));
    }
}
