package com.gnosis.hub.ocr;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class ReadingOrderTest {

    private static TextLine line(String text, float x0, float y0, float x1, float y1) {
        return TextLine.box(text, 0.9, x0, y0, x1, y1, TextLine.Source.OCR);
    }

    /** A line turned by {@code degrees} around the page origin, as a skewed scan gives it. */
    private static TextLine tilted(String text, float x0, float y0, float x1, float y1, double degrees) {
        double a = Math.toRadians(degrees);
        float[][] p = {{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}};
        float[][] q = new float[4][];
        for (int i = 0; i < 4; i++) {
            q[i] = new float[] {(float) (p[i][0] * Math.cos(a) - p[i][1] * Math.sin(a)),
                    (float) (p[i][0] * Math.sin(a) + p[i][1] * Math.cos(a)) + 400};
        }
        return new TextLine(text, 0.9, q, TextLine.Source.OCR);
    }

    @Test
    void readsColumnByColumnThenTheFooterSpanningBoth() {
        List<TextLine> lines = new ArrayList<>(List.of(
                line("Title across the page", 100, 40, 1500, 90),
                line("left one", 100, 150, 760, 180),
                line("left two", 100, 190, 760, 220),
                line("left three", 100, 230, 700, 260),
                line("right one", 800, 150, 1500, 180),
                line("right two", 800, 190, 1500, 220),
                line("footer across", 100, 400, 1500, 430)));
        Collections.shuffle(lines, new Random(3));

        PageText page = ReadingOrder.arrange(lines);

        assertThat(page.lines()).extracting(TextLine::text).containsExactly(
                "Title across the page", "left one", "left two", "left three", "right one", "right two", "footer across");
        assertThat(page.text()).isEqualTo("Title across the page\n\nleft one\nleft two\nleft three\n\nright one\nright two\n\nfooter across");
    }

    @Test
    void mergesPiecesOfOneVisualLineLeftToRight() {
        PageText page = ReadingOrder.arrange(List.of(
                line("world", 300, 102, 420, 128),
                line("Hello", 100, 100, 230, 130),
                line("next line", 100, 140, 420, 170)));

        assertThat(page.lines()).extracting(TextLine::text).containsExactly("Hello world", "next line");
        assertThat(page.lines().get(0).minX()).isEqualTo(100);
        assertThat(page.lines().get(0).maxX()).isEqualTo(420);
    }

    @Test
    void separatesParagraphsByTheirWiderGap() {
        PageText page = ReadingOrder.arrange(List.of(
                line("a1", 100, 100, 900, 130), line("a2", 100, 140, 900, 170),
                line("b1", 100, 230, 900, 260), line("b2", 100, 270, 900, 300)));

        assertThat(page.text()).isEqualTo("a1\na2\n\nb1\nb2");
        assertThat(page.markdown()).isEqualTo("a1 a2\n\nb1 b2");
    }

    @Test
    void keepsLineOrderOnASkewedPage() {
        List<TextLine> lines = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            lines.add(tilted("line " + i, 100, 100 + 40 * i, 1400, 130 + 40 * i, -10));
        }
        Collections.shuffle(lines, new Random(5));

        PageText page = ReadingOrder.arrange(lines);

        assertThat(page.lines()).extracting(TextLine::text)
                .containsExactly("line 0", "line 1", "line 2", "line 3", "line 4", "line 5", "line 6", "line 7");
    }

    @Test
    void escapesMarkdownSyntaxAndHandlesAnEmptyPage() {
        assertThat(ReadingOrder.arrange(List.of(line("# not a heading", 0, 0, 300, 30))).markdown())
                .isEqualTo("\\# not a heading");
        PageText empty = ReadingOrder.arrange(List.of());
        assertThat(empty.text()).isEmpty();
        assertThat(empty.lines()).isEmpty();
    }
}
