package com.gnosis.hub.bench;

import com.gnosis.hub.settings.HubSettings;
import com.gnosis.hub.ocr.Document;
import com.gnosis.hub.ocr.OcrEngine;
import com.gnosis.hub.ocr.PageReader;
import com.gnosis.hub.ocr.PdfTextMode;
import com.gnosis.hub.ocr.ppocr.PpOcrEngine;
import com.gnosis.hub.ocr.ppocr.PpOcrSettings;
import com.gnosis.hub.testing.pages.GeneratedPage;
import com.gnosis.hub.testing.pages.PageClass;
import io.github.mymonstercat.Model;
import io.github.mymonstercat.ocr.InferenceEngine;
import io.github.mymonstercat.ocr.config.HardwareConfig;
import io.github.mymonstercat.ocr.config.ParamConfig;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Accuracy and speed of the hub's OCR, class by class, side by side with tesseract 5 in the same run on the same page
 * files, and on request RapidOCR's native engine (same PP-OCRv4 models).
 * <ul>
 * <li>Classes: the dev set's raster pages, scanned PDFs and born-digital PDFs (rendered, text layer ignored); the 100
 * UW-III text lines ({@code lines/}); and every generated class ({@link PageClass}: columns, tight crops, worn pages,
 * inverse text, rotated pages, tables, skewed scans, low resolution), page i of a class always the same page.</li>
 * <li>Equal resources: this engine with N workers; tesseract as a pool of N processes, one page each, with
 * {@code OMP_THREAD_LIMIT=1}; RapidOCR (one native engine, pages in turn) with {@code numThread} = N. N = the cores
 * unless --workers says otherwise.</li>
 * <li>Figures per class and engine: micro CER ({@link Cer}, as tools/cer.py), pages or lines whose output is empty
 * where the truth has text, pages/s (the class's pages over the wall time from first submission to last result), and
 * the ratios against tesseract. A markdown table at the end pastes into docs/BENCHMARKS.md.</li>
 * </ul>
 * <pre>
 * mvn -q -o test-compile
 * mvn -q -o dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt -Dmdep.includeScope=test
 * java -cp target/test-classes:target/classes:$(cat /tmp/cp.txt) com.gnosis.hub.bench.OcrBenchmark --classes lines,generated
 * </pre>
 * Options: --corpus DIR (default src/test/corpus: dev/ and lines/), --classes LIST (comma-separated class ids, or
 * {@code dev}, {@code generated}, {@code all}; default all), --only REGEX (file, line or generated page names),
 * --pages N (at most N pages per dev file, such files not scored; at most N pages per generated class and N lines),
 * --workers N, --dpi N (PDF rendering), --skip-tesseract, --rapid (also RapidOCR), --hyp DIR (each engine's text
 * per item), --keep DIR (the page images and truths, instead of a temporary folder), --details (a row per page for
 * generated classes and lines too). Engine settings come from the environment as in the hub (OCR_REC_BATCH, ...).
 */
public final class OcrBenchmark {

    private static final List<String> DEV_CLASSES = List.of("dev-raster", "scanned-pdf", "born-digital");
    private static final Map<String, String> LABELS = new LinkedHashMap<>();

    static {
        LABELS.put("dev-raster", "dev raster pages");
        LABELS.put("scanned-pdf", "dev scanned PDFs");
        LABELS.put("born-digital", "dev born-digital PDFs");
        LABELS.put("lines", "UW-III lines");
        for (PageClass c : PageClass.values()) {
            LABELS.put(c.id(), "generated: " + c.id());
        }
    }

    /** One scored unit: a dev document (its pages), a text line, or a generated page. */
    record Item(String name, String cls, List<Path> pages, String truth, List<String> expected, int dpi) {
    }

    /** What an engine returned for an item: the text of each page. */
    record Run(List<String> pages) {
        String text() {
            return String.join("\n\n", pages);
        }
    }

    interface PageOcr {
        String read(Item item, Path page) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = options(args);
        Path corpus = Path.of(opt.getOrDefault("corpus", "src/test/corpus")).toAbsolutePath().normalize();
        System.setProperty("corpus.dir", corpus.toString());
        int cores = Runtime.getRuntime().availableProcessors();
        int workers = Integer.parseInt(opt.getOrDefault("workers", String.valueOf(cores)));
        int dpi = Integer.parseInt(opt.getOrDefault("dpi", "200"));
        int maxPages = Integer.parseInt(opt.getOrDefault("pages", "100000"));
        Pattern only = Pattern.compile(opt.getOrDefault("only", ".*"));
        Set<String> classes = classes(opt.getOrDefault("classes", "all"));
        Path hypDir = opt.containsKey("hyp") ? Files.createDirectories(Path.of(opt.get("hyp"))) : null;
        Path work = opt.containsKey("keep") ? Files.createDirectories(Path.of(opt.get("keep"))) : Files.createTempDirectory("ocr-bench");

        long prepStart = System.nanoTime();
        List<Item> items = new ArrayList<>();
        if (classes.stream().anyMatch(DEV_CLASSES::contains)) {
            items.addAll(dev(corpus.resolve("dev"), only, dpi, maxPages, work.resolve("dev"), classes));
        }
        if (classes.contains("lines")) {
            items.addAll(lines(corpus.resolve("lines"), only, maxPages));
        }
        items.addAll(generated(classes, only, maxPages, work.resolve("generated"), workers));
        List<String> order = LABELS.keySet().stream().filter(c -> items.stream().anyMatch(i -> i.cls.equals(c))).toList();
        System.out.printf(Locale.ROOT, "%d items, %d pages in %s, prepared in %.0f s (pages under %s); %d cores, %d workers%n",
                items.size(), items.stream().mapToInt(i -> i.pages.size()).sum(), order, seconds(prepStart), work, cores, workers);
        if (items.isEmpty()) {
            System.out.println("nothing to read");
            return;
        }

        Map<String, Map<String, Run>> results = new LinkedHashMap<>();
        Map<String, Double> wall = new LinkedHashMap<>();

        // 1. The hub's engine, through the hub's own page pipeline, N workers reading pages from one queue.
        String workerCount = String.valueOf(workers);
        PpOcrSettings settings = PpOcrSettings.fromEnvironment(HubSettings.standalone(
                name -> "OCR_WORKERS".equals(name) ? workerCount : System.getenv(name))::env);
        long loadStart = System.nanoTime();
        try (OcrEngine engine = new PpOcrEngine(settings)) {
            engine.load();
            System.out.printf(Locale.ROOT, "hub: loaded in %.1f s, device %s, %d workers x %d thread(s), rec batch %d, det max side %d%n",
                    seconds(loadStart), engine.device(), settings.workers(), settings.threadsPerWorker(), settings.recBatch(),
                    settings.detMaxSide());
            PageReader reader = new PageReader(engine, PdfTextMode.NEVER, dpi);
            PageOcr hub = (item, page) -> {
                try (Document document = Document.open(page)) {
                    return reader.read(document, 0).text();
                }
            };
            hub.read(items.get(0), items.get(0).pages.get(0));
            results.put("hub", runPool("hub", items, order, workers, wall, hub));
        }
        long hubPeak = peakRssKb();
        System.out.printf("hub: peak RSS so far (VmHWM) %.0f MB%n", hubPeak / 1024.0);

        // 2. tesseract, N single-threaded processes at a time.
        if (!opt.containsKey("skip-tesseract")) {
            if (onPath("tesseract")) {
                System.out.println("tesseract: " + tesseractVersion() + ", " + workers + " processes at a time, OMP_THREAD_LIMIT=1, -l eng");
                results.put("tesseract", runPool("tesseract", items, order, workers, wall, OcrBenchmark::tesseract));
            } else {
                System.out.println("tesseract: not on PATH (Debian: apt-get install tesseract-ocr), skipped");
            }
        }

        // 3. RapidOCR's native engine on request: one engine, numThread = N, pages in turn.
        if (opt.containsKey("rapid")) {
            ParamConfig params = ParamConfig.getDefaultConfig();
            HardwareConfig hardware = HardwareConfig.getOnnxConfig();
            hardware.setNumThread(workers);
            InferenceEngine rapid = InferenceEngine.getInstance(Model.ONNX_PPOCR_V4, hardware);
            System.out.println("rapidocr: " + params + " " + hardware);
            rapid.runOcr(items.get(0).pages.get(0).toString(), params);
            results.put("rapidocr", runPool("rapidocr", items, order, 1, wall, (item, page) -> rapid.runOcr(page.toString(), params).getStrRes()));
        }

        report(items, order, results, wall, hypDir, opt.containsKey("details"), workers);
        System.out.printf("peak RSS of the whole run (VmHWM): %.0f MB; hub part: %.0f MB%n", peakRssKb() / 1024.0, hubPeak / 1024.0);
        // RapidOCR's native engine keeps threads alive; the figures are printed, so end here.
        System.exit(0);
    }

    /** Each class in turn: all its pages submitted to {@code threads} threads at once, timed until the last is read. */
    private static Map<String, Run> runPool(String engine, List<Item> items, List<String> order, int threads,
                                            Map<String, Double> wall, PageOcr ocr) throws Exception {
        Map<String, Run> out = new LinkedHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            double total = 0;
            for (String cls : order) {
                long start = System.nanoTime();
                Map<Item, List<Future<String>>> futures = new LinkedHashMap<>();
                for (Item item : items) {
                    if (item.cls.equals(cls)) {
                        List<Future<String>> pages = new ArrayList<>();
                        for (Path page : item.pages) {
                            pages.add(pool.submit(() -> {
                                try {
                                    return ocr.read(item, page);
                                } catch (Exception | LinkageError e) {
                                    // one bad page is scored as empty output, not the end of an hour's run
                                    System.out.printf("%s: %s failed: %s%n", engine, page.getFileName(), e);
                                    return "";
                                }
                            }));
                        }
                        futures.put(item, pages);
                    }
                }
                for (Map.Entry<Item, List<Future<String>>> e : futures.entrySet()) {
                    List<String> texts = new ArrayList<>();
                    for (Future<String> f : e.getValue()) {
                        texts.add(f.get());
                    }
                    out.put(e.getKey().name, new Run(texts));
                }
                double s = seconds(start);
                wall.put(engine + "/" + cls, s);
                total += s;
                int pages = futures.keySet().stream().mapToInt(i -> i.pages.size()).sum();
                System.out.printf(Locale.ROOT, "%s: %-22s %4d pages in %7.1f s%n", engine, cls, pages, s);
            }
            wall.put(engine + "/all", total);
        } finally {
            pool.shutdownNow();
        }
        return out;
    }

    /** Per class and engine: edits, reference characters, empty pages, pages with truth, substring hits, expected. */
    private static final class Tally {
        long edits;
        long ref;
        long foldedEdits;
        int empty;
        int pages;
        int hits;
        int expected;
    }

    private static void report(List<Item> items, List<String> order, Map<String, Map<String, Run>> results,
                               Map<String, Double> wall, Path hypDir, boolean details, int workers) throws IOException {
        System.out.println();
        System.out.printf("%-44s %-10s %5s %7s %6s %8s %8s %6s %5s%n", "item", "engine", "pages", "refchr", "edits", "cer",
                "folded", "hits", "empty");
        Map<String, Tally> tallies = new HashMap<>();
        for (Item item : items) {
            for (Map.Entry<String, Map<String, Run>> e : results.entrySet()) {
                Run run = e.getValue().get(item.name);
                if (run == null) {
                    continue;
                }
                if (hypDir != null) {
                    Files.writeString(hypDir.resolve(item.name + "." + e.getKey() + ".txt"), run.text(), StandardCharsets.UTF_8);
                }
                Tally t = tallies.computeIfAbsent(e.getKey() + "/" + item.cls, k -> new Tally());
                boolean hasText = (item.truth != null && !item.truth.isBlank()) || !item.expected.isEmpty();
                int empty = hasText ? (int) run.pages.stream().filter(String::isBlank).count() : 0;
                t.empty += empty;
                t.pages += hasText ? item.pages.size() : 0;
                String cer = "";
                String folded = "";
                String hits = "";
                String ref = "";
                String edits = "";
                if (item.truth != null) {
                    Cer.Score s = Cer.score(item.truth, run.text(), false);
                    Cer.Score f = Cer.score(item.truth, run.text(), true);
                    t.edits += s.edits();
                    t.ref += s.refLength();
                    t.foldedEdits += f.edits();
                    cer = String.format(Locale.ROOT, "%.4f", s.cer());
                    folded = String.format(Locale.ROOT, "%.4f", f.cer());
                    ref = String.valueOf(s.refLength());
                    edits = String.valueOf(s.edits());
                } else if (!item.expected.isEmpty()) {
                    String flat = Cer.normWs(run.text());
                    long found = item.expected.stream().filter(x -> flat.contains(Cer.normWs(x))).count();
                    t.hits += (int) found;
                    t.expected += item.expected.size();
                    hits = found + "/" + item.expected.size();
                }
                if (details || DEV_CLASSES.contains(item.cls)) {
                    System.out.printf(Locale.ROOT, "%-44s %-10s %5d %7s %6s %8s %8s %6s %5s%n", abbreviate(item.name, 44), e.getKey(),
                            item.pages.size(), ref, edits, cer, folded, hits, empty == 0 ? "" : empty);
                }
            }
        }

        List<String> engines = new ArrayList<>(results.keySet());
        boolean tess = engines.contains("tesseract");
        System.out.println();
        StringBuilder head = new StringBuilder("| class | pages |");
        StringBuilder rule = new StringBuilder("| --- | --- |");
        for (String e : engines) {
            head.append(' ').append(e).append(" CER | ").append(e).append(" empty | ").append(e).append(" pages/s |");
            rule.append(" --- | --- | --- |");
        }
        if (tess) {
            head.append(" CER hub/tess | speed hub/tess |");
            rule.append(" --- | --- |");
        }
        System.out.println(head);
        System.out.println(rule);
        for (String cls : order) {
            int pages = items.stream().filter(i -> i.cls.equals(cls)).mapToInt(i -> i.pages.size()).sum();
            StringBuilder row = new StringBuilder("| " + LABELS.get(cls) + " | " + pages + " |");
            for (String e : engines) {
                Tally t = tallies.getOrDefault(e + "/" + cls, new Tally());
                String cer = t.ref == 0 ? "" : String.format(Locale.ROOT, "%.4f", (double) t.edits / t.ref);
                if (t.expected > 0) {
                    cer += (cer.isEmpty() ? "" : ", ") + "found " + t.hits + "/" + t.expected;
                }
                row.append(' ').append(cer).append(" | ").append(t.empty).append('/').append(t.pages).append(" | ")
                        .append(String.format(Locale.ROOT, "%.3f", pages / wall.get(e + "/" + cls))).append(" |");
            }
            if (tess) {
                Tally h = tallies.getOrDefault("hub/" + cls, new Tally());
                Tally t = tallies.getOrDefault("tesseract/" + cls, new Tally());
                String cerRatio = h.ref == 0 || t.edits == 0 ? (h.ref > 0 && t.edits == 0 ? (h.edits == 0 ? "1 (both 0)" : "inf") : "")
                        : String.format(Locale.ROOT, "%.2fx", (double) h.edits / t.edits);
                row.append(' ').append(cerRatio).append(" | ")
                        .append(String.format(Locale.ROOT, "%.2fx", wall.get("tesseract/" + cls) / wall.get("hub/" + cls))).append(" |");
            }
            System.out.println(row);
        }
        System.out.println();
        int allPages = items.stream().mapToInt(i -> i.pages.size()).sum();
        for (String e : engines) {
            long edits = 0;
            long ref = 0;
            int empty = 0;
            for (String cls : order) {
                Tally t = tallies.getOrDefault(e + "/" + cls, new Tally());
                edits += t.edits;
                ref += t.ref;
                empty += t.empty;
            }
            System.out.printf(Locale.ROOT, "%-10s all classes: micro CER %.4f (%d/%d), %d empty, %.3f pages/s%n", e,
                    (double) edits / Math.max(1, ref), edits, ref, empty, allPages / wall.get(e + "/all"));
        }
        System.out.printf(Locale.ROOT, "CER hub/tess: the hub's edits over tesseract's on the same pages (goal <= 0.5x); speed hub/tess: "
                + "tesseract's wall time over the hub's (> 1: the hub is faster); %d workers / processes each%n", workers);
    }

    // ---------------------------------------------------------------- the items

    private static Set<String> classes(String spec) {
        Set<String> out = new LinkedHashSet<>();
        for (String c : spec.split(",")) {
            String id = c.trim();
            switch (id) {
                case "all" -> out.addAll(LABELS.keySet());
                case "dev" -> out.addAll(DEV_CLASSES);
                case "generated" -> Arrays.stream(PageClass.values()).map(PageClass::id).forEach(out::add);
                default -> {
                    if (!LABELS.containsKey(id)) {
                        throw new IllegalArgumentException("unknown class " + id + "; known: all, dev, generated, " + String.join(", ", LABELS.keySet()));
                    }
                    out.add(id);
                }
            }
        }
        return out;
    }

    /** The dev documents with their truth, pages rendered once to PNG so every engine reads the same pixels. */
    private static List<Item> dev(Path dir, Pattern only, int dpi, int maxPages, Path work, Set<String> classes) throws IOException {
        Files.createDirectories(work);
        Map<String, String> kinds = new HashMap<>();
        for (String line : Files.readAllLines(dir.getParent().resolve("MANIFEST.tsv"))) {
            String[] f = line.split("\t");
            if (f.length > 2) {
                kinds.put(f[1], f[2]);
            }
        }
        List<Item> items = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString();
                String kind = kinds.get(name);
                if (kind == null || !only.matcher(name).find()) {
                    continue;
                }
                String cls = switch (kind) {
                    case "scan-image" -> "dev-raster";
                    case "scanned-pdf" -> "scanned-pdf";
                    default -> "born-digital";
                };
                if (!classes.contains(cls)) {
                    continue;
                }
                String base = name.substring(0, name.lastIndexOf('.'));
                Path gt = dir.resolve(base + ".gt.txt");
                Path expect = dir.resolve(base + ".expect.txt");
                String truth = Files.exists(gt) ? Files.readString(gt, StandardCharsets.UTF_8) : null;
                List<String> expected = Files.exists(expect)
                        ? Files.readAllLines(expect, StandardCharsets.UTF_8).stream().filter(s -> !s.isBlank()).toList() : List.of();
                List<Path> pages = pages(file, dpi, work.resolve(base));
                boolean cut = pages.size() > maxPages;
                items.add(new Item(name, cls, pages.subList(0, Math.min(maxPages, pages.size())), cut ? null : truth,
                        cut ? List.of() : expected, name.endsWith(".pdf") ? dpi : 0));
            }
        }
        return items;
    }

    private static List<Item> lines(Path dir, Pattern only, int max) throws IOException {
        List<Item> items = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path png : files.filter(p -> p.toString().endsWith(".png")).sorted().toList()) {
                String name = png.getFileName().toString();
                Path gt = dir.resolve(name.replace(".png", ".gt.txt"));
                if (items.size() < max && only.matcher(name).find() && Files.exists(gt)) {
                    items.add(new Item(name, "lines", List.of(png), Files.readString(gt, StandardCharsets.UTF_8), List.of(), 0));
                }
            }
        }
        return items;
    }

    /** The generated classes' pages, built in parallel and written as PNG with their truth beside them. */
    private static List<Item> generated(Set<String> classes, Pattern only, int max, Path work, int threads) throws Exception {
        List<Item> items = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Item>> futures = new ArrayList<>();
            for (PageClass c : PageClass.values()) {
                if (!classes.contains(c.id())) {
                    continue;
                }
                Path dir = Files.createDirectories(work.resolve(c.id()));
                for (int i = 0; i < Math.min(max, c.defaultCount()); i++) {
                    int index = i;
                    futures.add(pool.submit(() -> {
                        GeneratedPage page = c.page(index);
                        if (!only.matcher(page.name()).find()) {
                            return null;
                        }
                        Path png = dir.resolve(page.name() + ".png");
                        ImageIO.write(page.image(), "png", png.toFile());
                        Files.writeString(dir.resolve(page.name() + ".gt.txt"), page.truth(), StandardCharsets.UTF_8);
                        return new Item(page.name(), c.id(), List.of(png), page.truth(), List.of(), page.dpi());
                    }));
                }
            }
            for (Future<Item> f : futures) {
                Item item = f.get();
                if (item != null) {
                    items.add(item);
                }
            }
        } finally {
            pool.shutdown();
        }
        return items;
    }

    private static List<Path> pages(Path file, int dpi, Path prefix) throws IOException {
        List<Path> out = new ArrayList<>();
        if (file.toString().endsWith(".pdf")) {
            try (PDDocument pdf = Loader.loadPDF(file.toFile())) {
                PDFRenderer renderer = new PDFRenderer(pdf);
                for (int i = 0; i < pdf.getNumberOfPages(); i++) {
                    out.add(write(renderer.renderImageWithDPI(i, dpi, ImageType.RGB), prefix, i));
                }
            }
            return out;
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            ImageReader reader = readers.next();
            reader.setInput(in);
            int n = reader.getNumImages(true);
            for (int i = 0; i < n; i++) {
                out.add(write(reader.read(i), prefix, i));
            }
            reader.dispose();
        }
        return out;
    }

    private static Path write(BufferedImage image, Path prefix, int index) throws IOException {
        Path png = Path.of(prefix + "-" + (index + 1) + ".png");
        ImageIO.write(image, "png", png.toFile());
        return png;
    }

    // ---------------------------------------------------------------- tesseract

    private static String tesseract(Item item, Path page) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("tesseract", page.toString(), "stdout", "-l", "eng"));
        if (item.dpi > 0) {
            // the PNG carries no resolution; tesseract would guess it from the letters
            command.addAll(List.of("--dpi", String.valueOf(item.dpi)));
        }
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("OMP_THREAD_LIMIT", "1");
        Process p = pb.start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return text;
    }

    private static String tesseractVersion() {
        try {
            Process p = new ProcessBuilder("tesseract", "--version").redirectErrorStream(true).start();
            String first = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().findFirst().orElse("?");
            p.waitFor();
            return first;
        } catch (IOException | InterruptedException e) {
            return "version unknown";
        }
    }

    private static boolean onPath(String command) {
        String path = System.getenv("PATH");
        return path != null && Arrays.stream(path.split(File.pathSeparator)).anyMatch(d -> Files.isExecutable(Path.of(d, command)));
    }

    // ---------------------------------------------------------------- odds and ends

    static long peakRssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }

    private static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static Map<String, String> options(String[] args) {
        Set<String> flags = Set.of("skip-tesseract", "rapid", "details");
        Map<String, String> opt = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + a);
            }
            String key = a.substring(2);
            if (flags.contains(key)) {
                opt.put(key, "true");
            } else if (i + 1 < args.length) {
                opt.put(key, args[++i]);
            } else {
                throw new IllegalArgumentException("--" + key + " needs a value");
            }
        }
        return opt;
    }
}
