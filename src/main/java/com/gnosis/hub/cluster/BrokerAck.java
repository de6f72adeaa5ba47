package com.gnosis.hub.cluster;

import org.apache.camel.Exchange;
import org.apache.camel.component.google.pubsub.GooglePubsubConstants;
import org.apache.camel.component.google.pubsub.consumer.GooglePubsubAcknowledge;

/**
 * Route ocr-page-work's last step: acknowledges the message it consumed (ackMode=NONE), once its page is stored
 * and what it led to is published. A message not acknowledged comes back after the subscription's ack deadline.
 */
public final class BrokerAck {

    public void ack(Exchange exchange) {
        GooglePubsubAcknowledge acknowledge = exchange.getMessage()
                .getHeader(GooglePubsubConstants.GOOGLE_PUBSUB_ACKNOWLEDGE, GooglePubsubAcknowledge.class);
        if (acknowledge == null) {
            throw new IllegalStateException("the message came without a Pub/Sub acknowledgement (not from google-pubsub?)");
        }
        acknowledge.ack(exchange);
    }
}
