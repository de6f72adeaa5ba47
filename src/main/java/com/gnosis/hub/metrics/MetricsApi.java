package com.gnosis.hub.metrics;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

/** GET /metrics: the registry in the Prometheus text format (version 0.0.4), which every Prometheus scrapes. */
public final class MetricsApi {

    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final HubMetrics metrics;

    public MetricsApi(HubMetrics metrics) {
        this.metrics = metrics;
    }

    public void scrape(Exchange exchange) {
        Message message = exchange.getMessage();
        message.removeHeaders("*");
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        message.setHeader(Exchange.CONTENT_TYPE, CONTENT_TYPE);
        message.setBody(metrics.scrape());
    }
}
