package com.gnosis.hub.progress;

import com.gnosis.hub.api.ApiException;
import com.gnosis.hub.identity.IdentityResolver;
import com.gnosis.hub.identity.UnauthorizedException;
import com.gnosis.hub.identity.UserIdentity;
import com.gnosis.hub.session.Json;
import io.vertx.core.Context;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Vert.x side of live progress: GET /events/{id} (an open-ended SSE response, which Camel's
 * platform-http cannot stream) and WS /ws/progress/{id}, added to the hub's own Vert.x router. The logic
 * is in {@link ProgressBroadcaster}, {@link SseMessages} and {@link WsMessages}; this only moves bytes.
 *
 * <p>Browsers cannot set headers on an EventSource or a WebSocket, so in AUTH_MODE=header, where the user
 * header is absent, the query parameter {@code user} names the user (the hub's own page sends the header
 * through fetch). The api-key and iap modes take their credentials from headers only.
 */
public final class ProgressEndpoints {

    private static final Logger LOG = LoggerFactory.getLogger(ProgressEndpoints.class);

    private final ProgressBroadcaster broadcaster;
    private final IdentityResolver identities;

    public ProgressEndpoints(ProgressBroadcaster broadcaster, IdentityResolver identities) {
        this.broadcaster = broadcaster;
        this.identities = identities;
    }

    public void mount(Router router) {
        router.get("/events/:id").handler(this::events);
        router.get("/ws/progress/:id").handler(this::webSocket);
    }

    private UserIdentity caller(HttpServerRequest request) {
        return identities.resolve(name -> {
            String value = request.getHeader(name);
            if (value == null && name.equalsIgnoreCase(identities.userHeader())) value = request.getParam("user");
            return value;
        });
    }

    /** The caller, or empty once a 401 has been answered (api-key or iap mode without credentials). */
    private Optional<UserIdentity> authenticated(RoutingContext ctx) {
        try {
            return Optional.of(caller(ctx.request()));
        } catch (UnauthorizedException e) {
            ApiException error = new ApiException(401, "unauthorized", "unauthorized", e.getMessage(), null);
            ctx.response().putHeader("WWW-Authenticate", "Bearer");
            json(ctx.response(), 401, error.body());
            return Optional.empty();
        }
    }

    private void events(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        Optional<UserIdentity> caller = authenticated(ctx);
        if (caller.isEmpty()) return;
        UserIdentity user = caller.get();
        Context context = ctx.vertx().getOrCreateContext();
        SseStream stream = new SseStream(ctx.response());
        ctx.vertx().executeBlocking(() -> broadcaster.subscribe(user, id,
                        event -> context.runOnContext(v -> stream.push(event))), false)
                .onSuccess(subscription -> {
                    if (subscription.isEmpty()) {
                        notFound(ctx.response(), id);
                    } else {
                        stream.begin(subscription.get());
                    }
                })
                .onFailure(e -> failed(ctx.response(), e));
    }

    private void webSocket(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        HttpServerRequest request = ctx.request();
        Optional<UserIdentity> caller = authenticated(ctx);
        if (caller.isEmpty()) return;
        UserIdentity user = caller.get();
        Context context = ctx.vertx().getOrCreateContext();
        WsMessages messages = new WsMessages();
        List<String> early = new ArrayList<>();
        ServerWebSocket[] socket = new ServerWebSocket[1];
        // the handshake waits until ownership is known: another user's session refuses it with the 404
        request.pause();
        ctx.vertx().executeBlocking(() -> broadcaster.subscribe(user, id, event -> context.runOnContext(v ->
                        messages.message(event).ifPresent(text -> {
                            if (socket[0] == null) early.add(text);
                            else if (!socket[0].isClosed()) socket[0].writeTextMessage(text);
                        }))), false)
                .onSuccess(subscription -> {
                    if (subscription.isEmpty()) {
                        request.resume();
                        notFound(ctx.response(), id);
                        return;
                    }
                    request.toWebSocket().onSuccess(ws -> {
                        socket[0] = ws;
                        ws.closeHandler(v -> subscription.get().close());
                        ws.textMessageHandler(text -> { }); // clients may send keep-alives; nothing to answer
                        early.forEach(ws::writeTextMessage);
                        early.clear();
                    }).onFailure(e -> {
                        subscription.get().close();
                        LOG.debug("WebSocket handshake for {} failed: {}", id, e.toString());
                    });
                })
                .onFailure(e -> {
                    request.resume();
                    failed(ctx.response(), e);
                });
    }

    private static void notFound(HttpServerResponse response, String id) {
        ApiException e = ApiException.sessionNotFound(id);
        json(response, e.status(), e.body());
    }

    private static void failed(HttpServerResponse response, Throwable e) {
        LOG.error("Live progress could not be served", e);
        ApiException error = new ApiException(500, "internal_error", "internal_error",
                "The hub failed to answer this request; it has been logged.", null);
        json(response, 500, error.body());
    }

    private static void json(HttpServerResponse response, int status, Object body) {
        if (response.ended() || response.closed()) return;
        // the same bytes as the Camel routes' errors, so a foreign session reads exactly like a missing one
        response.setStatusCode(status).putHeader("Content-Type", "application/json").end(Json.string(body));
    }

    /** One SSE response: events that arrive before the headers are written wait in order. */
    private static final class SseStream {
        private final HttpServerResponse response;
        private final List<ProgressEvent> early = new ArrayList<>();
        private ProgressBroadcaster.Subscription subscription;

        SseStream(HttpServerResponse response) {
            this.response = response;
        }

        void begin(ProgressBroadcaster.Subscription live) {
            subscription = live;
            if (response.closed()) {
                live.close();
                return;
            }
            response.setChunked(true).putHeader("Content-Type", "text/event-stream; charset=utf-8")
                    .putHeader("Cache-Control", "no-cache").putHeader("X-Accel-Buffering", "no");
            response.closeHandler(v -> live.close());
            // a comment line flushes the headers, so the client knows at once that the stream is open
            response.write(": session " + live.sessionId() + "\n\n");
            early.forEach(this::push);
            early.clear();
        }

        void push(ProgressEvent event) {
            if (subscription == null) {
                early.add(event);
                return;
            }
            if (response.ended() || response.closed()) return;
            SseMessages.frames(event).forEach(response::write);
            if (event.terminal()) {
                response.end();
                subscription.close();
            }
        }
    }
}
