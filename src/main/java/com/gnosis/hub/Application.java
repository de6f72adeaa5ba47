package com.gnosis.hub;

import com.gnosis.hub.cli.HubCommands;
import com.gnosis.hub.settings.HubSettings;
import java.util.List;
import org.apache.camel.main.Main;

/** Starts the hub, or runs one of its commands: {@code ocr FILE...}, {@code migrate ...}, {@code storage-init}. */
public final class Application {

    /** The first arguments that run a command instead of the hub (Docker and compose files name them). */
    public static final List<String> COMMANDS = HubCommands.NAMES;

    private Application() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && COMMANDS.contains(args[0])) {
            System.exit(HubCommands.execute(args, System.out, System.err));
        }
        Main main = new Main();
        main.configure().addConfiguration(HubConfiguration.class);
        // the HTTP server refuses a larger body while it streams in (413), before it is stored anywhere
        long maxUploadMb = HubSettings.standalone().getLong("MAX_UPLOAD_MB");
        main.addInitialProperty("camel.server.max-body-size", String.valueOf((maxUploadMb + 1) * 1024 * 1024));
        main.run(args);
    }

    /** The jar's version, or "dev" when run from classes. */
    public static String version() {
        String version = Application.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}
