package com.gnosis.hub.ocr.ppocr;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.inference.Predictor;
import ai.djl.Model;
import ai.djl.translate.TranslateException;
import ai.djl.util.cuda.CudaUtils;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import com.gnosis.hub.ocr.DeviceInfo;
import com.gnosis.hub.ocr.OcrEngine;
import com.gnosis.hub.ocr.OcrException;
import com.gnosis.hub.ocr.TextLine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * PaddleOCR PP-OCRv4 (detection, direction classifier, recognition) on DJL's ONNX Runtime engine.
 * Each model is loaded once; every worker owns one predictor per model, because DJL predictors are not thread-safe
 * while an ONNX Runtime session may be run from several threads at once.
 */
public final class PpOcrEngine implements OcrEngine {

    private static final Logger LOG = LoggerFactory.getLogger(PpOcrEngine.class);
    // White border around the page before detection, so text touching the edge is still found (as RapidOCR does).
    private static final int DET_PADDING = 32;
    // Below this mean probability a reading is noise (PaddleOCR's drop_score).
    private static final double DROP_SCORE = 0.5;
    // The direction vote needs a sample of lines, not all of them.
    private static final int DIRECTION_SAMPLE = 24;
    private static final int DIRECTION_BATCH = 8;
    private static final float FLIP_SCORE = 0.9f;
    private static final int REC_MIN_WIDTH = 96;
    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

    private final PpOcrSettings settings;
    private final ModelCache cache;
    private final Semaphore detectionTurn = new Semaphore(1);
    private final AtomicLong partsShared = new AtomicLong();
    private volatile Loaded loaded;
    private volatile DeviceInfo device;

    public PpOcrEngine(PpOcrSettings settings) {
        this.settings = settings;
        this.cache = new ModelCache(settings.modelCache());
        this.device = new DeviceInfo(settings.device(), "none", false, null, null);
    }

    /** The engine as the environment configures it (see {@link PpOcrSettings}). */
    public static PpOcrEngine fromEnvironment() {
        return new PpOcrEngine(PpOcrSettings.fromEnvironment(System::getenv));
    }

    public PpOcrSettings settings() {
        return settings;
    }

    @Override
    public String name() {
        return "ppocr";
    }

    @Override
    public boolean loaded() {
        return loaded != null;
    }

    @Override
    public DeviceInfo device() {
        return device;
    }

    @Override
    public synchronized void load() throws OcrException {
        if (loaded != null) {
            return;
        }
        long start = System.nanoTime();
        cache.configureDjl();
        Path det = cache.resolve(settings.detModel(), PpOcrSettings.BUNDLED_DET);
        Path rec = cache.resolve(settings.recModel(), PpOcrSettings.BUNDLED_REC);
        Path keys = cache.resolve(settings.recKeys(), PpOcrSettings.BUNDLED_KEYS);
        Path cls = settings.useClassifier() ? cache.resolve(settings.clsModel(), PpOcrSettings.BUNDLED_CLS) : null;
        CtcDecoder decoder;
        try {
            decoder = CtcDecoder.fromFile(keys);
        } catch (IOException e) {
            throw new OcrException("cannot read the recognition keys " + keys + ": " + e.getMessage(), e);
        }
        Models models = null;
        DeviceInfo chosen;
        boolean cudaProvider = OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA);
        String gpuProblem = null;
        if (!settings.device().equals("cpu")) {
            if (!cudaProvider) {
                gpuProblem = "ONNX Runtime on the classpath has no CUDA provider (build with mvn -Pgpu for onnxruntime_gpu)";
            } else {
                try {
                    models = Models.load(det, cls, rec, decoder, Device.gpu(), settings);
                } catch (OcrException | RuntimeException e) {
                    gpuProblem = "CUDA provider failed: " + rootMessage(e);
                }
            }
        }
        String gpuName = cudaProvider ? gpuName() : null;
        if (models != null) {
            chosen = new DeviceInfo(settings.device(), "gpu", true, gpuName, null);
        } else {
            if (settings.device().equals("gpu")) {
                // Asked for the GPU and cannot have it: say so loudly, and in device(), never silently.
                LOG.error("OCR_DEVICE=gpu but the GPU cannot be used, running on CPU: {}", gpuProblem);
            } else if (gpuProblem != null) {
                LOG.info("OCR_DEVICE=auto: no usable GPU ({}), running on CPU", gpuProblem);
            }
            models = Models.load(det, cls, rec, decoder, Device.cpu(), settings);
            chosen = new DeviceInfo(settings.device(), "cpu", cudaProvider && gpuName != null, gpuName,
                    settings.device().equals("cpu") ? null : gpuProblem);
        }
        loaded = new Loaded(models, settings.workers(), settings.useClassifier());
        device = chosen;
        LOG.info("PP-OCR loaded in {} ms: {} workers x {} thread(s) on {} (det {}, rec {}, keys {})",
                (System.nanoTime() - start) / 1_000_000, settings.workers(), settings.threadsPerWorker(),
                chosen.inUse(), det.getFileName(), rec.getFileName(), keys.getFileName());
    }

    @Override
    public List<TextLine> read(BufferedImage image) throws OcrException {
        load();
        Loaded state = loaded;
        if (state == null) {
            throw new OcrException("the OCR engine is closed");
        }
        PageImage page = PageImage.of(image);
        Worker worker;
        try {
            worker = state.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OcrException("interrupted while waiting for an OCR worker", e);
        }
        try {
            return worker.read(page);
        } catch (TranslateException | RuntimeException e) {
            throw new OcrException("OCR failed on the page: " + rootMessage(e), e);
        } finally {
            state.release(worker);
        }
    }

    /** Line parts read so far by a worker other than their page's own (idle, or waiting for its detection turn). */
    public long partsReadByOtherWorkers() {
        return partsShared.get();
    }

    @Override
    public synchronized void close() {
        Loaded state = loaded;
        loaded = null;
        if (state != null) {
            state.close();
        }
    }

    private List<TextLine> readWith(Worker w, PageImage page) throws TranslateException {
        long start = System.nanoTime();
        ProbabilityMap map;
        // Detection's activations are the memory peak (about 1 GB at 1760 px): one page at a time keeps RSS bounded,
        // while recognition, most of the time, still runs on every worker.
        // While another page is in detection, this worker reads other pages' lines instead of idling.
        while (!detectionTurn.tryAcquire()) {
            if (!w.home.helpOnce(w)) {
                detectionTurn.acquireUninterruptibly();
                break;
            }
        }
        try {
            map = w.det.predict(page);
        } finally {
            detectionTurn.release();
        }
        long detected = System.nanoTime();
        List<float[][]> boxes = w.boxes.find(map, page.width, page.height);
        long boxed = System.nanoTime();
        if (boxes.isEmpty()) {
            return List.of();
        }
        // Reading direction of each box: tall boxes are turned a quarter (PaddleOCR's rule), then the page's vote may turn all by half.
        List<float[][]> reading = new ArrayList<>(boxes.size());
        for (float[][] b : boxes) {
            double width = Math.max(PageImage.dist(b[0], b[1]), PageImage.dist(b[3], b[2]));
            double height = Math.max(PageImage.dist(b[0], b[3]), PageImage.dist(b[1], b[2]));
            reading.add(height / width >= 1.5 ? new float[][] {b[1], b[2], b[3], b[0]} : b);
        }
        if (w.cls != null && upsideDown(w, page, reading)) {
            reading.replaceAll(q -> new float[][] {q[2], q[3], q[0], q[1]});
        }
        long classified = System.nanoTime();
        long cpu = LOG.isDebugEnabled() ? THREADS.getCurrentThreadCpuTime() : 0;
        AtomicInteger helped = new AtomicInteger();
        Reading[] readings = recognise(w, page, reading, helped);
        partsShared.addAndGet(helped.get());
        if (LOG.isDebugEnabled()) {
            long columns = reading.stream().mapToLong(q -> LineBatch.scaledWidth(q, RecognitionTranslator.HEIGHT)).sum();
            LOG.debug("page {}x{}: detection {} ms (map {}x{}), boxes {} ms ({}), direction {} ms, recognition {} ms ({} ms CPU of this thread, {} columns, {} parts by idle workers)",
                    page.width, page.height, (detected - start) / 1_000_000, map.width(), map.height(),
                    (boxed - detected) / 1_000_000, boxes.size(), (classified - boxed) / 1_000_000,
                    (System.nanoTime() - classified) / 1_000_000, (THREADS.getCurrentThreadCpuTime() - cpu) / 1_000_000, columns,
                    helped.get());
        }
        List<TextLine> lines = new ArrayList<>(boxes.size());
        for (int i = 0; i < boxes.size(); i++) {
            Reading r = readings[i];
            String text = r.text().strip();
            if (text.isEmpty() || r.confidence() < DROP_SCORE) {
                continue;
            }
            // Corners in reading direction: on an upside-down page TL is the text's start, at the page's bottom right.
            float[][] b = reading.get(i);
            float[][] polygon = {b[0].clone(), b[1].clone(), b[2].clone(), b[3].clone()};
            lines.add(new TextLine(text, r.confidence(), polygon, TextLine.Source.OCR));
        }
        return lines;
    }

    /** The page's majority vote: a per-line decision flipped clean lines in an experiment, a per-page one did not. */
    private boolean upsideDown(Worker w, PageImage page, List<float[][]> reading) throws TranslateException {
        List<float[][]> sample = new ArrayList<>(reading);
        sample.sort(Comparator.comparingDouble((float[][] q) -> -PageImage.dist(q[0], q[1])));
        sample = sample.subList(0, Math.min(DIRECTION_SAMPLE, sample.size()));
        int flipped = 0;
        for (int from = 0; from < sample.size(); from += DIRECTION_BATCH) {
            float[] p = w.cls.predict(new LineBatch(page, sample.subList(from, Math.min(sample.size(), from + DIRECTION_BATCH))));
            for (float v : p) {
                if (v >= FLIP_SCORE) {
                    flipped++;
                }
            }
        }
        return flipped * 2 > sample.size();
    }

    /**
     * Recognition in batches of similar width, so little of each batch is padding. Lines wider than
     * {@link #SPLIT_WIDTH} at the model's height are first cut in blank gaps between words: the model's time grows
     * faster than the width beyond ~1600 px, and it was trained on crops of 320.
     */
    private Reading[] recognise(Worker w, PageImage page, List<float[][]> quads, AtomicInteger helped) throws TranslateException {
        List<float[][]> parts = new ArrayList<>(quads.size());
        List<Integer> owner = new ArrayList<>(quads.size());
        for (int i = 0; i < quads.size(); i++) {
            for (float[][] part : split(page, quads.get(i))) {
                parts.add(part);
                owner.add(i);
            }
        }
        Integer[] order = new Integer[parts.size()];
        int[] widths = new int[parts.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
            widths[i] = LineBatch.scaledWidth(parts.get(i), RecognitionTranslator.HEIGHT);
        }
        // Widest first: the parts are shared with idle workers (see LineWork), and the last ones claimed are short.
        java.util.Arrays.sort(order, Comparator.comparingInt((Integer i) -> -widths[i]));
        int batch = settings.recBatch();
        List<int[]> chunks = new ArrayList<>((order.length + batch - 1) / batch);
        for (int from = 0; from < order.length; from += batch) {
            int[] chunk = new int[Math.min(order.length, from + batch) - from];
            for (int k = 0; k < chunk.length; k++) {
                chunk[k] = order[from + k];
            }
            chunks.add(chunk);
        }
        LineWork work = new LineWork(w.home, page, parts, chunks);
        Reading[] partReadings = work.runWith(w);
        helped.set(work.helped.get());
        // Parts back into their lines, in order, a space where a line was cut; confidence weighted by characters.
        Reading[] readings = new Reading[quads.size()];
        for (int k = 0; k < parts.size(); ) {
            int line = owner.get(k);
            StringBuilder text = new StringBuilder();
            double weighted = 0;
            int chars = 0;
            double plain = 0;
            int n = 0;
            for (; k < parts.size() && owner.get(k) == line; k++) {
                Reading r = partReadings[k];
                String t = r.text().strip();
                plain += r.confidence();
                n++;
                if (t.isEmpty()) {
                    continue;
                }
                if (text.length() > 0) {
                    text.append(' ');
                }
                text.append(t);
                weighted += r.confidence() * t.length();
                chars += t.length();
            }
            readings[line] = n == 1 ? partReadings[k - 1] : new Reading(text.toString(), chars == 0 ? plain / n : weighted / chars);
        }
        return readings;
    }

    // Lines wider than this at the recognition height are cut; no part is made narrower than MIN_PART.
    static final int SPLIT_WIDTH = Integer.getInteger("gnosis.ocr.splitWidth", 1280);
    private static final int MIN_PART = 320;
    // A blank run this wide (at the recognition height) is a word gap, not the space between two letters.
    private static final int MIN_GAP = 5;
    private static final int GRID_ROWS = 24;

    /** The line cut in the widest blank gap near the middle, recursively, until every part is at most SPLIT_WIDTH. */
    static List<float[][]> split(PageImage page, float[][] quad) {
        int width = LineBatch.scaledWidth(quad, RecognitionTranslator.HEIGHT);
        if (width <= SPLIT_WIDTH) {
            return List.<float[][]>of(quad);
        }
        float[] grid = page.greyGrid(quad, width, GRID_ROWS);
        // Ink threshold halfway between the line's background (bright percentile) and its darkest strokes.
        float[] sorted = grid.clone();
        java.util.Arrays.sort(sorted);
        float dark = sorted[(int) (sorted.length * 0.02)];
        float bright = sorted[(int) (sorted.length * 0.90)];
        if (bright - dark < 40) {
            return List.<float[][]>of(quad);
        }
        float ink = (bright + dark) / 2;
        boolean[] blank = new boolean[width];
        for (int u = 0; u < width; u++) {
            boolean any = false;
            for (int v = 0; v < GRID_ROWS && !any; v++) {
                any = grid[v * width + u] < ink;
            }
            blank[u] = !any;
        }
        List<float[][]> out = new ArrayList<>();
        cut(quad, blank, 0, width, width, out);
        return out;
    }

    private static void cut(float[][] quad, boolean[] blank, int from, int to, int width, List<float[][]> out) {
        int len = to - from;
        int best = -1;
        int bestRun = MIN_GAP - 1;
        if (len > SPLIT_WIDTH) {
            // The widest blank run (most likely a word gap, not one inside a word) where both parts are at least
            // MIN_PART and the first at most SPLIT_WIDTH; ties go to the one nearest the middle.
            int lo = Math.max(from + MIN_PART, to - SPLIT_WIDTH);
            int hi = Math.min(to - MIN_PART, from + SPLIT_WIDTH);
            if (lo > hi) {
                // More than two parts' worth: a first part of at most SPLIT_WIDTH, the rest cut again.
                lo = from + MIN_PART;
                hi = from + SPLIT_WIDTH;
            }
            int u = from;
            while (u < to) {
                if (!blank[u]) {
                    u++;
                    continue;
                }
                int start = u;
                while (u < to && blank[u]) {
                    u++;
                }
                int mid = (start + u) / 2;
                int run = u - start;
                if (mid >= lo && mid <= hi && (run > bestRun || (run == bestRun && Math.abs(mid - from - len / 2) < Math.abs(best - from - len / 2)))) {
                    best = mid;
                    bestRun = run;
                }
            }
        }
        if (best < 0) {
            out.add(sub(quad, (float) from / width, (float) to / width));
            return;
        }
        cut(quad, blank, from, best, width, out);
        cut(quad, blank, best, to, width, out);
    }

    /** The part of a line box between fractions a and b of its length (exact for parallelograms). */
    private static float[][] sub(float[][] q, float a, float b) {
        if (a == 0f && b == 1f) {
            return q;
        }
        return new float[][] {lerp(q[0], q[1], a), lerp(q[0], q[1], b), lerp(q[3], q[2], b), lerp(q[3], q[2], a)};
    }

    private static float[] lerp(float[] p, float[] q, float f) {
        return new float[] {p[0] + (q[0] - p[0]) * f, p[1] + (q[1] - p[1]) * f};
    }

    private static String gpuName() {
        try {
            if (CudaUtils.getGpuCount() > 0) {
                return "CUDA " + CudaUtils.getCudaVersionString() + ", compute capability " + CudaUtils.getComputeCapability(0);
            }
        } catch (RuntimeException | LinkageError e) {
            LOG.debug("No CUDA device information: {}", e.toString());
        }
        return null;
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
    }

    /** The three models, loaded once and shared by the workers, each with its own translator. */
    private record Models(Model det, Model cls, Model rec, DetectionTranslator detTranslator,
                          RecognitionTranslator recTranslator, Device device) {

        static Models load(Path det, Path cls, Path rec, CtcDecoder decoder, Device device, PpOcrSettings settings)
                throws OcrException {
            List<Model> loaded = new ArrayList<>();
            try {
                Model d = model(det, device, settings, loaded);
                Model c = cls == null ? null : model(cls, device, settings, loaded);
                Model r = model(rec, device, settings, loaded);
                return new Models(d, c, r, new DetectionTranslator(settings.detMaxSide(), DET_PADDING),
                        new RecognitionTranslator(decoder, REC_MIN_WIDTH), device);
            } catch (OcrException | RuntimeException e) {
                loaded.forEach(Model::close);
                throw e;
            }
        }

        /** Session options set here rather than through Criteria strings: the arena settings need the object. */
        private static Model model(Path file, Device device, PpOcrSettings settings, List<Model> loaded) throws OcrException {
            Model model = Model.newInstance(file.getFileName().toString(), device, "OnnxRuntime");
            loaded.add(model);
            try {
                OrtSession.SessionOptions options = new OrtSession.SessionOptions();
                options.setIntraOpNumThreads(settings.threadsPerWorker());
                options.setInterOpNumThreads(1);
                options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
                options.setCPUArenaAllocator(settings.memoryArena());
                options.setMemoryPatternOptimization(settings.memoryArena());
                // No addCUDA here: DJL's OrtModel appends the CUDA provider itself for a GPU model, and a second
                // registration of the same provider fails the session.
                model.load(file, null, Map.of("sessionOptions", options));
                return model;
            } catch (ai.onnxruntime.OrtException | IOException | MalformedModelException e) {
                throw new OcrException("cannot load model " + file + ": " + rootMessage(e), e);
            }
        }

        void close() {
            det.close();
            if (cls != null) {
                cls.close();
            }
            rec.close();
        }
    }

    /** One worker's predictors; used by one thread at a time. */
    private final class Worker {
        final Predictor<PageImage, ProbabilityMap> det;
        final Predictor<LineBatch, float[]> cls;
        final Predictor<LineBatch, List<Reading>> rec;
        final TextBoxes boxes = new TextBoxes(settings.detThreshold(), settings.boxThreshold(), settings.unclipRatio());
        final Loaded home;

        Worker(Models m, Loaded home) {
            this.home = home;
            det = m.det().newPredictor(m.detTranslator(), m.device());
            cls = m.cls() == null ? null : m.cls().newPredictor(new DirectionTranslator(), m.device());
            rec = m.rec().newPredictor(m.recTranslator(), m.device());
        }

        List<TextLine> read(PageImage page) throws TranslateException {
            return readWith(this, page);
        }

        void close() {
            det.close();
            if (cls != null) {
                cls.close();
            }
            rec.close();
        }
    }

    /**
     * The workers, and the pages whose recognition idle ones may join. A worker is out of the pool while a page's
     * reader or a helper (see {@link LineWork}) uses it; a reader waiting for one has precedence over helping.
     */
    private final class Loaded {
        final Models models;
        final BlockingQueue<Worker> pool;
        final List<Worker> all = new ArrayList<>();
        final AtomicInteger waitingForWorker = new AtomicInteger();
        final Set<LineWork> active = ConcurrentHashMap.newKeySet();
        // Threads are made on demand by the thread that hands out the work (a page reader), so they inherit its nice value.
        final ThreadPoolExecutor helpers;
        volatile boolean closing;

        Loaded(Models models, int workers, boolean useClassifier) {
            this.models = models;
            this.pool = new ArrayBlockingQueue<>(workers);
            for (int i = 0; i < workers; i++) {
                Worker w = new Worker(models, this);
                all.add(w);
                pool.add(w);
            }
            AtomicInteger threads = new AtomicInteger();
            helpers = new ThreadPoolExecutor(workers, workers, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                Thread t = new Thread(r, "ocr-line-helper-" + threads.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            helpers.allowCoreThreadTimeOut(true);
        }

        Worker take() throws InterruptedException {
            waitingForWorker.incrementAndGet();
            try {
                return pool.take();
            } finally {
                waitingForWorker.decrementAndGet();
            }
        }

        void release(Worker w) {
            pool.add(w);
            offerHelp();
        }

        /** Idle workers join the page with the most unclaimed line parts, while no reader waits for a worker. */
        void offerHelp() {
            while (!closing && waitingForWorker.get() == 0) {
                LineWork target = null;
                for (LineWork work : active) {
                    if (work.spare() > 0 && (target == null || work.spare() > target.spare())) {
                        target = work;
                    }
                }
                if (target == null) {
                    return;
                }
                Worker w = pool.poll();
                if (w == null) {
                    return;
                }
                LineWork work = target;
                work.helpers.incrementAndGet();
                try {
                    helpers.execute(() -> {
                        try {
                            work.claimLoop(w, true);
                        } finally {
                            work.helpers.decrementAndGet();
                            release(w);
                        }
                    });
                } catch (RejectedExecutionException e) {
                    work.helpers.decrementAndGet();
                    pool.add(w);
                    return;
                }
            }
        }

        /** One chunk of another page's lines read with w (which stays with its caller); false when there was none. */
        boolean helpOnce(Worker w) {
            for (LineWork work : active) {
                if (work.step(w, true)) {
                    return true;
                }
            }
            return false;
        }

        void close() {
            closing = true;
            // Wait briefly for pages in flight so no predictor is closed under a running page.
            for (int i = 0; i < all.size(); i++) {
                try {
                    if (pool.poll(30, TimeUnit.SECONDS) == null) {
                        break;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            helpers.shutdown();
            all.forEach(Worker::close);
            models.close();
        }
    }

    /**
     * One page's recognition, shared out: the page's own worker claims its line parts (widest first) one chunk at a
     * time, and workers with no page of their own - fewer pages in flight than workers, as for a single upload or the
     * last pages of a batch - claim the rest, so one page is read on every idle core. A helper hands its worker back
     * after its current chunk (at most ~SPLIT_WIDTH columns, ~0.1-0.2 s) as soon as a reader waits for one.
     */
    private static final class LineWork {
        final Loaded home;
        final PageImage page;
        final List<float[][]> parts;
        final List<int[]> chunks;
        final Reading[] out;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger helpers = new AtomicInteger();
        final AtomicInteger helped = new AtomicInteger();
        final AtomicInteger unfinished;
        final CountDownLatch finished = new CountDownLatch(1);
        volatile Throwable failure;

        LineWork(Loaded home, PageImage page, List<float[][]> parts, List<int[]> chunks) {
            this.home = home;
            this.page = page;
            this.parts = parts;
            this.chunks = chunks;
            this.out = new Reading[parts.size()];
            this.unfinished = new AtomicInteger(chunks.size());
        }

        /** Unclaimed chunks beyond one for the owner and one for each helper already on its way. */
        int spare() {
            return chunks.size() - next.get() - 1 - helpers.get();
        }

        Reading[] runWith(Worker own) throws TranslateException {
            if (chunks.isEmpty()) {
                return out;
            }
            if (chunks.size() > 1) {
                home.active.add(this);
                home.offerHelp();
            }
            try {
                claimLoop(own, false);
            } finally {
                home.active.remove(this);
            }
            // Helpers finish the chunk they hold (no interruption: their worker must come back whole).
            boolean interrupted = false;
            while (true) {
                try {
                    finished.await();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            Throwable f = failure;
            if (f instanceof TranslateException t) {
                throw t;
            }
            if (f instanceof RuntimeException r) {
                throw r;
            }
            if (f instanceof Error e) {
                throw e;
            }
            return out;
        }

        /** Claims and reads chunks until none is left (or, for a helper, until a reader waits for a worker). */
        void claimLoop(Worker w, boolean helper) {
            while ((!helper || home.waitingForWorker.get() == 0) && step(w, helper)) {
                // next chunk
            }
        }

        /** Claims and reads one chunk; false when none was left. */
        boolean step(Worker w, boolean helper) {
            int i = next.getAndIncrement();
            if (i >= chunks.size()) {
                return false;
            }
            try {
                if (failure == null) {
                    int[] chunk = chunks.get(i);
                    List<float[][]> quads = new ArrayList<>(chunk.length);
                    for (int k : chunk) {
                        quads.add(parts.get(k));
                    }
                    List<Reading> read = w.rec.predict(new LineBatch(page, quads));
                    for (int k = 0; k < chunk.length; k++) {
                        out[chunk[k]] = read.get(k);
                    }
                    if (helper) {
                        helped.addAndGet(chunk.length);
                    }
                }
            } catch (TranslateException | RuntimeException | Error e) {
                if (failure == null) {
                    failure = e;
                }
            } finally {
                if (unfinished.decrementAndGet() == 0) {
                    finished.countDown();
                }
            }
            return true;
        }
    }
}
