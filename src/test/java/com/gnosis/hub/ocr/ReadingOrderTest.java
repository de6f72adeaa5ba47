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
    void readsThreeColumnsBeforeAHeadlineThatSpansTheLastTwoBelowThem() {
        // A magazine page (UNLV 8071_093): three columns, under them a headline whose left part sits under the first
        // column and whose right part crosses the gutter of the other two. The columns are read first, then the headline.
        List<TextLine> lines = new ArrayList<>(List.of(
                line("first a", 100, 100, 700, 140),
                line("first b", 100, 150, 700, 190),
                line("second a", 800, 100, 1400, 140),
                line("second b", 800, 150, 1400, 190),
                line("second c", 800, 200, 1400, 240),
                line("third a", 1460, 100, 2060, 140),
                line("third b", 1460, 150, 2060, 190),
                line("What Kids", 100, 280, 760, 400),
                line("Need Most", 820, 290, 1900, 400)));
        Collections.shuffle(lines, new Random(5));

        PageText page = ReadingOrder.arrange(lines);

        assertThat(page.lines()).extracting(TextLine::text).containsExactly(
                "first a", "first b", "second a", "second b", "second c", "third a", "third b", "What Kids Need Most");
    }

    @Test
    void keepsColumnsWhenTheirParagraphGapsLineUp() {
        // Paragraph gaps at the same height in both columns must not cut the page across.
        List<TextLine> lines = new ArrayList<>(List.of(
                line("left one", 100, 100, 700, 140),
                line("left two", 100, 150, 700, 190),
                line("left three", 100, 260, 700, 300),
                line("right one", 800, 100, 1400, 140),
                line("right two", 800, 150, 1400, 190),
                line("right three", 800, 260, 1400, 300)));
        Collections.shuffle(lines, new Random(7));

        PageText page = ReadingOrder.arrange(lines);

        assertThat(page.lines()).extracting(TextLine::text).containsExactly(
                "left one", "left two", "left three", "right one", "right two", "right three");
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

    @Test
    void readsUnequalColumnsWrappedAroundAFigureWithItsCaptionUnderASpacedOutHeadline() {
        // A magazine page: a page number in the header, a headline in letter-spaced pieces across both columns, a wide
        // left column, a narrow right one whose top is a photo (no text) with a caption under it, a footnote at the end.
        List<TextLine> lines = new ArrayList<>(List.of(
                line("12", 1500, 40, 1540, 70),
                line("T H E", 300, 120, 520, 200), line("N E W S", 580, 120, 850, 200), line("T O D A Y", 910, 120, 1250, 200)));
        for (int i = 0; i < 10; i++) {
            lines.add(line("wide " + i, 100, 260 + 40 * i, 1000, 290 + 40 * i));
        }
        lines.add(line("Fig. 1. The photo above.", 1060, 560, 1500, 590));
        for (int i = 0; i < 3; i++) {
            lines.add(line("narrow " + i, 1060, 620 + 40 * i, 1500, 650 + 40 * i));
        }
        lines.add(line("1 A footnote across the page.", 100, 760, 1300, 782));
        Collections.shuffle(lines, new Random(11));

        PageText page = ReadingOrder.arrange(lines);

        assertThat(page.lines()).extracting(TextLine::text).containsExactly("12", "T H E N E W S T O D A Y",
                "wide 0", "wide 1", "wide 2", "wide 3", "wide 4", "wide 5", "wide 6", "wide 7", "wide 8", "wide 9",
                "Fig. 1. The photo above.", "narrow 0", "narrow 1", "narrow 2", "1 A footnote across the page.");
        assertThat(page.blocks()).extracting(Block::kind).containsExactly(Block.Kind.PAGE_NUMBER, Block.Kind.HEADING,
                Block.Kind.PARAGRAPH, Block.Kind.CAPTION, Block.Kind.PARAGRAPH, Block.Kind.FOOTNOTE);
        assertThat(page.markdown()).startsWith("12\n\n# T H E N E W S T O D A Y\n\nwide 0 wide 1");
    }

    @Test
    void keepsATableAsRowsOfCells() {
        List<TextLine> lines = new ArrayList<>(List.of(line("Prices in 2026", 100, 40, 700, 70)));
        String[][] cells = {{"Item", "Qty", "Price"}, {"Apples", "3", "1.20"}, {"Pears", "12", "4.80"}};
        for (int r = 0; r < cells.length; r++) {
            for (int c = 0; c < 3; c++) {
                lines.add(line(cells[r][c], 100 + 300 * c, 100 + 40 * r, 220 + 300 * c, 130 + 40 * r));
            }
        }
        Collections.shuffle(lines, new Random(2));

        PageText page = ReadingOrder.arrange(lines);

        assertThat(page.blocks()).extracting(Block::kind).containsExactly(Block.Kind.PARAGRAPH, Block.Kind.TABLE);
        assertThat(page.text()).isEqualTo("Prices in 2026\n\nItem Qty Price\nApples 3 1.20\nPears 12 4.80");
        assertThat(page.markdown()).isEqualTo(
                "Prices in 2026\n\n| Item | Qty | Price |\n| --- | --- | --- |\n| Apples | 3 | 1.20 |\n| Pears | 12 | 4.80 |");
    }

    @Test
    void aRunningHeaderAtTheTopRightComesBeforeTheLeftColumnBesideIt() {
        List<TextLine> lines = new ArrayList<>(List.of(line("Journal of Tests", 900, 40, 1400, 70)));
        for (int i = 0; i < 5; i++) {
            lines.add(line("left " + i, 100, 200 + 40 * i, 700, 230 + 40 * i));
            lines.add(line("right " + i, 800, 200 + 40 * i, 1400, 230 + 40 * i));
        }
        Collections.shuffle(lines, new Random(4));

        PageText page = ReadingOrder.arrange(lines);

        assertThat(page.lines()).extracting(TextLine::text).startsWith("Journal of Tests", "left 0");
        assertThat(page.blocks().get(0).kind()).isEqualTo(Block.Kind.HEADER);
    }
}
