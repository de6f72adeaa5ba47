package com.gnosis.hub.ocr.ppocr;

import com.gnosis.hub.bench.Cer;
import com.gnosis.hub.ocr.Block;
import com.gnosis.hub.ocr.PageText;
import com.gnosis.hub.ocr.TextLine;
import com.gnosis.hub.ocr.Word;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One small page per way the engine used to fail (issue 18), drawn here with Java2D from the corpus's own line
 * truths and read by the real models.
 */
class PageFailureClassesTest {

    private static final Path LINES = PpOcrEngineTest.CORPUS.resolveSibling("lines");
    private static PpOcrEngine engine;

    @BeforeAll
    static void load() throws Exception {
        engine = new PpOcrEngine(PpOcrEngineTest.settings(Map.of("OCR_DEVICE", "cpu")));
        engine.load();
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    /** Sentences from the corpus's UW-III line truths, cut at a word to at most maxChars. */
    private static List<String> sentences(int count, int maxChars, int skip) throws IOException {
        List<String> out = new ArrayList<>();
        try (var files = Files.list(LINES)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".gt.txt")).sorted().skip(skip).toList()) {
                String s = Files.readString(p, StandardCharsets.UTF_8).strip().replaceAll("[`']+", "");
                if (s.length() < 25 || !s.matches("[A-Za-z ,.;()-]+")) {
                    continue;
                }
                while (s.length() > maxChars && s.contains(" ")) {
                    s = s.substring(0, s.lastIndexOf(' '));
                }
                out.add(s);
                if (out.size() == count) {
                    break;
                }
            }
        }
        return out;
    }

    private static BufferedImage blankPage(int w, int h) {
        BufferedImage page = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = page.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.dispose();
        return page;
    }

    private static Graphics2D pen(BufferedImage page, int size, Color colour) {
        Graphics2D g = page.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(new Font(Font.SERIF, Font.PLAIN, size));
        g.setColor(colour);
        return g;
    }

    private static BufferedImage turned(BufferedImage upright) {
        BufferedImage out = new BufferedImage(upright.getWidth(), upright.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.drawImage(upright, AffineTransform.getRotateInstance(Math.PI, upright.getWidth() / 2.0, upright.getHeight() / 2.0), null);
        g.dispose();
        return out;
    }

    private static double cer(String truth, String text) {
        return Cer.score(truth, text, false).cer();
    }

    @Test
    void readsTwoColumnsOfUnequalWidthAroundAFigureColumnByColumn() throws Exception {
        BufferedImage page = blankPage(1700, 1250);
        List<String> wide = sentences(14, 60, 0);
        List<String> narrow = sentences(6, 34, 30);
        Graphics2D g = pen(page, 30, Color.BLACK);
        StringBuilder truth = new StringBuilder();
        g.setFont(new Font(Font.SERIF, Font.BOLD, 60));
        g.drawString("Waves in Elastic Media", 300, 110);
        truth.append("Waves in Elastic Media\n");
        g.setFont(new Font(Font.SERIF, Font.PLAIN, 30));
        for (int i = 0; i < wide.size(); i++) {
            g.drawString(wide.get(i), 80, 220 + 44 * i);
            truth.append(wide.get(i)).append('\n');
        }
        // The narrow column: a photo (noise, no text), its caption, then text.
        Random random = new Random(1);
        for (int y = 180; y < 520; y += 4) {
            for (int x = 1130; x < 1620; x += 4) {
                int v = 60 + random.nextInt(140);
                g.setColor(new Color(v, v, v));
                g.fillRect(x, y, 4, 4);
            }
        }
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SERIF, Font.ITALIC, 24));
        g.drawString("Fig. 2. The wave front", 1130, 560);
        truth.append("Fig. 2. The wave front\n");
        g.setFont(new Font(Font.SERIF, Font.PLAIN, 30));
        for (int i = 0; i < narrow.size(); i++) {
            g.drawString(narrow.get(i), 1130, 640 + 44 * i);
            truth.append(narrow.get(i)).append('\n');
        }
        g.dispose();

        PageText text = engine.readPage(page);

        assertThat(cer(truth.toString(), text.text())).isLessThan(0.05);
        assertThat(text.blocks()).extracting(Block::kind).contains(Block.Kind.HEADING, Block.Kind.CAPTION);
        assertThat(text.warnings()).isEmpty();
    }

    @Test
    void anUprightPageOfOneLineIsNeverFlippedAndTheSameLineUpsideDownIsTurned() throws Exception {
        String line = "Fig. 2. (a) The energy spectrum of the incident beam";
        BufferedImage page = blankPage(900, 44);
        Graphics2D g = pen(page, 30, Color.BLACK);
        FontMetrics m = g.getFontMetrics();
        g.drawString(line, (900 - m.stringWidth(line)) / 2, 32);
        g.dispose();

        assertThat(cer(line, engine.readPage(page).text())).isLessThan(0.08);
        assertThat(cer(line, engine.readPage(turned(page)).text())).isLessThan(0.08);
    }

    @Test
    void readsTightCorpusLinesThatCameBackEmptyOrUpsideDown() throws Exception {
        for (String name : List.of("uw3_0999_010034", "uw3_1147_010030", "uw3_0417_010033")) {
            BufferedImage image = ImageIO.read(LINES.resolve(name + ".png").toFile());
            String truth = Files.readString(LINES.resolve(name + ".gt.txt"), StandardCharsets.UTF_8);

            String text = engine.readPage(image).text();

            assertThat(text).as(name).isNotBlank();
            assertThat(cer(truth, text)).as(name + ": " + text).isLessThan(0.15);
        }
    }

    @Test
    void readsLightTypeOnADarkBarWhereItIsOnThePage() throws Exception {
        BufferedImage page = blankPage(1400, 700);
        List<String> body = sentences(8, 60, 10);
        Graphics2D g = pen(page, 30, Color.BLACK);
        g.fillRect(0, 30, 1400, 70);
        g.setColor(Color.WHITE);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 34));
        g.drawString("Chapter Seven", 60, 78);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SERIF, Font.PLAIN, 30));
        for (int i = 0; i < body.size(); i++) {
            g.drawString(body.get(i), 60, 180 + 44 * i);
        }
        g.dispose();

        PageText text = engine.readPage(page);

        assertThat(text.lines()).isNotEmpty();
        assertThat(text.lines().get(0).text()).isEqualToIgnoringCase("Chapter Seven");
        assertThat(cer("Chapter Seven\n" + String.join("\n", body), text.text())).isLessThan(0.05);
    }

    @Test
    void saysSoWhenInkOnThePageIsNotReadAsText() throws Exception {
        BufferedImage page = blankPage(1400, 560);
        List<String> body = sentences(7, 60, 40);
        Graphics2D g = pen(page, 30, Color.BLACK);
        for (int i = 0; i < body.size(); i++) {
            if (i == 3) {
                // A line scribbled over (ink shaped like a line, but no text): what a crease or a blot leaves.
                Random random = new Random(3);
                g.setStroke(new java.awt.BasicStroke(5));
                int x = 60;
                while (x < 1100) {
                    int nx = x + 6 + random.nextInt(14);
                    g.drawLine(x, 140 + 50 * i - random.nextInt(26), nx, 140 + 50 * i - random.nextInt(26));
                    x = nx;
                }
                continue;
            }
            g.drawString(body.get(i), 60, 140 + 50 * i);
        }
        g.dispose();

        PageText text = engine.readPage(page);

        assertThat(text.warnings()).hasSize(1);
        assertThat(text.warnings().get(0)).contains("not read as text");
        assertThat(text.lines()).hasSizeGreaterThanOrEqualTo(6);
    }

    @Test
    void placesEachWordWhereItsInkIsNotByAnEvenSplitOfTheLine() throws Exception {
        BufferedImage page = blankPage(1300, 120);
        Graphics2D g = pen(page, 34, Color.BLACK);
        FontMetrics m = g.getFontMetrics();
        String[] words = {"An", "extraordinarily", "long", "word"};
        int[][] spans = new int[words.length][];
        int x = 80;
        for (int i = 0; i < words.length; i++) {
            g.drawString(words[i], x, 70);
            spans[i] = new int[] {x, x + m.stringWidth(words[i])};
            x += m.stringWidth(words[i]) + m.stringWidth(" ");
        }
        g.dispose();

        List<TextLine> lines = engine.readPage(page).lines();

        assertThat(lines).hasSize(1);
        List<Word> read = lines.get(0).words();
        assertThat(read).extracting(Word::text).containsExactly(words);
        for (int i = 0; i < words.length; i++) {
            float[] box = read.get(i).box();
            // Within about two CTC columns (8 px of the 48 px high crop each) of the ink's edges.
            assertThat(box[0]).as(words[i] + " left").isBetween(spans[i][0] - 16f, spans[i][0] + 12f);
            assertThat(box[2]).as(words[i] + " right").isBetween(spans[i][1] - 12f, spans[i][1] + 16f);
            assertThat(box[1]).isLessThan(70f);
            assertThat(box[3]).isGreaterThan(60f);
        }
    }
}
