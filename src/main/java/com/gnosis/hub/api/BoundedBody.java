package com.gnosis.hub.api;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.gnosis.hub.session.Json;
import io.vertx.core.http.HttpServerRequest;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;

/**
 * The body of a request whose route takes it undecoded ({@code useBodyHandler=false}), read only once the caller is
 * known, and bounded: at most {@code limit} bytes (413 at the byte that crosses it, or before reading when
 * Content-Length declares more), no gap longer than {@code idle}, and all of it within {@code total} (400
 * {@code upload_too_slow} after that). Nothing of a refused body is kept: what is still to come is dropped as it
 * arrives, and a client that keeps sending after that has its connection closed.
 */
final class BoundedBody extends FilterInputStream {

    /** What an answered request may still send before its connection is closed. */
    private static final long DRAIN_LIMIT = 2L * 1024 * 1024;
    private static final Pattern DECIMAL = Pattern.compile("\\d{1,18}");
    private final Exchange exchange;
    private long limit = -1;
    private long deadline;
    private Duration total;
    private String what;
    private long read;

    private BoundedBody(InputStream in, Exchange exchange) {
        super(in);
        this.exchange = exchange;
    }

    /**
     * Takes over the exchange's request body without reading any of it yet: opened before the caller is checked, so
     * that a refusal (closing it unread) drops the body instead of taking it in. Nothing is read before {@link #bound}.
     */
    static BoundedBody open(Exchange exchange, Duration idle) {
        Object body = exchange.getMessage().getBody();
        InputStream in;
        if (body instanceof HttpServerRequest request) {
            in = new RequestBodyStream(request, idle, DRAIN_LIMIT);
        } else {
            in = exchange.getMessage().getBody(InputStream.class);
            if (in == null) in = InputStream.nullInputStream();
        }
        return new BoundedBody(in, exchange);
    }

    /**
     * Sets the bounds once the caller (and what the body may hold) is known; a declared Content-Length over the limit
     * is refused here, before reading.
     *
     * @param what names the body in the 413's message ("A chunk's request body")
     */
    BoundedBody bound(long limit, Duration total, String what) {
        this.limit = limit;
        this.total = total;
        this.deadline = System.nanoTime() + total.toNanos();
        this.what = what;
        String length = HttpReplies.param(exchange, Exchange.CONTENT_LENGTH);
        if (length != null && DECIMAL.matcher(length.trim()).matches() && Long.parseLong(length.trim()) > limit) {
            throw tooLarge();
        }
        return this;
    }

    /** Reads the whole body as one JSON object (400 when it is not one). */
    JsonNode readObject() throws IOException {
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(this);
        } catch (JacksonException e) {
            throw ApiException.badRequest("invalid_json", "The body is not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || node.isMissingNode()) throw ApiException.badRequest("missing_body", "A JSON body is required.");
        if (!node.isObject()) throw ApiException.badRequest("invalid_json", "The body must be a JSON object.");
        return node;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] into, int off, int len) throws IOException {
        if (limit < 0) throw new IllegalStateException("the body is read before its bounds are set");
        if (System.nanoTime() - deadline > 0) {
            throw ApiException.badRequest("upload_too_slow", "The request body did not arrive within "
                    + total.toSeconds() + " s; send it again.");
        }
        int n = in.read(into, off, (int) Math.min(len, limit - read + 1));
        if (n > 0) {
            read += n;
            if (read > limit) throw tooLarge();
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] buffer = new byte[(int) Math.min(n, 8192)];
        int got = read(buffer, 0, buffer.length);
        return Math.max(got, 0);
    }

    private ApiException tooLarge() {
        return new ApiException(413, "payload_too_large", "too_large",
                what + " may be at most " + limit + " bytes.", null);
    }
}
