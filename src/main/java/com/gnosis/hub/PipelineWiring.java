package com.gnosis.hub;

import com.gnosis.hub.cluster.BrokerAck;
import com.gnosis.hub.cluster.PageWorker;
import com.gnosis.hub.cluster.PubsubQueue;
import com.gnosis.hub.cluster.QueueBacklog;
import com.gnosis.hub.cluster.QueueHealth;
import com.gnosis.hub.ocr.OcrEngine;
import com.gnosis.hub.ocr.OcrException;
import com.gnosis.hub.ocr.PageReader;
import com.gnosis.hub.ocr.ppocr.PpOcrEngine;
import com.gnosis.hub.ocr.ppocr.PpOcrSettings;
import com.gnosis.hub.pipeline.DocumentProcessor;
import com.gnosis.hub.pipeline.SessionEvents;
import com.gnosis.hub.queue.Claims;
import com.gnosis.hub.queue.SessionRecovery;
import com.gnosis.hub.settings.HubSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.camel.Processor;
import org.apache.camel.component.google.pubsub.GooglePubsubComponent;
import org.apache.camel.spi.Registry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The page pipeline: the OCR engine, the reader of pages, the in-process processor, and, when OCR_QUEUE_URI names a
 * Pub/Sub topic, the page worker that shares pages with the other hubs on the same storage.
 *
 * @param engine      the engine every page reader uses (measured for /metrics)
 * @param modelCache  where the engine's models live (for /cache/info)
 * @param device      the device asked for (OCR_DEVICE)
 * @param processor   reads the sessions this hub takes off an in-process queue
 * @param pageWorker  reads pages off the shared queue, or null without one
 * @param queueHealth what /health says about the queue
 */
record PipelineWiring(OcrEngine engine, Path modelCache, String device, DocumentProcessor processor,
                      PageWorker pageWorker, Supplier<Map<String, Object>> queueHealth) {

    private static final Logger LOG = LoggerFactory.getLogger(PipelineWiring.class);

    static PipelineWiring wire(HubCore hub, SessionEvents events) {
        HubSettings settings = hub.settings();
        Registry registry = hub.registry();
        PpOcrEngine ppocr = engine(settings);
        PpOcrSettings ocrSettings = ppocr.settings();
        OcrEngine engine = hub.operations().measured(ppocr);
        PageReader pageReader = new PageReader(engine, settings.pdfTextMode(), settings.dpi());
        DocumentProcessor processor = new DocumentProcessor(hub.sessions(), pageReader, settings.documentLimits(),
                settings.workers(), settings.workerNice(), settings.documentTimeout(), hub.clock(), events, hub.pending());
        registry.bind("documentProcessor", processor);

        // OCR_QUEUE_URI on Pub/Sub: hubs sharing the storage are competing consumers of pages (route ocr-page-work)
        PubsubQueue pubsub = PubsubQueue.of(settings.env("OCR_QUEUE_URI"), settings.env("OCR_QUEUE_SUBSCRIPTION"),
                settings.env("PUBSUB_EMULATOR_HOST")).orElse(null);
        Claims claims = null;
        PageWorker pageWorker = null;
        Supplier<Map<String, Object>> queueHealth = QueueHealth.inProcess(hub.properties().resolveProperty("app.ocr.queue-uri")
                .orElse("seda:"), processor::queuedPages, processor::activeSessions);
        hub.routeProperty("app.ocr.shared", pubsub != null);
        hub.routeProperty("app.ocr.local", pubsub == null);
        hub.routeProperty("app.ocr.work-uri", "seda:ocr-page-work-unused");
        registry.bind("countQueued", (Processor) exchange -> { });
        if (pubsub != null) {
            if (pubsub.emulator()) {
                hub.context().getComponent("google-pubsub", GooglePubsubComponent.class)
                        .setEndpoint(settings.env("PUBSUB_EMULATOR_HOST"));
            }
            hub.routeProperty("app.ocr.queue-uri", pubsub.producerUri());
            hub.routeProperty("app.ocr.work-uri", pubsub.consumerUri(settings.workers()));
            claims = new Claims(hub.storage(), hub.clock(), workerName(), settings.getDuration("OCR_PAGE_LEASE"));
            QueueBacklog backlog = new QueueBacklog(hub.storage(), hub.clock(), settings.getDuration("QUEUE_BACKLOG_REFRESH"));
            hub.pending().countCluster(backlog::pages);
            pageWorker = new PageWorker(hub.sessions(), pageReader, settings.documentLimits(), claims, backlog, events,
                    hub.clock(), settings.getInt("OCR_PAGE_WINDOW"), settings.workers(), settings.documentTimeout(),
                    settings.workerNice());
            registry.bind("pageWorker", pageWorker);
            registry.bind("brokerAck", new BrokerAck());
            PageWorker worker = pageWorker;
            registry.bind("countQueued", (Processor) exchange -> worker.enqueued(exchange.getMessage().getBody(String.class)));
            queueHealth = QueueHealth.broker(pubsub, pageWorker, settings.workers(), hub.clock());
            LOG.info("OCR queue: Pub/Sub topic {} / subscription {} shared with the other hubs on this storage; "
                    + "this hub is {}", pubsub.topic(), pubsub.subscription(), claims.worker());
        }
        registry.bind("sessionRecovery", new SessionRecovery(hub.sessions(), claims));
        hub.routeProperty("app.recovery.enabled", settings.getBoolean("RECOVER_ON_START"));
        if (settings.getBoolean("OCR_PRELOAD")) preload(engine);
        return new PipelineWiring(engine, ocrSettings.modelCache(), ocrSettings.device(), processor, pageWorker, queueHealth);
    }

    /** Stops reading pages, then frees the models. */
    void close() {
        processor.close();
        if (pageWorker != null) pageWorker.close();
        engine.close();
    }

    private static PpOcrEngine engine(HubSettings settings) {
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

    /** This process in the claims it writes: host and process id. */
    private static String workerName() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                host = "hub";
            }
        }
        return host + "-" + ProcessHandle.current().pid();
    }
}
