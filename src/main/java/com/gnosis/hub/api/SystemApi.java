package com.gnosis.hub.api;

import com.gnosis.hub.ocr.DeviceInfo;
import com.gnosis.hub.ocr.GpuInfo;
import com.gnosis.hub.ocr.OcrEngine;
import com.gnosis.hub.pipeline.DocumentProcessor;
import com.gnosis.hub.storage.Storage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;

/** GET /health and GET /cache/info. */
public final class SystemApi {

    private static final Pattern MODEL_FILE = Pattern.compile(".+\\.(onnx|pt|safetensors)");

    private final OcrEngine engine;
    private final Storage storage;
    private final DocumentProcessor processor;
    private final Path modelCache;
    private final String version;
    private final Supplier<Map<String, Object>> queue;

    /** @param queue the "queue" part of /health: which queue this hub consumes and how far behind it is */
    public SystemApi(OcrEngine engine, Storage storage, DocumentProcessor processor, Path modelCache, String version,
                     Supplier<Map<String, Object>> queue) {
        this.queue = queue;
        this.engine = engine;
        this.storage = storage;
        this.processor = processor;
        this.modelCache = modelCache;
        this.version = version;
    }

    public void health(Exchange exchange) {
        DeviceInfo device = engine.device();
        GpuInfo gpu = GpuInfo.probe(device);
        boolean storageAvailable = storage.available();
        List<Map<String, Object>> failing = failingRoutes(exchange.getContext());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("status", !storageAvailable ? "unhealthy" : failing.isEmpty() ? "healthy" : "degraded");
        answer.put("version", version);
        answer.put("gpu_available", device.gpuAvailable());
        answer.put("gpu_name", gpu.firstName() != null ? gpu.firstName() : device.gpuName());
        answer.put("gpu_count", gpu.deviceCount());
        answer.put("model_loaded", engine.loaded());
        answer.put("storage_available", storageAvailable);
        answer.put("storage_backend", storage.kind());
        answer.put("active_sessions", processor.activeSessions());
        answer.put("ocr_engine", engine.name());
        answer.put("ocr_device", device.inUse());
        answer.put("ocr_device_requested", device.requested());
        answer.put("ocr_device_reason", device.reason());
        answer.put("queue", queue.get());
        answer.put("failing_routes", failing);
        HttpReplies.json(exchange, storageAvailable ? 200 : 503, answer);
    }

    public void cacheInfo(Exchange exchange) {
        boolean exists = Files.isDirectory(modelCache);
        long[] stats = exists ? cacheStats(modelCache) : new long[] {0, 0};
        Map<String, Object> cache = new LinkedHashMap<>();
        cache.put("path", modelCache.toString());
        cache.put("exists", exists);
        cache.put("size_bytes", stats[0]);
        cache.put("size_gb", Math.round(stats[0] / 1e9 * 1000) / 1000.0);
        cache.put("model_count", stats[1]);
        cache.put("is_cloud", "gcs".equals(storage.kind()));
        DeviceInfo device = engine.device();
        GpuInfo runtime = GpuInfo.probe(device);
        Map<String, Object> gpu = new LinkedHashMap<>();
        gpu.put("available", device.gpuAvailable());
        gpu.put("name", runtime.firstName() != null ? runtime.firstName() : device.gpuName());
        gpu.put("runtime", device.gpuName());
        gpu.put("provider", runtime.provider());
        gpu.put("providers_available", runtime.providers());
        gpu.put("device_count", runtime.deviceCount());
        gpu.put("cuda_version", runtime.cudaVersion());
        gpu.put("devices", runtime.devices());
        gpu.put("device_in_use", device.inUse());
        gpu.put("device_requested", device.requested());
        gpu.put("reason", device.reason());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("cache_info", cache);
        answer.put("model_loaded", engine.loaded());
        answer.put("gpu_info", gpu);
        HttpReplies.json(exchange, answer);
    }

    /**
     * The routes whose consumer cannot work (a bucket that cannot be reached, bad credentials): Camel's
     * consumer and route health checks that are DOWN. The hub itself stays up; /health names them.
     */
    private static List<Map<String, Object>> failingRoutes(CamelContext context) {
        List<Map<String, Object>> failing = new ArrayList<>();
        for (HealthCheck.Result result : HealthCheckHelper.invoke(context)) {
            String id = result.getCheck().getId();
            if (result.getState() != HealthCheck.State.DOWN || !(id.startsWith("consumer:") || id.startsWith("route:"))) {
                continue;
            }
            // a consumer that has not polled yet (just started) is not failing
            if (result.getError().isEmpty() && result.getMessage().orElse("").contains("not yet polled")) continue;
            Map<String, Object> route = new LinkedHashMap<>();
            route.put("route", id.substring(id.indexOf(':') + 1));
            route.put("check", id);
            route.put("message", result.getMessage().orElse(null));
            route.put("error", result.getError().map(Throwable::getMessage).orElse(null));
            failing.add(route);
        }
        return failing;
    }

    /** {bytes, model files} under the cache; a model is an .onnx, .pt or .safetensors file (DJL's native libraries are not). */
    private static long[] cacheStats(Path dir) {
        long[] stats = {0, 0};
        try (Stream<Path> files = Files.walk(dir)) {
            files.filter(Files::isRegularFile).forEach(p -> {
                try {
                    stats[0] += Files.size(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                if (MODEL_FILE.matcher(p.getFileName().toString()).matches()) stats[1]++;
            });
        } catch (IOException | UncheckedIOException e) {
            // a file vanished while counting: the figures are approximate
        }
        return stats;
    }
}
