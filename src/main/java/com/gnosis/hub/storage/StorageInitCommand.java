package com.gnosis.hub.storage;

import com.gnosis.hub.settings.HubSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code storage-init}: prepares the configured storage (see {@link StorageInit}) and, for the local backend, the
 * model cache folder; prints one line. Exit 0 when the storage is ready, 1 when it cannot be written, 2 when it
 * cannot be opened (a gcs backend without GCS_BUCKET_NAME, no credentials).
 */
public final class StorageInitCommand {

    private StorageInitCommand() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length > 0) {
            err.println("storage-init takes no arguments; it reads STORAGE_BACKEND, STORAGE_PATH, GCS_BUCKET_NAME, MODEL_CACHE_PATH");
            return 2;
        }
        HubSettings settings = new HubSettings(System::getenv);
        Storage storage;
        try {
            storage = StorageBackends.open(settings, StorageBackends::defaultGcsClient);
        } catch (RuntimeException e) {
            err.println("storage-init: cannot open the storage: " + e.getMessage());
            return 2;
        }
        Path modelCache = "local".equals(storage.kind()) ? modelCache(settings) : null;
        return run(storage, modelCache, out, err);
    }

    /** Prepares {@code storage}, and {@code modelCache} when not null (a local folder). */
    public static int run(Storage storage, Path modelCache, PrintStream out, PrintStream err) {
        StorageInit.Result result = StorageInit.run(storage);
        String cache = "";
        if (modelCache != null && result.ok()) {
            try {
                Files.createDirectories(modelCache);
                cache = "; model cache " + modelCache;
            } catch (IOException e) {
                result = new StorageInit.Result(result.created(), result.present(),
                        "cannot create the model cache " + modelCache + ": " + e.getMessage());
            }
        }
        String where = "storage-init: " + storage.kind() + " " + StorageBackends.describe(storage) + ": ";
        String folders = (result.created().isEmpty() ? "" : "created " + String.join(" ", result.created()))
                + (result.created().isEmpty() || result.present().isEmpty() ? "" : ", ")
                + (result.present().isEmpty() ? "" : "already there " + String.join(" ", result.present()));
        if (!result.ok()) {
            err.println(where + (folders.isEmpty() ? "" : folders + "; ") + "NOT WRITABLE: " + result.problem());
            return 1;
        }
        out.println(where + folders + "; write check passed" + cache);
        return 0;
    }

    /** MODEL_CACHE_PATH, default $STORAGE_PATH/cache/models (as the OCR engine reads it). */
    static Path modelCache(HubSettings settings) {
        return Path.of(settings.get("MODEL_CACHE_PATH", settings.storagePath().resolve("cache").resolve("models").toString()))
                .toAbsolutePath().normalize();
    }
}
