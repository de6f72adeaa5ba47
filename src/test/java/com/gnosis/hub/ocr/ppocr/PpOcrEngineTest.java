package com.gnosis.hub.ocr.ppocr;

import com.gnosis.hub.settings.HubSettings;
import com.gnosis.hub.bench.Cer;
import com.gnosis.hub.ocr.DeviceInfo;
import com.gnosis.hub.ocr.OcrException;
import com.gnosis.hub.ocr.PageText;
import com.gnosis.hub.ocr.ReadingOrder;
import com.gnosis.hub.ocr.TextLine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.Graphics2D;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The engine on real models and real corpus pages (loaded once for the class). */
class PpOcrEngineTest {

    static final Path CORPUS = Path.of(System.getProperty("corpus.dir", "src/test/corpus")).resolve("dev");
    /** Shared by the test classes, so the models and native libraries are unpacked once per build. */
    static final Path TEST_CACHE = Path.of("target", "test-model-cache").toAbsolutePath();

    private static PpOcrEngine engine;

    static PpOcrSettings settings(Map<String, String> env) {
        return PpOcrSettings.fromEnvironment(HubSettings.standalone(
                name -> name.equals("MODEL_CACHE_PATH") ? TEST_CACHE.toString() : env.get(name))::env);
    }

    @BeforeAll
    static void load() throws OcrException {
        engine = new PpOcrEngine(settings(Map.of("OCR_DEVICE", "cpu", "OCR_WORKERS", "2")));
        engine.load();
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    static BufferedImage image(String name) throws IOException {
        return ImageIO.read(CORPUS.resolve(name).toFile());
    }

    static String truth(String name) throws IOException {
        return Files.readString(CORPUS.resolve(name), StandardCharsets.UTF_8);
    }

    @Test
    void readsPhototestAlmostPerfectly() throws Exception {
        PageText page = ReadingOrder.arrange(engine.read(image("tess_phototest.tif")));

        assertThat(Cer.score(truth("tess_phototest.gt.txt"), page.text(), false).cer()).isLessThanOrEqualTo(0.02);
        assertThat(engine.device()).isEqualTo(new DeviceInfo("cpu", "cpu", false, null, null));
    }

    @Test
    void readsAPageRotatedByTenDegrees() throws Exception {
        for (String name : List.of("tika_testRotated_p10", "tika_testRotated_m10")) {
            String text = Cer.normWs(ReadingOrder.arrange(engine.read(image(name + ".png"))).text());
            assertThat(text).as(name).contains(truth(name + ".expect.txt").strip());
        }
    }

    @Test
    void readsAnUpsideDownPageThroughThePageVote() throws Exception {
        BufferedImage upright = image("tess_phototest.tif");
        BufferedImage turned = new BufferedImage(upright.getWidth(), upright.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = turned.createGraphics();
        g.drawImage(upright, AffineTransform.getRotateInstance(Math.PI, upright.getWidth() / 2.0, upright.getHeight() / 2.0), null);
        g.dispose();

        PageText page = ReadingOrder.arrange(engine.read(turned));

        assertThat(Cer.score(truth("tess_phototest.gt.txt"), page.text(), false).cer()).isLessThanOrEqualTo(0.02);
    }

    @Test
    void readsPagesTurnedByAQuarterEitherWay() throws Exception {
        BufferedImage upright = image("tess_phototest.tif");
        for (double angle : new double[] {Math.PI / 2, -Math.PI / 2}) {
            BufferedImage turned = new BufferedImage(upright.getHeight(), upright.getWidth(), BufferedImage.TYPE_INT_RGB);
            Graphics2D g = turned.createGraphics();
            AffineTransform t = new AffineTransform();
            t.translate(turned.getWidth() / 2.0, turned.getHeight() / 2.0);
            t.rotate(angle);
            t.translate(-upright.getWidth() / 2.0, -upright.getHeight() / 2.0);
            g.drawImage(upright, t, null);
            g.dispose();

            PageText page = engine.readPage(turned);

            assertThat(Cer.score(truth("tess_phototest.gt.txt"), page.text(), false).cer()).as("angle %s", angle)
                    .isLessThanOrEqualTo(0.03);
        }
    }

    @Test
    void givesPolygonsInsideThePageAndReadsTheMagazineColumnByColumn() throws Exception {
        BufferedImage magazine = image("unlv_8071_093_3B.tif");
        List<TextLine> lines = engine.read(magazine);

        for (TextLine line : lines) {
            assertThat(line.minX()).isGreaterThanOrEqualTo(0);
            assertThat(line.minY()).isGreaterThanOrEqualTo(0);
            assertThat(line.maxX()).isLessThanOrEqualTo(magazine.getWidth());
            assertThat(line.maxY()).isLessThanOrEqualTo(magazine.getHeight());
            assertThat(line.confidence()).isBetween(0.5, 1.0);
        }
        String text = Cer.normWs(ReadingOrder.arrange(lines).text());
        int first = text.indexOf("wandered around the house");
        int second = text.indexOf("cause of her sadness");
        int third = text.indexOf("values, rooted in the bedrock");
        int fourth = text.indexOf("assemble a tricycle");
        assertThat(first).isNotNegative();
        assertThat(second).isGreaterThan(first);
        assertThat(third).isGreaterThan(second);
        assertThat(fourth).isGreaterThan(third);
    }

    @Test
    void eachReadingThreadKeepsOnePredictorSetAndAPageReadsTheSameOnAnyOfThem() throws Exception {
        BufferedImage page = image("tess_HelloGoogle.tif");
        String here = render(engine.read(page));
        int sets = engine.predictorSets();
        try (com.gnosis.hub.scheduling.FairPageScheduler scheduler = new com.gnosis.hub.scheduling.FairPageScheduler(2, "sets-test")) {
            List<java.util.concurrent.CompletableFuture<String>> pages = new java.util.ArrayList<>();
            for (int i = 0; i < 6; i++) {
                pages.add(scheduler.submit("user", "session", () -> render(engine.read(page))));
            }
            for (var p : pages) {
                assertThat(p.get()).isEqualTo(here);
            }
            assertThat(engine.predictorSets()).isBetween(sets + 1, sets + 2);
        }
    }

    @Test
    void pagesReadAtOnceReadAsTheyDoOneByOne() throws Exception {
        List<String> names = List.of("tess_phototest.tif", "tess_eurotext.tif", "tika_testRotated_p10.png", "tess_HelloGoogle.tif");
        List<String> oneByOne = new java.util.ArrayList<>();
        for (String name : names) {
            oneByOne.add(render(engine.read(image(name))));
        }
        java.util.concurrent.ExecutorService callers = java.util.concurrent.Executors.newFixedThreadPool(names.size());
        try {
            List<java.util.concurrent.Future<String>> atOnce = new java.util.ArrayList<>();
            for (String name : names) {
                BufferedImage page = image(name);
                atOnce.add(callers.submit(() -> render(engine.read(page))));
            }
            for (int i = 0; i < names.size(); i++) {
                assertThat(atOnce.get(i).get()).as(names.get(i)).isEqualTo(oneByOne.get(i));
            }
        } finally {
            callers.shutdownNow();
        }
    }

    /** Every line's text, confidence and polygon, so two readings compare exactly. */
    private static String render(List<TextLine> lines) {
        StringBuilder out = new StringBuilder();
        for (TextLine line : lines) {
            out.append(line.text()).append(" | ").append(line.confidence());
            for (float[] p : line.polygon()) {
                out.append(' ').append(p[0]).append(',').append(p[1]);
            }
            out.append('\n');
        }
        return out.toString();
    }

    @Test
    void findsNothingOnABlankPage() throws Exception {
        BufferedImage blank = new BufferedImage(300, 200, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = blank.createGraphics();
        g.fillRect(0, 0, 300, 200);
        g.dispose();

        assertThat(engine.read(blank)).isEmpty();
    }

    @Test
    void saysSoWhenTheGpuAskedForCannotBeUsed() throws Exception {
        try (PpOcrEngine gpu = new PpOcrEngine(settings(Map.of("OCR_DEVICE", "gpu", "OCR_WORKERS", "1")))) {
            gpu.load();
            DeviceInfo device = gpu.device();
            assertThat(device.requested()).isEqualTo("gpu");
            if (device.inUse().equals("cpu")) {
                assertThat(device.reason()).isNotBlank();
            }
        }
    }
}
