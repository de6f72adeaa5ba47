package com.gnosis.hub.cli;

import com.gnosis.hub.ocr.OcrCommand;
import com.gnosis.hub.settings.HubSettings;
import com.gnosis.hub.storage.StorageBackends;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The hub's commands, one picocli tree: {@code ocr}, {@code migrate}, {@code storage-init}. Each reads the hub's
 * settings ({@link HubSettings#standalone()}); exit 2 means bad arguments or an unusable setting.
 */
public final class HubCommands {

    /** The first arguments that run a command instead of the hub (Docker and compose files name them). */
    public static final List<String> NAMES = List.of("ocr", "migrate", "storage-init");

    static final int BAD_USAGE = 2;

    private HubCommands() {
    }

    /** Runs the command named by {@code args[0]}; returns its exit code. */
    public static int execute(String[] args, PrintStream out, PrintStream err) {
        return execute(args, out, err, System::getenv);
    }

    /** As {@link #execute(String[], PrintStream, PrintStream)} with another environment (tests). */
    public static int execute(String[] args, PrintStream out, PrintStream err, Function<String, String> environment) {
        HubSettings settings;
        try {
            settings = HubSettings.standalone(environment);
        } catch (RuntimeException e) {
            err.println("bad setting: " + e.getMessage());
            return BAD_USAGE;
        }
        StorageOpener storage = () -> StorageBackends.open(settings.storageChoice(), StorageBackends::defaultGcsClient);
        CommandLine root = new CommandLine(new Root())
                .addSubcommand(new CommandLine(new Ocr(out, err, settings)))
                .addSubcommand(new MigrateCommand(storage))
                .addSubcommand(new StorageInitCommand(storage, settings.modelCache()));
        return run(root, args, out, err);
    }

    /** Runs one command tree on the given streams, with the same exit codes everywhere (tests call it too). */
    static int run(CommandLine commands, String[] args, PrintStream out, PrintStream err) {
        PrintWriter outWriter = new PrintWriter(out, true, StandardCharsets.UTF_8);
        PrintWriter errWriter = new PrintWriter(err, true, StandardCharsets.UTF_8);
        int exit = commands.setOut(outWriter).setErr(errWriter)
                .setExitCodeExceptionMapper(e -> BAD_USAGE)
                .setParameterExceptionHandler((e, a) -> {
                    errWriter.println(e.getCommandLine().getCommandName() + ": " + e.getMessage());
                    e.getCommandLine().usage(errWriter);
                    return BAD_USAGE;
                })
                .execute(args);
        outWriter.flush();
        errWriter.flush();
        return exit;
    }

    @Command(name = "gnosis-ocr-hub", description = "Without a command: the hub. Commands run once and exit.")
    static final class Root {
    }

    /** {@code ocr [--format F] [--out DIR] FILE...}: documents read without a server or storage (see {@link OcrCommand}). */
    @Command(name = "ocr", mixinStandardHelpOptions = true,
            description = "Reads documents (PDF, PNG, JPEG, TIFF) without a server or storage.")
    static final class Ocr implements Callable<Integer> {

        @Option(names = "--format", defaultValue = "text", paramLabel = "FORMAT",
                description = "text, md, json, pdf, hocr or alto (default: ${DEFAULT-VALUE})")
        String format;

        @Option(names = "--out", paramLabel = "DIR", description = "write DIR/NAME.EXT per file instead of stdout")
        Path outDir;

        @Parameters(arity = "1..*", paramLabel = "FILE")
        List<Path> files;

        private final PrintStream out;
        private final PrintStream err;
        private final HubSettings settings;

        Ocr(PrintStream out, PrintStream err, HubSettings settings) {
            this.out = out;
            this.err = err;
            this.settings = settings;
        }

        @Override
        public Integer call() {
            return OcrCommand.run(format, outDir, files, out, err, settings::env);
        }
    }
}
