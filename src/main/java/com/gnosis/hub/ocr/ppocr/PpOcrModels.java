package com.gnosis.hub.ocr.ppocr;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.util.cuda.CudaUtils;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import com.gnosis.hub.ocr.DeviceInfo;
import com.gnosis.hub.ocr.OcrException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Model stage: the three PP-OCR models (detection, direction, recognition) loaded once on the device OCR_DEVICE
 * allows, with their translators. An ONNX Runtime session may be run from several threads at once; what each
 * reading thread needs of its own is a {@link Predictors} set.
 */
final class PpOcrModels implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PpOcrModels.class);
    // White border around the page before detection, so text touching the edge is still found (RapidOCR's padding).
    static final int DET_PADDING = 50;
    private static final int REC_MIN_WIDTH = 96;

    private final Model det;
    private final Model cls;
    private final Model rec;
    private final DetectionTranslator detTranslator;
    private final RecognitionTranslator recTranslator;
    private final Device device;
    private final DeviceInfo info;

    private PpOcrModels(Model det, Model cls, Model rec, DetectionTranslator detTranslator,
                        RecognitionTranslator recTranslator, Device device, DeviceInfo info) {
        this.det = det;
        this.cls = cls;
        this.rec = rec;
        this.detTranslator = detTranslator;
        this.recTranslator = recTranslator;
        this.device = device;
        this.info = info;
    }

    DeviceInfo device() {
        return info;
    }

    /** A predictor set for one reading thread (DJL predictors are not thread-safe). */
    Predictors newPredictors() {
        return new Predictors(det.newPredictor(detTranslator, device),
                cls == null ? null : cls.newPredictor(new DirectionTranslator(), device),
                rec.newPredictor(recTranslator, device));
    }

    /** Loads the models named by the settings: on the GPU where asked for (or auto) and usable, else on the CPU. */
    static PpOcrModels load(PpOcrSettings settings, ModelCache cache) throws OcrException {
        cache.configureDjl();
        Path detFile = cache.resolve(settings.detModel(), PpOcrSettings.BUNDLED_DET);
        Path recFile = cache.resolve(settings.recModel(), PpOcrSettings.BUNDLED_REC);
        Path keys = cache.resolve(settings.recKeys(), PpOcrSettings.BUNDLED_KEYS);
        Path clsFile = settings.useClassifier() ? cache.resolve(settings.clsModel(), PpOcrSettings.BUNDLED_CLS) : null;
        CtcDecoder decoder;
        try {
            decoder = CtcDecoder.fromFile(keys);
        } catch (IOException e) {
            throw new OcrException("cannot read the recognition keys " + keys + ": " + e.getMessage(), e);
        }
        boolean cudaProvider = OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA);
        String gpuName = cudaProvider ? gpuName() : null;
        String gpuProblem = null;
        if (!settings.device().equals("cpu")) {
            if (!cudaProvider) {
                gpuProblem = "ONNX Runtime on the classpath has no CUDA provider (build with mvn -Pgpu for onnxruntime_gpu)";
            } else {
                try {
                    return load(detFile, clsFile, recFile, decoder, Device.gpu(), settings,
                            new DeviceInfo(settings.device(), "gpu", true, gpuName, null));
                } catch (OcrException | RuntimeException e) {
                    gpuProblem = "CUDA provider failed: " + rootMessage(e);
                }
            }
        }
        if (settings.device().equals("gpu")) {
            // Asked for the GPU and cannot have it: say so loudly, and in device(), never silently.
            LOG.error("OCR_DEVICE=gpu but the GPU cannot be used, running on CPU: {}", gpuProblem);
        } else if (gpuProblem != null) {
            LOG.info("OCR_DEVICE=auto: no usable GPU ({}), running on CPU", gpuProblem);
        }
        return load(detFile, clsFile, recFile, decoder, Device.cpu(), settings,
                new DeviceInfo(settings.device(), "cpu", cudaProvider && gpuName != null, gpuName,
                        settings.device().equals("cpu") ? null : gpuProblem));
    }

    private static PpOcrModels load(Path det, Path cls, Path rec, CtcDecoder decoder, Device device,
                                    PpOcrSettings settings, DeviceInfo info) throws OcrException {
        List<Model> loaded = new ArrayList<>();
        try {
            Model d = model(det, device, settings, loaded);
            Model c = cls == null ? null : model(cls, device, settings, loaded);
            Model r = model(rec, device, settings, loaded);
            return new PpOcrModels(d, c, r, new DetectionTranslator(settings.detMaxSide(), DET_PADDING),
                    new RecognitionTranslator(decoder, REC_MIN_WIDTH), device, info);
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
            if (settings.threadsPerWorker() > 1) {
                // Intra-op threads that spin while waiting take cores from the other workers' pages.
                options.addConfigEntry("session.intra_op.allow_spinning", "0");
            }
            // No addCUDA here: DJL's OrtModel appends the CUDA provider itself for a GPU model, and a second
            // registration of the same provider fails the session.
            model.load(file, null, Map.of("sessionOptions", options));
            return model;
        } catch (ai.onnxruntime.OrtException | IOException | MalformedModelException e) {
            throw new OcrException("cannot load model " + file + ": " + rootMessage(e), e);
        }
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

    @Override
    public void close() {
        det.close();
        if (cls != null) {
            cls.close();
        }
        rec.close();
    }
}
