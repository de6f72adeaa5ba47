package com.gnosis.hub.ocr;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.gnosis.hub.ocr.ppocr.PpOcrEngine;
import com.gnosis.hub.ocr.ppocr.PpOcrSettings;
import com.gnosis.hub.scheduling.FairPageScheduler;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.appender.ConsoleAppender;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilder;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilderFactory;
import org.apache.logging.log4j.core.config.builder.impl.BuiltConfiguration;

import com.gnosis.hub.ocr.format.CombinedMarkdown;
import com.gnosis.hub.ocr.format.OutputFormat;
import com.gnosis.hub.ocr.format.PageModel;
import com.gnosis.hub.ocr.format.Pages;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

/**
 * The command line: {@code ocr [--format text|md|json|pdf|hocr|alto] [--out DIR] FILE...} reads documents without a
 * server or storage. One file without --out prints to stdout; with --out each file goes to DIR/NAME.txt|md|json (or
 * NAME.ocr.pdf, NAME.hocr, NAME.alto.xml, named as the hub's downloads). Models load once per run;
 * a file that cannot be read is reported on stderr in one line and the others still run (exit code 1).
 */
public final class OcrCommand {

    static final String USAGE = "usage: ocr [--format text|md|json|pdf|hocr|alto] [--out DIR] FILE...";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private OcrCommand() {
    }

    /** What one page gave, without its image (pages of a long document must not pile up in memory). */
    private record Page(int number, String text, String markdown, List<TextLine> lines, PageModel model) {
    }

    /**
     * Reads {@code files} (the hub's jar dispatches {@code ocr} here through cli.HubCommands, which parses the
     * command line).
     *
     * @param format text, md, json, pdf, hocr or alto
     * @param outDir where each file's result goes, or null for stdout
     * @param env    the hub's settings: every name answered with its value or application.properties' default
     */
    public static int run(String format, Path outDir, List<Path> files, PrintStream out, PrintStream err,
                          Function<String, String> env) {
        format = format.toLowerCase(Locale.ROOT);
        if (!List.of("text", "md", "json", "pdf", "hocr", "alto").contains(format) || files.isEmpty()) {
            err.println("ocr: " + (files.isEmpty() ? "no file given" : "unknown format " + format) + "; " + USAGE);
            return 2;
        }
        Optional<OutputFormat> output = OutputFormat.parse(format);
        if (output.isPresent() && files.size() > 1 && outDir == null) {
            err.println("ocr: --format " + format + " of several files needs --out DIR; " + USAGE);
            return 2;
        }
        quietLogging(env);
        PdfTextMode pdfText;
        int dpi;
        PpOcrSettings settings;
        try {
            pdfText = PdfTextMode.parse(env.apply("OCR_PDF_TEXT"));
            dpi = Integer.parseInt(env.apply("OCR_DPI"));
            settings = PpOcrSettings.fromEnvironment(env);
        } catch (IllegalArgumentException e) {
            err.println("ocr: bad setting: " + e.getMessage());
            return 2;
        }
        if (outDir != null) {
            try {
                Files.createDirectories(outDir);
            } catch (IOException e) {
                err.println("ocr: cannot create " + outDir + ": " + e.getMessage());
                return 2;
            }
        }
        int failed = 0;
        try (PpOcrEngine engine = new PpOcrEngine(settings);
             FairPageScheduler pages = new FairPageScheduler(settings.workers(), "ocr-page")) {
            PageReader reader = new PageReader(engine, pdfText, dpi);
            for (Path file : files) {
                try {
                    List<Page> result = read(file, reader, pages);
                    if (output.isPresent()) {
                        writeOutput(output.get(), file, result, dpi, out, outDir);
                        continue;
                    }
                    String rendered = render(format, file, result);
                    if (outDir == null) {
                        if (files.size() > 1 && !format.equals("json")) {
                            out.println("==> " + file + " <==");
                        }
                        out.print(rendered);
                        out.flush();
                    } else {
                        String name = file.getFileName().toString();
                        int dot = name.lastIndexOf('.');
                        String base = dot > 0 ? name.substring(0, dot) : name;
                        writeAtomically(outDir.resolve(base + "." + (format.equals("text") ? "txt" : format)), rendered);
                    }
                } catch (DocumentException | OcrException | IOException e) {
                    failed++;
                    err.println("ocr: " + file + ": " + oneLine(e.getMessage()));
                }
            }
        }
        return failed == 0 ? 0 : 1;
    }

    /** Pages are read by the same page scheduler as the hub's (OCR_WORKERS workers), and come back in order. */
    private static List<Page> read(Path file, PageReader reader, FairPageScheduler scheduler)
            throws DocumentException, OcrException, IOException {
        String session = file.toString();
        try (Document document = Document.open(file)) {
            List<CompletableFuture<Page>> futures = new ArrayList<>();
            for (int i = 0; i < document.pageCount(); i++) {
                int index = i;
                futures.add(scheduler.submit("cli", session, () -> {
                    PageResult r = reader.read(document, index);
                    return new Page(r.pageNumber(), r.text(), r.markdown(), r.lines(), PageModel.of(r));
                }));
            }
            List<Page> pages = new ArrayList<>();
            for (CompletableFuture<Page> f : futures) {
                try {
                    pages.add(f.get());
                } catch (ExecutionException e) {
                    scheduler.cancel(session);
                    // Pages already running finish before the document closes under them.
                    futures.forEach(other -> other.handle((page, failure) -> null).join());
                    if (e.getCause() instanceof DocumentException d) {
                        throw d;
                    }
                    if (e.getCause() instanceof OcrException o) {
                        throw o;
                    }
                    throw new OcrException(String.valueOf(e.getCause()), e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new OcrException("interrupted", e);
                }
            }
            return pages;
        }
    }

    private static String render(String format, Path file, List<Page> pages) throws IOException {
        StringBuilder s = new StringBuilder();
        switch (format) {
            case "md" -> s.append(CombinedMarkdown.of(pages.stream().map(Page::markdown).toList()));
            case "json" -> {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("file", file.getFileName().toString());
                List<Map<String, Object>> list = new ArrayList<>();
                for (Page p : pages) {
                    Map<String, Object> page = new LinkedHashMap<>();
                    page.put("page_number", p.number());
                    page.put("text", p.text());
                    page.put("lines", p.lines().stream().map(OcrCommand::line).toList());
                    list.add(page);
                }
                doc.put("pages", list);
                s.append(JSON.writeValueAsString(doc)).append('\n');
            }
            default -> {
                // A form feed between pages, as pdftotext does, so scripts can split them.
                for (Page p : pages) {
                    if (s.length() > 0) {
                        s.append("\n\f\n");
                    }
                    s.append(p.text());
                }
                s.append('\n');
            }
        }
        return s.toString();
    }

    /** pdf, hocr, alto: rendered from the pages' models like the hub's downloads, to stdout or DIR/NAME.ocr.pdf ... */
    private static void writeOutput(OutputFormat format, Path file, List<Page> pages, int dpi, PrintStream out,
                                    Path outDir) throws IOException, DocumentException {
        Pages models = Pages.of(pages.stream().map(Page::model).toList());
        String name = file.getFileName().toString();
        Path target = outDir == null ? null : outDir.resolve(format.downloadName(name));
        Path temp = outDir == null ? null : Files.createTempFile(outDir, name, ".part");
        try (OutputStream sink = temp == null ? new FilterOutputStream(out) { // stdout stays open
            @Override
            public void close() throws IOException {
                flush();
            }
        } : Files.newOutputStream(temp)) {
            OutputStream buffered = new BufferedOutputStream(sink, 1 << 16);
            String version = OcrCommand.class.getPackage().getImplementationVersion();
            format.write(name, file, models, dpi, version == null ? "dev" : version, buffered);
            buffered.flush();
        }
        if (temp != null) {
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(temp);
            }
        }
    }

    private static Map<String, Object> line(TextLine l) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("text", l.text());
        m.put("confidence", Math.round(l.confidence() * 10000) / 10000.0);
        List<List<Double>> polygon = new ArrayList<>();
        for (float[] p : l.polygon()) {
            polygon.add(List.of(Math.round(p[0] * 10) / 10.0, Math.round(p[1] * 10) / 10.0));
        }
        m.put("polygon", polygon);
        m.put("source", l.source() == TextLine.Source.OCR ? "ocr" : "text-layer");
        return m;
    }

    private static void writeAtomically(Path target, String content) throws IOException {
        Path temp = Files.createTempFile(target.toAbsolutePath().getParent(), target.getFileName().toString(), ".part");
        try {
            Files.writeString(temp, content, StandardCharsets.UTF_8);
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Logs go to stderr, so that stdout carries only the result; WARN unless LOG_LEVEL says otherwise. */
    private static void quietLogging(Function<String, String> env) {
        // the command's own default is WARN: its stdout is the result, its stderr the reasons
        String configured = env.apply("LOG_LEVEL");
        Level level = Level.toLevel(configured == null || configured.isBlank() ? "WARN" : configured.trim(), Level.WARN);
        ConfigurationBuilder<BuiltConfiguration> b = ConfigurationBuilderFactory.newConfigurationBuilder();
        b.add(b.newAppender("stderr", "Console").addAttribute("target", ConsoleAppender.Target.SYSTEM_ERR)
                .add(b.newLayout("PatternLayout").addAttribute("pattern", "%d{HH:mm:ss} %-5level %c{1} - %msg%n")));
        b.add(b.newRootLogger(level).add(b.newAppenderRef("stderr")));
        // DJL warns about CUDA on every CPU-only start; the engine itself reports a GPU that was asked for.
        b.add(b.newLogger("ai.djl", level == Level.WARN ? Level.ERROR : level));
        // PDFBox warns about every glyph a PDF's font cannot map, page after page; the text says the same
        b.add(b.newLogger("org.apache.pdfbox", level == Level.WARN ? Level.ERROR : level));
        b.add(b.newLogger("org.apache.fontbox", level == Level.WARN ? Level.ERROR : level));
        Configurator.reconfigure(b.build());
    }

    private static String oneLine(String message) {
        return message == null ? "unreadable" : message.replaceAll("\\s*\\R\\s*", " ").strip();
    }
}
