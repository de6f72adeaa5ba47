package com.gnosis.hub;

import com.gnosis.hub.api.ClientLogApi;
import com.gnosis.hub.api.CrossSiteGuard;
import com.gnosis.hub.api.ErrorReplies;
import com.gnosis.hub.api.HttpServerErrors;
import com.gnosis.hub.api.SessionApi;
import com.gnosis.hub.output.SessionOutputs;
import com.gnosis.hub.api.SystemApi;
import com.gnosis.hub.api.UploadApi;
import com.gnosis.hub.api.UploadSpool;
import com.gnosis.hub.api.WebPage;
import com.gnosis.hub.drop.DropFolder;
import com.gnosis.hub.drop.DropIntake;
import com.gnosis.hub.drop.DropResults;
import com.gnosis.hub.drop.RoomFilter;
import com.gnosis.hub.gcs.BucketChannel;
import com.gnosis.hub.gcs.BucketIntake;
import com.gnosis.hub.gcs.EventAuthenticator;
import com.gnosis.hub.identity.IdentityResolver;
import com.gnosis.hub.identity.UserIdentity;
import com.gnosis.hub.intake.ChunkedUploads;
import com.gnosis.hub.intake.Intake;
import com.gnosis.hub.queue.PendingPages;
import com.gnosis.hub.ocr.OcrEngine;
import com.gnosis.hub.ocr.OcrException;
import com.gnosis.hub.ocr.PageReader;
import com.gnosis.hub.ocr.ppocr.PpOcrEngine;
import com.gnosis.hub.ocr.ppocr.PpOcrSettings;
import com.gnosis.hub.pipeline.DocumentProcessor;
import com.gnosis.hub.pipeline.EnqueueNotifier;
import com.gnosis.hub.pipeline.FinishedSessionsRoute;
import com.gnosis.hub.pipeline.SessionEvents;
import com.gnosis.hub.queue.SessionRecovery;
import com.gnosis.hub.progress.ProgressBroadcaster;
import com.gnosis.hub.cluster.BrokerAck;
import com.gnosis.hub.queue.Claims;
import com.gnosis.hub.cluster.PageWorker;
import com.gnosis.hub.cluster.PubsubQueue;
import com.gnosis.hub.cluster.QueueBacklog;
import com.gnosis.hub.cluster.QueueHealth;
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
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
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
    /** A {@link Clock} bound under this name replaces the system clock (tests move time: SESSION_TTL, retries). */
    public static final String CLOCK = "hubClock";

    private static final Logger LOG = LoggerFactory.getLogger(HubConfiguration.class);

    @Override
    public void configure(CamelContext context) {
        PropertiesComponent properties = context.getPropertiesComponent();
        // environment variable, else a property a test set, else application.properties' default (Camel resolves all three)
        HubSettings settings = new HubSettings(name -> properties.resolveProperty(name).orElse(null));
        Registry registry = context.getRegistry();
        Clock bound = registry.lookupByNameAndType(CLOCK, Clock.class);
        Clock clock = bound == null ? Clock.systemUTC() : bound;
        GcsClient gcs = new GcsClient(registry);

        Storage storage = StorageBackends.open(settings.storageChoice(), gcs::get);
        SessionStore sessions = new SessionStore(storage);
        IdentityResolver identities = identities(settings);
        PendingPages pending = new PendingPages(settings.getLong("MAX_QUEUED_PAGES"), settings.workers(), clock);
        Operations operations = Operations.configure(context, settings, sessions, pending, clock);
        Intake intake = new Intake(sessions, settings.documentLimits(), clock, settings.duplicates(), pending,
                operations.intakePolicy());
        UserIdentity dropUser = UserIdentity.of(settings.defaultDropUser());
        List<SessionEvents> listeners = new ArrayList<>();

        Path dropFolder = settings.dropFolder();
        properties.addOverrideProperty("app.drop.enabled", String.valueOf(dropFolder != null));
        if (dropFolder != null) {
            DropFolder drop = new DropFolder(dropFolder, intake, dropUser);
            registry.bind("dropIntake", new DropIntake(drop));
            registry.bind("dropRoom", new RoomFilter(intake, drop));
            registry.bind("dropFilesTaken", FileIdempotentRepository.fileIdempotentRepository(
                    settings.statePath().resolve("drop-files-taken.dat").toFile(), 100_000));
            listeners.add(new DropResults(drop, sessions));
            properties.addOverrideProperty("app.drop.folder", dropFolder.toString());
            properties.addOverrideProperty("app.drop.stable-ms", settings.get("DROP_STABLE_MS"));
            properties.addOverrideProperty("app.drop.check-ms", settings.get("DROP_CHECK_MS"));
            properties.addOverrideProperty("app.drop.poll-ms", settings.get("DROP_POLL_MS"));
        }

        String ingestBucket = settings.env("GCS_INGEST_BUCKET");
        String subscription = settings.env("GCS_EVENTS_SUBSCRIPTION");
        boolean bucketEvents = ingestBucket != null || subscription != null
                || settings.getBoolean("GCS_EVENTS");
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
            String prefix = settings.get("GCS_INGEST_PREFIX");
            registry.bind(GCS_CLIENT, gcs.get());
            EventAuthenticator eventCallers = new EventAuthenticator(settings.env("GCS_EVENTS_TOKEN"),
                    settings.env("GCS_EVENTS_AUDIENCE"), settings.env("GCS_EVENTS_SERVICE_ACCOUNT"),
                    settings.env("GCS_EVENTS_JWKS"), clock);
            registry.bind("bucketChannel", new BucketChannel(new BucketIntake(gcs.get(), intake, prefix,
                    settings.env("GCS_PROCESSED_BUCKET"), dropUser), intake, eventCallers,
                    BucketChannel.allowedBuckets(settings.env("GCS_EVENTS_BUCKETS"), ingestBucket)));
            registry.bind("bucketObjectsTaken", FileIdempotentRepository.fileIdempotentRepository(
                    settings.statePath().resolve("bucket-objects-taken.dat").toFile(), 100_000));
            properties.addOverrideProperty("app.gcs.ingest.bucket", ingestBucket == null ? "none" : ingestBucket);
            properties.addOverrideProperty("app.gcs.ingest.prefix", prefix);
            properties.addOverrideProperty("app.gcs.ingest.poll-ms", settings.get("GCS_INGEST_POLL_MS"));
        }

        ChunkedUploads chunks = new ChunkedUploads(settings.uploadStaging(), settings.chunkedUploadLimits(), clock);
        chunks.cleanAtStart();
        registry.bind("chunkedUploads", chunks);
        // expired uploads are looked for four times per TTL (at most every minute, at least every 250 ms)
        long sweepMs = Math.max(250, Math.min(60_000, chunks.limits().ttl().toMillis() / 4));
        properties.addOverrideProperty("app.uploads.sweep-ms", String.valueOf(sweepMs));
        ProgressBroadcaster progress = new ProgressBroadcaster(sessions, chunks);
        listeners.add(progress);
        listeners.addAll(operations.listeners());
        // last: when session-finished fires, every other listener has done its part (drop-folder results ...)
        listeners.add(new FinishedSessionsRoute(context));
        SessionEvents events = SessionEvents.all(listeners);

        PpOcrEngine ppocr = createEngine(settings);
        PpOcrSettings ocrSettings = ppocr.settings();
        OcrEngine engine = operations.measured(ppocr);
        PageReader pageReader = new PageReader(engine, settings.pdfTextMode(), settings.dpi());
        DocumentProcessor processor = new DocumentProcessor(sessions, pageReader, settings.documentLimits(),
                settings.workers(), settings.workerNice(), settings.documentTimeout(), clock, events, pending);

        registry.bind("documentProcessor", processor);
        // OCR_QUEUE_URI on Pub/Sub: hubs sharing the storage are competing consumers of pages (route ocr-page-work)
        PubsubQueue pubsub = PubsubQueue.of(settings.env("OCR_QUEUE_URI"), settings.env("OCR_QUEUE_SUBSCRIPTION"),
                settings.env("PUBSUB_EMULATOR_HOST")).orElse(null);
        Claims claims = null;
        PageWorker pageWorker = null;
        Supplier<Map<String, Object>> queueHealth = QueueHealth.inProcess(properties.resolveProperty("app.ocr.queue-uri")
                .orElse("seda:"), processor::queuedPages, processor::activeSessions);
        properties.addOverrideProperty("app.ocr.shared", String.valueOf(pubsub != null));
        properties.addOverrideProperty("app.ocr.local", String.valueOf(pubsub == null));
        properties.addOverrideProperty("app.ocr.work-uri", "seda:ocr-page-work-unused");
        registry.bind("countQueued", (Processor) exchange -> { });
        if (pubsub != null) {
            if (pubsub.emulator()) {
                context.getComponent("google-pubsub", GooglePubsubComponent.class).setEndpoint(settings.env("PUBSUB_EMULATOR_HOST"));
            }
            properties.addOverrideProperty("app.ocr.queue-uri", pubsub.producerUri());
            properties.addOverrideProperty("app.ocr.work-uri", pubsub.consumerUri(settings.workers()));
            claims = new Claims(storage, clock, workerName(), settings.getDuration("OCR_PAGE_LEASE"));
            QueueBacklog backlog = new QueueBacklog(storage, clock, settings.getDuration("QUEUE_BACKLOG_REFRESH"));
            pending.countCluster(backlog::pages);
            pageWorker = new PageWorker(sessions, pageReader, settings.documentLimits(), claims, backlog, events, clock,
                    settings.getInt("OCR_PAGE_WINDOW"), settings.workers(), settings.documentTimeout(),
                    settings.workerNice());
            registry.bind("pageWorker", pageWorker);
            registry.bind("brokerAck", new BrokerAck());
            PageWorker worker = pageWorker;
            registry.bind("countQueued", (Processor) exchange -> worker.enqueued(exchange.getMessage().getBody(String.class)));
            queueHealth = QueueHealth.broker(pubsub, pageWorker, settings.workers(), clock);
            LOG.info("OCR queue: Pub/Sub topic {} / subscription {} shared with the other hubs on this storage; "
                    + "this hub is {}", pubsub.topic(), pubsub.subscription(), claims.worker());
        }
        registry.bind("sessionRecovery", new SessionRecovery(sessions, claims));
        properties.addOverrideProperty("app.recovery.enabled", String.valueOf(settings.getBoolean("RECOVER_ON_START")));
        EnqueueNotifier enqueueNotifier = new EnqueueNotifier(sessions, events);
        registry.bind("progressBroadcaster", progress);
        registry.bind("webPage", new WebPage());
        Path httpUploads = settings.storagePath().resolve("tmp").resolve("http-uploads");
        UploadApi.removeLeftovers(httpUploads);
        UploadApi uploadApi = new UploadApi(identities, intake, chunks, settings.maxUploadBytes(), httpUploads, progress);
        registry.bind("uploadApi", uploadApi);
        registry.bind("clientLogApi", new ClientLogApi(identities, clock));
        // the two steps every upload runs, as plain processors: no bean binding per request, and no bean call site
        // whose JIT profile changes with the mix of requests (GETs teach it other beans than uploads do)
        registry.bind("uploadRequest", (Processor) uploadApi::upload);
        registry.bind("announceQueued", (Processor) exchange -> enqueueNotifier.queued(exchange.getMessage().getBody(String.class)));
        registry.bind("sessionApi", new SessionApi(identities, sessions, clock, operations.retention(),
                new SessionOutputs(sessions, Application.version(), settings.dpi())));
        registry.bind("systemApi", new SystemApi(engine, storage, processor, ocrSettings.modelCache(), Application.version(),
                queueHealth));
        registry.bind("errorReplies", new ErrorReplies());
        // the HTTP server's Vert.x (Camel looks its options up here): its worker pool runs the request handlers
        // (HTTP_WORKERS threads; an upload's handler holds one only once its body is on disk, see UploadSpool)
        registry.bind("vertxOptions", new VertxOptions().setWorkerPoolSize(settings.httpWorkers()));
        try {
            // /upload bodies go to disk on the event loop: a slow client holds a connection, not a request thread
            UploadSpool spool = new UploadSpool(httpUploads, settings.maxUploadBytes(),
                    settings.getDuration("UPLOAD_BODY_TIMEOUT"), settings.getLong("UPLOAD_MIN_BYTES_PER_S"),
                    settings.getInt("UPLOAD_MAX_CONCURRENT"), uploadApi::worthReading);
            uploadApi.spoolBodies(spool);
            context.addStartupListener(new HttpServerErrors(settings.maxUploadBytes(),
                    CrossSiteGuard.of(settings.env("ALLOWED_ORIGINS")), spool));
        } catch (Exception e) {
            throw new IllegalStateException("cannot register the HTTP error answers", e);
        }

        LOG.info("Storage: {} ({}); drop folder: {}; bucket ingestion: {}; OCR engine {} ({} workers, device {}), "
                        + "PDF text layer {}, {} dpi",
                storage.kind(), settings.storageBackendReason(), dropFolder == null ? "off" : dropFolder,
                ingestBucket == null ? (bucketEvents ? "events only" : "off") : "gs://" + ingestBucket,
                engine.name(), settings.workers(), ocrSettings.device(), settings.pdfTextMode(), settings.dpi());
        if (settings.getBoolean("OCR_PRELOAD")) {
            preload(engine);
        }
        mountProgressEndpoints(context, new ProgressEndpoints(progress, identities));
        PageWorker closingWorker = pageWorker;
        try {
            context.addService(new ServiceSupport() {
                @Override
                protected void doStop() {
                    processor.close();
                    if (closingWorker != null) closingWorker.close();
                    engine.close();
                }
            });
        } catch (Exception e) {
            throw new IllegalStateException("cannot register the hub's shutdown", e);
        }
    }

    /** This process in the claims it writes: host and process id. */
    private static String workerName() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.io.IOException e) {
                host = "hub";
            }
        }
        return host + "-" + ProcessHandle.current().pid();
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
            return IdentityResolver.of(settings.get("AUTH_MODE"), settings.userHeader(),
                    keys == null ? null : Path.of(keys));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("API_KEYS_FILE cannot be read: " + e.getMessage(), e);
        }
    }

    private static PpOcrEngine createEngine(HubSettings settings) {
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
