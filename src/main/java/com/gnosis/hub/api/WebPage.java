package com.gnosis.hub.api;

import java.io.InputStream;
import java.util.Map;
import org.apache.camel.Exchange;

/** GET / and its assets: the hub's own page, plain files from the classpath folder web/ (no build step). */
public final class WebPage {

    /** The only files served, with their types: a request can never name anything else on the classpath. */
    private static final Map<String, String> FILES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "app.js", "text/javascript; charset=utf-8",
            "app.css", "text/css; charset=utf-8");

    public void index(Exchange exchange) {
        send(exchange, "index.html");
    }

    public void asset(Exchange exchange) {
        send(exchange, HttpReplies.param(exchange, "file"));
    }

    private void send(Exchange exchange, String name) {
        String type = name == null ? null : FILES.get(name);
        InputStream in = type == null ? null : WebPage.class.getClassLoader().getResourceAsStream("web/" + name);
        if (in == null) throw ApiException.notFound("file_not_found", "No such file: " + name, null);
        HttpReplies.stream(exchange, type, in);
    }
}
