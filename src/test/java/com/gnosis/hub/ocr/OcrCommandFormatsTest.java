package com.gnosis.hub.ocr;

import com.gnosis.hub.cli.HubCommands;
import static org.assertj.core.api.Assertions.assertThat;

import com.gnosis.hub.bench.Cer;
import com.gnosis.hub.testing.Corpus;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ocr --format pdf|hocr|alto}: the hub's three outputs from the command line. */
class OcrCommandFormatsTest {

    private static final Path TEST_CACHE = Path.of("target", "test-model-cache").toAbsolutePath();

    private record Run(int code, byte[] out, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, String> env = Map.of("MODEL_CACHE_PATH", TEST_CACHE.toString(), "OCR_DEVICE", "cpu", "OCR_WORKERS", "2");
        int code = HubCommands.execute(ocrArgs(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env::get);
        return new Run(code, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void pdfOfAScanAndOfABornDigitalDocumentGoToTheOutFolder(@TempDir Path dir) throws Exception {
        Path scan = Corpus.dev("tess_phototest.tif");
        Path born = Corpus.dev("pdfbox_PDFBOX-3038-001033-p2.pdf");
        Run run = run("--format", "pdf", "--out", dir.toString(), scan.toString(), born.toString());
        assertThat(run.code()).as(run.err()).isZero();
        String text = new String(run("--format", "text", scan.toString()).out(), StandardCharsets.UTF_8);
        try (PDDocument pdf = Loader.loadPDF(dir.resolve("tess_phototest.ocr.pdf").toFile())) {
            assertThat(Cer.score(text, new PDFTextStripper().getText(pdf), false).cer()).isLessThanOrEqualTo(0.01);
        }
        try (PDDocument pdf = Loader.loadPDF(dir.resolve("pdfbox_PDFBOX-3038-001033-p2.ocr.pdf").toFile());
             PDDocument original = Loader.loadPDF(born.toFile())) {
            assertThat(new PDFTextStripper().getText(pdf)).isEqualTo(new PDFTextStripper().getText(original));
        }
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("tess_phototest.ocr.pdf", "pdfbox_PDFBOX-3038-001033-p2.ocr.pdf");
        }
    }

    @Test
    void altoAndHocrOfOneFileGoToStdout() throws Exception {
        String file = Corpus.dev("pdfbox_PDFBOX-3038-001033-p2.pdf").toString();
        Run alto = run("--format", "alto", file);
        assertThat(alto.code()).as(alto.err()).isZero();
        SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI)
                .newSchema(Path.of("src/test/resources/schemas/alto-4-4-local.xsd").toFile()).newValidator()
                .validate(new StreamSource(new ByteArrayInputStream(alto.out())));
        Run hocr = run("--format=hocr", file);
        assertThat(hocr.code()).as(hocr.err()).isZero();
        assertThat(new String(hocr.out(), StandardCharsets.UTF_8)).contains("class=\"ocr_page\"", "INTRODUCTION");
    }

    @Test
    void aBinaryFormatOfSeveralFilesNeedsAnOutFolder() {
        Path file = Corpus.dev("tess_HelloGoogle.tif");
        Run run = run("--format", "pdf", file.toString(), file.toString());
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("needs --out DIR");
    }

    private static String[] ocrArgs(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "ocr";
        System.arraycopy(args, 0, all, 1, args.length);
        return all;
    }
}
