package com.gnosis.hub.bench;

import com.benjaminwan.ocrlibrary.OcrResult;
import com.gnosis.hub.ocr.PageText;
import com.gnosis.hub.ocr.ReadingOrder;
import com.gnosis.hub.ocr.TextLine;
import com.gnosis.hub.ocr.ppocr.PpOcrEngine;
import com.gnosis.hub.ocr.ppocr.PpOcrSettings;
import io.github.mymonstercat.Model;
import io.github.mymonstercat.ocr.InferenceEngine;
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
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;

/**
 * Accuracy and speed of the PP-OCR engine on the dev corpus, side by side with RapidOCR's native C++ engine
 * (same PP-OCRv4 models, its default parameters) and, when installed, the tesseract CLI.
 * <pre>
 * mvn -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=com.gnosis.hub.bench.OcrBenchmark \
 *     -Dexec.args="--workers 2 --dpi 200"
 * </pre>
 * Options: --corpus DIR (default src/test/corpus/dev), --workers N, --dpi N (PDF rendering), --only REGEX (file names),
 * --pages N (at most N pages per file, for quick experiments; such files are not scored),
 * --skip-rapid, --skip-tesseract, --hyp DIR (write each engine's text per file). Engine settings come from the
 * environment as in the hub (OCR_REC_BATCH, OCR_DET_MAX_SIDE ...).
 */
public final class OcrBenchmark {

    private static final List<String> SUBSETS = List.of("raster images", "scanned PDFs", "born-digital PDFs");

    record Doc(String name, String subset, Path file, String truth, List<String> expected, List<Path> pages) {
    }

    record Run(String text, double seconds) {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = options(args);
        Path corpus = Path.of(opt.getOrDefault("corpus", "src/test/corpus/dev")).toAbsolutePath().normalize();
        int workers = Integer.parseInt(opt.getOrDefault("workers", String.valueOf(Runtime.getRuntime().availableProcessors())));
        int dpi = Integer.parseInt(opt.getOrDefault("dpi", "200"));
        Pattern only = Pattern.compile(opt.getOrDefault("only", ".*"));
        Path hypDir = opt.containsKey("hyp") ? Files.createDirectories(Path.of(opt.get("hyp"))) : null;
        Path work = Files.createTempDirectory("ocr-bench");

        int maxPages = Integer.parseInt(opt.getOrDefault("pages", "100000"));
        List<Doc> docs = corpus(corpus, only, dpi, work).stream()
                .map(d -> new Doc(d.name, d.subset, d.file, d.pages.size() > maxPages ? null : d.truth, d.expected,
                        d.pages.subList(0, Math.min(maxPages, d.pages.size()))))
                .toList();
        int pageCount = docs.stream().mapToInt(d -> d.pages.size()).sum();
        System.out.printf("corpus %s: %d files, %d pages (PDFs rendered at %d dpi, text layer ignored)%n",
                corpus, docs.size(), pageCount, dpi);

        Map<String, Map<String, Run>> results = new LinkedHashMap<>();
        Map<String, Double> wall = new LinkedHashMap<>();

        // 1. This engine: pages of each subset spread over the workers.
        PpOcrSettings settings = PpOcrSettings.fromEnvironment(System::getenv).withWorkers(workers, 
                PpOcrSettings.fromEnvironment(System::getenv).threadsPerWorker());
        long loadStart = System.nanoTime();
        try (PpOcrEngine engine = new PpOcrEngine(settings)) {
            engine.load();
            System.out.printf("ppocr: loaded in %.1f s, device %s, %d workers x %d thread(s), rec batch %d, det max side %d%n",
                    seconds(loadStart), engine.device(), settings.workers(), settings.threadsPerWorker(), settings.recBatch(),
                    settings.detMaxSide());
            warmUp(engine, docs);
            Map<String, Run> ours = new LinkedHashMap<>();
            ExecutorService pool = Executors.newFixedThreadPool(workers);
            double total = 0;
            for (String subset : SUBSETS) {
                long start = System.nanoTime();
                Map<Doc, List<Future<String>>> futures = new LinkedHashMap<>();
                Map<Doc, double[]> busy = new HashMap<>();
                for (Doc d : docs) {
                    if (!d.subset.equals(subset)) {
                        continue;
                    }
                    double[] t = new double[1];
                    busy.put(d, t);
                    List<Future<String>> pages = new ArrayList<>();
                    for (Path page : d.pages) {
                        pages.add(pool.submit(() -> {
                            long s = System.nanoTime();
                            BufferedImage image = ImageIO.read(page.toFile());
                            String text = ReadingOrder.arrange(engine.read(image)).text();
                            synchronized (t) {
                                t[0] += seconds(s);
                            }
                            return text;
                        }));
                    }
                    futures.put(d, pages);
                }
                for (Map.Entry<Doc, List<Future<String>>> e : futures.entrySet()) {
                    List<String> texts = new ArrayList<>();
                    for (Future<String> f : e.getValue()) {
                        texts.add(f.get());
                    }
                    ours.put(e.getKey().name, new Run(String.join("\n\n", texts), busy.get(e.getKey())[0]));
                }
                double s = seconds(start);
                wall.put("ppocr/" + subset, s);
                total += s;
            }
            pool.shutdown();
            wall.put("ppocr/all", total);
            results.put("ppocr", ours);
        }
        long ourPeak = peakRssKb();
        System.out.printf("ppocr: peak RSS so far (VmHWM) %.0f MB%n", ourPeak / 1024.0);

        // 2. RapidOCR native (one engine, its defaults), the same page files.
        if (!opt.containsKey("skip-rapid")) {
            ParamConfig params = ParamConfig.getDefaultConfig();
            InferenceEngine rapid = InferenceEngine.getInstance(Model.ONNX_PPOCR_V4);
            System.out.println("rapidocr: " + params + " hardware: cores/2 threads (its HardwareConfig.getOnnxConfig default)");
            rapid.runOcr(docs.get(0).pages.get(0).toString(), params);
            results.put("rapidocr", runSequential(docs, wall, "rapidocr", p -> {
                OcrResult r = rapid.runOcr(p.toString(), params);
                return r.getStrRes();
            }));
        }
        // 3. tesseract CLI when installed.
        if (!opt.containsKey("skip-tesseract") && onPath("tesseract")) {
            results.put("tesseract", runSequential(docs, wall, "tesseract", OcrBenchmark::tesseract));
        }

        report(docs, results, wall, hypDir);
        System.out.printf("peak RSS of the whole run (VmHWM): %.0f MB; ppocr part: %.0f MB%n", peakRssKb() / 1024.0, ourPeak / 1024.0);
        // RapidOCR's native engine keeps threads alive; the figures are printed, so end here.
        System.exit(0);
    }

    interface PageOcr {
        String read(Path page) throws Exception;
    }

    private static Map<String, Run> runSequential(List<Doc> docs, Map<String, Double> wall, String engine, PageOcr ocr)
            throws Exception {
        Map<String, Run> out = new LinkedHashMap<>();
        double total = 0;
        for (String subset : SUBSETS) {
            double subsetTime = 0;
            for (Doc d : docs) {
                if (!d.subset.equals(subset)) {
                    continue;
                }
                long start = System.nanoTime();
                List<String> texts = new ArrayList<>();
                for (Path page : d.pages) {
                    texts.add(ocr.read(page));
                }
                double s = seconds(start);
                subsetTime += s;
                out.put(d.name, new Run(String.join("\n\n", texts), s));
            }
            wall.put(engine + "/" + subset, subsetTime);
            total += subsetTime;
        }
        wall.put(engine + "/all", total);
        return out;
    }

    private static void report(List<Doc> docs, Map<String, Map<String, Run>> results, Map<String, Double> wall, Path hypDir)
            throws IOException {
        System.out.println();
        System.out.printf("%-36s %-18s %5s %7s %6s %8s %8s %6s %8s%n", "file", "engine", "pages", "refchr", "edits", "cer",
                "folded", "hits", "s/page");
        Map<String, long[]> micro = new LinkedHashMap<>();
        for (Doc d : docs) {
            for (Map.Entry<String, Map<String, Run>> e : results.entrySet()) {
                Run run = e.getValue().get(d.name);
                if (run == null) {
                    continue;
                }
                if (hypDir != null) {
                    Files.writeString(hypDir.resolve(d.name + "." + e.getKey() + ".txt"), run.text, StandardCharsets.UTF_8);
                }
                String key = e.getKey() + "/" + d.subset;
                long[] acc = micro.computeIfAbsent(key, k -> new long[5]);
                String cer = "";
                String folded = "";
                String hits = "";
                long edits = 0;
                long ref = 0;
                if (d.truth != null) {
                    Cer.Score s = Cer.score(d.truth, run.text, false);
                    Cer.Score f = Cer.score(d.truth, run.text, true);
                    edits = s.edits();
                    ref = s.refLength();
                    acc[0] += s.edits();
                    acc[1] += s.refLength();
                    acc[4] += f.edits();
                    cer = String.format(Locale.ROOT, "%.4f", s.cer());
                    folded = String.format(Locale.ROOT, "%.4f", f.cer());
                } else {
                    String flat = Cer.normWs(run.text);
                    long found = d.expected.stream().filter(x -> flat.contains(Cer.normWs(x))).count();
                    acc[2] += found;
                    acc[3] += d.expected.size();
                    hits = found + "/" + d.expected.size();
                }
                System.out.printf(Locale.ROOT, "%-36s %-18s %5d %7s %6s %8s %8s %6s %8.2f%n", d.name, e.getKey(), d.pages.size(),
                        ref == 0 ? "" : ref, ref == 0 ? "" : edits, cer, folded, hits, run.seconds / d.pages.size());
            }
        }
        System.out.println();
        System.out.printf("%-18s %-18s %6s %8s %9s %8s %8s%n", "subset", "engine", "pages", "microCER", "folded", "hits", "pages/s");
        for (String subset : SUBSETS) {
            int pages = docs.stream().filter(d -> d.subset.equals(subset)).mapToInt(d -> d.pages.size()).sum();
            for (String engine : results.keySet()) {
                long[] acc = micro.getOrDefault(engine + "/" + subset, new long[5]);
                System.out.printf(Locale.ROOT, "%-18s %-18s %6d %8s %9s %8s %8.3f%n", subset, engine, pages,
                        acc[1] == 0 ? "" : String.format(Locale.ROOT, "%.4f", (double) acc[0] / acc[1]),
                        acc[1] == 0 ? "" : String.format(Locale.ROOT, "%.4f", (double) acc[4] / acc[1]),
                        acc[3] == 0 ? "" : acc[2] + "/" + acc[3], pages / wall.getOrDefault(engine + "/" + subset, Double.NaN));
            }
        }
        int allPages = docs.stream().mapToInt(d -> d.pages.size()).sum();
        int scanPages = docs.stream().filter(d -> !d.subset.equals(SUBSETS.get(2))).mapToInt(d -> d.pages.size()).sum();
        System.out.println();
        for (String engine : results.keySet()) {
            long[] r = micro.getOrDefault(engine + "/" + SUBSETS.get(0), new long[5]);
            long[] s = micro.getOrDefault(engine + "/" + SUBSETS.get(1), new long[5]);
            double scanWall = wall.getOrDefault(engine + "/" + SUBSETS.get(0), 0.0) + wall.getOrDefault(engine + "/" + SUBSETS.get(1), 0.0);
            System.out.printf(Locale.ROOT, "%-10s raster+scanned: micro CER %.4f (%d/%d), rotated hits %d/%d, %.3f pages/s; all: %.3f pages/s%n",
                    engine, (double) (r[0] + s[0]) / Math.max(1, r[1] + s[1]), r[0] + s[0], r[1] + s[1], r[2] + s[2], r[3] + s[3],
                    scanPages / scanWall, allPages / wall.get(engine + "/all"));
        }
        if (results.containsKey("rapidocr")) {
            for (String subset : SUBSETS) {
                System.out.printf(Locale.ROOT, "speed ratio ppocr / rapidocr, %-18s %.3fx%n", subset,
                        wall.get("rapidocr/" + subset) / wall.get("ppocr/" + subset));
            }
            System.out.printf(Locale.ROOT, "speed ratio ppocr / rapidocr, all pages          %.3fx%n", wall.get("rapidocr/all") / wall.get("ppocr/all"));
        }
        if (results.containsKey("tesseract")) {
            System.out.printf(Locale.ROOT, "speed ratio ppocr / tesseract, all pages         %.3fx%n", wall.get("tesseract/all") / wall.get("ppocr/all"));
        }
    }

    private static void warmUp(PpOcrEngine engine, List<Doc> docs) throws Exception {
        BufferedImage image = ImageIO.read(docs.get(0).pages.get(0).toFile());
        engine.read(image);
    }

    /** The dev documents with their truth, pages rendered once to PNG so every engine reads the same pixels. */
    private static List<Doc> corpus(Path dir, Pattern only, int dpi, Path work) throws IOException {
        Map<String, String> kinds = new HashMap<>();
        for (String line : Files.readAllLines(dir.getParent().resolve("MANIFEST.tsv"))) {
            String[] f = line.split("\t");
            if (f.length > 2) {
                kinds.put(f[1], f[2]);
            }
        }
        List<Doc> docs = new ArrayList<>();
        try (var files = Files.list(dir)) {
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString();
                String kind = kinds.get(name);
                if (kind == null || !only.matcher(name).find()) {
                    continue;
                }
                String base = name.substring(0, name.lastIndexOf('.'));
                Path gt = dir.resolve(base + ".gt.txt");
                Path expect = dir.resolve(base + ".expect.txt");
                String truth = Files.exists(gt) ? Files.readString(gt, StandardCharsets.UTF_8) : null;
                List<String> expected = Files.exists(expect)
                        ? Files.readAllLines(expect, StandardCharsets.UTF_8).stream().filter(s -> !s.isBlank()).toList() : List.of();
                String subset = switch (kind) {
                    case "scan-image" -> SUBSETS.get(0);
                    case "scanned-pdf" -> SUBSETS.get(1);
                    default -> SUBSETS.get(2);
                };
                docs.add(new Doc(name, subset, file, truth, expected, pages(file, dpi, work.resolve(base))));
            }
        }
        return docs;
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

    private static String tesseract(Path page) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("tesseract", page.toString(), "stdout", "-l", "eng")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return text;
    }

    private static boolean onPath(String command) {
        String path = System.getenv("PATH");
        return path != null && java.util.Arrays.stream(path.split(File.pathSeparator)).anyMatch(d -> Files.isExecutable(Path.of(d, command)));
    }

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

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> opt = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + a);
            }
            String key = a.substring(2);
            if (key.startsWith("skip-")) {
                opt.put(key, "true");
            } else {
                opt.put(key, args[++i]);
            }
        }
        return opt;
    }
}
