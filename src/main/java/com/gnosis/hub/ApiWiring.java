package com.gnosis.hub;

import com.gnosis.hub.api.ClientLogApi;
import com.gnosis.hub.api.CrossSiteGuard;
import com.gnosis.hub.api.ErrorReplies;
import com.gnosis.hub.api.HttpServerErrors;
import com.gnosis.hub.api.SessionApi;
import com.gnosis.hub.api.SystemApi;
import com.gnosis.hub.api.UploadApi;
import com.gnosis.hub.api.UploadSpool;
import com.gnosis.hub.api.WebPage;
import com.gnosis.hub.intake.ChunkedUploads;
import com.gnosis.hub.output.SessionOutputs;
import com.gnosis.hub.pipeline.EnqueueNotifier;
import com.gnosis.hub.pipeline.SessionEvents;
import com.gnosis.hub.progress.ProgressBroadcaster;
import com.gnosis.hub.progress.ProgressEndpoints;
import com.gnosis.hub.settings.HubSettings;
import io.vertx.core.VertxOptions;
import java.nio.file.Path;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.ExtendedStartupListener;
import org.apache.camel.Processor;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.spi.Registry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The HTTP side: the upload, session, system and client-log APIs, live progress, and the server's own limits. */
final class ApiWiring {

    private static final Logger LOG = LoggerFactory.getLogger(ApiWiring.class);

    private ApiWiring() {
    }

    /** Chunked uploads are staged on local disk; unfinished ones expire (CHUNKED_UPLOAD_TTL). */
    static ChunkedUploads chunkedUploads(HubCore hub) {
        ChunkedUploads chunks = new ChunkedUploads(hub.settings().uploadStaging(), hub.settings().chunkedUploadLimits(),
                hub.clock());
        chunks.cleanAtStart();
        hub.registry().bind("chunkedUploads", chunks);
        // expired uploads are looked for four times per TTL (at most every minute, at least every 250 ms)
        hub.routeProperty("app.uploads.sweep-ms", Math.max(250, Math.min(60_000, chunks.limits().ttl().toMillis() / 4)));
        return chunks;
    }

    static void wire(HubCore hub, ChunkedUploads chunks, ProgressBroadcaster progress, SessionEvents events,
                     PipelineWiring pipeline) {
        HubSettings settings = hub.settings();
        Registry registry = hub.registry();
        EnqueueNotifier enqueueNotifier = new EnqueueNotifier(hub.sessions(), events);
        registry.bind("progressBroadcaster", progress);
        registry.bind("webPage", new WebPage());
        Path httpUploads = settings.storagePath().resolve("tmp").resolve("http-uploads");
        UploadApi.removeLeftovers(httpUploads);
        UploadApi uploadApi = new UploadApi(hub.identities(), hub.intake(), chunks, settings.maxUploadBytes(), httpUploads,
                progress);
        registry.bind("uploadApi", uploadApi);
        registry.bind("clientLogApi", new ClientLogApi(hub.identities(), hub.clock()));
        // the two steps every upload runs, as plain processors: no bean binding per request, and no bean call site
        // whose JIT profile changes with the mix of requests (GETs teach it other beans than uploads do)
        registry.bind("uploadRequest", (Processor) uploadApi::upload);
        registry.bind("announceQueued", (Processor) exchange -> enqueueNotifier.queued(exchange.getMessage().getBody(String.class)));
        registry.bind("sessionApi", new SessionApi(hub.identities(), hub.sessions(), hub.clock(),
                hub.operations().retention(), new SessionOutputs(hub.sessions(), Application.version(), settings.dpi())));
        registry.bind("systemApi", new SystemApi(pipeline.engine(), hub.storage(), pipeline.processor(),
                pipeline.modelCache(), Application.version(), pipeline.queueHealth()));
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
            hub.context().addStartupListener(new HttpServerErrors(settings.maxUploadBytes(),
                    CrossSiteGuard.of(settings.env("ALLOWED_ORIGINS")), spool));
        } catch (Exception e) {
            throw new IllegalStateException("cannot register the HTTP error answers", e);
        }
        mountProgressEndpoints(hub.context(), new ProgressEndpoints(progress, hub.identities()));
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
}
