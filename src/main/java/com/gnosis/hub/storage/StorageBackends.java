package com.gnosis.hub.storage;

import com.gnosis.hub.settings.HubSettings;
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

    /** The configured backend; the GCS client is asked for only when the backend is gcs. */
    public static Storage open(HubSettings settings, Supplier<com.google.cloud.storage.Storage> gcsClient) {
        return "gcs".equals(settings.storageBackend())
                ? new GcsStorage(gcsClient.get(), settings.gcsBucket())
                : new LocalStorage(settings.storagePath());
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
