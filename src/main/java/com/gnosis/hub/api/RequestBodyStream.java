package com.gnosis.hub.api;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayDeque;

/**
 * The body of a Vert.x request that reached its route undecoded (platform-http {@code useBodyHandler=false}), as a
 * blocking stream for the worker thread that runs the route: the event loop hands over the buffers as they arrive.
 * At most {@value #HIGH_WATER} bytes wait here; beyond that the request is paused until the reader catches up.
 *
 * <p>Closing it before the body has ended answers the rest of the body by reading and dropping it, so the
 * connection stays usable and the client sees the answer; a client that sends more than {@code drainLimit} bytes
 * after that has its connection closed.
 */
public final class RequestBodyStream extends InputStream {

    private static final int HIGH_WATER = 1024 * 1024;
    private static final int LOW_WATER = 256 * 1024;

    private final HttpServerRequest request;
    private final long idleMillis;
    /** When the whole body must have arrived (System.currentTimeMillis), or Long.MAX_VALUE. */
    private long deadlineAt = Long.MAX_VALUE;
    private final long drainLimit;
    private final ArrayDeque<Buffer> arrived = new ArrayDeque<>();
    private int waiting;
    private boolean paused;
    private boolean ended;
    private boolean closed;
    private Throwable failure;
    private Context context;
    private Buffer current;
    private int offset;
    private boolean started;
    /** Bytes dropped after close (event loop only). */
    private long dropped;

    RequestBodyStream(HttpServerRequest request, Duration idle, long drainLimit) {
        this.request = request;
        this.idleMillis = idle.toMillis();
        this.drainLimit = drainLimit;
    }

    /** What must hold before a body is read (the caller known, room for it); may throw the refusal. */
    public interface Precheck {
        void run() throws Exception;
    }

    /**
     * The whole body of a small request (an event, a form), read only once {@code before} has passed: at most
     * {@code maxBytes} (413 beyond), within {@code total} (408 beyond), with no pause over {@code idle}. When refused,
     * the rest of the body is dropped as it arrives (up to a bound, then the connection closes).
     *
     * @param body the Camel message body: the Vert.x request when the route takes bodies undecoded
     */
    public static byte[] readAll(Object body, long maxBytes, Duration idle, Duration total, Precheck before)
            throws Exception {
        if (!(body instanceof HttpServerRequest request)) {
            before.run();
            return body instanceof byte[] bytes ? bytes : body == null ? new byte[0]
                    : body.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        try (RequestBodyStream in = new RequestBodyStream(request, idle, maxBytes * 4 + 64 * 1024)) {
            before.run();
            String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
            if (length != null && length.trim().matches("\\d{1,18}") && Long.parseLong(length.trim()) > maxBytes) {
                throw tooLarge(maxBytes);
            }
            in.deadlineAt = System.currentTimeMillis() + total.toMillis();
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (bytes.length > maxBytes) throw tooLarge(maxBytes);
            return bytes;
        }
    }

    private static ApiException tooLarge(long maxBytes) {
        return new ApiException(413, "payload_too_large", "too_large", "The body is larger than " + maxBytes
                + " bytes.", null);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] into, int off, int len) throws IOException {
        if (len == 0) return 0;
        if (current == null || offset == current.length()) {
            current = next();
            offset = 0;
            if (current == null) return -1;
        }
        int n = Math.min(len, current.length() - offset);
        current.getBytes(offset, offset + n, into, off);
        offset += n;
        return n;
    }

    /** The next buffer of the body, waiting for it; null at its end. */
    private Buffer next() throws IOException {
        start(true);
        Buffer buffer;
        boolean resume;
        synchronized (this) {
            long deadline = Math.min(System.currentTimeMillis() + idleMillis, deadlineAt);
            while (arrived.isEmpty() && !ended && failure == null) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0 && deadline == deadlineAt) {
                    throw new ApiException(408, "request_timeout", "body_too_slow",
                            "The request body did not arrive in time; send it again.", null);
                }
                if (left <= 0) {
                    throw new ApiException(400, "bad_request", "upload_stalled",
                            "No part of the upload arrived for " + idleMillis / 1000 + " s; send it again.", null);
                }
                try {
                    wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while reading the upload");
                }
            }
            if (arrived.isEmpty() && failure != null) {
                throw new IOException("the upload broke off: " + failure.getMessage(), failure);
            }
            buffer = arrived.poll();
            if (buffer == null) return null;
            waiting -= buffer.length();
            resume = paused && waiting < LOW_WATER;
        }
        if (resume) context.runOnContext(v -> resumeIfDrained());
        return buffer;
    }

    /**
     * Takes over the request's events and lets the body flow; with {@code sayContinue}, answers 100 Continue to a
     * client that waits for it before sending the body.
     */
    private void start(boolean sayContinue) {
        if (started) return;
        started = true;
        request.handler(this::arrive).endHandler(v -> end()).exceptionHandler(this::fail);
        if (sayContinue && "100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))) {
            request.response().writeContinue();
        }
        request.resume();
    }

    /** On the event loop. */
    private void arrive(Buffer buffer) {
        boolean pause;
        synchronized (this) {
            if (closed) {
                drained(buffer.length());
                return;
            }
            if (context == null) context = Vertx.currentContext();
            arrived.add(buffer);
            waiting += buffer.length();
            pause = !paused && waiting > HIGH_WATER;
            if (pause) paused = true;
            notifyAll();
        }
        if (pause) request.pause();
    }

    /** On the event loop, like every pause, so a pause and a resume cannot overtake each other. */
    private void resumeIfDrained() {
        synchronized (this) {
            if (!paused || waiting >= LOW_WATER && !closed) return;
            paused = false;
        }
        request.resume();
    }

    private synchronized void end() {
        ended = true;
        notifyAll();
    }

    private synchronized void fail(Throwable error) {
        failure = error;
        notifyAll();
    }

    /** On the event loop, after close: the rest of an answered body is dropped, up to the drain limit. */
    private void drained(int bytes) {
        dropped += bytes;
        if (dropped > drainLimit) request.connection().close();
    }

    /** Done reading: what is still to come of the body is dropped as it arrives (see the class comment). */
    @Override
    public void close() {
        boolean resume;
        synchronized (this) {
            if (closed) return;
            closed = true;
            arrived.clear();
            waiting = 0;
            resume = !ended && failure == null;
            notifyAll();
        }
        if (!resume) return;
        if (!started) {
            // the route answered without reading (refused caller, full queue): the body is dropped as it comes
            start(false);
        } else if (context != null) {
            context.runOnContext(v -> resumeIfDrained());
        }
    }
}
