package dev.scalableapi.common.forwarding;

import io.vertx.core.Future;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;

/**
 * Abandons an upstream request (the client left, a deadline passed). For HTTP/1.x, Vert.x 4.5 implements a reset
 * by closing the connection even when the response has ended ({@code Http1xClientConnection.reset}), and by then
 * the pool may have handed that connection to another request: a late reset broke that other request. Seen as a
 * 502 on a POST whose head and body went out on a connection its own client closed 3 ms later, after a previous
 * response on it had been relayed to a client that then left. The response's end can be in, and the connection
 * reused, while the relay has not read it (a response paused for a slow client): so once the response's head has
 * arrived the rest is read and dropped instead; only an exchange still waiting for its head is reset.
 */
public final class UpstreamAbort {

    private UpstreamAbort() {
    }

    public static void ifInFlight(HttpClientRequest request) {
        Future<HttpClientResponse> response = request.response();
        if (!response.succeeded()) {
            request.reset();
            return;
        }
        HttpClientResponse started = response.result();
        if (!started.end().isComplete()) {
            // a stalled rest still ends by the request's idle timeout
            started.handler(chunk -> { }).exceptionHandler(failure -> { }).resume();
        }
    }
}
