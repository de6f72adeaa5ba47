package com.gnosis.hub.cli;

import com.gnosis.hub.identity.UserIdentity;
import com.gnosis.hub.migration.LegacyMigration;
import com.gnosis.hub.storage.Storage;
import com.gnosis.hub.storage.StorageBackends;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code migrate --from DIR --user-email EMAIL [--dry-run]}: gnosis-ocr v1 sessions into the configured storage
 * (the hub's own settings choose it). Exit 0 when nothing failed, 1 when a session failed, 2 for bad arguments
 * or an unusable storage.
 */
@Command(name = "migrate", mixinStandardHelpOptions = true,
        description = "Copies gnosis-ocr v1 sessions (/tmp/ocr_sessions/{session}/) into the hub's storage, verified by SHA-256.")
public final class MigrateCommand implements Callable<Integer> {

    @Option(names = "--from", required = true, paramLabel = "DIR", description = "the old sessions' folder")
    Path from;

    @Option(names = "--user-email", required = true, paramLabel = "EMAIL", description = "the user who owns them")
    String email;

    @Option(names = "--dry-run", description = "say what would be copied, write nothing")
    boolean dryRun;

    @Spec
    CommandSpec spec;

    private final StorageOpener storage;

    MigrateCommand(StorageOpener storage) {
        this.storage = storage;
    }

    /** Runs {@code migrate ARGS} against the given storage (tests pass a temporary folder or an in-memory bucket). */
    public static int run(String[] args, Storage storage, PrintStream out, PrintStream err) {
        return HubCommands.run(new CommandLine(new MigrateCommand(() -> storage)), args, out, err);
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (email.isBlank()) {
            err.println("migrate: --user-email is empty");
            return HubCommands.BAD_USAGE;
        }
        if (!Files.isDirectory(from)) {
            err.println("migrate: " + from + " is not a folder");
            return HubCommands.BAD_USAGE;
        }
        Storage target;
        try {
            target = storage.open();
        } catch (RuntimeException e) {
            err.println("migrate: cannot open the storage: " + e.getMessage());
            return HubCommands.BAD_USAGE;
        }
        UserIdentity user = UserIdentity.of(email);
        out.println((dryRun ? "Dry run (nothing is written): " : "Migrating ") + from.toAbsolutePath().normalize()
                + " into " + target.kind() + " " + StorageBackends.describe(target) + " as " + user);
        LegacyMigration.Summary summary;
        try {
            summary = new LegacyMigration(target, Clock.systemUTC(), out::println).run(from, user, dryRun);
        } catch (IOException | RuntimeException e) {
            err.println("migrate: " + e.getMessage());
            return HubCommands.BAD_USAGE;
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
