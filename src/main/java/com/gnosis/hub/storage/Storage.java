package com.gnosis.hub.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where bytes live, by key ("users/{hash}/{session}/status.json"): a local folder or a bucket.
 * Every write is atomic: a reader sees the old content or the new one, never a part.
 */
public interface Storage {

    void put(String key, byte[] data) throws IOException;

    /**
     * Writes the key only when nothing is stored under it yet, atomically: of several callers racing to create one
     * key exactly one gets true (a claim, a lease, a result that must never be rewritten); the others get false
     * and leave what is there untouched.
     */
    boolean createIfAbsent(String key, byte[] data) throws IOException;

    /** Copies a local file under the key (large originals travel this way, not through memory). */
    void putFile(String key, Path source) throws IOException;

    /**
     * Stores a file the caller no longer needs under the key and removes it from where it was: a local store
     * renames it into place (no copy, and no new file for the file system to allocate), others copy and delete.
     */
    default void putFileTaking(String key, Path source) throws IOException {
        putFile(key, source);
        Files.deleteIfExists(source);
    }

    /** The file behind a key where the store is a local folder and the key exists (read in place); else empty. */
    default Optional<Path> localFile(String key) throws IOException {
        return Optional.empty();
    }

    /** The content, or empty when there is no such key. */
    Optional<byte[]> get(String key) throws IOException;

    /** A stream over the content, or empty when there is no such key. */
    Optional<InputStream> open(String key) throws IOException;

    boolean exists(String key) throws IOException;

    /** The keys under a prefix ending in "/", recursively, sorted. */
    List<String> list(String prefix) throws IOException;

    /** The names of the direct children ("folders" included) of a prefix ending in "/", sorted. */
    List<String> children(String prefix) throws IOException;

    /** Deletes a key; true when it existed. */
    boolean delete(String key) throws IOException;

    /** Deletes every key under a prefix ending in "/"; returns how many. */
    int deleteAll(String prefix) throws IOException;

    /** Whether the backend can be written now (for /health). */
    boolean available();

    /** "local" or "gcs". */
    String kind();

    /** Rejects keys that could leave the storage root or name nothing. */
    static String checkKey(String key) {
        if (key == null || key.isEmpty() || key.startsWith("/") || key.contains("\\") || key.contains("//")
                || key.contains("\0")) {
            throw new IllegalArgumentException("invalid storage key: " + key);
        }
        for (String part : key.split("/")) {
            if (part.equals("..") || part.equals(".")) {
                throw new IllegalArgumentException("invalid storage key: " + key);
            }
        }
        return key;
    }
}
