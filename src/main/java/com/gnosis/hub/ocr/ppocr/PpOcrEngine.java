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
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

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

    private final PpOcrSettings settings;
    private final ModelCache cache;
    private final Semaphore detectionTurn = new Semaphore(1);
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
            worker = state.pool.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OcrException("interrupted while waiting for an OCR worker", e);
        }
        try {
            return worker.read(page);
        } catch (TranslateException | RuntimeException e) {
            throw new OcrException("OCR failed on the page: " + rootMessage(e), e);
        } finally {
            state.pool.add(worker);
        }
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
        detectionTurn.acquireUninterruptibly();
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
        Reading[] readings = recognise(w, page, reading);
        if (LOG.isDebugEnabled()) {
            LOG.debug("page {}x{}: detection {} ms (map {}x{}), boxes {} ms ({}), direction {} ms, recognition {} ms",
                    page.width, page.height, (detected - start) / 1_000_000, map.width(), map.height(),
                    (boxed - detected) / 1_000_000, boxes.size(), (classified - boxed) / 1_000_000,
                    (System.nanoTime() - classified) / 1_000_000);
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

    /** Recognition in batches of similar width, so little of each batch is padding. */
    private Reading[] recognise(Worker w, PageImage page, List<float[][]> quads) throws TranslateException {
        Integer[] order = new Integer[quads.size()];
        int[] widths = new int[quads.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
            widths[i] = LineBatch.scaledWidth(quads.get(i), RecognitionTranslator.HEIGHT);
        }
        java.util.Arrays.sort(order, Comparator.comparingInt(i -> widths[i]));
        Reading[] readings = new Reading[quads.size()];
        int batch = settings.recBatch();
        for (int from = 0; from < order.length; from += batch) {
            int to = Math.min(order.length, from + batch);
            List<float[][]> part = new ArrayList<>(to - from);
            for (int k = from; k < to; k++) {
                part.add(quads.get(order[k]));
            }
            List<Reading> out = w.rec.predict(new LineBatch(page, part));
            for (int k = from; k < to; k++) {
                readings[order[k]] = out.get(k - from);
            }
        }
        return readings;
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

        /** Session options set here rather than through Criteria strings: the arena and CUDA need the object. */
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
                if (device.isGpu()) {
                    options.addCUDA(device.getDeviceId());
                }
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

        Worker(Models m) {
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

    private final class Loaded {
        final Models models;
        final BlockingQueue<Worker> pool;
        final List<Worker> all = new ArrayList<>();

        Loaded(Models models, int workers, boolean useClassifier) {
            this.models = models;
            this.pool = new ArrayBlockingQueue<>(workers);
            for (int i = 0; i < workers; i++) {
                Worker w = new Worker(models);
                all.add(w);
                pool.add(w);
            }
        }

        void close() {
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
            all.forEach(Worker::close);
            models.close();
        }
    }
}
