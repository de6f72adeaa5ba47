package com.gnosis.hub.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** OCR_QUEUE_URI and OCR_QUEUE_SUBSCRIPTION into the endpoints of the shared queue. */
class PubsubQueueTest {

    @Test
    void theConsumerHoldsOneMessagePerWorkerAndAcknowledgesItselfWhateverTheOperatorWrote() {
        PubsubQueue queue = PubsubQueue.of("google-pubsub:proj:ocr-work?retry=3", "projects/proj/subscriptions/ocr-sub",
                null).orElseThrow();
        assertThat(queue.subscription()).isEqualTo("ocr-sub");
        assertThat(queue.producerUri()).isEqualTo("google-pubsub:proj:ocr-work?retry=3&authenticate=true");
        assertThat(queue.consumerUri(3)).startsWith("google-pubsub:proj:ocr-sub?")
                .contains("synchronousPull=true", "maxMessagesPerPoll=1", "ackMode=NONE", "concurrentConsumers=3",
                        "authenticate=true");
        assertThat(queue.describe()).containsEntry("subscription", "projects/proj/subscriptions/ocr-sub");
    }

    @Test
    void theEmulatorNeedsNoCredentials() {
        PubsubQueue queue = PubsubQueue.of("google-pubsub:proj:t", "s", "localhost:8085").orElseThrow();
        assertThat(queue.consumerUri(1)).contains("authenticate=false");
        assertThat(queue.producerUri()).isEqualTo("google-pubsub:proj:t?authenticate=false");
    }

    @Test
    void otherQueuesAreNotPubsubAndATopicWithoutSubscriptionIsRefusedAtStart() {
        assertThat(PubsubQueue.of("seda:ocr-documents?size=10", null, null)).isEmpty();
        assertThat(PubsubQueue.of(null, "s", null)).isEmpty();
        assertThatThrownBy(() -> PubsubQueue.of("google-pubsub:proj:t", null, null))
                .hasMessageContaining("OCR_QUEUE_SUBSCRIPTION");
        assertThatThrownBy(() -> PubsubQueue.of("google-pubsub:proj:t", "projects/other/subscriptions/s", null))
                .hasMessageContaining("other");
    }
}
