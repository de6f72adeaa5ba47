package com.gnosis.hub.settings;

import com.gnosis.hub.ocr.Document;
import com.gnosis.hub.ocr.PdfTextMode;
import com.gnosis.hub.intake.ChunkedUploads;
import com.gnosis.hub.intake.Intake;
import com.gnosis.hub.storage.StorageBackends;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Properties;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.util.TimeUtils;

/**
 * The one reader of the hub's settings, by their environment variable names. Their defaults are written once, in
 * {@code application.properties} (README "Settings" describes each). Inside the hub the source is Camel's property
 * resolution (environment variable, else a property set by a test, else the file's default); the commands that run
 * without Camel use {@link #standalone()}, which resolves the same way from the same file.
 */
public final class HubSettings {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([A-Za-z0-9_.]+)}}");

    private final Function<String, String> source;

    public HubSettings(Function<String, String> source) {
        this.source = source;
    }

    /** Settings for a command run without Camel: the process environment over application.properties' defaults. */
    public static HubSettings standalone() {
        return standalone(System::getenv);
    }

    /** As {@link #standalone()} with another environment (tests). */
    public static HubSettings standalone(Function<String, String> environment) {
        Properties defaults = new Properties();
        try (InputStream in = HubSettings.class.getResourceAsStream("/application.properties")) {
            if (in == null) throw new IllegalStateException("application.properties is missing from the class path");
            defaults.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read application.properties", e);
        }
        Function<String, String> raw = name -> {
            String value = environment.apply(name);
            return value != null ? value : defaults.getProperty(name);
        };
        return new HubSettings(name -> expand(raw, raw.apply(name), 0));
    }

    // {{NAME}} inside a default refers to another setting, as Camel resolves it
    private static String expand(Function<String, String> raw, String value, int depth) {
        if (value == null || depth > 10) return value;
        Matcher m = PLACEHOLDER.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String inner = expand(raw, raw.apply(m.group(1)), depth + 1);
            m.appendReplacement(out, Matcher.quoteReplacement(inner == null ? "" : inner));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The value of a setting, or null when it is not set (absent or blank). */
    public String env(String name) {
        String value = source.apply(name);
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** A setting that has a default in application.properties. */
    public String get(String name) {
        String value = env(name);
        if (value == null) {
            throw new IllegalStateException(name + " has no value and no default in application.properties");
        }
        return value;
    }

    public int getInt(String name) {
        String value = get(name);
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, not '" + value + "'");
        }
    }

    public long getLong(String name) {
        String value = get(name);
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, not '" + value + "'");
        }
    }

    public boolean getBoolean(String name) {
        String value = get(name).toLowerCase(Locale.ROOT);
        if (!value.equals("true") && !value.equals("false")) {
            throw new IllegalArgumentException(name + " must be true or false, not '" + value + "'");
        }
        return Boolean.parseBoolean(value);
    }

    /** "30m", "90s", "2h", "1h30m", "500ms" (Camel's {@link TimeUtils} syntax) or a number of seconds. */
    public Duration getDuration(String name) {
        String value = get(name);
        try {
            // a bare number is seconds, as before the hub took Camel's syntax
            return value.matches("\\d+") ? Duration.ofSeconds(Long.parseLong(value))
                    : Duration.ofMillis(TimeUtils.toMilliSeconds(value));
        } catch (RuntimeException e) { // TimeUtils answers some malformed values with an index error
            throw new IllegalArgumentException(name + " must be a duration like 30m, 90s or 2h, not '" + value + "'");
        }
    }

    public Path storagePath() {
        return Path.of(get("STORAGE_PATH")).toAbsolutePath().normalize();
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
        if (getBoolean("RUNNING_IN_CLOUD") || env("K_SERVICE") != null) {
            return "gcs";
        }
        return "local";
    }

    /** Why {@link #storageBackend()} is what it is, for the start-up log and error messages. */
    public String storageBackendReason() {
        if (env("STORAGE_BACKEND") != null) return "STORAGE_BACKEND=" + env("STORAGE_BACKEND");
        if (getBoolean("RUNNING_IN_CLOUD")) return "RUNNING_IN_CLOUD=true";
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

    /** DROP_FOLDER; an empty value turns the drop folder off (null). */
    public Path dropFolder() {
        String value = env("DROP_FOLDER");
        return value == null ? null : Path.of(value).toAbsolutePath().normalize();
    }

    public String defaultDropUser() {
        return get("DROP_DEFAULT_USER");
    }

    /** Chunked uploads are assembled here, on local disk, whatever the storage backend. */
    public Path uploadStaging() {
        return storagePath().resolve("tmp").resolve("uploads");
    }

    /** Bounds of unfinished chunked uploads: MAX_UPLOAD_MB, MAX_CHUNKS, CHUNKED_UPLOADS_PER_USER, CHUNKED_UPLOAD_TTL. */
    public ChunkedUploads.Limits chunkedUploadLimits() {
        return new ChunkedUploads.Limits(maxUploadBytes(), getInt("MAX_CHUNKS"), getInt("CHUNKED_UPLOADS_PER_USER"),
                getDuration("CHUNKED_UPLOAD_TTL"));
    }

    public String userHeader() {
        return get("USER_HEADER");
    }

    public long maxUploadBytes() {
        return getLong("MAX_UPLOAD_MB") * 1024 * 1024;
    }

    public Document.Limits documentLimits() {
        return new Document.Limits(getInt("MAX_PAGES"), getLong("MAX_IMAGE_PIXELS"),
                Duration.ofMillis(getLong("IMAGE_OPEN_TIMEOUT_MS")));
    }

    public Duration documentTimeout() {
        return getDuration("OCR_DOC_TIMEOUT");
    }

    /** DUPLICATES: link (default) or keep. */
    public Intake.Duplicates duplicates() {
        String value = get("DUPLICATES").toUpperCase(Locale.ROOT);
        try {
            return Intake.Duplicates.valueOf(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("DUPLICATES must be link or keep, not '" + value.toLowerCase(Locale.ROOT) + "'");
        }
    }

    public int dpi() {
        return getInt("OCR_DPI");
    }

    public PdfTextMode pdfTextMode() {
        return PdfTextMode.parse(get("OCR_PDF_TEXT"));
    }

    /** OCR_WORKERS; not set: one per core. */
    public int workers() {
        return env("OCR_WORKERS") == null ? Runtime.getRuntime().availableProcessors() : getInt("OCR_WORKERS");
    }

    /** HTTP_WORKERS: threads that run request handling (intake, status, results). */
    public int httpWorkers() {
        int workers = getInt("HTTP_WORKERS");
        if (workers < 1) throw new IllegalArgumentException("HTTP_WORKERS must be at least 1, not " + workers);
        return workers;
    }

    /** OCR_NICE: the page workers' nice value (0-19; 0 = the same priority as request handling). */
    public int workerNice() {
        int nice = getInt("OCR_NICE");
        if (nice < 0 || nice > 19) throw new IllegalArgumentException("OCR_NICE must be between 0 and 19, not " + nice);
        return nice;
    }

    public String ocrEngine() {
        return get("OCR_ENGINE").toLowerCase(Locale.ROOT);
    }

    /** MODEL_CACHE_PATH: where the bundled models are unpacked and operator models looked up. */
    public Path modelCache() {
        return Path.of(get("MODEL_CACHE_PATH")).toAbsolutePath().normalize();
    }

    /** The storage the settings choose, as {@link StorageBackends} opens it. */
    public StorageBackends.Choice storageChoice() {
        String backend = storageBackend();
        return new StorageBackends.Choice(backend, storageBackendReason(), storagePath(),
                backend.equals("gcs") ? gcsBucket() : null);
    }
}
