package com.gnosis.hub.ocr.format;

import com.gnosis.hub.ocr.Block;
import com.gnosis.hub.ocr.TextLine;
import com.gnosis.hub.ocr.Word;
import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.Locale;

/**
 * hOCR 1.2 (XHTML): a page is an {@code ocr_page}, each layout block an {@code ocr_carea} holding one {@code ocr_par},
 * each line an {@code ocr_line} (a heading's {@code ocr_header}, a caption's {@code ocr_caption}, as tesseract writes
 * them) and each word an {@code ocrx_word} with its {@code bbox} and {@code x_wconf}. Coordinates are page pixels.
 */
public final class HocrWriter {

    static final String CAPABILITIES = "ocr_page ocr_carea ocr_par ocr_line ocr_header ocr_caption ocrx_word ocrp_wconf";

    private final String system;

    /** @param system the {@code ocr-system} named in the metadata, e.g. "gnosis-ocr-hub 0.1.0" */
    public HocrWriter(String system) {
        this.system = system;
    }

    public void write(String title, Pages pages, Writer out) throws IOException {
        out.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\" "
                + "\"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd\">\n"
                + "<html xmlns=\"http://www.w3.org/1999/xhtml\" xml:lang=\"en\" lang=\"en\">\n <head>\n");
        out.write("  <title>" + Xml.escape(title) + "</title>\n");
        out.write("  <meta http-equiv=\"Content-Type\" content=\"text/html;charset=utf-8\"/>\n");
        out.write("  <meta name=\"ocr-system\" content=\"" + Xml.escape(system) + "\"/>\n");
        out.write("  <meta name=\"ocr-capabilities\" content=\"" + CAPABILITIES + "\"/>\n");
        out.write("  <meta name=\"ocr-number-of-pages\" content=\"" + pages.count() + "\"/>\n </head>\n <body>\n");
        for (int n = 1; n <= pages.count(); n++) {
            page(pages.page(n), out);
        }
        out.write(" </body>\n</html>\n");
        out.flush();
    }

    private static void page(PageModel page, Writer out) throws IOException {
        int p = page.pageNumber();
        int w = page.width();
        int h = page.height();
        StringBuilder s = new StringBuilder(4096);
        s.append("  <div class=\"ocr_page\" id=\"page_").append(p).append("\" title=\"image &quot;")
                .append(String.format(Locale.ROOT, "page_%03d.png", p)).append("&quot;; bbox 0 0 ").append(w).append(' ')
                .append(h).append("; ppageno ").append(p - 1).append("\">\n");
        int blockNo = 0;
        int lineNo = 0;
        int wordNo = 0;
        for (Block block : page.layout()) {
            blockNo++;
            String box = bbox(page.bounds(block.lines()), w, h);
            s.append("   <div class=\"ocr_carea\" id=\"block_").append(p).append('_').append(blockNo)
                    .append("\" title=\"").append(box).append("\">\n");
            s.append("    <p class=\"ocr_par\" id=\"par_").append(p).append('_').append(blockNo)
                    .append("\" title=\"").append(box).append("\">\n");
            for (int index : block.lines()) {
                TextLine line = page.lines().get(index);
                List<Word> words = PageModel.words(line);
                if (words.isEmpty()) continue;
                lineNo++;
                float[] lb = {line.minX(), line.minY(), line.maxX(), line.maxY()};
                s.append("     <span class=\"").append(lineClass(block.kind())).append("\" id=\"line_").append(p)
                        .append('_').append(lineNo).append("\" title=\"").append(bbox(lb, w, h))
                        .append(String.format(Locale.ROOT, "; x_size %.1f", height(line)));
                double angle = angle(line);
                if (Math.abs(angle) >= 0.5) s.append(String.format(Locale.ROOT, "; textangle %.1f", angle));
                s.append("\">");
                for (int k = 0; k < words.size(); k++) {
                    Word word = words.get(k);
                    wordNo++;
                    if (k > 0) s.append(' ');
                    s.append("<span class=\"ocrx_word\" id=\"word_").append(p).append('_').append(wordNo)
                            .append("\" title=\"").append(bbox(word.box(), w, h)).append("; x_wconf ")
                            .append(confidence(word.confidence())).append("\">").append(Xml.escape(word.text()))
                            .append("</span>");
                }
                s.append("</span>\n");
            }
            s.append("    </p>\n   </div>\n");
        }
        s.append("  </div>\n");
        out.write(s.toString());
    }

    private static String lineClass(Block.Kind kind) {
        return switch (kind) {
            case HEADING -> "ocr_header";
            case CAPTION -> "ocr_caption";
            default -> "ocr_line";
        };
    }

    private static String bbox(float[] box, int w, int h) {
        int[] b = Xml.pixels(box, w, h);
        return "bbox " + b[0] + ' ' + b[1] + ' ' + b[2] + ' ' + b[3];
    }

    /** x_wconf: a whole percentage, 0 to 100. */
    static int confidence(double c) {
        return (int) Math.round(Math.max(0, Math.min(1, c)) * 100);
    }

    /** The line's height: from its top edge to its bottom edge. */
    static double height(TextLine line) {
        float[][] p = line.polygon();
        return Math.hypot(p[3][0] - p[0][0], p[3][1] - p[0][1]);
    }

    /** The line's direction in degrees, counter-clockwise (hOCR's textangle). */
    static double angle(TextLine line) {
        float[][] p = line.polygon();
        return Math.toDegrees(Math.atan2(-(p[1][1] - p[0][1]), p[1][0] - p[0][0]));
    }
}
