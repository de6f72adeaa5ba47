package com.gnosis.hub.api;

import com.gnosis.hub.session.Json;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/**
 * Answers in DESIGN.md's JSON shape the error the HTTP server raises before any route runs: a body over the
 * size limit (413, refused while it streams in).
 */
public final class HttpServerErrors implements StartupListener {

    private final long maxUploadBytes;

    public HttpServerErrors(long maxUploadBytes) {
        this.maxUploadBytes = maxUploadBytes;
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        // the router is bound under a name that depends on the port: take every one there is
        for (VertxPlatformHttpRouter router : context.getRegistry().findByType(VertxPlatformHttpRouter.class)) {
            answerTooLarge(router);
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

    private static void reply(RoutingContext ctx, ApiException answer) {
        if (ctx.response().ended()) return;
        ctx.response().setStatusCode(answer.status()).putHeader("Content-Type", "application/json")
                .end(Json.string(answer.body()));
    }
}
