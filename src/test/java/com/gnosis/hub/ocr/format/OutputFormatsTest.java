package com.gnosis.hub.ocr.format;

import com.gnosis.hub.settings.HubSettings;
import static org.assertj.core.api.Assertions.assertThat;

import com.gnosis.hub.bench.Cer;
import com.gnosis.hub.ocr.Block;
import com.gnosis.hub.ocr.Document;
import com.gnosis.hub.ocr.PageReader;
import com.gnosis.hub.ocr.PageResult;
import com.gnosis.hub.ocr.PdfTextMode;
import com.gnosis.hub.ocr.TextLine;
import com.gnosis.hub.ocr.Word;
import com.gnosis.hub.ocr.ppocr.PpOcrEngine;
import com.gnosis.hub.ocr.ppocr.PpOcrSettings;
import com.gnosis.hub.session.Json;
import com.gnosis.hub.testing.Corpus;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.pdfbox.text.TextPosition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * hOCR, ALTO and the searchable PDF made from real pages: a scanned PDF and a TIFF read by the real OCR engine, and a
 * born-digital PDF read from its text layer, each stored as page JSON and read back as the hub does.
 */
class OutputFormatsTest {

    static final String SCANNED_PDF = "tika_testOCR.pdf";
    static final String TIFF = "tess_phototest.tif";
    static final String BORN_DIGITAL = "pdfbox_PDFBOX-3038-001033-p2.pdf";
    static final int DPI = 200;

    private static PpOcrEngine engine;
    private static final Map<String, List<PageResult>> READ = new LinkedHashMap<>();

    @BeforeAll
    static void read() throws Exception {
        Path cache = Path.of("target", "test-model-cache").toAbsolutePath();
        engine = new PpOcrEngine(PpOcrSettings.fromEnvironment(HubSettings.standalone(name -> switch (name) {
            case "MODEL_CACHE_PATH" -> cache.toString();
            case "OCR_DEVICE" -> "cpu";
            case "OCR_WORKERS" -> "2";
            default -> null;
        })::env));
        PageReader reader = new PageReader(engine, PdfTextMode.AUTO, DPI);
        for (String name : List.of(SCANNED_PDF, TIFF, BORN_DIGITAL)) {
            List<PageResult> pages = new ArrayList<>();
            try (Document document = Document.open(Corpus.dev(name))) {
                for (int i = 0; i < document.pageCount(); i++) pages.add(reader.read(document, i));
            }
            READ.put(name, pages);
        }
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    /** The pages as the hub stores them (page_NNN.json) and reads them back. */
    static Pages stored(String name) throws IOException {
        List<PageModel> models = new ArrayList<>();
        for (PageResult r : READ.get(name)) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("page_number", r.pageNumber());
            json.put("width", r.width());
            json.put("height", r.height());
            json.put("source", r.source());
            json.put("confidence", r.confidence());
            json.put("lines", r.lines());
            json.put("blocks", r.blocks());
            json.put("warnings", r.warnings());
            models.add(PageModel.parse(Json.bytes(json), r.pageNumber()));
        }
        return Pages.of(models);
    }

    static byte[] pdf(String name) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new SearchablePdf(DPI).write(Corpus.dev(name), stored(name), out);
        return out.toByteArray();
    }

    @Test
    void altoValidatesAgainstTheAlto44SchemaOffline() throws Exception {
        var schema = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI)
                .newSchema(Path.of("src/test/resources/schemas/alto-4-4-local.xsd").toFile());
        for (String name : READ.keySet()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            OutputFormat.ALTO.write(name, null, stored(name), DPI, "test", out);
            schema.newValidator().validate(new StreamSource(new ByteArrayInputStream(out.toByteArray())));
            String alto = out.toString(java.nio.charset.StandardCharsets.UTF_8);
            assertThat(alto).as(name).contains("<MeasurementUnit>pixel</MeasurementUnit>", "<PrintSpace", "<TextBlock",
                    "<TextLine", "<String", "<SP ", " WC=\"");
        }
    }

    @Test
    void hocrHasEveryWordInALineEveryLineInAPageAndBoxesInsideThePage() throws Exception {
        Pattern bbox = Pattern.compile("bbox (\\d+) (\\d+) (\\d+) (\\d+)");
        Pattern wconf = Pattern.compile("x_wconf (-?\\d+)");
        for (String name : READ.keySet()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            OutputFormat.HOCR.write(name, null, stored(name), DPI, "test", out);
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            org.w3c.dom.Document html = factory.newDocumentBuilder().parse(new ByteArrayInputStream(out.toByteArray()));
            assertThat(meta(html, "ocr-system")).startsWith("gnosis-ocr-hub");
            assertThat(meta(html, "ocr-capabilities")).contains("ocr_page", "ocr_carea", "ocr_par", "ocr_line", "ocrx_word");
            int words = 0;
            NodeList spans = html.getElementsByTagName("span");
            for (int i = 0; i < spans.getLength(); i++) {
                Element e = (Element) spans.item(i);
                if (!e.getAttribute("class").equals("ocrx_word")) continue;
                words++;
                Element line = (Element) e.getParentNode();
                assertThat(line.getAttribute("class")).isIn("ocr_line", "ocr_header", "ocr_caption");
                Element par = (Element) line.getParentNode();
                Element area = (Element) par.getParentNode();
                Element page = (Element) area.getParentNode();
                assertThat(par.getAttribute("class")).isEqualTo("ocr_par");
                assertThat(area.getAttribute("class")).isEqualTo("ocr_carea");
                assertThat(page.getAttribute("class")).isEqualTo("ocr_page");
                int[] pageBox = numbers(bbox.matcher(page.getAttribute("title")));
                for (Element inside : List.of(e, line, par, area)) {
                    int[] b = numbers(bbox.matcher(inside.getAttribute("title")));
                    assertThat(b[0]).isBetween(0, b[2]);
                    assertThat(b[1]).isBetween(0, b[3]);
                    assertThat(b[2]).isLessThanOrEqualTo(pageBox[2]);
                    assertThat(b[3]).isLessThanOrEqualTo(pageBox[3]);
                }
                Matcher c = wconf.matcher(e.getAttribute("title"));
                assertThat(c.find()).isTrue();
                assertThat(Integer.parseInt(c.group(1))).isBetween(0, 100);
                assertThat(e.getTextContent()).isNotBlank();
            }
            assertThat(words).as(name).isGreaterThan(3);
        }
    }

    @Test
    void searchablePdfGivesThePageTextBackWhenExtracted() throws Exception {
        for (String name : List.of(SCANNED_PDF, TIFF)) {
            try (PDDocument pdf = Loader.loadPDF(pdf(name))) {
                List<PageResult> pages = READ.get(name);
                assertThat(pdf.getNumberOfPages()).isEqualTo(pages.size());
                for (PageResult page : pages) {
                    PDFTextStripper stripper = new PDFTextStripper();
                    stripper.setStartPage(page.pageNumber());
                    stripper.setEndPage(page.pageNumber());
                    String extracted = stripper.getText(pdf);
                    assertThat(page.text()).as(name).isNotBlank();
                    assertThat(Cer.score(page.text(), extracted, false).cer()).as(name + ": " + extracted)
                            .isLessThanOrEqualTo(0.01);
                }
            }
        }
    }

    @Test
    void everyGlyphLiesInsideItsWordsBoxWithinTwoPoints() throws Exception {
        for (String name : List.of(SCANNED_PDF, TIFF)) {
            Pages pages = stored(name);
            try (PDDocument pdf = Loader.loadPDF(pdf(name))) {
                for (int n = 1; n <= pages.count(); n++) {
                    assertGlyphsInBoxes(pdf, pdf.getPage(n - 1), n, pages.page(n));
                }
            }
        }
    }

    static void assertGlyphsInBoxes(PDDocument pdf, PDPage page, int number, PageModel model) throws IOException {
        List<TextPosition> glyphs = new ArrayList<>();
        PDFTextStripper collector = new PDFTextStripper() {
            @Override
            protected void processTextPosition(TextPosition text) {
                if (!text.getUnicode().isBlank()) glyphs.add(text);
            }
        };
        collector.setStartPage(number);
        collector.setEndPage(number);
        collector.getText(pdf);
        PDRectangle crop = page.getCropBox();
        boolean turned = page.getRotation() % 180 != 0;
        double scale = model.width() / (turned ? crop.getHeight() : crop.getWidth()); // pixels per point
        List<float[]> boxes = new ArrayList<>();
        List<String> chars = new ArrayList<>();
        for (Block block : model.layout()) {
            for (int index : block.lines()) {
                for (Word word : PageModel.words(model.lines().get(index))) {
                    word.text().codePoints().forEach(c -> {
                        boxes.add(word.box());
                        chars.add(new String(Character.toChars(c)));
                    });
                }
            }
        }
        assertThat(glyphs).hasSize(boxes.size());
        for (int i = 0; i < glyphs.size(); i++) {
            TextPosition g = glyphs.get(i);
            float[] b = boxes.get(i);
            String what = "glyph '" + g.getUnicode() + "' of a word at " + java.util.Arrays.toString(b);
            assertThat(g.getUnicode()).as(what).isEqualTo(chars.get(i));
            assertThat((double) g.getXDirAdj()).as(what).isBetween(b[0] / scale - 2, b[2] / scale + 2);
            assertThat((double) g.getXDirAdj() + g.getWidthDirAdj()).as(what).isBetween(b[0] / scale - 2, b[2] / scale + 2);
            assertThat((double) g.getYDirAdj()).as(what).isBetween(b[1] / scale - 2, b[3] / scale + 2);
        }
    }

    @Test
    void searchablePdfPagesLookExactlyLikeThePageImages() throws Exception {
        for (String name : List.of(SCANNED_PDF, TIFF)) {
            try (PDDocument pdf = Loader.loadPDF(pdf(name))) {
                PDFRenderer renderer = new PDFRenderer(pdf);
                for (PageResult page : READ.get(name)) {
                    BufferedImage image = page.image();
                    PDRectangle crop = pdf.getPage(page.pageNumber() - 1).getCropBox();
                    float scale = (float) (image.getWidth() / (double) crop.getWidth());
                    BufferedImage rendered = renderer.renderImage(page.pageNumber() - 1, scale, ImageType.RGB);
                    assertThat(Math.abs(rendered.getWidth() - image.getWidth())).isLessThanOrEqualTo(1);
                    assertThat(Math.abs(rendered.getHeight() - image.getHeight())).isLessThanOrEqualTo(1);
                    assertThat(differingPixels(image, rendered)).as(name).isLessThan(0.001);
                }
            }
        }
    }

    @Test
    void bornDigitalPageKeepsItsOwnContentAndText() throws Exception {
        try (PDDocument original = Loader.loadPDF(Corpus.dev(BORN_DIGITAL).toFile());
             PDDocument output = Loader.loadPDF(pdf(BORN_DIGITAL))) {
            assertThat(output.getNumberOfPages()).isEqualTo(original.getNumberOfPages());
            for (int i = 0; i < original.getNumberOfPages(); i++) {
                assertThat(content(output.getPage(i))).isEqualTo(content(original.getPage(i)));
                assertThat(output.getPage(i).getResources().getFontNames())
                        .containsExactlyInAnyOrderElementsOf(original.getPage(i).getResources().getFontNames());
            }
            assertThat(new PDFTextStripper().getText(output)).isEqualTo(new PDFTextStripper().getText(original));
        }
    }

    @Test
    void wordsLandInTheirBoxesOnATurnedPageWhoseMediaBoxDoesNotStartAtZero(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        Path original = dir.resolve("turned.pdf");
        try (PDDocument pdf = new PDDocument()) {
            PDPage page = new PDPage(new PDRectangle(100, 50, 612, 792));
            page.setRotation(90);
            pdf.addPage(page);
            pdf.save(original.toFile());
        }
        // as the hub renders it at 100 dpi: the page turned, 792 x 612 pt -> 1100 x 850 px
        TextLine straight = line("Hello turned world", 100, 100, 600, 140, 0);
        TextLine tilted = line("a tilted line", 200, 400, 700, 440, 2);
        PageModel model = new PageModel(1, 1100, 850, TextLine.Source.OCR, 0.9, List.of(straight, tilted), List.of());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new SearchablePdf(DPI).write(original, Pages.of(List.of(model)), out);
        try (PDDocument pdf = Loader.loadPDF(out.toByteArray())) {
            PDFTextStripper stripper = new PDFTextStripper();
            assertThat(Cer.normWs(stripper.getText(pdf))).isEqualTo("Hello turned world a tilted line");
            PageModel straightOnly = new PageModel(1, 1100, 850, TextLine.Source.OCR, 0.9, List.of(straight), List.of());
            try (PDDocument only = Loader.loadPDF(pdfOf(original, straightOnly))) {
                assertGlyphsInBoxes(only, only.getPage(0), 1, straightOnly);
            }
            // steeper lines come out glyph by glyph in reading order (PDFBox's line finding is not made for them)
            TextLine steep = line("a steep line", 200, 400, 700, 440, 12);
            PageModel steepOnly = new PageModel(1, 1100, 850, TextLine.Source.OCR, 0.9, List.of(steep), List.of());
            StringBuilder order = new StringBuilder();
            try (PDDocument one = Loader.loadPDF(pdfOf(original, steepOnly))) {
                new PDFTextStripper() {
                    @Override
                    protected void processTextPosition(TextPosition text) {
                        order.append(text.getUnicode());
                    }
                }.getText(one);
            }
            assertThat(order.toString()).isEqualTo("a steep line");
            assertThat(differingPixels(new PDFRenderer(pdf).renderImage(0, 100 / 72f, ImageType.RGB),
                    new PDFRenderer(Loader.loadPDF(original.toFile())).renderImage(0, 100 / 72f, ImageType.RGB)))
                    .isZero();
        }
    }

    private static byte[] pdfOf(Path original, PageModel model) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new SearchablePdf(DPI).write(original, Pages.of(List.of(model)), out);
        return out.toByteArray();
    }

    /** A line from (x0, y0) to (x1, y1) turned by {@code degrees} about its top-left corner, words split evenly. */
    private static TextLine line(String text, float x0, float y0, float x1, float y1, double degrees) {
        double a = Math.toRadians(-degrees);
        float[][] p = {{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}};
        for (float[] point : p) {
            double dx = point[0] - x0;
            double dy = point[1] - y0;
            point[0] = (float) (x0 + dx * Math.cos(a) - dy * Math.sin(a));
            point[1] = (float) (y0 + dx * Math.sin(a) + dy * Math.cos(a));
        }
        return new TextLine(text, 0.9, p, TextLine.Source.OCR);
    }

    private static byte[] content(PDPage page) throws IOException {
        try (InputStream in = page.getContents()) {
            return in.readAllBytes();
        }
    }

    /** Share of pixels whose colour differs by more than 24 levels in some channel. */
    static double differingPixels(BufferedImage a, BufferedImage b) {
        int w = Math.min(a.getWidth(), b.getWidth());
        int h = Math.min(a.getHeight(), b.getHeight());
        long differing = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x, y);
                for (int shift = 0; shift <= 16; shift += 8) {
                    if (Math.abs(((p >> shift) & 0xFF) - ((q >> shift) & 0xFF)) > 24) {
                        differing++;
                        break;
                    }
                }
            }
        }
        return differing / (double) (w * h);
    }

    private static String meta(org.w3c.dom.Document html, String name) {
        NodeList metas = html.getElementsByTagName("meta");
        for (int i = 0; i < metas.getLength(); i++) {
            Element m = (Element) metas.item(i);
            if (name.equals(m.getAttribute("name"))) return m.getAttribute("content");
        }
        return "";
    }

    private static int[] numbers(Matcher m) {
        assertThat(m.find()).isTrue();
        return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
                Integer.parseInt(m.group(4))};
    }
}
