package com.gnosis.hub.metrics;

import com.gnosis.hub.ocr.DeviceInfo;
import com.gnosis.hub.ocr.OcrEngine;
import com.gnosis.hub.ocr.OcrException;
import com.gnosis.hub.ocr.TextLine;
import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.List;

/** An OCR engine whose model loading is timed for /metrics, whether it loads at start or on the first page. */
public final class MeasuredEngine implements OcrEngine {

    private final OcrEngine engine;
    private final HubMetrics metrics;

    public MeasuredEngine(OcrEngine engine, HubMetrics metrics) {
        this.engine = engine;
        this.metrics = metrics;
    }

    @Override
    public List<TextLine> read(BufferedImage page) throws OcrException {
        if (!engine.loaded()) load();
        return engine.read(page);
    }

    @Override
    public String name() {
        return engine.name();
    }

    @Override
    public synchronized void load() throws OcrException {
        if (engine.loaded()) return;
        long start = System.nanoTime();
        engine.load();
        metrics.modelLoaded(Duration.ofNanos(System.nanoTime() - start));
    }

    @Override
    public boolean loaded() {
        return engine.loaded();
    }

    @Override
    public DeviceInfo device() {
        return engine.device();
    }

    @Override
    public void close() {
        engine.close();
    }
}
