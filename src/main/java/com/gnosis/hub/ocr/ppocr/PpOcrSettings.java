package com.gnosis.hub.ocr.ppocr;

import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Function;

/**
 * Settings of the PP-OCR engine, read from the environment.
 *
 * @param modelCache     MODEL_CACHE_PATH (default $STORAGE_PATH/cache/models): bundled models are unpacked here, operator models looked up here
 * @param device         OCR_DEVICE (default auto): auto, cpu or gpu
 * @param workers        OCR_WORKERS (default number of cores): page scheduler workers, i.e. pages read at once
 * @param threadsPerWorker OCR_THREADS_PER_WORKER (default the number of cores, at most 4): ONNX Runtime intra-op
 *                       threads of each model session, shared by the pages running on it, so that a page read alone
 *                       (one upload, the last page of a batch) uses the idle cores
 * @param detModel       OCR_DET_MODEL (default the bundled ch_PP-OCRv4_det_infer.onnx): detection model, a name in the cache or a path
 * @param recModel       OCR_REC_MODEL (default the bundled ch_PP-OCRv4_rec_infer.onnx): recognition model, a name in the cache or a path
 * @param recKeys        OCR_REC_KEYS (default the bundled ppocr_keys_v1.txt): the recognition model's character list, one per line
 * @param clsModel       OCR_CLS_MODEL (default the bundled ch_ppocr_mobile_v2.0_cls_infer.onnx): text direction classifier
 * @param useClassifier  OCR_CLS (default true): let the direction classifier propose turning a page of many lines
 * @param detMaxSide     OCR_DET_MAX_SIDE (default 1760): longest side of the detection input in pixels (bounds memory and time)
 * @param detThreshold   OCR_DET_THRESHOLD (default 0.3): probability above which a pixel is text
 * @param boxThreshold   OCR_BOX_THRESHOLD (default 0.6): mean probability a box needs to be kept
 * @param unclipRatio    OCR_UNCLIP_RATIO (default 1.6): how far a detected text core is grown to the full line
 * @param recBatch       OCR_REC_BATCH (default 1): crops of similar width recognised in one run; larger batches were
 *                       slower on dense pages (padding, and ONNX Runtime's batched kernels; README, OCR benchmark)
 * @param memoryArena    OCR_MEMORY_ARENA (default true): ONNX Runtime's CPU memory arena; much faster, but each session
 *                       keeps the peak of the page sizes it has seen (README, OCR benchmark)
 */
public record PpOcrSettings(Path modelCache, String device, int workers, int threadsPerWorker,
                            String detModel, String recModel, String recKeys, String clsModel, boolean useClassifier,
                            int detMaxSide, float detThreshold, float boxThreshold, float unclipRatio, int recBatch, boolean memoryArena) {

    public static final String BUNDLED_DET = "ch_PP-OCRv4_det_infer.onnx";
    public static final String BUNDLED_REC = "ch_PP-OCRv4_rec_infer.onnx";
    public static final String BUNDLED_KEYS = "ppocr_keys_v1.txt";
    public static final String BUNDLED_CLS = "ch_ppocr_mobile_v2.0_cls_infer.onnx";

    public PpOcrSettings {
        device = device.toLowerCase(Locale.ROOT);
        if (!device.equals("auto") && !device.equals("cpu") && !device.equals("gpu")) {
            throw new IllegalArgumentException("OCR_DEVICE must be auto, cpu or gpu, not " + device);
        }
        if (workers < 1 || threadsPerWorker < 1 || recBatch < 1 || detMaxSide < 32) {
            throw new IllegalArgumentException("OCR_WORKERS, OCR_THREADS_PER_WORKER, OCR_REC_BATCH must be >= 1 and OCR_DET_MAX_SIDE >= 32");
        }
    }

    /**
     * The engine's settings as the hub reads them: {@code setting} answers every name with its value or its default
     * from application.properties (pass {@code HubSettings::env}); OCR_WORKERS and OCR_THREADS_PER_WORKER left
     * empty mean the number of cores (at most 4 for the threads).
     */
    public static PpOcrSettings fromEnvironment(Function<String, String> setting) {
        int cores = Runtime.getRuntime().availableProcessors();
        return new PpOcrSettings(
                Path.of(required(setting, "MODEL_CACHE_PATH")).toAbsolutePath().normalize(),
                required(setting, "OCR_DEVICE"),
                whole(setting, "OCR_WORKERS", cores),
                whole(setting, "OCR_THREADS_PER_WORKER", Math.min(4, cores)),
                required(setting, "OCR_DET_MODEL"),
                required(setting, "OCR_REC_MODEL"),
                required(setting, "OCR_REC_KEYS"),
                required(setting, "OCR_CLS_MODEL"),
                Boolean.parseBoolean(required(setting, "OCR_CLS")),
                Integer.parseInt(required(setting, "OCR_DET_MAX_SIDE")),
                Float.parseFloat(required(setting, "OCR_DET_THRESHOLD")),
                Float.parseFloat(required(setting, "OCR_BOX_THRESHOLD")),
                Float.parseFloat(required(setting, "OCR_UNCLIP_RATIO")),
                Integer.parseInt(required(setting, "OCR_REC_BATCH")),
                Boolean.parseBoolean(required(setting, "OCR_MEMORY_ARENA")));
    }

    /** A copy with another number of workers and threads per worker (benchmarks, tests). */
    public PpOcrSettings withWorkers(int newWorkers, int newThreadsPerWorker) {
        return new PpOcrSettings(modelCache, device, newWorkers, newThreadsPerWorker, detModel, recModel, recKeys, clsModel,
                useClassifier, detMaxSide, detThreshold, boxThreshold, unclipRatio, recBatch, memoryArena);
    }

    private static String required(Function<String, String> setting, String name) {
        String v = setting.apply(name);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException(name + " has no value (application.properties gives it a default)");
        }
        return v.trim();
    }

    /** A whole number, or {@code whenEmpty} when the setting is left empty. */
    private static int whole(Function<String, String> setting, String name, int whenEmpty) {
        String v = setting.apply(name);
        try {
            return v == null || v.isBlank() ? whenEmpty : Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, not '" + v + "'");
        }
    }
}
