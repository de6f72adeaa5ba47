package com.gnosis.hub.ocr.format;

import static org.assertj.core.api.Assertions.assertThat;

import com.gnosis.hub.ocr.Block;
import com.gnosis.hub.ocr.PageText;
import com.gnosis.hub.ocr.TextLine;
import java.util.List;
import org.junit.jupiter.api.Test;

class CombinedMarkdownTest {

    private static TextLine line(String text, float y) {
        return TextLine.box(text, 0.9, 10, y, 400, y + 20, TextLine.Source.OCR);
    }

    @Test
    void aStoredPageGivesTheSameMarkdownAsThePageJustRead() {
        List<TextLine> lines = List.of(line("Results", 10), line("The first line", 50), line("and the second.", 75));
        List<Block> blocks = List.of(new Block(Block.Kind.HEADING, new float[] {10, 10, 400, 30}, List.of(0)),
                new Block(Block.Kind.PARAGRAPH, new float[] {10, 50, 400, 95}, List.of(1, 2)));
        PageText read = new PageText(lines, blocks, List.of());
        PageModel stored = new PageModel(1, 600, 800, TextLine.Source.OCR, 0.9, lines, blocks);

        assertThat(CombinedMarkdown.page(stored, read.text())).isEqualTo(read.markdown())
                .isEqualTo("# Results\n\nThe first line and the second.");
    }

    @Test
    void aPageWithoutBlocksIsItsTextAndPagesAreJoinedUnderTheirNumbers() {
        PageModel textLayer = new PageModel(2, 600, 800, TextLine.Source.TEXT_LAYER, 1, List.of(line("x", 10)), List.of());
        assertThat(CombinedMarkdown.page(textLayer, "line one\nline two")).isEqualTo("line one\nline two");
        assertThat(CombinedMarkdown.of(List.of("a", "b"))).isEqualTo("# Page 1\n\na\n\n---\n\n# Page 2\n\nb");
    }
}
