package com.gnosis.hub.ocr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.gnosis.hub.bench.Cer;
import com.gnosis.hub.testing.Corpus;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DocumentTest {

    @TempDir
    Path dir;

    @Test
    void typeIsRecognisedByContentNotByName() throws Exception {
        assertThat(Document.detect(copyAs("pdfbox_cweb.pdf", "scan.png"))).isEqualTo(DocumentType.PDF);
        assertThat(Document.detect(copyAs("tess_phototest.tif", "x.pdf"))).isEqualTo(DocumentType.TIFF);
        assertThat(Document.detect(copyAs("ocropy_uw3_0022_010005.png", "y.jpg"))).isEqualTo(DocumentType.PNG);
        Path text = Files.writeString(dir.resolve("notes.pdf"), "hello, not a PDF");
        assertThatThrownBy(() -> Document.detect(text)).isInstanceOf(DocumentException.class)
                .extracting(e -> ((DocumentException) e).code()).isEqualTo("unsupported_type");
        Path empty = Files.write(dir.resolve("empty.pdf"), new byte[0]);
        assertThatThrownBy(() -> Document.detect(empty)).extracting(e -> ((DocumentException) e).code())
                .isEqualTo("empty_file");
    }

    @Test
    void bornDigitalTextLayerMatchesPdfBoxSortedTextWithin1Percent() throws Exception {
        String name = "pdfbox_PDFBOX-3038-001033-p2.pdf";
        try (Document document = Document.open(Corpus.dev(name))) {
            Document.TextLayer layer = document.textLayer(0, 200).orElseThrow();
            assertThat(layer.usable()).isTrue();
            assertThat(Cer.score(Corpus.expectedText(name), layer.text(), false).cer()).isLessThanOrEqualTo(0.01);
            BufferedImage page = document.render(0, 200);
            for (TextLine line : layer.lines()) {
                assertThat(line.minX()).isGreaterThanOrEqualTo(0);
                assertThat(line.maxX()).isLessThanOrEqualTo(page.getWidth());
                assertThat(line.maxY()).isLessThanOrEqualTo(page.getHeight());
                assertThat(line.source()).isEqualTo(TextLine.Source.TEXT_LAYER);
            }
            assertThat(layer.lines()).extracting(TextLine::text).contains("I. INTRODUCTION");
        }
    }

    @Test
    void scannedPdfHasNoUsableTextLayerSoItIsRead() throws Exception {
        try (Document document = Document.open(Corpus.dev("tika_testOCR.pdf"))) {
            Optional<Document.TextLayer> layer = document.textLayer(0, 200);
            assertThat(layer.filter(Document.TextLayer::usable)).isEmpty();
        }
    }

    @Test
    void multiPageTiffHasOnePagePerFrame() throws Exception {
        Path tiff = dir.resolve("two.tif");
        BufferedImage first = ImageIO.read(Corpus.dev("ocropy_uw3_0022_010005.png").toFile());
        BufferedImage second = ImageIO.read(Corpus.dev("ocropy_uw3_0026_010010.png").toFile());
        var writer = ImageIO.getImageWritersByFormatName("tiff").next();
        try (var out = ImageIO.createImageOutputStream(tiff.toFile())) {
            writer.setOutput(out);
            writer.prepareWriteSequence(null);
            writer.writeToSequence(new javax.imageio.IIOImage(first, null, null), null);
            writer.writeToSequence(new javax.imageio.IIOImage(second, null, null), null);
            writer.endWriteSequence();
        }
        try (Document document = Document.open(tiff)) {
            assertThat(document.type()).isEqualTo(DocumentType.TIFF);
            assertThat(document.pageCount()).isEqualTo(2);
            assertThat(document.render(1, 200).getWidth()).isEqualTo(second.getWidth());
        }
    }

    @Test
    void limitsAreCheckedBeforeDecoding() throws Exception {
        Document.Limits tiny = new Document.Limits(2000, 1000);
        assertThatThrownBy(() -> Document.open(Corpus.dev("tess_phototest.tif"), tiny))
                .extracting(e -> ((DocumentException) e).code()).isEqualTo("image_too_large");
        Document.Limits onePage = new Document.Limits(1, 100_000_000L);
        assertThatThrownBy(() -> Document.open(Corpus.dev("pdfbox_cweb.pdf"), onePage))
                .hasMessageContaining("28 pages").extracting(e -> ((DocumentException) e).code()).isEqualTo("too_many_pages");
    }

    private Path copyAs(String corpusName, String newName) throws Exception {
        return Files.copy(Corpus.dev(corpusName), dir.resolve(newName));
    }
}
