package com.gnosis.hub.gcs;

import com.fasterxml.jackson.databind.JsonNode;
import com.gnosis.hub.session.Json;
import java.io.IOException;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads Cloud Storage object notifications: a Pub/Sub push envelope ({@code message.attributes.eventType =
 * OBJECT_FINALIZE}, bucketId, objectId, objectGeneration; {@code message.data} the object JSON) or an
 * Eventarc CloudEvent ({@code google.cloud.storage.object.v1.finalized}) in binary mode (ce-* headers, the
 * object JSON as body) or structured mode (application/cloudevents+json). Another event type is not an
 * error: it is ignored.
 */
public final class BucketEvents {

    public static final String FINALIZED_CLOUD_EVENT = "google.cloud.storage.object.v1.finalized";
    public static final String FINALIZED_NOTIFICATION = "OBJECT_FINALIZE";

    private BucketEvents() {
    }

    /**
     * The finalized object the event names, or empty for another kind of event.
     *
     * @param header a request header by name (case-insensitive), null when absent
     * @throws IllegalArgumentException when the body is not a notification at all
     */
    public static Optional<BucketObject> parse(Function<String, String> header, byte[] body) {
        String ceType = header.apply("ce-type");
        if (ceType != null) {
            return FINALIZED_CLOUD_EVENT.equals(ceType) ? Optional.of(objectFrom(json(body))) : Optional.empty();
        }
        JsonNode root = json(body);
        if (root.has("specversion") && root.has("type")) {
            if (!FINALIZED_CLOUD_EVENT.equals(root.get("type").asText())) return Optional.empty();
            JsonNode data = root.get("data");
            if (data == null || !data.isObject()) throw new IllegalArgumentException("the CloudEvent has no object data");
            return Optional.of(objectFrom(data));
        }
        JsonNode message = root.get("message");
        if (message == null || !message.isObject()) {
            throw new IllegalArgumentException("neither a Pub/Sub push envelope (no 'message') nor a CloudEvent");
        }
        Map<String, String> attributes = new HashMap<>();
        message.path("attributes").fields().forEachRemaining(e -> attributes.put(e.getKey(), e.getValue().asText()));
        byte[] data = message.hasNonNull("data") ? decode(message.get("data").asText()) : null;
        return fromNotification(attributes, data);
    }

    /**
     * A Cloud Storage notification as Pub/Sub carries it (push envelope or pull subscription): the attributes
     * and, optionally, the object JSON as data.
     */
    public static Optional<BucketObject> fromNotification(Map<String, String> attributes, byte[] data) {
        String eventType = attributes.getOrDefault("eventType", "");
        if (!FINALIZED_NOTIFICATION.equals(eventType)) {
            if (eventType.isEmpty()) throw new IllegalArgumentException("the Pub/Sub message has no eventType attribute");
            return Optional.empty();
        }
        String bucket = attributes.get("bucketId");
        String name = attributes.get("objectId");
        Long generation = number(attributes.get("objectGeneration"));
        if ((bucket == null || name == null) && data != null && data.length > 0) {
            BucketObject fromData = objectFrom(json(data));
            bucket = bucket == null ? fromData.bucket() : bucket;
            name = name == null ? fromData.name() : name;
            generation = generation == null ? fromData.generation() : generation;
        }
        if (bucket == null || name == null) {
            throw new IllegalArgumentException("the notification names no bucketId and objectId");
        }
        return Optional.of(new BucketObject(bucket, name, generation));
    }

    private static byte[] decode(String base64) {
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("message.data is not base64");
        }
    }

    private static BucketObject objectFrom(JsonNode object) {
        String bucket = object.path("bucket").asText(null);
        String name = object.path("name").asText(null);
        if (bucket == null || name == null) {
            throw new IllegalArgumentException("the object JSON has no bucket and name");
        }
        JsonNode generation = object.path("generation");
        return new BucketObject(bucket, name, generation.isMissingNode() || generation.isNull() ? null
                : number(generation.asText()));
    }

    private static Long number(String value) {
        if (value == null || value.isBlank()) return null;
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the generation is not a number: " + value);
        }
    }

    private static JsonNode json(byte[] body) {
        if (body == null || body.length == 0) throw new IllegalArgumentException("the event has no body");
        try {
            JsonNode node = Json.MAPPER.readTree(body);
            if (node == null || !node.isObject()) throw new IllegalArgumentException("the event body is not a JSON object");
            return node;
        } catch (IOException e) {
            throw new IllegalArgumentException("the event body is not JSON: " + e.getMessage());
        }
    }
}
