package com.gnosis.hub.storage;

import java.nio.file.Path;
import com.google.cloud.storage.StorageOptions;
import java.util.function.Supplier;

/**
 * The one place that turns the settings into a {@link Storage}: local {@code STORAGE_PATH}, or the
 * {@code GCS_BUCKET_NAME} bucket when {@code STORAGE_BACKEND=gcs}, {@code RUNNING_IN_CLOUD=true} or
 * Cloud Run's {@code K_SERVICE} says so. The hub and its commands (migrate, storage-init) share it.
 */
public final class StorageBackends {

    private StorageBackends() {
    }

    /**
     * Which storage to open, as the settings chose it.
     *
     * @param backend "local" or "gcs"
     * @param reason  the setting that chose it, for logs and messages
     * @param path    the local root (STORAGE_PATH), also used by the gcs backend for local state
     * @param bucket  the sessions bucket (GCS_BUCKET_NAME) of the gcs backend, else null
     */
    public record Choice(String backend, String reason, Path path, String bucket) {
    }

    /** The chosen backend; the GCS client is asked for only when the backend is gcs. */
    public static Storage open(Choice choice, Supplier<com.google.cloud.storage.Storage> gcsClient) {
        return "gcs".equals(choice.backend())
                ? new GcsStorage(gcsClient.get(), choice.bucket())
                : new LocalStorage(choice.path());
    }

    /** A client on Application Default Credentials (or GOOGLE_APPLICATION_CREDENTIALS). */
    public static com.google.cloud.storage.Storage defaultGcsClient() {
        return StorageOptions.getDefaultInstance().getService();
    }

    /** Where a storage lives, for summaries and logs: a folder or gs://bucket. */
    public static String describe(Storage storage) {
        if (storage instanceof LocalStorage local) return local.root().toString();
        if (storage instanceof GcsStorage gcs) return "gs://" + gcs.bucket();
        return storage.kind();
    }
}
