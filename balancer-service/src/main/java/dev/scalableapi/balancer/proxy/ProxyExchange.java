package dev.scalableapi.balancer.proxy;

import dev.scalableapi.balancer.endpoints.Backend;
import dev.scalableapi.balancer.outlier.OutlierDetector.Outcome;
import dev.scalableapi.common.degradation.Degraded;
import dev.scalableapi.common.errors.ApiException;
import dev.scalableapi.common.errors.ErrorCode;
import dev.scalableapi.common.forwarding.ClientAbort;
import dev.scalableapi.common.forwarding.ForwardedHeaders;
import dev.scalableapi.common.forwarding.ResponseRelay;
import dev.scalableapi.common.forwarding.UpstreamAbort;
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
import org.jboss.logging.Logger;

/**
 * One client request on its way through the balancer. Each attempt picks a backend not tried yet. A failure that
 * provably left the backend without a complete request may be retried for any method; a reset after that, or a
 * retriable status, only for idempotent requests whose body is replayable (none, or buffered because it is small).
 * A body declared small is buffered for every method while the balancer's replay buffers have room for it; larger or
 * chunked ones, and small ones that do not fit, stream both ways without buffering.
 *
 * <p>What is provable with Vert.x 4.5's HttpClient: it tells neither whether a pooled connection was reused nor what
 * had gone out when it died (closed before or after the head was sent, a stream fails alike with "Connection was
 * closed"), but it does tell whether a write reached the socket. So "never sent" means: no connection, the pooled
 * one found closed as the request was created ({@code client.request} fails), or the head not written because the
 * connection was already closed or reset — a server cannot act on a head it never received whole. A streamed body
 * is read only once the head is out, so it is still there for the next backend. A head that did go out may have
 * been acted upon even if no response byte came (a server closing the connection as we reused it and a crash
 * mid-request look the same), so that is retried only for idempotent requests, as in Go's net/http. The keep-alive
 * race is kept away instead by retiring idle connections first ({@link ProxyConfig#keepAliveTimeout()}).
 */
final class ProxyExchange {

    private static final Logger LOG = Logger.getLogger(ProxyExchange.class);

    private final RoutingContext rc;
    private final HttpServerRequest in;
    private final HttpServerResponse out;
    private final ProxyTools tools;

    private final Set<Backend> tried = new HashSet<>();
    /**
     * Tried backends whose attempt died with its connection (most often a keep-alive connection the server had
     * just closed): usable again over a fresh connection, but only as a last resort.
     */
    private final Set<Backend> lastResort = new HashSet<>();
    private boolean lastResortUsed;
    private final boolean idempotent;
    private final boolean expectsContinue;
    private boolean continueSent;
    private Buffer body;
    private long bufferReserved;
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
                UpstreamAbort.ifInFlight(current);
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
        } else if (length > 0 && length <= tools.retry().maxReplayableBody().asLongValue()
                && tools.replayBuffers().tryReserve(length)) {
            bufferReserved = length;
            // Small declared bodies of every method are read first and sent with the head in one write: an idempotent
            // one can then be replayed, and a request whose connection is found dead while being written is still
            // whole for the next attempt.
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
        Backend backend = pickUntried();
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
                // Nothing was sent (no connection, or the pooled one was found closed): safe elsewhere, any method.
                settle(backend, started, Outcome.GATEWAY_FAILURE, "connect_failure");
                if (!(connected.cause() instanceof java.net.ConnectException)) {
                    lastResort.add(backend); // a stale pooled connection, not a refused one: a fresh one may do
                }
                retryUnsentOr(new ApiException(ErrorCode.UPSTREAM_UNAVAILABLE,
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
            Future<Void> headWritten = write(request);
            request.response().onComplete(responded -> {
                if (responded.failed() && clientGone) {
                    // Our own reset after the client left: says nothing about the backend's health.
                    settle(backend, started, Outcome.CANCELLED, "cancelled");
                    return;
                }
                if (responded.failed() && responded.cause() instanceof TimeoutException) {
                    settle(backend, started, Outcome.GATEWAY_FAILURE, "timeout");
                    fail(new ApiException(ErrorCode.UPSTREAM_TIMEOUT, "Backend did not answer in time"));
                    return;
                }
                if (responded.failed()) {
                    // A closed connection fails the pending head write too, possibly a moment after the response.
                    headWritten.onComplete(written -> {
                        settle(backend, started, Outcome.GATEWAY_FAILURE, "reset");
                        lastResort.add(backend);
                        ApiException failed = new ApiException(ErrorCode.UPSTREAM_ERROR,
                                "Backend connection failed mid-request");
                        if (written.failed()) {
                            retryUnsentOr(failed);
                        } else if (replayable() && attempts <= tools.retry().maxRetries()) {
                            // No response byte, the connection dropped: a crashed replica's signature. Within the
                            // one-retry limit but outside the budget, which a crash exhausts at once (every request
                            // in flight on the replica fails together) and which is there for 5xx and timeouts.
                            retryAfterBackoff();
                        } else {
                            // The one answer a client sees as 502 without a backend having said anything: the log
                            // says which backend and how the connection ended, so a rare one can be traced.
                            LOG.warnf("%s %s: the connection to %s failed after the request went out, before any"
                                    + " response byte (%s); not sent again", in.method(), in.path(),
                                    backend.address(), responded.cause());
                            fail(failed);
                        }
                    });
                    return;
                }
                HttpClientResponse response = responded.result();
                if (tools.retry().retriableStatuses().contains(response.statusCode()) && !degraded(response)
                        && replayable() && canRetry()) {
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
     * The backend answered without a dependency that every backend shares (PostgreSQL): another backend would
     * answer the same, and the failure is not this backend's.
     */
    private static boolean degraded(HttpClientResponse response) {
        return response.headers().contains(Degraded.HEADER);
    }

    private Backend pickUntried() {
        Backend backend = tools.picker().pick(tried);
        if (backend == null && !lastResort.isEmpty() && !lastResortUsed) {
            // No other backend left: a fresh connection to one whose connection died is as safe as another backend
            // (the request is retriable either way). Not earlier, since a dead connection may be the first sign of
            // a backend that just died. Once: an unsent retry draws on no budget, so this keeps it bounded.
            lastResortUsed = true;
            tried.removeAll(lastResort);
            lastResort.clear();
            backend = tools.picker().pick(tried);
        }
        return backend;
    }

    /**
     * Sends the request; the future tells whether its head reached the socket (for a buffered body, head and body
     * together — replayable anyway). A streamed body is read from the client only after its head went out, so
     * that a connection found dead at that point leaves the body unread for another backend.
     */
    private Future<Void> write(HttpClientRequest request) {
        if (body != null) {
            return request.end(body);
        }
        if (!streamingBody) {
            return request.end();
        }
        if (!request.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
            request.setChunked(true);
        }
        // Failures also reach the response future; without a handler Vert.x logs each one at ERROR, retried or not.
        request.exceptionHandler(failure -> { });
        return request.sendHead().onSuccess(headSent -> {
            sendContinue();
            // The first-byte timeout starts once the whole body went out: Vert.x' idle timeout only counts bytes
            // received, so while a slow client was still uploading (the backend rightly silent) it cut healthy
            // exchanges off with a 504. A body cut short (the client gone) must reset the upstream request, never
            // end it: ended, a chunked body would look complete.
            in.pipe().endOnFailure(false).to(request)
                    .onSuccess(done -> request.idleTimeout(tools.config().firstByteTimeout().toMillis()))
                    .onFailure(failure -> request.reset(0, failure));
        });
    }

    private void relay(Backend backend, long started, HttpClientResponse response) {
        int status = response.statusCode();
        tools.outliers().record(backend, status < 500 ? Outcome.SUCCESS
                : degraded(response) ? Outcome.DEPENDENCY_DOWN : Outcome.SERVER_ERROR);
        if (finished || out.closed()) {
            UpstreamAbort.ifInFlight(response.request());
            backend.requestFinished(System.nanoTime() - started, true);
            finish(); // idempotent; releases the budget if the close went unnoticed
            return;
        }
        answered = true;
        out.headers().set("X-Served-By", backend.id()); // replaced by the backend's own, when it sends one
        ResponseRelay.relay(response, rc).onComplete(piped -> {
            long elapsed = System.nanoTime() - started;
            backend.requestFinished(elapsed, status >= 500 || piped.failed());
            tools.metrics().attempt(backend, piped.failed() ? "reset" : status >= 500 ? "server_error" : "success", elapsed);
            if (piped.failed()) {
                UpstreamAbort.ifInFlight(response.request()); // the backend need not stream the rest to nobody
                finish(); // now rather than at the close event that follows (finish is idempotent)
            }
        });
    }

    /**
     * A request that never reached a backend is tried on the next one without drawing on the retry budget or the
     * retry limit: the budget keeps retries from multiplying the backends' work, and they did none for this one.
     * The backends not tried yet bound it.
     */
    private void retryUnsentOr(ApiException otherwise) {
        if (finished) {
            fail(otherwise);
        } else {
            retryAfterBackoff();
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
            ClientAbort.cutShort(rc);
        } else {
            answered = true;
            tools.errors().write(out, error);
        }
        finish();
    }

    private void onTotalTimeout() {
        totalTimer = -1;
        if (current != null) {
            UpstreamAbort.ifInFlight(current);
        }
        fail(new ApiException(ErrorCode.UPSTREAM_TIMEOUT, "Request took longer than " + tools.config().totalTimeout()));
    }

    private void finish() {
        if (finished) {
            return;
        }
        finished = true;
        tools.budget().requestFinished();
        tools.replayBuffers().release(bufferReserved);
        body = null;
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
