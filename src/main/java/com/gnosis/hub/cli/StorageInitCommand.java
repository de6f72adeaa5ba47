package com.gnosis.hub.cli;

import com.gnosis.hub.storage.Storage;
import com.gnosis.hub.storage.StorageBackends;
import com.gnosis.hub.storage.StorageInit;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code storage-init}: prepares the configured storage (see {@link StorageInit}) and, for the local backend, the
 * model cache folder; prints one line. Exit 0 when the storage is ready, 1 when it cannot be written, 2 when it
 * cannot be opened (a gcs backend without GCS_BUCKET_NAME, no credentials).
 */
@Command(name = "storage-init", mixinStandardHelpOptions = true,
        description = "Prepares the configured storage (STORAGE_BACKEND, STORAGE_PATH, GCS_BUCKET_NAME, MODEL_CACHE_PATH).")
public final class StorageInitCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    private final StorageOpener storage;
    private final Path modelCache;

    /** @param modelCache the local model cache folder to create, or null (a bucket backend) */
    StorageInitCommand(StorageOpener storage, Path modelCache) {
        this.storage = storage;
        this.modelCache = modelCache;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Storage opened;
        try {
            opened = storage.open();
        } catch (RuntimeException e) {
            err.println("storage-init: cannot open the storage: " + e.getMessage());
            return HubCommands.BAD_USAGE;
        }
        return run(opened, "local".equals(opened.kind()) ? modelCache : null, out, err);
    }

    /** As {@link #run(Storage, Path, PrintWriter, PrintWriter)} on streams (tests). */
    public static int run(Storage storage, Path modelCache, PrintStream out, PrintStream err) {
        PrintWriter outWriter = new PrintWriter(out, true, StandardCharsets.UTF_8);
        PrintWriter errWriter = new PrintWriter(err, true, StandardCharsets.UTF_8);
        int exit = run(storage, modelCache, outWriter, errWriter);
        outWriter.flush();
        errWriter.flush();
        return exit;
    }

    /** Prepares {@code storage}, and {@code modelCache} when not null (a local folder). */
    static int run(Storage storage, Path modelCache, PrintWriter out, PrintWriter err) {
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
}
