package com.gnosis.hub.migration;

import com.gnosis.hub.identity.UserIdentity;
import com.gnosis.hub.settings.HubSettings;
import com.gnosis.hub.storage.Storage;
import com.gnosis.hub.storage.StorageBackends;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/**
 * {@code migrate --from DIR --user-email EMAIL [--dry-run]}: gnosis-ocr v1 sessions into the configured storage
 * (the hub's own settings choose it). Exit 0 when nothing failed, 1 when a session failed, 2 for bad arguments
 * or an unusable storage.
 */
public final class MigrateCommand {

    static final String USAGE = "usage: migrate --from DIR --user-email EMAIL [--dry-run]";

    private MigrateCommand() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        HubSettings settings = new HubSettings(System::getenv);
        Storage storage;
        try {
            storage = StorageBackends.open(settings, StorageBackends::defaultGcsClient);
        } catch (RuntimeException e) {
            err.println("migrate: cannot open the storage: " + e.getMessage());
            return 2;
        }
        return run(args, storage, out, err);
    }

    /** Runs against the given storage (tests pass a temporary folder or Google's in-memory bucket). */
    public static int run(String[] args, Storage storage, PrintStream out, PrintStream err) {
        Path from = null;
        String email = null;
        boolean dryRun = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--dry-run")) {
                dryRun = true;
            } else if ((arg.equals("--from") || arg.equals("--user-email")) && i + 1 < args.length) {
                if (arg.equals("--from")) from = Path.of(args[++i]);
                else email = args[++i];
            } else if (arg.startsWith("--from=")) {
                from = Path.of(arg.substring("--from=".length()));
            } else if (arg.startsWith("--user-email=")) {
                email = arg.substring("--user-email=".length());
            } else {
                err.println("migrate: unknown argument " + arg);
                err.println(USAGE);
                return 2;
            }
        }
        if (from == null || email == null || email.isBlank()) {
            err.println(USAGE);
            return 2;
        }
        if (!Files.isDirectory(from)) {
            err.println("migrate: " + from + " is not a folder");
            return 2;
        }
        UserIdentity user = UserIdentity.of(email);
        String target = storage.kind() + " " + StorageBackends.describe(storage);
        out.println((dryRun ? "Dry run (nothing is written): " : "Migrating ") + from.toAbsolutePath().normalize()
                + " into " + target + " as " + user);
        LegacyMigration.Summary summary;
        try {
            summary = new LegacyMigration(storage, Clock.systemUTC(), out::println).run(from, user, dryRun);
        } catch (IOException | RuntimeException e) {
            err.println("migrate: " + e.getMessage());
            return 2;
        }
        out.println(summaryLine(summary));
        return summary.ok() ? 0 : 1;
    }

    static String summaryLine(LegacyMigration.Summary s) {
        return String.format("Sessions found %d, %s %d, skipped %d (already migrated), failed %d; %d files, %d bytes%s; "
                        + "%d warnings", s.found(), s.dryRun() ? "would migrate" : "migrated", s.migrated(), s.skipped(),
                s.failed(), s.files(), s.bytes(), s.dryRun() ? "" : " verified by SHA-256", s.warnings());
    }
}
