package com.gnosis.hub.api;

import com.gnosis.hub.session.Json;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/**
 * What the HTTP server does before and around the routes: the cross-site guard and nosniff on every request
 * ({@link CrossSiteGuard}), /upload bodies spooled off the request threads ({@link UploadSpool}), and DESIGN.md's
 * JSON error for what the server itself refuses: a body over the size limit (413, while it streams in), a path no
 * route serves (404) and a method a path does not take (405).
 */
public final class HttpServerErrors implements StartupListener {

    private final long maxUploadBytes;
    private final CrossSiteGuard guard;
    private final UploadSpool spool;
    /** Servers set up already: Camel may call a startup listener more than once, and bind one router twice. */
    private final java.util.Set<Object> servers = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

    /** @param spool null: /upload bodies are read by the route as they stream in */
    public HttpServerErrors(long maxUploadBytes, CrossSiteGuard guard, UploadSpool spool) {
        this.maxUploadBytes = maxUploadBytes;
        this.guard = guard;
        this.spool = spool;
    }

    @Override
    public synchronized void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        // the router is bound under a name that depends on the port: take every one there is
        // one server may be bound under two names: each server's router is set up once
        for (VertxPlatformHttpRouter router : context.getRegistry().findByType(VertxPlatformHttpRouter.class)) {
            if (!servers.add(router.getServer())) continue;
            router.route().order(-1000).handler(guard::handle);
            if (spool != null) router.post("/upload").order(-999).handler(spool::handle);
            answerTooLarge(router);
            answerUnrouted(router);
        }
    }

    private void answerTooLarge(VertxPlatformHttpRouter router) {
        // a failure handler on Camel's (sub-)router: error handlers there are not consulted, failure handlers are
        router.route().failureHandler(ctx -> {
            if (ctx.statusCode() == 413) {
                reply(ctx, ApiException.tooLarge(maxUploadBytes));
            } else {
                ctx.next();
            }
        });
    }

    /** 404 and 405 are decided by the server's top router (Camel's routes hang below it): its error handlers answer. */
    private static void answerUnrouted(VertxPlatformHttpRouter router) {
        HttpServer server = router.getServer().getServer();
        Handler<HttpServerRequest> top = server == null ? null : server.requestHandler();
        if (!(top instanceof Router main)) return;
        main.errorHandler(404, ctx -> reply(ctx, ApiException.notFound("no_route",
                "Nothing is served at " + ctx.request().method() + " " + ctx.request().path() + ".", null)));
        main.errorHandler(405, ctx -> reply(ctx, new ApiException(405, "method_not_allowed", "method_not_allowed",
                ctx.request().path() + " does not take " + ctx.request().method() + ".", null)));
    }

    private static void reply(RoutingContext ctx, ApiException answer) {
        if (ctx.response().ended()) return;
        ctx.response().setStatusCode(answer.status()).putHeader("Content-Type", "application/json")
                .putHeader("X-Content-Type-Options", "nosniff").end(Json.string(answer.body()));
    }
}
