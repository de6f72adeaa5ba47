package com.gnosis.hub.cluster;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The OCR queue on Google Pub/Sub: OCR_QUEUE_URI {@code google-pubsub:PROJECT:TOPIC} is where hubs publish,
 * OCR_QUEUE_SUBSCRIPTION the subscription they all consume (competing consumers). The consumer's options are
 * the hub's, not the operator's: synchronous pull of one message per poll and per consumer (streaming pull would
 * lease up to 1000 messages to one hub), OCR_WORKERS consumers, and manual acknowledgement once a page is stored.
 */
public record PubsubQueue(String project, String topic, String subscription, String query, boolean emulator) {

    private static final Pattern URI = Pattern.compile("google-pubsub:(?://)?([^:?]+):([^?]+)(?:\\?(.*))?");
    private static final Pattern FULL_SUBSCRIPTION = Pattern.compile("projects/([^/]+)/subscriptions/([^/]+)");

    /**
     * The queue named by the settings, or empty when OCR_QUEUE_URI is not a Pub/Sub topic.
     *
     * @param emulatorHost PUBSUB_EMULATOR_HOST (no credentials are used then)
     */
    public static Optional<PubsubQueue> of(String queueUri, String subscription, String emulatorHost) {
        if (queueUri == null) return Optional.empty();
        Matcher uri = URI.matcher(queueUri.trim());
        if (!uri.matches()) return Optional.empty();
        if (subscription == null || subscription.isBlank()) {
            throw new IllegalStateException("OCR_QUEUE_URI names the Pub/Sub topic " + uri.group(2) + " but "
                    + "OCR_QUEUE_SUBSCRIPTION does not name the subscription the hubs consume.");
        }
        String name = subscription.trim();
        Matcher full = FULL_SUBSCRIPTION.matcher(name);
        if (full.matches()) {
            if (!full.group(1).equals(uri.group(1))) {
                throw new IllegalStateException("OCR_QUEUE_SUBSCRIPTION is in project " + full.group(1)
                        + ", the topic of OCR_QUEUE_URI in " + uri.group(1) + ".");
            }
            name = full.group(2);
        }
        return Optional.of(new PubsubQueue(uri.group(1), uri.group(2), name, uri.group(3), emulatorHost != null));
    }

    /** Where documents and pages are published. */
    public String producerUri() {
        String options = (query == null || query.isBlank() ? "" : query + "&") + "authenticate=" + !emulator;
        return "google-pubsub:" + project + ":" + topic + "?" + options;
    }

    /** What the page workers consume: one message at a time per consumer, acknowledged by the route. */
    public String consumerUri(int workers) {
        return "google-pubsub:" + project + ":" + subscription + "?synchronousPull=true&maxMessagesPerPoll=1"
                + "&ackMode=NONE&concurrentConsumers=" + Math.max(1, workers) + "&authenticate=" + !emulator;
    }

    /** For /health. */
    public Map<String, Object> describe() {
        Map<String, Object> queue = new LinkedHashMap<>();
        queue.put("kind", "pubsub");
        queue.put("topic", "projects/" + project + "/topics/" + topic);
        queue.put("subscription", "projects/" + project + "/subscriptions/" + subscription);
        if (emulator) queue.put("emulator", true);
        return queue;
    }
}
