package com.gnosis.hub;

import com.gnosis.hub.intake.ChunkedUploads;
import com.gnosis.hub.pipeline.FinishedSessionsRoute;
import com.gnosis.hub.pipeline.SessionEvents;
import com.gnosis.hub.progress.ProgressBroadcaster;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the hub from its settings, area by area, and binds the beans the YAML routes call: the core
 * ({@link HubCore}: storage, sessions, identities, intake, operations), the channels ({@link ChannelsWiring}), the
 * page pipeline ({@link PipelineWiring}) and the HTTP side ({@link ApiWiring}).
 */
public class HubConfiguration implements CamelConfiguration {

    /** A Google Cloud Storage client bound under this name is used instead of Application Default Credentials. */
    public static final String GCS_CLIENT = "gcsClient";
    /** A {@link java.time.Clock} bound under this name replaces the system clock (tests move time: SESSION_TTL, retries). */
    public static final String CLOCK = "hubClock";

    private static final Logger LOG = LoggerFactory.getLogger(HubConfiguration.class);

    @Override
    public void configure(CamelContext context) {
        HubCore hub = HubCore.build(context);
        List<SessionEvents> listeners = new ArrayList<>();
        ChannelsWiring.dropFolder(hub).ifPresent(listeners::add);
        String bucket = ChannelsWiring.bucket(hub);

        ChunkedUploads chunks = ApiWiring.chunkedUploads(hub);
        ProgressBroadcaster progress = new ProgressBroadcaster(hub.sessions(), chunks);
        listeners.add(progress);
        listeners.addAll(hub.operations().listeners());
        // last: when session-finished fires, every other listener has done its part (drop-folder results ...)
        listeners.add(new FinishedSessionsRoute(context));
        SessionEvents events = SessionEvents.all(listeners);

        PipelineWiring pipeline = PipelineWiring.wire(hub, events);
        ApiWiring.wire(hub, chunks, progress, events, pipeline);

        LOG.info("Storage: {} ({}); drop folder: {}; bucket ingestion: {}; OCR engine {} ({} workers, device {}), "
                        + "PDF text layer {}, {} dpi",
                hub.storage().kind(), hub.settings().storageBackendReason(),
                hub.settings().dropFolder() == null ? "off" : hub.settings().dropFolder(), bucket,
                pipeline.engine().name(), hub.settings().workers(), pipeline.device(), hub.settings().pdfTextMode(),
                hub.settings().dpi());
        try {
            context.addService(new ServiceSupport() {
                @Override
                protected void doStop() {
                    pipeline.close();
                }
            });
        } catch (Exception e) {
            throw new IllegalStateException("cannot register the hub's shutdown", e);
        }
    }
}
