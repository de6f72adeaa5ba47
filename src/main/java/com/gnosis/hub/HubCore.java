package com.gnosis.hub;

import com.gnosis.hub.identity.IdentityResolver;
import com.gnosis.hub.identity.UserIdentity;
import com.gnosis.hub.intake.Intake;
import com.gnosis.hub.queue.PendingPages;
import com.gnosis.hub.session.SessionStore;
import com.gnosis.hub.settings.HubSettings;
import com.gnosis.hub.storage.Storage;
import com.gnosis.hub.storage.StorageBackends;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.Registry;

/**
 * What every area of the hub is wired on: its settings and clock, the storage and its sessions, who is asking,
 * and the intake every channel ends in. Built once, first, by {@link HubConfiguration}.
 */
record HubCore(CamelContext context, HubSettings settings, Clock clock, GcsClient gcs, Storage storage,
               SessionStore sessions, IdentityResolver identities, PendingPages pending, Operations operations,
               Intake intake, UserIdentity dropUser) {

    /** A Google Cloud Storage client bound under this name is used instead of Application Default Credentials. */
    static final String GCS_CLIENT = HubConfiguration.GCS_CLIENT;

    static HubCore build(CamelContext context) {
        PropertiesComponent properties = context.getPropertiesComponent();
        // environment variable, else a property a test set, else application.properties' default (Camel resolves all three)
        HubSettings settings = new HubSettings(name -> properties.resolveProperty(name).orElse(null));
        Registry registry = context.getRegistry();
        Clock bound = registry.lookupByNameAndType(HubConfiguration.CLOCK, Clock.class);
        Clock clock = bound == null ? Clock.systemUTC() : bound;
        GcsClient gcs = new GcsClient(registry);
        Storage storage = StorageBackends.open(settings.storageChoice(), gcs::get);
        SessionStore sessions = new SessionStore(storage);
        PendingPages pending = new PendingPages(settings.getLong("MAX_QUEUED_PAGES"), settings.workers(), clock);
        Operations operations = Operations.configure(context, settings, sessions, pending, clock);
        Intake intake = new Intake(sessions, settings.documentLimits(), clock, settings.duplicates(), pending,
                operations.intakePolicy());
        return new HubCore(context, settings, clock, gcs, storage, sessions, identities(settings), pending, operations,
                intake, UserIdentity.of(settings.defaultDropUser()));
    }

    PropertiesComponent properties() {
        return context.getPropertiesComponent();
    }

    Registry registry() {
        return context.getRegistry();
    }

    /** Sets a property the YAML routes read ({{app.*}}). */
    void routeProperty(String name, Object value) {
        properties().addOverrideProperty(name, String.valueOf(value));
    }

    private static IdentityResolver identities(HubSettings settings) {
        String keys = settings.env("API_KEYS_FILE");
        try {
            return IdentityResolver.of(settings.get("AUTH_MODE"), settings.userHeader(),
                    keys == null ? null : Path.of(keys));
        } catch (IOException e) {
            throw new IllegalStateException("API_KEYS_FILE cannot be read: " + e.getMessage(), e);
        }
    }

    /** The Cloud Storage client: the one bound in the registry (tests), else Application Default Credentials. */
    static final class GcsClient {
        private final Registry registry;
        private com.google.cloud.storage.Storage client;

        GcsClient(Registry registry) {
            this.registry = registry;
        }

        com.google.cloud.storage.Storage get() {
            if (client == null) {
                client = registry.lookupByNameAndType(GCS_CLIENT, com.google.cloud.storage.Storage.class);
                if (client == null) client = StorageBackends.defaultGcsClient();
            }
            return client;
        }
    }
}
