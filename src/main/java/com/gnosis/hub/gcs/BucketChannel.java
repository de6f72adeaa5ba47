package com.gnosis.hub.gcs;

import com.gnosis.hub.api.ApiException;
import com.gnosis.hub.api.RequestBodyStream;
import com.gnosis.hub.queue.BusyException;
import com.gnosis.hub.intake.Intake;
import com.gnosis.hub.queue.QueuedDocument;
import com.gnosis.hub.session.Json;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Camel side of bucket ingestion: a polled object or a bucket event becomes the {@value #OBJECT} header
 * ({@link BucketObject} JSON) with its idempotency key in {@value #KEY}; direct:take-bucket-object takes it.
 */
public final class BucketChannel {

    public static final String OBJECT = "bucketObject";
    public static final String KEY = "bucketObjectKey";

    /** A bucket notification is a few hundred bytes; anything much larger is not one. */
    static final int MAX_EVENT_BYTES = 64 * 1024;
    private static final java.time.Duration EVENT_BODY_TIME = java.time.Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger(BucketChannel.class);

    private final BucketIntake intake;
    private final Intake room;
    private final EventAuthenticator authenticator;
    private final java.util.Set<String> buckets;

    /**
     * @param buckets the buckets whose events are taken (GCS_EVENTS_BUCKETS, by default GCS_INGEST_BUCKET); an event
     *                naming another bucket is refused
     */
    public BucketChannel(BucketIntake intake, Intake room, EventAuthenticator authenticator, java.util.Set<String> buckets) {
        this.intake = intake;
        this.room = room;
        this.authenticator = authenticator;
        this.buckets = java.util.Set.copyOf(buckets);
        if (!authenticator.configured() || buckets.isEmpty()) {
            LOG.warn("POST /events/gcs refuses every event until GCS_EVENTS_TOKEN or GCS_EVENTS_AUDIENCE, and "
                    + "GCS_EVENTS_BUCKETS (or GCS_INGEST_BUCKET), are set");
        }
    }

    /** GCS_EVENTS_BUCKETS (comma separated), by default the polled GCS_INGEST_BUCKET; empty when neither is set. */
    public static java.util.Set<String> allowedBuckets(String setting, String ingestBucket) {
        String list = setting != null ? setting : ingestBucket == null ? "" : ingestBucket;
        java.util.Set<String> buckets = new java.util.TreeSet<>();
        for (String bucket : list.split(",")) {
            if (!bucket.isBlank()) buckets.add(bucket.trim());
        }
        return buckets;
    }

    /** Whether the hub takes new documents now (MAX_QUEUED_PAGES); a polled object not taken stays for a later poll. */
    public boolean hasRoom() {
        return room.hasRoom();
    }

    /** As {@link #hasRoom()}, and the polled object's owner is not over a quota (QUOTA_*): else it stays too. */
    public boolean hasRoom(Exchange exchange) throws IOException {
        if (!room.hasRoom()) return false;
        BucketObject object = Json.read(exchange.getMessage().getHeader(OBJECT, String.class)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8), BucketObject.class);
        return intake.ownerHasRoom(object);
    }

    /** An object found by the polling consumer. */
    public void fromPoll(Exchange exchange) {
        Message message = exchange.getMessage();
        BucketObject object = new BucketObject(message.getHeader("CamelGoogleCloudStorageBucketName", String.class),
                message.getHeader("CamelGoogleCloudStorageObjectName", String.class),
                message.getHeader("CamelGoogleCloudStorageGeneration", Long.class));
        message.setBody(null);
        mark(message, object);
    }

    /**
     * POST /events/gcs: 401 or 403 for a caller that is not the configured push subscription (decided from the
     * headers, before any of the body is read); then the body, at most {@value #MAX_EVENT_BYTES} bytes read within
     * {@code EVENT_BODY_TIME}; 403 for a bucket not in GCS_EVENTS_BUCKETS; 202 for a finalized object this hub takes
     * (taken asynchronously), 204 for any other event, 400 for a body that is not a notification.
     */
    public void fromEvent(Exchange exchange) throws Exception {
        Message message = exchange.getMessage();
        byte[] body = RequestBodyStream.readAll(message.getBody(), MAX_EVENT_BYTES, EVENT_BODY_TIME, EVENT_BODY_TIME, () -> {
            try {
                authenticator.check(name -> message.getHeader(name, String.class));
            } catch (EventAuthenticator.Refused e) {
                LOG.warn("Bucket event refused ({}): {}", e.status(), e.getMessage());
                throw new ApiException(e.status(), e.status() == 401 ? "unauthorized" : "forbidden",
                        e.status() == 401 ? "unauthorized" : "forbidden", e.getMessage(), null);
            }
            room.checkRoom(); // 429: Pub/Sub delivers the event again later
        });
        Optional<BucketObject> object;
        try {
            object = BucketEvents.parse(name -> message.getHeader(name, String.class), body);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("malformed_event", "Not a Cloud Storage notification: " + e.getMessage());
        }
        if (object.isPresent() && !buckets.contains(object.get().bucket())) {
            throw new ApiException(403, "forbidden", "bucket_not_allowed", "Events of bucket '"
                    + object.get().bucket() + "' are not taken: it is not in GCS_EVENTS_BUCKETS.", null);
        }
        message.removeHeaders("*");
        if (object.isEmpty() || !intake.wants(object.get())) {
            message.setHeader(Exchange.HTTP_RESPONSE_CODE, 204);
            message.setBody(null);
            return;
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("accepted", true);
        answer.put("bucket", object.get().bucket());
        answer.put("name", object.get().name());
        answer.put("generation", object.get().generation());
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, 202);
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        message.setBody(Json.string(answer));
        mark(message, object.get());
    }

    /** A notification from the Pub/Sub pull subscription (GCS_EVENTS_SUBSCRIPTION); other event types are acknowledged and dropped. */
    @SuppressWarnings("unchecked")
    public void fromSubscription(Exchange exchange) throws BusyException {
        Message message = exchange.getMessage();
        room.checkRoom(); // the failed exchange is nacked: Pub/Sub delivers the message again later
        Map<String, String> attributes = message.getHeader("CamelGooglePubsubAttributes", Map.class);
        Optional<BucketObject> object = BucketEvents.fromNotification(attributes == null ? Map.of() : attributes,
                message.getBody(byte[].class));
        message.setBody(null);
        if (object.isPresent() && !buckets.contains(object.get().bucket())) {
            LOG.warn("A notification of bucket {} was dropped: it is not in GCS_EVENTS_BUCKETS", object.get().bucket());
            return;
        }
        if (object.isPresent() && intake.wants(object.get())) mark(message, object.get());
    }

    /** Takes the marked object; leaves the queue message in the exchange variable when a session was created. */
    public void take(Exchange exchange) throws IOException {
        Message message = exchange.getMessage();
        BucketObject object = Json.read(message.getHeader(OBJECT, String.class).getBytes(java.nio.charset.StandardCharsets.UTF_8),
                BucketObject.class);
        Optional<Intake.Accepted> accepted = intake.accept(object);
        accepted.ifPresent(a -> exchange.setVariable(QueuedDocument.VARIABLE, QueuedDocument.of(a.ref()).toJson()));
    }

    private static void mark(Message message, BucketObject object) {
        message.setHeader(OBJECT, Json.string(object));
        message.setHeader(KEY, object.key());
    }
}
