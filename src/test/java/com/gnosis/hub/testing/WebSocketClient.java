package com.gnosis.hub.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.gnosis.hub.session.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A JDK WebSocket client whose text messages land in a queue, read as JSON. */
public final class WebSocketClient implements WebSocket.Listener {

    private final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    private final StringBuilder partial = new StringBuilder();
    private WebSocket socket;

    /** Opens a socket to {@code uri} (http or ws); {@code user} goes in X-User-Email unless null. */
    public static WebSocketClient open(HttpClient http, URI uri, String user) {
        WebSocketClient listener = new WebSocketClient();
        WebSocket.Builder builder = http.newWebSocketBuilder();
        if (user != null) builder.header("X-User-Email", user);
        URI ws = URI.create(uri.toString().replaceFirst("^http", "ws"));
        listener.socket = builder.buildAsync(ws, listener).join();
        return listener;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            messages.add(partial.toString());
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    /** The next {@code count} messages, waiting up to a minute for each. */
    public List<JsonNode> take(int count) throws Exception {
        List<JsonNode> taken = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String message = messages.poll(60, TimeUnit.SECONDS);
            assertThat(message).as("WebSocket message %d of %d (got %s)", i + 1, count, taken).isNotNull();
            taken.add(Json.MAPPER.readTree(message));
        }
        return taken;
    }

    /** Messages that arrived and were not taken yet. */
    public List<String> pending() {
        List<String> rest = new ArrayList<>();
        messages.drainTo(rest);
        return rest;
    }

    public void close() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();
    }
}
