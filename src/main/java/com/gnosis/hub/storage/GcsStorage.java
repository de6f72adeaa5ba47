package com.gnosis.hub.storage;

import com.google.cloud.ReadChannel;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.StorageException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Storage in a Google Cloud Storage bucket: keys are object names (the same layout as on disk). Writes go
 * through the {@code Storage} client with the content type set by the hub (an object write is atomic);
 * the client is a bean, so tests inject Google's in-memory one.
 */
public final class GcsStorage implements Storage {

    private final com.google.cloud.storage.Storage client;
    private final String bucket;

    public GcsStorage(com.google.cloud.storage.Storage client, String bucket) {
        this.client = client;
        this.bucket = bucket;
    }

    public String bucket() {
        return bucket;
    }

    @Override
    public void put(String key, byte[] data) throws IOException {
        write(key, () -> client.createFrom(info(key), new ByteArrayInputStream(data)));
    }

    /**
     * An upload with the precondition "no live generation yet" (ifGenerationMatch=0): the bucket decides, and
     * answers 412 to every creator but the first.
     */
    @Override
    public boolean createIfAbsent(String key, byte[] data) throws IOException {
        try {
            client.createFrom(info(key), new ByteArrayInputStream(data),
                    com.google.cloud.storage.Storage.BlobWriteOption.doesNotExist());
            return true;
        } catch (StorageException e) {
            // 412 from a bucket; Google's in-memory Storage reports the same refusal as FileAlreadyExistsException
            if (e.getCode() == 412 || e.getCause() instanceof java.nio.file.FileAlreadyExistsException) return false;
            throw new IOException("cannot create gs://" + bucket + "/" + key + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void putFile(String key, Path source) throws IOException {
        write(key, () -> client.createFrom(info(key), source));
    }

    @Override
    public Optional<byte[]> get(String key) throws IOException {
        try {
            Blob blob = client.get(id(key));
            return blob == null ? Optional.empty() : Optional.of(blob.getContent());
        } catch (StorageException e) {
            if (e.getCode() == 404) return Optional.empty();
            throw new IOException("cannot read gs://" + bucket + "/" + key + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<InputStream> open(String key) throws IOException {
        try {
            if (client.get(id(key)) == null) return Optional.empty();
            ReadChannel reader = client.reader(id(key));
            return Optional.of(Channels.newInputStream(reader));
        } catch (StorageException e) {
            if (e.getCode() == 404) return Optional.empty();
            throw new IOException("cannot read gs://" + bucket + "/" + key + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean exists(String key) throws IOException {
        try {
            return client.get(id(key)) != null;
        } catch (StorageException e) {
            throw new IOException("cannot reach gs://" + bucket + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<String> list(String prefix) throws IOException {
        try {
            List<String> keys = new ArrayList<>();
            for (Blob blob : client.list(bucket, com.google.cloud.storage.Storage.BlobListOption.prefix(Storage.checkKey(prefix)))
                    .iterateAll()) {
                if (!blob.isDirectory() && !blob.getName().endsWith("/")) keys.add(blob.getName());
            }
            keys.sort(null);
            return keys;
        } catch (StorageException e) {
            throw new IOException("cannot list gs://" + bucket + "/" + prefix + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<String> children(String prefix) throws IOException {
        try {
            List<String> names = new ArrayList<>();
            for (Blob blob : client.list(bucket, com.google.cloud.storage.Storage.BlobListOption.prefix(Storage.checkKey(prefix)),
                    com.google.cloud.storage.Storage.BlobListOption.currentDirectory()).iterateAll()) {
                String name = blob.getName().substring(prefix.length());
                if (name.endsWith("/")) name = name.substring(0, name.length() - 1);
                if (!name.isEmpty() && !names.contains(name)) names.add(name);
            }
            names.sort(null);
            return names;
        } catch (StorageException e) {
            throw new IOException("cannot list gs://" + bucket + "/" + prefix + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean delete(String key) throws IOException {
        try {
            return client.delete(id(key));
        } catch (StorageException e) {
            throw new IOException("cannot delete gs://" + bucket + "/" + key + ": " + e.getMessage(), e);
        }
    }

    @Override
    public int deleteAll(String prefix) throws IOException {
        int count = 0;
        for (String key : list(prefix)) {
            if (delete(key)) count++;
        }
        return count;
    }

    @Override
    public boolean available() {
        try {
            // listing needs only object permissions, unlike reading the bucket's own metadata
            client.list(bucket, com.google.cloud.storage.Storage.BlobListOption.pageSize(1));
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public String kind() {
        return "gcs";
    }

    private BlobId id(String key) {
        return BlobId.of(bucket, Storage.checkKey(key));
    }

    private BlobInfo info(String key) {
        return BlobInfo.newBuilder(id(key)).setContentType(ContentTypes.of(key)).build();
    }

    private interface Write {
        void run() throws IOException;
    }

    private void write(String key, Write write) throws IOException {
        try {
            write.run();
        } catch (StorageException e) {
            throw new IOException("cannot write gs://" + bucket + "/" + key + ": " + e.getMessage(), e);
        }
    }
}
