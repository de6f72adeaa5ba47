package com.gnosis.hub;

import com.gnosis.hub.api.ErrorReplies;
import com.gnosis.hub.api.HttpServerErrors;
import com.gnosis.hub.api.SessionApi;
import com.gnosis.hub.output.SessionOutputs;
import com.gnosis.hub.api.SystemApi;
import com.gnosis.hub.api.UploadApi;
import com.gnosis.hub.api.WebPage;
import com.gnosis.hub.drop.DropFolder;
import com.gnosis.hub.drop.DropIntake;
import com.gnosis.hub.drop.DropResults;
import com.gnosis.hub.drop.RoomFilter;
import com.gnosis.hub.gcs.BucketChannel;
import com.gnosis.hub.gcs.BucketIntake;
import com.gnosis.hub.identity.IdentityResolver;
import com.gnosis.hub.identity.UserIdentity;
import com.gnosis.hub.intake.ChunkedUploads;
import com.gnosis.hub.intake.Intake;
import com.gnosis.hub.intake.PendingPages;
import com.gnosis.hub.ocr.OcrEngine;
import com.gnosis.hub.ocr.OcrException;
import com.gnosis.hub.ocr.PageReader;
import com.gnosis.hub.ocr.ppocr.PpOcrEngine;
import com.gnosis.hub.ocr.ppocr.PpOcrSettings;
import com.gnosis.hub.pipeline.DocumentProcessor;
import com.gnosis.hub.pipeline.EnqueueNotifier;
import com.gnosis.hub.pipeline.FinishedSessionsRoute;
import com.gnosis.hub.pipeline.SessionEvents;
import com.gnosis.hub.pipeline.SessionRecovery;
import com.gnosis.hub.progress.ProgressBroadcaster;
import com.gnosis.hub.progress.ProgressEndpoints;
import com.gnosis.hub.session.SessionStore;
import com.gnosis.hub.settings.HubSettings;
import com.gnosis.hub.storage.Storage;
import com.gnosis.hub.storage.StorageBackends;
import org.apache.camel.component.google.pubsub.GooglePubsubComponent;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.ExtendedStartupListener;
import org.apache.camel.Processor;
import io.vertx.core.VertxOptions;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.processor.idempotent.FileIdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the hub's beans from its settings and binds them for the routes (storage, intake, channels, OCR,
 * API), and turns the settings into the few properties the YAML routes read.
 */
public class HubConfiguration implements CamelConfiguration {

    /** A Google Cloud Storage client bound under this name is used instead of Application Default Credentials. */
    public static final String GCS_CLIENT = "gcsClient";

    private static final Logger LOG = LoggerFactory.getLogger(HubConfiguration.class);

    @Override
    public void configure(CamelContext context) {
        PropertiesComponent properties = context.getPropertiesComponent();
        HubSettings settings = new HubSettings(name -> properties.resolveProperty(name).orElseGet(() -> System.getenv(name)));
        Registry registry = context.getRegistry();
        Clock clock = Clock.systemUTC();
        GcsClient gcs = new GcsClient(registry);

        Storage storage = StorageBackends.open(settings, gcs::get);
        SessionStore sessions = new SessionStore(storage);
        IdentityResolver identities = identities(settings);
        PendingPages pending = new PendingPages(settings.getLong("MAX_QUEUED_PAGES", 10_000), settings.workers());
        Intake intake = new Intake(sessions, settings.documentLimits(), clock, settings.duplicates(), pending);
        UserIdentity dropUser = UserIdentity.of(settings.defaultDropUser());
        List<SessionEvents> listeners = new ArrayList<>();

        Path dropFolder = settings.dropFolder();
        properties.addOverrideProperty("app.drop.enabled", String.valueOf(dropFolder != null));
        if (dropFolder != null) {
            DropFolder drop = new DropFolder(dropFolder, intake, dropUser);
            registry.bind("dropIntake", new DropIntake(drop));
            registry.bind("dropRoom", new RoomFilter(intake));
            registry.bind("dropFilesTaken", FileIdempotentRepository.fileIdempotentRepository(
                    settings.statePath().resolve("drop-files-taken.dat").toFile(), 100_000));
            listeners.add(new DropResults(drop, sessions));
            properties.addOverrideProperty("app.drop.folder", dropFolder.toString());
            properties.addOverrideProperty("app.drop.stable-ms", settings.get("DROP_STABLE_MS", "2000"));
            properties.addOverrideProperty("app.drop.check-ms", settings.get("DROP_CHECK_MS", "1000"));
            properties.addOverrideProperty("app.drop.poll-ms", settings.get("DROP_POLL_MS", "1000"));
        }

        String ingestBucket = settings.env("GCS_INGEST_BUCKET");
        String subscription = settings.env("GCS_EVENTS_SUBSCRIPTION");
        boolean bucketEvents = ingestBucket != null || subscription != null
                || Boolean.parseBoolean(settings.get("GCS_EVENTS", "false"));
        properties.addOverrideProperty("app.gcs.pull.enabled", String.valueOf(subscription != null));
        if (subscription != null) {
            String emulator = settings.env("PUBSUB_EMULATOR_HOST");
            String project = settings.env("GOOGLE_CLOUD_PROJECT");
            // "projects/{project}/subscriptions/{name}" names its project itself
            java.util.regex.Matcher full = java.util.regex.Pattern.compile("projects/([^/]+)/subscriptions/([^/]+)")
                    .matcher(subscription);
            if (full.matches()) {
                project = full.group(1);
                subscription = full.group(2);
            }
            if (project == null) {
                throw new IllegalStateException("GCS_EVENTS_SUBSCRIPTION is set but its project is not: set "
                        + "GOOGLE_CLOUD_PROJECT or give the subscription as projects/{project}/subscriptions/{name}.");
            }
            properties.addOverrideProperty("app.gcs.pull.project", project);
            properties.addOverrideProperty("app.gcs.pull.subscription", subscription);
            properties.addOverrideProperty("app.gcs.pull.authenticate", String.valueOf(emulator == null));
            if (emulator != null) context.getComponent("google-pubsub", GooglePubsubComponent.class).setEndpoint(emulator);
        }
        properties.addOverrideProperty("app.gcs.ingest.enabled", String.valueOf(ingestBucket != null));
        properties.addOverrideProperty("app.gcs.events.enabled", String.valueOf(bucketEvents));
        if (bucketEvents) {
            String prefix = settings.get("GCS_INGEST_PREFIX", "incoming/");
            registry.bind(GCS_CLIENT, gcs.get());
            registry.bind("bucketChannel", new BucketChannel(new BucketIntake(gcs.get(), intake, prefix,
                    settings.env("GCS_PROCESSED_BUCKET"), dropUser), intake));
            registry.bind("bucketObjectsTaken", FileIdempotentRepository.fileIdempotentRepository(
                    settings.statePath().resolve("bucket-objects-taken.dat").toFile(), 100_000));
            properties.addOverrideProperty("app.gcs.ingest.bucket", ingestBucket == null ? "none" : ingestBucket);
            properties.addOverrideProperty("app.gcs.ingest.prefix", prefix);
            properties.addOverrideProperty("app.gcs.ingest.poll-ms", settings.get("GCS_INGEST_POLL_MS", "5000"));
        }

        ChunkedUploads chunks = new ChunkedUploads(settings.uploadStaging(), settings.maxUploadBytes(), clock);
        ProgressBroadcaster progress = new ProgressBroadcaster(sessions, chunks);
        listeners.add(progress);
        // last: when session-finished fires, every other listener has done its part (drop-folder results ...)
        listeners.add(new FinishedSessionsRoute(context));
        SessionEvents events = SessionEvents.all(listeners);

        OcrEngine engine = createEngine(settings);
        PpOcrSettings ocrSettings = ((PpOcrEngine) engine).settings();
        DocumentProcessor processor = new DocumentProcessor(sessions,
                new PageReader(engine, settings.pdfTextMode(), settings.dpi()), settings.documentLimits(),
                settings.workers(), settings.workerNice(), settings.documentTimeout(), clock, events, pending);

        registry.bind("documentProcessor", processor);
        registry.bind("sessionRecovery", new SessionRecovery(sessions));
        properties.addOverrideProperty("app.recovery.enabled", settings.get("RECOVER_ON_START", "true"));
        EnqueueNotifier enqueueNotifier = new EnqueueNotifier(sessions, events);
        registry.bind("progressBroadcaster", progress);
        registry.bind("webPage", new WebPage());
        Path httpUploads = settings.storagePath().resolve("tmp").resolve("http-uploads");
        UploadApi.removeLeftovers(httpUploads);
        UploadApi uploadApi = new UploadApi(identities, intake, chunks, settings.maxUploadBytes(), httpUploads, progress);
        registry.bind("uploadApi", uploadApi);
        // the two steps every upload runs, as plain processors: no bean binding per request, and no bean call site
        // whose JIT profile changes with the mix of requests (GETs teach it other beans than uploads do)
        registry.bind("uploadRequest", (Processor) uploadApi::upload);
        registry.bind("announceQueued", (Processor) exchange -> enqueueNotifier.queued(exchange.getMessage().getBody(String.class)));
        registry.bind("sessionApi", new SessionApi(identities, sessions, clock,
                new SessionOutputs(sessions, Application.version(), settings.dpi())));
        registry.bind("systemApi", new SystemApi(engine, storage, processor, ocrSettings.modelCache(), Application.version()));
        registry.bind("errorReplies", new ErrorReplies());
        // the HTTP server's Vert.x (Camel looks its options up here): its worker pool runs the request handlers
        // (HTTP_WORKERS threads; an upload's handler holds one while the body streams in)
        registry.bind("vertxOptions", new VertxOptions().setWorkerPoolSize(settings.httpWorkers()));
        try {
            context.addStartupListener(new HttpServerErrors(settings.maxUploadBytes()));
        } catch (Exception e) {
            throw new IllegalStateException("cannot register the HTTP error answers", e);
        }

        LOG.info("Storage: {} ({}); drop folder: {}; bucket ingestion: {}; OCR engine {} ({} workers, device {}), "
                        + "PDF text layer {}, {} dpi",
                storage.kind(), settings.storageBackendReason(), dropFolder == null ? "off" : dropFolder,
                ingestBucket == null ? (bucketEvents ? "events only" : "off") : "gs://" + ingestBucket,
                engine.name(), settings.workers(), ocrSettings.device(), settings.pdfTextMode(), settings.dpi());
        if (Boolean.parseBoolean(settings.get("OCR_PRELOAD", "true"))) {
            preload(engine);
        }
        mountProgressEndpoints(context, new ProgressEndpoints(progress, identities));
        try {
            context.addService(new ServiceSupport() {
                @Override
                protected void doStop() {
                    processor.close();
                    engine.close();
                }
            });
        } catch (Exception e) {
            throw new IllegalStateException("cannot register the hub's shutdown", e);
        }
    }

    /** SSE and the WebSocket stream open-ended answers, so they go on Camel's Vert.x router once it exists. */
    private static void mountProgressEndpoints(CamelContext context, ProgressEndpoints endpoints) {
        ExtendedStartupListener mount = new ExtendedStartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext started, boolean alreadyStarted) {
                // the router is bound once the HTTP server has started: see onCamelContextFullyStarted
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext started, boolean alreadyStarted) {
                Set<VertxPlatformHttpRouter> routers = started.getRegistry().findByType(VertxPlatformHttpRouter.class);
                if (routers.isEmpty()) {
                    LOG.warn("No HTTP server: /events and /ws/progress are not served");
                    return;
                }
                routers.forEach(endpoints::mount);
            }
        };
        try {
            context.addStartupListener(mount);
        } catch (Exception e) {
            throw new IllegalStateException("cannot register the live progress endpoints", e);
        }
    }

    private static IdentityResolver identities(HubSettings settings) {
        String keys = settings.env("API_KEYS_FILE");
        try {
            return IdentityResolver.of(settings.get("AUTH_MODE", "header"), settings.userHeader(),
                    keys == null ? null : Path.of(keys));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("API_KEYS_FILE cannot be read: " + e.getMessage(), e);
        }
    }

    private static OcrEngine createEngine(HubSettings settings) {
        if (!"ppocr".equals(settings.ocrEngine())) {
            throw new IllegalArgumentException("OCR_ENGINE " + settings.ocrEngine() + " is not known; the hub has: ppocr");
        }
        return new PpOcrEngine(PpOcrSettings.fromEnvironment(settings::env));
    }

    /** Loads the models in the background so /upload answers at once and /health shows model_loaded. */
    private static void preload(OcrEngine engine) {
        Thread loader = new Thread(() -> {
            try {
                engine.load();
            } catch (OcrException | RuntimeException e) {
                LOG.error("The OCR engine could not be loaded: {}", e.getMessage(), e);
            }
        }, "ocr-preload");
        loader.setDaemon(true);
        loader.start();
    }

    /** The Cloud Storage client: the one bound in the registry (tests), else Application Default Credentials. */
    private static final class GcsClient {
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
