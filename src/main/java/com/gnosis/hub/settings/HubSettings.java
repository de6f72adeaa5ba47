package com.gnosis.hub.settings;

import com.gnosis.hub.ocr.Document;
import com.gnosis.hub.ocr.PdfTextMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Function;

/**
 * The hub's settings, by their environment variable names (README lists every one). A value is looked up
 * in the given source (Camel properties, which tests override, then the process environment); the
 * defaults are DESIGN.md's.
 */
public final class HubSettings {

    private final Function<String, String> source;

    public HubSettings(Function<String, String> source) {
        this.source = source;
    }

    /** The raw value of a setting, or null when it is not set. */
    public String env(String name) {
        String value = source.apply(name);
        return value == null || value.isBlank() ? null : value.trim();
    }

    public String get(String name, String fallback) {
        String value = env(name);
        return value == null ? fallback : value;
    }

    public int getInt(String name, int fallback) {
        String value = env(name);
        try {
            return value == null ? fallback : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, not '" + value + "'");
        }
    }

    public long getLong(String name, long fallback) {
        String value = env(name);
        try {
            return value == null ? fallback : Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, not '" + value + "'");
        }
    }

    public Path storagePath() {
        return Path.of(get("STORAGE_PATH", "./storage")).toAbsolutePath().normalize();
    }

    /** Where sessions live: "local" or "gcs", with the switch that chose it. */
    public String storageBackend() {
        String explicit = env("STORAGE_BACKEND");
        if (explicit != null) {
            String backend = explicit.toLowerCase(Locale.ROOT);
            if (!backend.equals("local") && !backend.equals("gcs")) {
                throw new IllegalArgumentException("STORAGE_BACKEND must be local or gcs, not '" + explicit + "'");
            }
            return backend;
        }
        if ("true".equalsIgnoreCase(env("RUNNING_IN_CLOUD")) || env("K_SERVICE") != null) {
            return "gcs";
        }
        return "local";
    }

    /** Why {@link #storageBackend()} is what it is, for the start-up log and error messages. */
    public String storageBackendReason() {
        if (env("STORAGE_BACKEND") != null) return "STORAGE_BACKEND=" + env("STORAGE_BACKEND");
        if ("true".equalsIgnoreCase(env("RUNNING_IN_CLOUD"))) return "RUNNING_IN_CLOUD=true";
        if (env("K_SERVICE") != null) return "K_SERVICE is set (Cloud Run)";
        return "default";
    }

    /** GCS_BUCKET_NAME, required by the gcs backend. */
    public String gcsBucket() {
        String bucket = env("GCS_BUCKET_NAME");
        if (bucket == null) {
            throw new IllegalStateException("The storage backend is gcs (" + storageBackendReason()
                    + ") but GCS_BUCKET_NAME is not set: set it to the bucket that holds the sessions.");
        }
        return bucket;
    }

    /** Where the hub keeps what it has already taken (drop folder, bucket objects); always local. */
    public Path statePath() {
        return storagePath().resolve("state");
    }

    /** DROP_FOLDER: default $STORAGE_PATH/inbox; an empty value turns the drop folder off (null). */
    public Path dropFolder() {
        String value = source.apply("DROP_FOLDER");
        if (value == null) return storagePath().resolve("inbox");
        return value.isBlank() ? null : Path.of(value.trim()).toAbsolutePath().normalize();
    }

    public String defaultDropUser() {
        return get("DROP_DEFAULT_USER", "anonymous@gnosis-ocr.local");
    }

    /** Chunked uploads are assembled here, on local disk, whatever the storage backend. */
    public Path uploadStaging() {
        return storagePath().resolve("tmp").resolve("uploads");
    }

    public String userHeader() {
        return get("USER_HEADER", "X-User-Email");
    }

    public long maxUploadBytes() {
        return getLong("MAX_UPLOAD_MB", 100) * 1024 * 1024;
    }

    public Document.Limits documentLimits() {
        return new Document.Limits(getInt("MAX_PAGES", 2000), getLong("MAX_IMAGE_PIXELS", 100_000_000L));
    }

    public Duration documentTimeout() {
        return parseDuration("OCR_DOC_TIMEOUT", get("OCR_DOC_TIMEOUT", "30m"));
    }

    /** DUPLICATES: link (default) or keep. */
    public com.gnosis.hub.intake.Intake.Duplicates duplicates() {
        String value = get("DUPLICATES", "link").toUpperCase(Locale.ROOT);
        try {
            return com.gnosis.hub.intake.Intake.Duplicates.valueOf(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("DUPLICATES must be link or keep, not '" + value.toLowerCase(Locale.ROOT) + "'");
        }
    }

    public int dpi() {
        return getInt("OCR_DPI", 200);
    }

    public PdfTextMode pdfTextMode() {
        return PdfTextMode.parse(get("OCR_PDF_TEXT", "auto"));
    }

    public int workers() {
        return getInt("OCR_WORKERS", Runtime.getRuntime().availableProcessors());
    }

    /** HTTP_WORKERS: threads that run request handling (intake, status, results). */
    public int httpWorkers() {
        int workers = getInt("HTTP_WORKERS", 20);
        if (workers < 1) throw new IllegalArgumentException("HTTP_WORKERS must be at least 1, not " + workers);
        return workers;
    }

    /** OCR_NICE: the page workers' nice value (0-19; 0 = the same priority as request handling). */
    public int workerNice() {
        int nice = getInt("OCR_NICE", 10);
        if (nice < 0 || nice > 19) throw new IllegalArgumentException("OCR_NICE must be between 0 and 19, not " + nice);
        return nice;
    }

    public String ocrEngine() {
        return get("OCR_ENGINE", "ppocr").toLowerCase(Locale.ROOT);
    }

    /** A duration setting ("30m", "90s", "2h" or seconds) with its default. */
    public Duration duration(String name, String fallback) {
        return parseDuration(name, get(name, fallback));
    }

    /** "30m", "90s", "2h" or a number of seconds. */
    static Duration parseDuration(String name, String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        try {
            if (v.endsWith("ms")) return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            if (v.endsWith("s")) return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
            if (v.endsWith("m")) return Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
            if (v.endsWith("h")) return Duration.ofHours(Long.parseLong(v.substring(0, v.length() - 1)));
            return Duration.ofSeconds(Long.parseLong(v));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a duration like 30m, 90s or 2h, not '" + value + "'");
        }
    }
}
