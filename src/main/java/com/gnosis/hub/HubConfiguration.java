package com.gnosis.hub;

import com.gnosis.hub.api.ErrorReplies;
import com.gnosis.hub.api.SessionApi;
import com.gnosis.hub.api.SystemApi;
import com.gnosis.hub.api.UploadApi;
import com.gnosis.hub.api.WebPage;
import com.gnosis.hub.identity.IdentityResolver;
import com.gnosis.hub.intake.ChunkedUploads;
import com.gnosis.hub.intake.Intake;
import com.gnosis.hub.ocr.OcrEngine;
import com.gnosis.hub.ocr.OcrException;
import com.gnosis.hub.ocr.PageReader;
import com.gnosis.hub.ocr.ppocr.PpOcrEngine;
import com.gnosis.hub.ocr.ppocr.PpOcrSettings;
import com.gnosis.hub.pipeline.DocumentProcessor;
import com.gnosis.hub.pipeline.EnqueueNotifier;
import com.gnosis.hub.pipeline.SessionEvents;
import com.gnosis.hub.progress.ProgressBroadcaster;
import com.gnosis.hub.progress.ProgressEndpoints;
import com.gnosis.hub.session.SessionStore;
import com.gnosis.hub.settings.HubSettings;
import com.gnosis.hub.storage.LocalStorage;
import com.gnosis.hub.storage.Storage;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.ExtendedStartupListener;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the hub's beans from its settings and binds them for the routes (storage, intake, OCR, API). */
public class HubConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(HubConfiguration.class);

    @Override
    public void configure(CamelContext context) {
        HubSettings settings = new HubSettings(name -> context.getPropertiesComponent().resolveProperty(name)
                .orElseGet(() -> System.getenv(name)));
        Clock clock = Clock.systemUTC();
        Storage storage = new LocalStorage(settings.storagePath());
        SessionStore sessions = new SessionStore(storage);
        IdentityResolver identities = new IdentityResolver(settings.userHeader());

        ChunkedUploads chunks = new ChunkedUploads(settings.uploadStaging(), settings.maxUploadBytes(), clock);
        ProgressBroadcaster progress = new ProgressBroadcaster(sessions, chunks);
        SessionEvents events = SessionEvents.all(List.of(progress));

        OcrEngine engine = createEngine(settings);
        PpOcrSettings ocrSettings = ((PpOcrEngine) engine).settings();
        DocumentProcessor processor = new DocumentProcessor(sessions,
                new PageReader(engine, settings.pdfTextMode(), settings.dpi()), settings.documentLimits(),
                settings.workers(), settings.documentTimeout(), clock, events);
        Intake intake = new Intake(sessions, settings.documentLimits(), clock);

        Registry registry = context.getRegistry();
        registry.bind("documentProcessor", processor);
        registry.bind("enqueueNotifier", new EnqueueNotifier(sessions, events));
        registry.bind("progressBroadcaster", progress);
        registry.bind("webPage", new WebPage());
        registry.bind("uploadApi", new UploadApi(identities, intake, chunks, settings.maxUploadBytes(), progress));
        registry.bind("sessionApi", new SessionApi(identities, sessions, clock));
        registry.bind("systemApi", new SystemApi(engine, storage, processor, ocrSettings.modelCache(), Application.version()));
        registry.bind("errorReplies", new ErrorReplies());

        LOG.info("Storage: {} at {}; OCR engine {} ({} workers, requested device {}), PDF text layer {}, {} dpi",
                storage.kind(), settings.storagePath(), engine.name(), settings.workers(), ocrSettings.device(),
                settings.pdfTextMode(), settings.dpi());
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
}
