package com.gnosis.hub.ocr.format;

import com.gnosis.hub.ocr.Block;
import com.gnosis.hub.ocr.Document;
import com.gnosis.hub.ocr.DocumentException;
import com.gnosis.hub.ocr.DocumentType;
import com.gnosis.hub.ocr.TextLine;
import com.gnosis.hub.ocr.Word;
import java.awt.geom.AffineTransform;
import java.awt.geom.NoninvertibleTransformException;
import java.awt.geom.Point2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.ImageInputStream;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.io.IOUtils;
import org.apache.pdfbox.io.RandomAccessReadBufferedFile;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.common.PDStream;
import org.apache.pdfbox.pdmodel.graphics.image.CCITTFactory;
import org.apache.pdfbox.pdmodel.graphics.image.JPEGFactory;
import org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The searchable PDF: every page as it came (a PDF page kept whole, with its own content and text; an image as the
 * page), and on every page that was read by OCR an invisible text layer (render mode 3) in the {@link GlyphlessFont},
 * placed word by word. Each word has its own text matrix (rotated with its line, origin on the line's bottom edge,
 * font size the line's height) and a horizontal scaling that fits exactly its box; a real space glyph, scaled to the
 * gap alone, follows every word but the line's last, so copy and paste give spaces without any word's scaling spanning
 * a gap. The layer is wrapped in q/Q after the page's own content, which is itself wrapped in q/Q, so no graphics or
 * text state leaks in either direction, and pixel coordinates are mapped through the page's crop box origin and
 * rotation exactly as the page was rendered for OCR.
 */
public final class SearchablePdf {

    private final float defaultImageDpi;

    /** @param defaultImageDpi the resolution assumed for an image that does not say its own */
    public SearchablePdf(float defaultImageDpi) {
        this.defaultImageDpi = defaultImageDpi;
    }

    /** Writes the searchable PDF of {@code original} (the uploaded document) with the text of {@code pages}. */
    public void write(Path original, Pages pages, OutputStream out) throws IOException, DocumentException {
        DocumentType type = Document.detect(original);
        if (type == DocumentType.PDF) {
            fromPdf(original, pages, out);
        } else {
            fromImages(original, type, pages, out);
        }
    }

    private void fromPdf(Path original, Pages pages, OutputStream out) throws IOException {
        try (PDDocument pdf = Loader.loadPDF(new RandomAccessReadBufferedFile(original.toFile()), "", null, null,
                IOUtils.createTempFileOnlyStreamCache())) {
            if (pdf.isEncrypted()) pdf.setAllSecurityToBeRemoved(true);
            TextFont font = new TextFont();
            int count = Math.min(pages.count(), pdf.getNumberOfPages());
            int n = 0;
            for (PDPage page : pdf.getPages()) {
                if (++n > count) break;
                PageModel model = pages.page(n);
                // a page that had its own text (born digital) stays exactly as it is
                if (model.source() == TextLine.Source.OCR && !model.lines().isEmpty() && model.width() > 0) {
                    addTextLayer(pdf, page, model, pixelsToPage(page, model.width(), model.height()), font, true);
                }
            }
            font.finish(pdf);
            pdf.save(out);
        }
    }

    private void fromImages(Path original, DocumentType type, Pages pages, OutputStream out)
            throws IOException, DocumentException {
        try (Document images = Document.open(original);
             PDDocument pdf = new PDDocument(IOUtils.createTempFileOnlyStreamCache())) {
            TextFont font = new TextFont();
            int count = Math.min(pages.count(), images.pageCount());
            for (int n = 1; n <= count; n++) {
                PageModel model = pages.page(n);
                BufferedImage frame = images.render(n - 1, Math.round(defaultImageDpi));
                float dpi = imageDpi(original, n - 1);
                float w = frame.getWidth() * 72f / dpi;
                float h = frame.getHeight() * 72f / dpi;
                PDPage page = new PDPage(new PDRectangle(w, h));
                pdf.addPage(page);
                PDImageXObject image = image(pdf, original, type, n - 1, images.pageCount(), frame);
                try (PDPageContentStream content = new PDPageContentStream(pdf, page)) {
                    content.drawImage(image, 0, 0, w, h);
                }
                int width = model.width() > 0 ? model.width() : frame.getWidth();
                int height = model.height() > 0 ? model.height() : frame.getHeight();
                if (!model.lines().isEmpty()) {
                    addTextLayer(pdf, page, model, pixelsToPage(page, width, height), font, false);
                }
            }
            font.finish(pdf);
            pdf.save(out);
        }
    }

    /** The image as compact as it came: a JPEG's own bytes, a fax TIFF's own CCITT data, else lossless. */
    private static PDImageXObject image(PDDocument pdf, Path original, DocumentType type, int index, int frames,
                                        BufferedImage frame) throws IOException {
        if (type == DocumentType.JPEG && frames == 1) {
            return JPEGFactory.createFromByteArray(pdf, Files.readAllBytes(original));
        }
        if (type == DocumentType.TIFF) {
            try {
                return CCITTFactory.createFromFile(pdf, original.toFile(), index);
            } catch (IOException | RuntimeException notFax) {
                // not CCITT-compressed: embedded losslessly below
            }
        }
        return LosslessFactory.createFromImage(pdf, frame);
    }

    /** The image's resolution as its metadata gives it, else the default. */
    private float imageDpi(Path file, int index) {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) return defaultImageDpi;
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, false, false);
                IIOMetadata metadata = reader.getImageMetadata(index);
                if (metadata == null || !metadata.isStandardMetadataFormatSupported()) return defaultImageDpi;
                Node tree = metadata.getAsTree("javax_imageio_1.0");
                for (Node n = tree.getFirstChild(); n != null; n = n.getNextSibling()) {
                    if (!n.getNodeName().equals("Dimension")) continue;
                    for (Node d = n.getFirstChild(); d != null; d = d.getNextSibling()) {
                        if (d.getNodeName().equals("HorizontalPixelSize")) {
                            float mmPerPixel = Float.parseFloat(((Element) d).getAttribute("value"));
                            float dpi = 25.4f / mmPerPixel;
                            if (dpi >= 50 && dpi <= 2400) return dpi;
                        }
                    }
                }
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            // no usable metadata
        }
        return defaultImageDpi;
    }

    /**
     * Page pixels (as the page was rendered: crop box, rotation, y down) to the page's user space (y up, origin where
     * the crop box says), the inverse of what PDFBox's renderer does.
     */
    static AffineTransform pixelsToPage(PDPage page, int widthPx, int heightPx) {
        PDRectangle crop = page.getCropBox();
        int rotation = ((page.getRotation() % 360) + 360) % 360;
        float w = crop.getWidth();
        float h = crop.getHeight();
        boolean turned = rotation == 90 || rotation == 270;
        AffineTransform device = new AffineTransform();
        device.scale(widthPx / (turned ? h : w), heightPx / (turned ? w : h));
        switch (rotation) {
            case 90 -> device.translate(h, 0);
            case 180 -> device.translate(w, h);
            case 270 -> device.translate(0, w);
            default -> { }
        }
        if (rotation != 0) device.rotate(Math.toRadians(rotation));
        device.translate(0, h);
        device.scale(1, -1);
        device.translate(-crop.getLowerLeftX(), -crop.getLowerLeftY());
        try {
            return device.createInverse();
        } catch (NoninvertibleTransformException e) {
            throw new IllegalStateException("page with an empty crop box", e);
        }
    }

    private static void addTextLayer(PDDocument pdf, PDPage page, PageModel model, AffineTransform toPage,
                                     TextFont font, boolean wrapExisting) throws IOException {
        String fontName = font.nameOn(page);
        StringBuilder text = new StringBuilder(8192);
        // the page's own content ran in its own q/Q: start from a clean text state all the same
        text.append("q\n0 Tc 0 Tw 0 Ts 100 Tz 0 g\n");
        for (Block block : model.layout()) {
            for (int index : block.lines()) {
                line(model.lines().get(index), toPage, font, fontName, text);
            }
        }
        text.append("Q\n");
        List<PDStream> streams = new ArrayList<>();
        if (wrapExisting && page.hasContents()) {
            streams.add(stream(pdf, "q\n"));
            page.getContentStreams().forEachRemaining(streams::add);
            streams.add(stream(pdf, "Q\n" + text));
        } else {
            page.getContentStreams().forEachRemaining(streams::add);
            streams.add(stream(pdf, text.toString()));
        }
        page.setContents(streams);
    }

    /** One line: one text object, every word (and every space) with its own matrix and scaling. */
    private static void line(TextLine line, AffineTransform toPage, TextFont font, String fontName, StringBuilder out) {
        List<Word> words = PageModel.words(line);
        float[][] p = line.polygon();
        double ux = p[1][0] - p[0][0];
        double uy = p[1][1] - p[0][1];
        double length = Math.hypot(ux, uy);
        double height = HocrWriter.height(line);
        if (words.isEmpty() || length < 1e-3 || height < 0.5) return;
        ux /= length;
        uy /= length;
        double nx = -uy; // towards the line's bottom edge (pixels run downwards)
        double ny = ux;
        double[] dir = delta(toPage, ux, uy);
        double[] up = delta(toPage, -nx, -ny);
        double ptPerPxAlong = Math.hypot(dir[0], dir[1]);
        double fontSize = height * Math.hypot(up[0], up[1]);
        normalise(dir);
        normalise(up);
        double tilt = Math.abs(2 * ux * uy); // |sin 2a|: how much an axis-aligned word box overstates the word
        double[][] spans = new double[words.size()][];
        for (int k = 0; k < words.size(); k++) {
            float[] b = words.get(k).box();
            double lo = Double.MAX_VALUE;
            double hi = -Double.MAX_VALUE;
            for (double[] c : new double[][] {{b[0], b[1]}, {b[2], b[1]}, {b[2], b[3]}, {b[0], b[3]}}) {
                double t = (c[0] - p[0][0]) * ux + (c[1] - p[0][1]) * uy;
                lo = Math.min(lo, t);
                hi = Math.max(hi, t);
            }
            double span = hi - lo - height * tilt;
            if (span < 0.5) span = hi - lo;
            double mid = (lo + hi) / 2;
            spans[k] = new double[] {mid - span / 2, mid + span / 2};
        }
        out.append("BT\n3 Tr\n/").append(fontName).append(' ');
        num(out, fontSize);
        out.append(" Tf\n");
        for (int k = 0; k < words.size(); k++) {
            String codes = font.encode(words.get(k).text());
            int glyphs = codes.length() / 4;
            if (glyphs == 0) continue;
            show(out, codes, glyphs, spans[k][0], spans[k][1], p, nx, ny, height, ptPerPxAlong, fontSize, dir, up, toPage);
            if (k + 1 < words.size()) {
                double start = spans[k][1];
                double end = Math.max(spans[k + 1][0], start + 0.01);
                show(out, TextFont.SPACE, 1, start, end, p, nx, ny, height, ptPerPxAlong, fontSize, dir, up, toPage);
            }
        }
        out.append("ET\n");
    }

    private static void show(StringBuilder out, String codes, int glyphs, double from, double to, float[][] p,
                             double nx, double ny, double height, double ptPerPxAlong, double fontSize,
                             double[] dir, double[] up, AffineTransform toPage) {
        double ux = ny; // n = (-uy, ux), so u = (ny, -nx)
        double uy = -nx;
        Point2D origin = toPage.transform(new Point2D.Double(p[0][0] + ux * from + nx * height,
                p[0][1] + uy * from + ny * height), null);
        double natural = glyphs * GlyphlessFont.ADVANCE / 1000.0 * fontSize;
        double scaling = 100 * (to - from) * ptPerPxAlong / natural;
        num(out, scaling);
        out.append(" Tz ");
        num(out, dir[0]);
        out.append(' ');
        num(out, dir[1]);
        out.append(' ');
        num(out, up[0]);
        out.append(' ');
        num(out, up[1]);
        out.append(' ');
        num(out, origin.getX());
        out.append(' ');
        num(out, origin.getY());
        out.append(" Tm <").append(codes).append("> Tj\n");
    }

    private static double[] delta(AffineTransform t, double x, double y) {
        Point2D d = t.deltaTransform(new Point2D.Double(x, y), null);
        return new double[] {d.getX(), d.getY()};
    }

    private static void normalise(double[] v) {
        double l = Math.hypot(v[0], v[1]);
        v[0] /= l;
        v[1] /= l;
    }

    /** A number as PDF content wants it: plain decimal, at most 4 places. */
    static void num(StringBuilder out, double v) {
        long r = Math.round(v * 10000);
        if (r < 0) {
            out.append('-');
            r = -r;
        }
        out.append(r / 10000);
        long f = r % 10000;
        if (f != 0) {
            String digits = Long.toString(f + 10000).substring(1);
            int end = digits.length();
            while (digits.charAt(end - 1) == '0') end--;
            out.append('.').append(digits, 0, end);
        }
    }

    private static PDStream stream(PDDocument pdf, String content) throws IOException {
        return new PDStream(pdf, new ByteArrayInputStream(content.getBytes(StandardCharsets.ISO_8859_1)),
                COSName.FLATE_DECODE);
    }

    /**
     * The document's one text-layer font (Type0, Identity-H, every CID drawn with the blank glyph) and its ToUnicode
     * map. A code point of the Basic Multilingual Plane is its own CID; one beyond it (rare in OCR output) gets a CID
     * from the surrogate range, which no BMP character uses, and its own entry in the map: no character is dropped.
     */
    private static final class TextFont {
        static final String SPACE = "0020";

        private final COSDictionary font = new COSDictionary();
        private final COSDictionary cidFont = new COSDictionary();
        private final COSDictionary descriptor = new COSDictionary();
        private final List<Integer> astral = new ArrayList<>();
        private final java.util.Map<Integer, Integer> astralCids = new java.util.HashMap<>();

        TextFont() {
            font.setItem(COSName.TYPE, COSName.FONT);
            font.setItem(COSName.SUBTYPE, COSName.TYPE0);
            font.setName(COSName.BASE_FONT, GlyphlessFont.NAME);
            font.setItem(COSName.ENCODING, COSName.IDENTITY_H);
            cidFont.setItem(COSName.TYPE, COSName.FONT);
            cidFont.setItem(COSName.SUBTYPE, COSName.CID_FONT_TYPE2);
            cidFont.setName(COSName.BASE_FONT, GlyphlessFont.NAME);
            COSDictionary info = new COSDictionary();
            info.setString(COSName.REGISTRY, "Adobe");
            info.setString(COSName.ORDERING, "Identity");
            info.setInt(COSName.SUPPLEMENT, 0);
            cidFont.setItem(COSName.CIDSYSTEMINFO, info);
            cidFont.setInt(COSName.DW, GlyphlessFont.ADVANCE);
            descriptor.setItem(COSName.TYPE, COSName.FONT_DESC);
            descriptor.setName(COSName.FONT_NAME, GlyphlessFont.NAME);
            descriptor.setInt(COSName.FLAGS, 5); // fixed pitch, symbolic
            COSArray bbox = new COSArray();
            for (int v : new int[] {0, -GlyphlessFont.DESCENT, GlyphlessFont.ADVANCE, GlyphlessFont.ASCENT}) {
                bbox.add(org.apache.pdfbox.cos.COSInteger.get(v));
            }
            descriptor.setItem(COSName.FONT_BBOX, bbox);
            descriptor.setInt(COSName.ITALIC_ANGLE, 0);
            descriptor.setInt(COSName.ASCENT, GlyphlessFont.ASCENT);
            descriptor.setInt(COSName.DESCENT, -GlyphlessFont.DESCENT);
            descriptor.setInt(COSName.CAP_HEIGHT, GlyphlessFont.ASCENT);
            descriptor.setInt(COSName.STEM_V, 80);
            cidFont.setItem(COSName.FONT_DESC, descriptor);
            font.setItem(COSName.DESCENDANT_FONTS, array(cidFont));
        }

        /** The font's name in the page's resources, adding it there (the page gets resources of its own if needed). */
        String nameOn(PDPage page) {
            COSDictionary pageDict = page.getCOSObject();
            COSDictionary resources = pageDict.getCOSDictionary(COSName.RESOURCES);
            if (resources == null) {
                PDResources inherited = page.getResources();
                resources = new COSDictionary();
                if (inherited != null) resources.addAll(inherited.getCOSObject());
                pageDict.setItem(COSName.RESOURCES, resources);
            }
            COSDictionary fonts = resources.getCOSDictionary(COSName.FONT);
            if (fonts == null) {
                fonts = new COSDictionary();
                resources.setItem(COSName.FONT, fonts);
            }
            String name = "OcrText";
            for (int i = 1; fonts.containsKey(name) && fonts.getDictionaryObject(name) != font; i++) {
                name = "OcrText" + i;
            }
            fonts.setItem(name, font);
            return name;
        }

        /** The word as hex CIDs, four digits each; control characters are left out. */
        String encode(String text) {
            StringBuilder hex = new StringBuilder(text.length() * 4);
            text.codePoints().forEach(c -> {
                if (c < 0x20 || c == 0x7F || c >= 0xD800 && c <= 0xDFFF) return;
                int cid = c;
                if (c > 0xFFFF) {
                    Integer known = astralCids.get(c);
                    if (known == null) {
                        if (astral.size() >= 0x800) return; // over 2048 distinct characters beyond the BMP: dropped
                        known = 0xD800 + astral.size();
                        astral.add(c);
                        astralCids.put(c, known);
                    }
                    cid = known;
                }
                String h = Integer.toHexString(cid | 0x10000).substring(1).toUpperCase(java.util.Locale.ROOT);
                hex.append(h);
            });
            return hex.toString();
        }

        /** Embeds the font file, the CID-to-glyph map and the ToUnicode map once every page is written. */
        void finish(PDDocument pdf) throws IOException {
            byte[] ttf = GlyphlessFont.bytes();
            PDStream file = new PDStream(pdf, new ByteArrayInputStream(ttf), COSName.FLATE_DECODE);
            file.getCOSObject().setInt(COSName.LENGTH1, ttf.length);
            descriptor.setItem(COSName.FONT_FILE2, file);
            byte[] map = new byte[65536 * 2];
            for (int i = 1; i < map.length; i += 2) map[i] = 1; // every CID -> glyph 1, the blank one
            cidFont.setItem(COSName.CID_TO_GID_MAP, new PDStream(pdf, new ByteArrayInputStream(map), COSName.FLATE_DECODE));
            font.setItem(COSName.TO_UNICODE, new PDStream(pdf, new ByteArrayInputStream(
                    toUnicodeMap().getBytes(StandardCharsets.US_ASCII)), COSName.FLATE_DECODE));
        }

        private String toUnicodeMap() {
            StringBuilder m = new StringBuilder(16384);
            m.append("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n")
                    .append("/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n")
                    .append("/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n")
                    .append("1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
            List<Integer> highs = new ArrayList<>();
            for (int hi = 0; hi <= 0xFF; hi++) {
                if (hi < 0xD8 || hi > 0xDF) highs.add(hi);
            }
            for (int from = 0; from < highs.size(); from += 100) {
                List<Integer> part = highs.subList(from, Math.min(highs.size(), from + 100));
                m.append(part.size()).append(" beginbfrange\n");
                for (int hi : part) {
                    String h = String.format("%02X", hi);
                    m.append('<').append(h).append("00> <").append(h).append("FF> <").append(h).append("00>\n");
                }
                m.append("endbfrange\n");
            }
            for (int from = 0; from < astral.size(); from += 100) {
                List<Integer> part = astral.subList(from, Math.min(astral.size(), from + 100));
                m.append(part.size()).append(" beginbfchar\n");
                for (int k = 0; k < part.size(); k++) {
                    int c = part.get(k);
                    StringBuilder utf16 = new StringBuilder();
                    for (char ch : Character.toChars(c)) utf16.append(String.format("%04X", (int) ch));
                    m.append(String.format("<%04X> <", 0xD800 + from + k)).append(utf16).append(">\n");
                }
                m.append("endbfchar\n");
            }
            m.append("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
            return m.toString();
        }

        private static COSArray array(COSDictionary item) {
            COSArray a = new COSArray();
            a.add(item);
            return a;
        }
    }
}
