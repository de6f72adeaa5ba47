package com.gnosis.hub.ocr;

import static org.assertj.core.api.Assertions.assertThat;

import com.gnosis.hub.testing.Corpus;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** A born-digital PDF's text layer: read on several threads at once, words boxed from their glyphs, never rendered. */
class TextLayerTest {

    private static final String CWEB = "pdfbox_cweb.pdf";

    @Test
    void pagesReadOnFourThreadsAtOnceGiveWhatOneThreadGives() throws Exception {
        List<String> serial = new ArrayList<>();
        try (Document document = Document.open(Corpus.dev(CWEB))) {
            for (int i = 0; i < document.pageCount(); i++) {
                serial.add(document.textLayer(i, 200).map(Document.TextLayer::text).orElse(""));
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (Document document = Document.open(Corpus.dev(CWEB))) {
            List<Future<String>> parallel = new ArrayList<>();
            for (int i = 0; i < document.pageCount(); i++) {
                int page = i;
                parallel.add(pool.submit(() -> document.textLayer(page, 200).map(Document.TextLayer::text).orElse("")));
            }
            for (int i = 0; i < parallel.size(); i++) {
                assertThat(parallel.get(i).get()).as("page " + (i + 1)).isEqualTo(serial.get(i));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void everyTextLayerWordHasTheBoxOfItsGlyphsInsideItsLine() throws Exception {
        try (Document document = Document.open(Corpus.dev("pdfbox_PDFBOX-3038-001033-p2.pdf"))) {
            Document.TextLayer layer = document.textLayer(0, 200).orElseThrow();
            int[] size = document.pageSize(0, 200);
            assertThat(layer.size()).containsExactly(size[0], size[1]);
            for (TextLine line : layer.lines()) {
                assertThat(line.words()).as(line.text()).isNotEmpty();
                assertThat(String.join("", line.words().stream().map(Word::text).toList()))
                        .isEqualTo(line.text().replaceAll("\\s+", ""));
                for (Word word : line.words()) {
                    float[] b = word.box();
                    assertThat(b[0]).isLessThan(b[2]);
                    assertThat(b[0]).isGreaterThanOrEqualTo(line.minX() - 0.01f);
                    assertThat(b[2]).isLessThanOrEqualTo(line.maxX() + 0.01f);
                    assertThat(b[1]).isGreaterThanOrEqualTo(line.minY() - 0.01f);
                    assertThat(b[3]).isLessThanOrEqualTo(line.maxY() + 0.01f);
                    assertThat(b[2]).isLessThanOrEqualTo(size[0]);
                }
            }
        }
    }

    @Test
    void aTextLayerPageIsReadWithoutAnImageButWithItsSize() throws Exception {
        PageReader reader = new PageReader(null, PdfTextMode.AUTO, 200); // an OCR engine would never be asked
        try (Document document = Document.open(Corpus.dev("pdfbox_PDFBOX-3038-001033-p2.pdf"))) {
            PageResult page = reader.read(document, 0);
            assertThat(page.source()).isEqualTo(TextLine.Source.TEXT_LAYER);
            assertThat(page.image()).isNull();
            assertThat(new int[] {page.width(), page.height()}).containsExactly(document.render(0, 200).getWidth(),
                    document.render(0, 200).getHeight());
        }
    }
}
