package com.gnosis.hub.storage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Prepares a storage for the hub: the top-level folders ({@code users/ cache/ logs/ inbox/}), each marked by a
 * {@code .keep} file (a bucket has no empty folders), and a write check (write, read back, delete a probe).
 * Running it again changes nothing.
 */
public final class StorageInit {

    public static final List<String> PREFIXES = List.of("users/", "cache/", "logs/", "inbox/");
    public static final String KEEP = ".keep";

    /**
     * @param created  prefixes whose .keep this run wrote
     * @param present  prefixes that were already there
     * @param problem  why the storage cannot be used (null when the write check passed)
     */
    public record Result(List<String> created, List<String> present, String problem) {
        public boolean ok() {
            return problem == null;
        }
    }

    private StorageInit() {
    }

    public static Result run(Storage storage) {
        List<String> created = new ArrayList<>();
        List<String> present = new ArrayList<>();
        try {
            for (String prefix : PREFIXES) {
                String keep = prefix + KEEP;
                if (storage.exists(keep)) {
                    present.add(prefix);
                } else {
                    storage.put(keep, new byte[0]);
                    created.add(prefix);
                }
            }
            return new Result(created, present, writeCheck(storage));
        } catch (IOException | RuntimeException e) {
            return new Result(created, present, e.getMessage());
        }
    }

    /** Writes, reads back and deletes a probe under logs/; null when all three worked. */
    private static String writeCheck(Storage storage) throws IOException {
        String probe = "logs/.storage-init-probe-" + UUID.randomUUID();
        byte[] content = ("storage-init " + probe).getBytes(StandardCharsets.UTF_8);
        storage.put(probe, content);
        Optional<byte[]> back = storage.get(probe);
        boolean deleted = storage.delete(probe);
        if (back.isEmpty() || !Arrays.equals(back.get(), content)) return "a written probe did not read back the same";
        if (!deleted || storage.exists(probe)) return "a written probe could not be deleted";
        return null;
    }
}
