package com.gnosis.hub.gcs;

import com.gnosis.hub.api.ApiException;
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

/**
 * The Camel side of bucket ingestion: a polled object or a bucket event becomes the {@value #OBJECT} header
 * ({@link BucketObject} JSON) with its idempotency key in {@value #KEY}; direct:take-bucket-object takes it.
 */
public final class BucketChannel {

    public static final String OBJECT = "bucketObject";
    public static final String KEY = "bucketObjectKey";

    private final BucketIntake intake;
    private final Intake room;

    public BucketChannel(BucketIntake intake, Intake room) {
        this.intake = intake;
        this.room = room;
    }

    /** Whether the hub takes new documents now (MAX_QUEUED_PAGES); a polled object not taken stays for a later poll. */
    public boolean hasRoom() {
        return room.hasRoom();
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
     * POST /events/gcs: 202 for a finalized object this hub takes (taken asynchronously), 204 for any other
     * event, 400 for a body that is not a notification.
     */
    public void fromEvent(Exchange exchange) throws BusyException {
        Message message = exchange.getMessage();
        room.checkRoom(); // 429: Pub/Sub delivers the event again later
        Optional<BucketObject> object;
        try {
            object = BucketEvents.parse(name -> message.getHeader(name, String.class), message.getBody(byte[].class));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("malformed_event", "Not a Cloud Storage notification: " + e.getMessage());
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
