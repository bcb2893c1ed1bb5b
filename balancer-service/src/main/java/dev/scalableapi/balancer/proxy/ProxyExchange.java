package dev.scalableapi.balancer.proxy;

import dev.scalableapi.balancer.endpoints.Backend;
import dev.scalableapi.balancer.outlier.OutlierDetector.Outcome;
import dev.scalableapi.common.errors.ApiException;
import dev.scalableapi.common.errors.ErrorCode;
import dev.scalableapi.common.forwarding.ForwardedHeaders;
import dev.scalableapi.common.forwarding.ResponseRelay;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.RoutingContext;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;

/**
 * One client request on its way through the balancer. Each attempt picks a backend not tried yet; a failure
 * before any byte reached a backend (connect error) may be retried for any method, a reset or a retriable
 * status only for idempotent requests whose body is replayable (none, or buffered because it is small).
 * Bodies otherwise stream both ways without buffering.
 */
final class ProxyExchange {

    private final RoutingContext rc;
    private final HttpServerRequest in;
    private final HttpServerResponse out;
    private final ProxyTools tools;

    private final Set<Backend> tried = new HashSet<>();
    private final boolean idempotent;
    private final boolean expectsContinue;
    private boolean continueSent;
    private Buffer body;
    private boolean streamingBody;
    private int attempts;
    private int retrySlots;
    private boolean finished;
    private boolean answered;
    private boolean clientGone;
    private long totalTimer = -1;
    private HttpClientRequest current;

    ProxyExchange(RoutingContext rc, ProxyTools tools) {
        this.rc = rc;
        this.in = rc.request();
        this.out = rc.response();
        this.tools = tools;
        this.idempotent = tools.retry().idempotentMethods().contains(in.method().name());
        this.expectsContinue = "100-continue".equalsIgnoreCase(in.getHeader("Expect"));
    }

    void start() {
        in.pause();
        tools.budget().requestStarted();
        // Through the routing context rather than out.endHandler/closeHandler: those hold one handler each, and
        // Vert.x Web puts its own there as soon as anything calls addEndHandler, so one side silently lost its
        // callback; addEndHandler reports both the end (success) and a closed connection (failure).
        rc.addEndHandler(ended -> {
            if (ended.failed()) {
                clientGone = true;
            }
            finish();
            if (ended.failed() && current != null) {
                current.reset();
            }
        });
        if (out.closed()) {
            // The client left before this handler ran: no end or close event will ever come.
            clientGone = true;
            finish();
            return;
        }
        totalTimer = tools.vertx().setTimer(tools.config().totalTimeout().toMillis(), id -> onTotalTimeout());
        long length = declaredLength();
        boolean chunked = "chunked".equalsIgnoreCase(in.getHeader("Transfer-Encoding"));
        if (length == 0 || (length < 0 && !chunked)) {
            attempt();
        } else if (idempotent && length > 0 && length <= tools.retry().maxReplayableBody().asLongValue()) {
            sendContinue();
            in.body().onSuccess(buffer -> {
                body = buffer;
                attempt();
            }).onFailure(failure -> fail(new ApiException(ErrorCode.MALFORMED_JSON, "Request body could not be read")));
            in.resume();
        } else {
            streamingBody = true;
            attempt();
        }
    }

    private void attempt() {
        if (finished) {
            return;
        }
        Backend backend = tools.picker().pick(tried);
        if (backend == null) {
            fail(new ApiException(ErrorCode.UPSTREAM_UNAVAILABLE,
                    tried.isEmpty() ? "No healthy backend available" : "No other healthy backend to retry on",
                    Map.of(), 1L));
            return;
        }
        tried.add(backend);
        attempts++;
        backend.requestStarted();
        long started = System.nanoTime();
        RequestOptions options = new RequestOptions()
                .setMethod(in.method())
                .setHost(backend.address().host())
                .setPort(backend.address().port())
                .setURI(in.uri())
                .setHeaders(forwardedHeaders());
        if (!streamingBody) {
            options.setIdleTimeout(tools.config().firstByteTimeout().toMillis());
        }
        tools.client().request(options).onComplete(connected -> {
            if (connected.failed()) {
                // Nothing was sent: safe to try elsewhere whatever the method.
                settle(backend, started, Outcome.GATEWAY_FAILURE, "connect_failure");
                retryOr(true, new ApiException(ErrorCode.UPSTREAM_UNAVAILABLE,
                        "Could not connect to a backend", Map.of(), 1L));
                return;
            }
            HttpClientRequest request = connected.result();
            if (clientGone) {
                request.reset();
                settle(backend, started, Outcome.CANCELLED, "cancelled");
                return;
            }
            current = request;
            var sent = body != null ? request.send(body) : streamingBody ? sendStreaming(request) : request.send();
            sent.onComplete(responded -> {
                if (responded.failed() && clientGone) {
                    // Our own reset after the client left: says nothing about the backend's health.
                    settle(backend, started, Outcome.CANCELLED, "cancelled");
                    return;
                }
                if (responded.failed()) {
                    boolean timeout = responded.cause() instanceof TimeoutException;
                    settle(backend, started, Outcome.GATEWAY_FAILURE, timeout ? "timeout" : "reset");
                    if (timeout) {
                        fail(new ApiException(ErrorCode.UPSTREAM_TIMEOUT, "Backend did not answer in time"));
                    } else {
                        retryOr(replayable(), new ApiException(ErrorCode.UPSTREAM_ERROR,
                                "Backend connection failed mid-request"));
                    }
                    return;
                }
                HttpClientResponse response = responded.result();
                if (tools.retry().retriableStatuses().contains(response.statusCode()) && replayable() && canRetry()) {
                    tools.outliers().record(backend, Outcome.SERVER_ERROR);
                    response.body().onComplete(ignored -> {
                        backend.requestFinished(System.nanoTime() - started, true);
                        tools.metrics().attempt(backend, "server_error", System.nanoTime() - started);
                        retryAfterBackoff();
                    });
                    return;
                }
                relay(backend, started, response);
            });
        });
    }

    /**
     * Like {@code request.send(in)}, but the first-byte timeout starts once the whole body went out: Vert.x' idle
     * timeout only counts bytes received, so while a slow client was still uploading (the backend rightly silent)
     * it cut healthy exchanges off with a 504.
     */
    private Future<HttpClientResponse> sendStreaming(HttpClientRequest request) {
        if (!request.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
            request.setChunked(true);
        }
        sendContinue();
        in.pipeTo(request).onSuccess(done -> request.idleTimeout(tools.config().firstByteTimeout().toMillis()));
        return request.response();
    }

    private void relay(Backend backend, long started, HttpClientResponse response) {
        int status = response.statusCode();
        tools.outliers().record(backend, status >= 500 ? Outcome.SERVER_ERROR : Outcome.SUCCESS);
        if (finished || out.closed()) {
            response.request().reset();
            backend.requestFinished(System.nanoTime() - started, true);
            finish(); // idempotent; releases the budget if the close went unnoticed
            return;
        }
        answered = true;
        out.headers().set("X-Served-By", backend.id()); // replaced by the backend's own, when it sends one
        ResponseRelay.relay(response, out).onComplete(piped -> {
            long elapsed = System.nanoTime() - started;
            backend.requestFinished(elapsed, status >= 500 || piped.failed());
            tools.metrics().attempt(backend, piped.failed() ? "reset" : status >= 500 ? "server_error" : "success", elapsed);
            if (piped.failed()) {
                response.request().reset(); // the backend need not stream the rest to nobody
                // When the client's connection dies mid-response of a GET (whose request, paused since start(),
                // Vert.x never saw end), no end or close event reaches this exchange: without this the retry
                // budget's active request leaked until the total timeout.
                finish();
            }
        });
    }

    private void retryOr(boolean allowed, ApiException otherwise) {
        if (allowed && canRetry()) {
            retryAfterBackoff();
        } else {
            fail(otherwise);
        }
    }

    private boolean canRetry() {
        if (finished || attempts > tools.retry().maxRetries() || !tools.budget().tryAcquire()) {
            return false;
        }
        retrySlots++;
        return true;
    }

    private void retryAfterBackoff() {
        long cap = Math.min(tools.retry().backoffMax().toMillis(), tools.retry().backoffBase().toMillis() << Math.min(attempts, 10));
        long delay = ThreadLocalRandom.current().nextLong(Math.max(1, cap));
        tools.vertx().setTimer(Math.max(1, delay), id -> attempt());
    }

    /**
     * A client that sent {@code Expect: 100-continue} holds its body back until told to go on (the JDK client
     * forever, curl for a second). The balancer answers the expectation itself, once it is about to read the body,
     * and does not forward it (Envoy's default): the backend then simply receives the body.
     */
    private void sendContinue() {
        if (expectsContinue && !continueSent) {
            continueSent = true;
            out.writeContinue();
        }
    }

    /** Replaying needs an idempotent method and a body we can send again (none, or buffered). */
    private boolean replayable() {
        return idempotent && !streamingBody;
    }

    private void settle(Backend backend, long started, Outcome outcome, String metricOutcome) {
        long elapsed = System.nanoTime() - started;
        tools.outliers().record(backend, outcome);
        backend.requestFinished(elapsed, outcome != Outcome.CANCELLED);
        tools.metrics().attempt(backend, metricOutcome, elapsed);
    }

    private void fail(ApiException error) {
        if (answered) {
            out.reset();
        } else {
            answered = true;
            tools.errors().write(out, error);
        }
        finish();
    }

    private void onTotalTimeout() {
        totalTimer = -1;
        if (current != null) {
            current.reset();
        }
        fail(new ApiException(ErrorCode.UPSTREAM_TIMEOUT, "Request took longer than " + tools.config().totalTimeout()));
    }

    private void finish() {
        if (finished) {
            return;
        }
        finished = true;
        tools.budget().requestFinished();
        for (int i = 0; i < retrySlots; i++) {
            tools.budget().retryFinished();
        }
        if (totalTimer >= 0) {
            tools.vertx().cancelTimer(totalTimer);
        }
    }

    private MultiMap forwardedHeaders() {
        // The balancer's only clients are the gateways (and, locally, a developer): keep their forwarded chain.
        MultiMap headers = ForwardedHeaders.forRequest(in, true);
        if (expectsContinue) {
            headers.remove("Expect"); // answered by this hop, see sendContinue()
        }
        return headers;
    }

    private long declaredLength() {
        String length = in.getHeader("Content-Length");
        if (length == null) {
            return -1;
        }
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
