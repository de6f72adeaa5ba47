package com.gnosis.hub.api;

import com.gnosis.hub.identity.IdentityResolver;
import com.gnosis.hub.identity.UserIdentity;
import com.gnosis.hub.session.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/** The Camel side of the API: who is asking, and how an answer is put on the exchange. */
final class HttpReplies {

    private HttpReplies() {
    }

    static UserIdentity caller(Exchange exchange, IdentityResolver identities) {
        Message message = exchange.getMessage();
        return identities.resolve(name -> message.getHeader(name, String.class));
    }

    static String param(Exchange exchange, String name) {
        return exchange.getMessage().getHeader(name, String.class);
    }

    /** Replaces the request's headers (which Camel would echo back) with the answer's. */
    private static Message reset(Exchange exchange, int status, String contentType) {
        Message message = exchange.getMessage();
        message.removeHeaders("*");
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        message.setHeader(Exchange.CONTENT_TYPE, contentType);
        return message;
    }

    static void json(Exchange exchange, int status, Object body) {
        reset(exchange, status, "application/json").setBody(Json.string(body));
    }

    static void json(Exchange exchange, Object body) {
        json(exchange, 200, body);
    }

    static void stream(Exchange exchange, String contentType, InputStream body) {
        reset(exchange, 200, contentType).setBody(body);
    }

    /** Streams a temporary file and deletes it once the answer is sent. */
    static void streamTemporary(Exchange exchange, String contentType, Path file, String downloadName) throws IOException {
        Message message = reset(exchange, 200, contentType);
        message.setHeader("Content-Disposition", "attachment; filename=\"" + downloadName + "\"");
        message.setHeader("Content-Length", Files.size(file));
        exchange.getExchangeExtension().addOnCompletion(new org.apache.camel.support.SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // the temp folder is cleaned by the OS
                }
            }
        });
        message.setBody(Files.newInputStream(file));
    }

    static void error(Exchange exchange, int status, String error, String code, String text, String sessionHash,
                      Map<String, Object> extra) {
        Map<String, Object> body = ApiException.body(error, code, text, sessionHash);
        body.putAll(extra);
        json(exchange, status, body);
    }
}
