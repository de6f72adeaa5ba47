package com.gnosis.hub.ocr.ppocr;

import org.junit.jupiter.api.Test;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Long recognition lines are cut in the blank gaps between words, never through ink. */
class LineSplitTest {

    private static final int HEIGHT = 40;

    /** A 40 px tall line of 30 "words" (black bars 90 px wide, 14 px gaps), 3120 px long: 3744 px at height 48. */
    private static BufferedImage line() {
        BufferedImage image = new BufferedImage(3200, HEIGHT, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), HEIGHT);
        g.setColor(Color.BLACK);
        for (int k = 0; k < 30; k++) {
            g.fillRect(40 + k * 104, 10, 90, 20);
        }
        g.dispose();
        return image;
    }

    private static boolean inGap(float x) {
        float inWord = (x - 40) % 104;
        return x > 40 && inWord > 90 && inWord < 104;
    }

    @Test
    void cutsALongLineOnlyInGapsAndKeepsEveryPartWithinTheWidth() {
        PageImage page = PageImage.of(line());
        float[][] quad = {{0, 0}, {3200, 0}, {3200, HEIGHT}, {0, HEIGHT}};

        List<float[][]> parts = LineSplitter.split(page, quad);

        assertThat(parts).hasSizeGreaterThan(2);
        assertThat(parts.get(0)[0][0]).isEqualTo(0f);
        assertThat(parts.get(parts.size() - 1)[1][0]).isEqualTo(3200f);
        for (int k = 0; k < parts.size(); k++) {
            float[][] p = parts.get(k);
            assertThat(LineBatch.scaledWidth(p, RecognitionTranslator.HEIGHT)).isLessThanOrEqualTo(LineSplitter.SPLIT_WIDTH + 1);
            if (k > 0) {
                assertThat(p[0][0]).isEqualTo(parts.get(k - 1)[1][0]);
                assertThat(inGap(p[0][0])).as("cut at x=%s", p[0][0]).isTrue();
            }
        }
    }

    @Test
    void leavesShortLinesAndLinesWithoutGapsWhole() {
        PageImage page = PageImage.of(line());
        float[][] shortLine = {{0, 0}, {600, 0}, {600, HEIGHT}, {0, HEIGHT}};
        assertThat(LineSplitter.split(page, shortLine)).containsExactly(shortLine);

        BufferedImage solid = new BufferedImage(3200, HEIGHT, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = solid.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 3200, HEIGHT);
        g.setColor(Color.BLACK);
        g.fillRect(0, 10, 3200, 20);
        g.dispose();
        float[][] quad = {{0, 0}, {3200, 0}, {3200, HEIGHT}, {0, HEIGHT}};
        assertThat(LineSplitter.split(PageImage.of(solid), quad)).containsExactly(quad);
    }
}
