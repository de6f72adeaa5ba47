package com.gnosis.hub.api;

import com.gnosis.hub.session.Json;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a browser may ask of the hub on behalf of another site. A browser sends a "simple" request (a form's
 * multipart or urlencoded POST, a text/plain POST) cross-site without asking first, with the user's network
 * position and headers it holds; so a browser's request that changes something must come from the hub's own origin
 * (or one in ALLOWED_ORIGINS), or carry {@value #HEADER} (which only the hub's page sets: a cross-site page cannot
 * without a CORS permission the hub never gives), or have a non-simple content type (same reason). WebSocket
 * handshakes must come from an allowed origin. Requests with no Origin and no Sec-Fetch-Site (curl, scripts, SDKs)
 * are not a browser acting for another site and pass.
 *
 * <p>Every answer also carries {@code X-Content-Type-Options: nosniff}, so a stored file is never run as a script.
 */
public final class CrossSiteGuard {

    /** The header the hub's own page sends with every request. */
    public static final String HEADER = "X-Gnosis-Client";

    private static final Set<String> SIMPLE_TYPES = Set.of("application/x-www-form-urlencoded", "multipart/form-data",
            "text/plain");

    private final List<String> allowedOrigins;

    /** @param allowedOrigins ALLOWED_ORIGINS: other origins ({@code https://host[:port]}) trusted like the hub's own */
    public CrossSiteGuard(List<String> allowedOrigins) {
        this.allowedOrigins = allowedOrigins.stream().map(o -> o.trim().toLowerCase(Locale.ROOT))
                .filter(o -> !o.isEmpty()).map(o -> o.endsWith("/") ? o.substring(0, o.length() - 1) : o).toList();
    }

    /** ALLOWED_ORIGINS, comma separated; empty: only the hub's own origin. */
    public static CrossSiteGuard of(String allowedOrigins) {
        return new CrossSiteGuard(allowedOrigins == null ? List.of() : List.of(allowedOrigins.split(",")));
    }

    /** The first handler of every request (Vert.x router). */
    public void handle(RoutingContext ctx) {
        ctx.addHeadersEndHandler(v -> ctx.response().headers().set("X-Content-Type-Options", "nosniff"));
        HttpServerRequest request = ctx.request();
        String refusal = refusal(request);
        if (refusal == null) {
            ctx.next();
            return;
        }
        ApiException error = new ApiException(403, "forbidden", "cross_site_request", refusal, null);
        ctx.response().setStatusCode(403).putHeader("Content-Type", "application/json")
                // the body (a form post's file) is not wanted: the connection goes once this answer is out
                .putHeader(HttpHeaders.CONNECTION, "close").end(Json.string(error.body()));
    }

    /** Why the request is refused, or null when it may go on. */
    String refusal(HttpServerRequest request) {
        String origin = request.getHeader(HttpHeaders.ORIGIN);
        if (isWebSocket(request)) {
            if (origin == null || allowed(origin, request)) return null;
            return "WebSocket connections are accepted from the hub's own page only (origin " + origin
                    + " is not allowed; see ALLOWED_ORIGINS).";
        }
        if (request.method() == HttpMethod.GET || request.method() == HttpMethod.HEAD
                || request.method() == HttpMethod.OPTIONS) {
            return null;
        }
        String site = request.getHeader("Sec-Fetch-Site");
        boolean fromBrowser = origin != null || site != null && !site.equalsIgnoreCase("none");
        if (!fromBrowser) return null;
        if (origin != null ? allowed(origin, request) : site.equalsIgnoreCase("same-origin")) return null;
        if (request.getHeader(HEADER) != null) return null;
        if (!isSimple(request.getHeader(HttpHeaders.CONTENT_TYPE))) return null;
        return "A browser request from another site (origin " + (origin == null ? site : origin) + ") is refused: "
                + "the hub's own page sends " + HEADER + "; other sites need ALLOWED_ORIGINS.";
    }

    private boolean allowed(String origin, HttpServerRequest request) {
        String normal = origin.trim().toLowerCase(Locale.ROOT);
        if (allowedOrigins.contains(normal)) return true;
        // HTTP/2 has no Host header: its :authority is what the request was sent to
        String host = request.host() != null ? request.host() : request.getHeader(HttpHeaders.HOST);
        if (host == null || normal.equals("null")) return false;
        try {
            URI uri = URI.create(normal);
            String authority = uri.getRawAuthority();
            return authority != null && authority.equals(host.trim().toLowerCase(Locale.ROOT))
                    || authority != null && uri.getPort() == -1 && (authority + ":" + defaultPort(uri.getScheme()))
                    .equals(host.trim().toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static int defaultPort(String scheme) {
        return "https".equals(scheme) ? 443 : 80;
    }

    private static boolean isWebSocket(HttpServerRequest request) {
        String upgrade = request.getHeader(HttpHeaders.UPGRADE);
        return upgrade != null && upgrade.equalsIgnoreCase("websocket");
    }

    /** No Content-Type at all is as simple as text/plain: a browser sends such a body without asking. */
    private static boolean isSimple(String contentType) {
        if (contentType == null) return true;
        String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return type.isEmpty() || SIMPLE_TYPES.contains(type);
    }
}
