package com.gnosis.hub.ocr;

import ai.djl.Device;
import ai.djl.util.cuda.CudaUtils;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import java.io.IOException;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What the OCR runtime sees of the GPU, for /cache/info and /health: ONNX Runtime's execution providers, the
 * CUDA devices (count, CUDA version, compute capability), their names (from the NVIDIA driver's /proc files) and,
 * while the engine runs on the GPU, their memory. Memory is not asked for otherwise: asking creates a CUDA
 * context, which a hub running on the CPU should not pay for.
 *
 * @param provider     the ONNX Runtime execution provider the engine runs on (CUDAExecutionProvider or CPUExecutionProvider)
 * @param providers    the providers this ONNX Runtime build offers
 * @param deviceCount  CUDA devices visible to the process (0 without a driver)
 * @param cudaVersion  the CUDA runtime version, when there is one
 * @param devices      per device: index, name, compute_capability, memory_total_bytes, memory_used_bytes (where known)
 */
public record GpuInfo(String provider, List<String> providers, int deviceCount, String cudaVersion,
                      List<Map<String, Object>> devices) {

    private static volatile GpuInfo hardware;

    /** The runtime's view now; the hardware part is read once per process, memory on every call (GPU in use only). */
    public static GpuInfo probe(DeviceInfo device) {
        GpuInfo seen = hardware;
        if (seen == null) {
            seen = readHardware();
            hardware = seen;
        }
        boolean onGpu = "gpu".equals(device.inUse());
        List<Map<String, Object>> devices = new ArrayList<>();
        for (Map<String, Object> d : seen.devices()) {
            Map<String, Object> copy = new LinkedHashMap<>(d);
            if (onGpu) memory((Integer) d.get("index"), copy);
            devices.add(copy);
        }
        String provider = onGpu ? OrtProvider.CUDA.getName() : "none".equals(device.inUse()) ? null : OrtProvider.CPU.getName();
        return new GpuInfo(provider, seen.providers(), seen.deviceCount(), seen.cudaVersion(), devices);
    }

    /** The first device's name, when there is a device. */
    public String firstName() {
        return devices.isEmpty() ? null : (String) devices.get(0).get("name");
    }

    private static GpuInfo readHardware() {
        List<String> providers = new ArrayList<>();
        try {
            EnumSet<OrtProvider> available = OrtEnvironment.getAvailableProviders();
            available.forEach(p -> providers.add(p.getName()));
        } catch (RuntimeException | LinkageError e) {
            providers.add("unavailable: " + e.getMessage());
        }
        int count = 0;
        String cuda = null;
        List<Map<String, Object>> devices = new ArrayList<>();
        try {
            count = CudaUtils.getGpuCount();
            if (count > 0) cuda = CudaUtils.getCudaVersionString();
            List<String> names = driverNames();
            for (int i = 0; i < count; i++) {
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("index", i);
                d.put("name", i < names.size() ? names.get(i) : null);
                d.put("compute_capability", CudaUtils.getComputeCapability(i));
                devices.add(d);
            }
        } catch (RuntimeException | LinkageError e) {
            // no CUDA runtime on this machine: no devices
        }
        return new GpuInfo(null, List.copyOf(providers), count, cuda, List.copyOf(devices));
    }

    private static void memory(int index, Map<String, Object> device) {
        try {
            MemoryUsage usage = CudaUtils.getGpuMemory(Device.gpu(index));
            device.put("memory_total_bytes", usage.getMax());
            device.put("memory_used_bytes", usage.getCommitted());
        } catch (RuntimeException | LinkageError e) {
            device.put("memory_total_bytes", null);
        }
    }

    /** "Model:" of each GPU in /proc/driver/nvidia/gpus/{bus id}/information, in bus order. */
    static List<String> driverNames() {
        Path gpus = Path.of("/proc/driver/nvidia/gpus");
        List<String> names = new ArrayList<>();
        if (!Files.isDirectory(gpus)) return names;
        try (Stream<Path> dirs = Files.list(gpus)) {
            for (Path dir : dirs.sorted().toList()) {
                String name = null;
                for (String line : Files.readAllLines(dir.resolve("information"))) {
                    if (line.startsWith("Model:")) name = line.substring("Model:".length()).trim();
                }
                names.add(name);
            }
        } catch (IOException | RuntimeException e) {
            // the driver's files are a courtesy; without them devices have no name
        }
        return names;
    }
}
