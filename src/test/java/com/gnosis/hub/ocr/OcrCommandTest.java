package com.gnosis.hub.ocr;

import com.gnosis.hub.cli.HubCommands;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The ocr command on real documents and real models. */
class OcrCommandTest {

    private static final Path CORPUS = Path.of(System.getProperty("corpus.dir", "src/test/corpus")).resolve("dev");
    private static final Path TEST_CACHE = Path.of("target", "test-model-cache").toAbsolutePath();

    private record Result(int code, String out, String err) {
    }

    private static Result ocr(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, String> env = Map.of("MODEL_CACHE_PATH", TEST_CACHE.toString(), "OCR_DEVICE", "cpu", "OCR_WORKERS", "2");
        int code = HubCommands.execute(ocrArgs(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env::get);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Path twoPageTiff(Path dir) throws Exception {
        Path tiff = dir.resolve("two pages.tif");
        ImageWriter writer = ImageIO.getImageWritersByFormatName("tiff").next();
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(tiff.toFile())) {
            writer.setOutput(stream);
            writer.prepareWriteSequence(null);
            for (String name : List.of("tess_phototest.tif", "tess_HelloGoogle.tif")) {
                BufferedImage page = ImageIO.read(CORPUS.resolve(name).toFile());
                writer.writeToSequence(new IIOImage(page, null, null), writer.getDefaultWriteParam());
            }
            writer.endWriteSequence();
        } finally {
            writer.dispose();
        }
        return tiff;
    }

    @Test
    void writesJsonPerFileAndReportsACorruptImageInOneLine(@TempDir Path dir) throws Exception {
        Path tiff = twoPageTiff(dir);
        Path corrupt = dir.resolve("corrupt.png");
        Files.write(corrupt, new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 1, 2, 3, 4, 5});
        Path out = dir.resolve("out");

        Result r = ocr("--format", "json", "--out", out.toString(), corrupt.toString(),
                CORPUS.resolve("tika_testOCR.pdf").toString(), tiff.toString());

        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err().lines().filter(l -> l.startsWith("ocr: "))).singleElement().asString().contains("corrupt.png");
        ObjectMapper json = new ObjectMapper();
        JsonNode pdf = json.readTree(out.resolve("tika_testOCR.json").toFile());
        assertThat(pdf.get("file").asText()).isEqualTo("tika_testOCR.pdf");
        assertThat(pdf.get("pages")).hasSize(1);
        assertThat(pdf.get("pages").get(0).get("text").asText()).contains("Happy New Year 2003");

        JsonNode pages = json.readTree(out.resolve("two pages.json").toFile()).get("pages");
        assertThat(pages).hasSize(2);
        assertThat(pages.get(0).get("page_number").asInt()).isEqualTo(1);
        assertThat(pages.get(0).get("text").asText()).contains("The quick brown dog jumped over the");
        assertThat(pages.get(1).get("text").asText()).contains("Hello Google");
        BufferedImage first = ImageIO.read(CORPUS.resolve("tess_phototest.tif").toFile());
        for (JsonNode line : pages.get(0).get("lines")) {
            assertThat(line.get("source").asText()).isEqualTo("ocr");
            assertThat(line.get("confidence").asDouble()).isBetween(0.5, 1.0);
            assertThat(line.get("polygon")).hasSize(4);
            for (JsonNode point : line.get("polygon")) {
                assertThat(point.get(0).asDouble()).isBetween(0.0, (double) first.getWidth());
                assertThat(point.get(1).asDouble()).isBetween(0.0, (double) first.getHeight());
            }
        }
        assertThat(out.resolve("corrupt.json")).doesNotExist();
    }

    @Test
    void printsOneFileToStdoutAndRefusesBadArguments() {
        Result r = ocr("--format", "md", CORPUS.resolve("tess_HelloGoogle.tif").toString());
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("# Page 1\n\n").contains("Hello Google");

        assertThat(ocr("--format", "xml", "a.pdf").code()).isEqualTo(2);
        assertThat(ocr().code()).isEqualTo(2);
    }

    @Test
    void runsWithoutNetworkFromAnEmptyModelCache(@TempDir Path dir) throws Exception {
        assumeTrue(unshareWorks(), "unshare -rn is not available here");
        List<String> command = new ArrayList<>(List.of("unshare", "-rn",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "com.gnosis.hub.Application", "ocr",
                CORPUS.resolve("tess_HelloGoogle.tif").toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("MODEL_CACHE_PATH", dir.resolve("cache").toString());
        builder.environment().put("OCR_WORKERS", "1");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();

        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("Hello Google");
        assertThat(dir.resolve("cache").resolve("ch_PP-OCRv4_rec_infer.onnx")).isRegularFile();
        assertThat(dir.resolve("cache").resolve("djl")).isDirectory();
    }

    private static boolean unshareWorks() {
        try {
            Process p = new ProcessBuilder("unshare", "-rn", "true").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    private static String[] ocrArgs(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "ocr";
        System.arraycopy(args, 0, all, 1, args.length);
        return all;
    }
}
