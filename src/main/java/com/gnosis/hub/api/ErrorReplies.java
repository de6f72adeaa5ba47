package com.gnosis.hub.api;

import com.fasterxml.jackson.core.JacksonException;
import com.gnosis.hub.identity.UnauthorizedException;
import com.gnosis.hub.queue.BusyException;
import com.gnosis.hub.intake.UploadException;
import com.gnosis.hub.ocr.DocumentException;
import java.util.Map;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns a failed API exchange into DESIGN.md's JSON error with the right status (the http-errors route configuration). */
public final class ErrorReplies {

    private static final Logger LOG = LoggerFactory.getLogger(ErrorReplies.class);

    public void reply(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (failure instanceof ApiException e) {
            HttpReplies.error(exchange, e.status(), e.error(), e.code(), e.getMessage(), e.sessionHash(), Map.of());
        } else if (failure instanceof DocumentException e) {
            int status = switch (e.code()) {
                case "empty_file" -> 400;
                case "unsupported_type" -> 415;
                default -> 422;
            };
            String error = switch (status) {
                case 400 -> "bad_request";
                case 415 -> "unsupported_media_type";
                default -> "unprocessable_document";
            };
            HttpReplies.error(exchange, status, error, e.code(), e.getMessage(), null, Map.of());
        } else if (failure instanceof UploadException e) {
            int status = switch (e.reason()) {
                case NOT_FOUND -> 404;
                case TOO_LARGE -> 413;
                case CONFLICT -> 409;
                case INVALID -> 400;
            };
            String error = switch (status) {
                case 404 -> "not_found";
                case 413 -> "payload_too_large";
                case 409 -> "conflict";
                default -> "bad_request";
            };
            HttpReplies.error(exchange, status, error, e.code(), e.getMessage(), null, Map.of());
        } else if (failure instanceof BusyException e) {
            Map<String, Object> extra = new java.util.LinkedHashMap<>(e.details());
            extra.put("retry_after", e.retryAfterSeconds());
            HttpReplies.error(exchange, 429, "too_many_requests", e.code(), e.getMessage(), null, extra);
            exchange.getMessage().setHeader("Retry-After", e.retryAfterSeconds());
        } else if (failure instanceof UnauthorizedException e) {
            HttpReplies.error(exchange, 401, "unauthorized", "unauthorized", e.getMessage(), null, Map.of());
            exchange.getMessage().setHeader("WWW-Authenticate", "Bearer");
        } else if (failure instanceof JacksonException || failure instanceof IllegalArgumentException) {
            HttpReplies.error(exchange, 400, "bad_request", "invalid_request",
                    "The request could not be read: " + failure.getMessage(), null, Map.of());
        } else {
            LOG.error("Request {} {} failed", exchange.getMessage().getHeader(Exchange.HTTP_METHOD),
                    exchange.getMessage().getHeader(Exchange.HTTP_PATH), failure);
            HttpReplies.error(exchange, 500, "internal_error", "internal_error",
                    "The hub failed to answer this request; it has been logged.", null, Map.of());
        }
    }
}
