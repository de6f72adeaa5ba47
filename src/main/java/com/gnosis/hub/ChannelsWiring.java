package com.gnosis.hub;

import com.gnosis.hub.drop.DropFolder;
import com.gnosis.hub.drop.DropIntake;
import com.gnosis.hub.drop.DropResults;
import com.gnosis.hub.drop.RoomFilter;
import com.gnosis.hub.gcs.BucketChannel;
import com.gnosis.hub.gcs.BucketIntake;
import com.gnosis.hub.gcs.EventAuthenticator;
import com.gnosis.hub.pipeline.SessionEvents;
import com.gnosis.hub.settings.HubSettings;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.component.google.pubsub.GooglePubsubComponent;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.processor.idempotent.FileIdempotentRepository;

/** The channels besides HTTP: the watched drop folder and the GCS bucket (polled, pushed events, pulled events). */
final class ChannelsWiring {

    private static final Pattern FULL_SUBSCRIPTION = Pattern.compile("projects/([^/]+)/subscriptions/([^/]+)");

    private ChannelsWiring() {
    }

    /** DROP_FOLDER: the drop-ingest route and its beans; the listener that moves results beside finished files. */
    static Optional<SessionEvents> dropFolder(HubCore hub) {
        HubSettings settings = hub.settings();
        Path folder = settings.dropFolder();
        hub.routeProperty("app.drop.enabled", folder != null);
        if (folder == null) return Optional.empty();
        Registry registry = hub.registry();
        DropFolder drop = new DropFolder(folder, hub.intake(), hub.dropUser());
        registry.bind("dropIntake", new DropIntake(drop));
        registry.bind("dropRoom", new RoomFilter(hub.intake(), drop));
        registry.bind("dropFilesTaken", FileIdempotentRepository.fileIdempotentRepository(
                settings.statePath().resolve("drop-files-taken.dat").toFile(), 100_000));
        hub.routeProperty("app.drop.folder", folder);
        hub.routeProperty("app.drop.stable-ms", settings.get("DROP_STABLE_MS"));
        hub.routeProperty("app.drop.check-ms", settings.get("DROP_CHECK_MS"));
        hub.routeProperty("app.drop.poll-ms", settings.get("DROP_POLL_MS"));
        return Optional.of(new DropResults(drop, hub.sessions()));
    }

    /** The bucket channel: polling GCS_INGEST_BUCKET, POST /events/gcs, and the GCS_EVENTS_SUBSCRIPTION pull. */
    static String bucket(HubCore hub) {
        HubSettings settings = hub.settings();
        String ingestBucket = settings.env("GCS_INGEST_BUCKET");
        String subscription = settings.env("GCS_EVENTS_SUBSCRIPTION");
        boolean events = ingestBucket != null || subscription != null || settings.getBoolean("GCS_EVENTS");
        hub.routeProperty("app.gcs.pull.enabled", subscription != null);
        if (subscription != null) pullSubscription(hub, subscription);
        hub.routeProperty("app.gcs.ingest.enabled", ingestBucket != null);
        hub.routeProperty("app.gcs.events.enabled", events);
        if (events) {
            String prefix = settings.get("GCS_INGEST_PREFIX");
            Registry registry = hub.registry();
            registry.bind(HubCore.GCS_CLIENT, hub.gcs().get());
            EventAuthenticator callers = new EventAuthenticator(settings.env("GCS_EVENTS_TOKEN"),
                    settings.env("GCS_EVENTS_AUDIENCE"), settings.env("GCS_EVENTS_SERVICE_ACCOUNT"),
                    settings.env("GCS_EVENTS_JWKS"), hub.clock());
            registry.bind("bucketChannel", new BucketChannel(new BucketIntake(hub.gcs().get(), hub.intake(), prefix,
                    settings.env("GCS_PROCESSED_BUCKET"), hub.dropUser()), hub.intake(), callers,
                    BucketChannel.allowedBuckets(settings.env("GCS_EVENTS_BUCKETS"), ingestBucket)));
            registry.bind("bucketObjectsTaken", FileIdempotentRepository.fileIdempotentRepository(
                    settings.statePath().resolve("bucket-objects-taken.dat").toFile(), 100_000));
            hub.routeProperty("app.gcs.ingest.bucket", ingestBucket == null ? "none" : ingestBucket);
            hub.routeProperty("app.gcs.ingest.prefix", prefix);
            hub.routeProperty("app.gcs.ingest.poll-ms", settings.get("GCS_INGEST_POLL_MS"));
        }
        return ingestBucket == null ? (events ? "events only" : "off") : "gs://" + ingestBucket;
    }

    private static void pullSubscription(HubCore hub, String subscription) {
        HubSettings settings = hub.settings();
        String emulator = settings.env("PUBSUB_EMULATOR_HOST");
        String project = settings.env("GOOGLE_CLOUD_PROJECT");
        // "projects/{project}/subscriptions/{name}" names its project itself
        Matcher full = FULL_SUBSCRIPTION.matcher(subscription);
        if (full.matches()) {
            project = full.group(1);
            subscription = full.group(2);
        }
        if (project == null) {
            throw new IllegalStateException("GCS_EVENTS_SUBSCRIPTION is set but its project is not: set "
                    + "GOOGLE_CLOUD_PROJECT or give the subscription as projects/{project}/subscriptions/{name}.");
        }
        hub.routeProperty("app.gcs.pull.project", project);
        hub.routeProperty("app.gcs.pull.subscription", subscription);
        hub.routeProperty("app.gcs.pull.authenticate", emulator == null);
        if (emulator != null) hub.context().getComponent("google-pubsub", GooglePubsubComponent.class).setEndpoint(emulator);
    }
}
