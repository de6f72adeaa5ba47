package com.gnosis.hub.ocr.ppocr;

import ai.djl.translate.TranslateException;
import com.gnosis.hub.ocr.DeviceInfo;
import com.gnosis.hub.ocr.OcrEngine;
import com.gnosis.hub.ocr.OcrException;
import com.gnosis.hub.ocr.PageText;
import com.gnosis.hub.ocr.ReadingOrder;
import com.gnosis.hub.ocr.TextLine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * PaddleOCR PP-OCRv4 (detection, direction classifier, recognition) on DJL's ONNX Runtime engine. The models load
 * once; each thread that reads pages gets its own predictor set on its first page and keeps it (the page
 * scheduler's workers are those threads). The engine starts no threads: a page is read on the caller's thread.
 */
public final class PpOcrEngine implements OcrEngine {

    private static final Logger LOG = LoggerFactory.getLogger(PpOcrEngine.class);

    private final PpOcrSettings settings;
    private final ModelCache cache;
    private final PagePipeline pipeline;
    private final Map<Thread, Predictors> predictors = new ConcurrentHashMap<>();
    // Pages in flight hold it shared; close() takes it alone, so no predictor is closed under a running page.
    private final ReadWriteLock inFlight = new ReentrantReadWriteLock();
    private volatile PpOcrModels models;
    private volatile DeviceInfo device;

    public PpOcrEngine(PpOcrSettings settings) {
        this.settings = settings;
        this.cache = new ModelCache(settings.modelCache());
        this.pipeline = new PagePipeline(settings);
        this.device = new DeviceInfo(settings.device(), "none", false, null, null);
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
        return models != null;
    }

    @Override
    public DeviceInfo device() {
        return device;
    }

    @Override
    public synchronized void load() throws OcrException {
        if (models != null) {
            return;
        }
        long start = System.nanoTime();
        PpOcrModels loaded = PpOcrModels.load(settings, cache);
        device = loaded.device();
        models = loaded;
        LOG.info("PP-OCR loaded in {} ms on {}, {} intra-op thread(s) per page (det {}, rec {})",
                (System.nanoTime() - start) / 1_000_000, device.inUse(), settings.threadsPerWorker(),
                settings.detModel(), settings.recModel());
    }

    @Override
    public List<TextLine> read(BufferedImage image) throws OcrException {
        return readLines(image).lines();
    }

    @Override
    public PageText readPage(BufferedImage image) throws OcrException {
        PagePipeline.PageLines page = readLines(image);
        return ReadingOrder.arrange(page.lines()).withWarnings(page.warnings());
    }

    private PagePipeline.PageLines readLines(BufferedImage image) throws OcrException {
        load();
        PageImage page = PageImage.of(image);
        inFlight.readLock().lock();
        try {
            return pipeline.read(predictorsOfThisThread(), page);
        } catch (TranslateException | RuntimeException e) {
            throw new OcrException("OCR failed on the page: " + PpOcrModels.rootMessage(e), e);
        } finally {
            inFlight.readLock().unlock();
        }
    }

    /** Predictor sets made so far: one per thread that has read a page. */
    int predictorSets() {
        return predictors.size();
    }

    private Predictors predictorsOfThisThread() throws OcrException {
        PpOcrModels current = models;
        if (current == null) {
            throw new OcrException("the OCR engine is closed");
        }
        // A thread that has ended gives its set back before a new one is made, so sets never outnumber live threads.
        predictors.entrySet().removeIf(e -> {
            if (!e.getKey().isAlive()) {
                e.getValue().close();
                return true;
            }
            return false;
        });
        return predictors.computeIfAbsent(Thread.currentThread(), t -> current.newPredictors());
    }

    @Override
    public synchronized void close() {
        PpOcrModels current = models;
        models = null;
        boolean quiet = false;
        try {
            quiet = inFlight.writeLock().tryLock(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            predictors.values().forEach(Predictors::close);
            predictors.clear();
            if (current != null) {
                current.close();
            }
        } finally {
            if (quiet) {
                inFlight.writeLock().unlock();
            }
        }
    }
}
