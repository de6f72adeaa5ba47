package com.gnosis.hub.api;

import com.gnosis.hub.session.Json;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes an upload's body onto disk on the event loop, before any request thread is given to it: a client that sends
 * one byte a second then holds a connection, never one of the HTTP_WORKERS threads that /health, /status and other
 * users' uploads need. Only a complete body goes on to the route, which reads it from the spooled file.
 *
 * <p>HTTP/1.x only: over HTTP/2 the route reads the body as it streams in (a request thread each).
 *
 * <p>The body must arrive within {@code UPLOAD_BODY_TIMEOUT} in all, and at no less than
 * {@code UPLOAD_MIN_BYTES_PER_S} averaged over each {@value #WINDOW_SECONDS}-second window; a slower one is ended
 * with 408 and its connection closed. At most {@code UPLOAD_MAX_CONCURRENT} bodies stream in at once (429 above).
 * A request the route would refuse from its headers alone (caller, full queue, not multipart, a declared size over
 * the limit) is passed on at once, unread, and answered without its body being taken.
 */
public final class UploadSpool {

    private static final Logger LOG = LoggerFactory.getLogger(UploadSpool.class);
    static final int WINDOW_SECONDS = 10;

    /** The spooled body of a request, found by the route through the request object it is given. */
    private final Map<HttpServerRequest, Path> spooled = new ConcurrentHashMap<>();
    private final AtomicInteger streaming = new AtomicInteger();
    private final Path folder;
    private final long maxUploadBytes;
    private final long maxBodyBytes;
    private final Duration deadline;
    private final long minBytesPerSecond;
    private final int maxConcurrent;
    private final Predicate<java.util.function.Function<String, String>> worthReading;

    /**
     * @param worthReading whether the request's headers let its body be taken at all (else the route answers unread)
     */
    public UploadSpool(Path folder, long maxUploadBytes, Duration deadline, long minBytesPerSecond, int maxConcurrent,
                       Predicate<java.util.function.Function<String, String>> worthReading) {
        this.folder = folder;
        this.maxUploadBytes = maxUploadBytes;
        // the form's other fields may add up to 1 MB, as the route allows
        this.maxBodyBytes = maxUploadBytes + 1024 * 1024;
        this.deadline = deadline;
        this.minBytesPerSecond = minBytesPerSecond;
        this.maxConcurrent = maxConcurrent;
        this.worthReading = worthReading;
    }

    /** The request's spooled body, taken once: the stream deletes the file when closed. */
    Optional<InputStream> take(HttpServerRequest request) throws IOException {
        Path file = spooled.remove(request);
        if (file == null) return Optional.empty();
        InputStream in = Files.newInputStream(file, java.nio.file.StandardOpenOption.DELETE_ON_CLOSE);
        return Optional.of(in);
    }

    /** A Vert.x handler for POST /upload, ahead of the Camel route. */
    public void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        // the router may hold this handler more than once (one server bound under two names): a body is taken once
        if (ctx.get(UploadSpool.class.getName()) != null) {
            ctx.next();
            return;
        }
        ctx.put(UploadSpool.class.getName(), Boolean.TRUE);
        boolean worth;
        try {
            worth = worthReading.test(request::getHeader);
        } catch (RuntimeException e) {
            worth = false;
        }
        // HTTP/2 (h2c; browsers never use it, proxies speak HTTP/1.1 to the hub) cannot hand an ended request to
        // Camel's route: such a body streams through a request thread, bounded by its idle limit and deadline
        if (!worth || request.version() == io.vertx.core.http.HttpVersion.HTTP_2) {
            ctx.next();
            return;
        }
        if (streaming.incrementAndGet() > maxConcurrent) {
            streaming.decrementAndGet();
            answer(request, 429, "too_many_requests", "busy", "More than " + maxConcurrent
                    + " uploads are streaming in (UPLOAD_MAX_CONCURRENT); try again shortly.", "10");
            return;
        }
        new Body(ctx).begin();
    }

    /** One body on its way to disk; every method runs on the request's event loop. */
    private final class Body {
        private final RoutingContext ctx;
        private final HttpServerRequest request;
        private final Vertx vertx;
        private final Path file;
        private final long started = System.nanoTime();
        private AsyncFile out;
        private long received;
        private long windowStart;
        private long timer = -1;
        private boolean done;

        Body(RoutingContext ctx) {
            this.ctx = ctx;
            this.request = ctx.request();
            this.vertx = ctx.vertx();
            this.file = folder.resolve("body-" + UUID.randomUUID() + ".part");
        }

        void begin() {
            request.pause();
            request.handler(this::arrive).endHandler(v -> end()).exceptionHandler(e -> abandon("it broke off"));
            request.connection().closeHandler(v -> abandon("the connection closed"));
            vertx.fileSystem().mkdirs(folder.toString())
                    .compose(v -> vertx.fileSystem().open(file.toString(), new OpenOptions().setCreateNew(true).setWrite(true)))
                    .onSuccess(opened -> {
                        out = opened;
                        if (done) {
                            out.close();
                            delete();
                            return;
                        }
                        timer = vertx.setPeriodic(WINDOW_SECONDS * 1000L, id -> checkPace());
                        if ("100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))) {
                            request.response().writeContinue();
                        }
                        request.resume();
                    })
                    .onFailure(e -> {
                        LOG.error("Cannot spool an upload to {}: {}", folder, e.getMessage());
                        finish();
                        answer(request, 503, "service_unavailable", "spool_failed",
                                "The hub cannot store uploads right now; try again later.", "30");
                    });
        }

        private void arrive(Buffer buffer) {
            if (done) return;
            received += buffer.length();
            if (received > maxBodyBytes) {
                refuse(ApiException.tooLarge(maxUploadBytes));
                return;
            }
            out.write(buffer);
            if (out.writeQueueFull()) {
                request.pause();
                out.drainHandler(v -> {
                    if (!done) request.resume();
                });
            }
        }

        private void checkPace() {
            if (done) return;
            long elapsed = System.nanoTime() - started;
            if (elapsed > deadline.toNanos()) {
                refuse(new ApiException(408, "request_timeout", "upload_too_slow", "The upload did not arrive within "
                        + deadline.toSeconds() + " s (UPLOAD_BODY_TIMEOUT); send it again on a faster connection.", null));
                return;
            }
            long inWindow = received - windowStart;
            windowStart = received;
            if (inWindow < minBytesPerSecond * WINDOW_SECONDS) {
                refuse(new ApiException(408, "request_timeout", "upload_too_slow", "The upload arrived at less than "
                        + minBytesPerSecond + " bytes/s for " + WINDOW_SECONDS + " s (UPLOAD_MIN_BYTES_PER_S); "
                        + "send it again on a faster connection.", null));
            }
        }

        private void end() {
            if (done) return;
            finish();
            out.close().onComplete(closed -> {
                if (closed.failed()) {
                    delete();
                    answer(request, 503, "service_unavailable", "spool_failed",
                            "The hub cannot store uploads right now; try again later.", "30");
                    return;
                }
                if (request.connection() != null && request.response().closed()) {
                    delete();
                    return;
                }
                spooled.put(request, file);
                // if the route never takes it (the client went away), it goes with the answer
                request.response().closeHandler(v -> forget());
                request.response().endHandler(v -> forget());
                ctx.next();
            });
        }

        private void forget() {
            if (spooled.remove(request) != null) delete();
        }

        private void refuse(ApiException error) {
            finish();
            if (out != null) out.close().onComplete(v -> delete());
            answer(request, error.status(), error.error(), error.code(), error.getMessage(), null);
        }

        private void abandon(String why) {
            if (done) return;
            LOG.debug("An upload was abandoned while streaming in: {}", why);
            finish();
            if (out != null) out.close().onComplete(v -> delete());
        }

        private void finish() {
            if (done) return;
            done = true;
            streaming.decrementAndGet();
            if (timer >= 0) vertx.cancelTimer(timer);
        }

        private void delete() {
            vertx.fileSystem().delete(file.toString()).onFailure(e -> {
                // already gone
            });
        }
    }

    /** An answer written here, on the event loop; the rest of the body is not read: the connection closes. */
    private static void answer(HttpServerRequest request, int status, String error, String code, String message,
                               String retryAfter) {
        if (request.response().ended() || request.response().closed()) return;
        ApiException answer = new ApiException(status, error, code, message, null);
        request.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .putHeader(HttpHeaders.CONNECTION, "close");
        if (retryAfter != null) request.response().putHeader("Retry-After", retryAfter);
        request.response().end(Json.string(answer.body())).onComplete(v -> request.connection().close());
    }
}
