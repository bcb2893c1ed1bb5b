package dev.scalableapi.gateway.proxy;

import dev.scalableapi.common.errors.ApiException;
import dev.scalableapi.common.errors.ErrorCode;
import dev.scalableapi.common.forwarding.ForwardedHeaders;
import dev.scalableapi.common.forwarding.ResponseRelay;
import dev.scalableapi.common.forwarding.UpstreamAbort;
import dev.scalableapi.common.identity.IdentityHeaders;
import dev.scalableapi.common.tracing.TraceParent;
import dev.scalableapi.gateway.admin.AdminConfig;
import dev.scalableapi.gateway.pipeline.ClientAddress;
import dev.scalableapi.gateway.pipeline.EdgeErrors;
import dev.scalableapi.gateway.pipeline.Exchange;
import dev.scalableapi.gateway.upstream.BalancerCluster;
import dev.scalableapi.gateway.upstream.UpstreamConfig;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.Handler;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Stage 5: forwards the request to the balancer and streams the answer back. Identity headers a client sent are
 * dropped and replaced by the identity the auth stage established, signed for this request's method and target;
 * the caller's credentials are not forwarded ({@link CredentialHeaders}). Retrying across api replicas is the
 * balancer's job; the gateway fails over between balancers when it cannot connect, tries once more when a
 * pooled connection died before the request was sent (see {@link #retryUnsent}), and sends a bodiless idempotent
 * request to the next balancer when its connection died before any answer (a balancer killed or restarted).
 */
@ApplicationScoped
public class ProxyStage implements Handler<RoutingContext> {

    /** Routing-context key: the one retry of a request that never reached a balancer was made. */
    private static final String UNSENT_RETRIED = "gateway.proxy.unsent-retried";
    /** Safe to send again when a balancer may have received them (bodiless ones only: a body is streamed once). */
    private static final Set<HttpMethod> IDEMPOTENT = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

    private final BalancerCluster balancers;
    private final UpstreamConfig config;
    private final IdentityHeaders identity;
    private final ClientAddress clientAddress;
    private final CredentialHeaders credentials;
    private final EdgeErrors errors;
    private final long maxBodyBytes;
    private final boolean compression;
    private final boolean tracingSdk;

    ProxyStage(BalancerCluster balancers, UpstreamConfig config, IdentityHeaders identity,
            ClientAddress clientAddress, EdgeErrors errors,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBody,
            @ConfigProperty(name = "quarkus.http.enable-compression", defaultValue = "false") boolean compression,
            @ConfigProperty(name = "quarkus.otel.sdk.disabled", defaultValue = "false") boolean tracingSdkDisabled,
            AdminConfig admin) {
        this.balancers = balancers;
        this.tracingSdk = !tracingSdkDisabled;
        this.config = config;
        this.compression = compression;
        this.maxBodyBytes = maxBody.asLongValue();
        this.identity = identity;
        this.clientAddress = clientAddress;
        this.credentials = new CredentialHeaders(admin.session().cookieName());
        this.errors = errors;
    }

    @Override
    public void handle(RoutingContext rc) {
        HttpServerRequest in = rc.request();
        in.pause();
        MultiMap headers = outgoingHeaders(rc);
        int first = balancers.firstIndex();
        if (!mayHaveUnframedBody(in)) {
            attempt(rc, headers, first, 0, hasFramedBody(in), null);
            return;
        }
        // HTTP/2 without content-length: whether a body follows shows only in what arrives first, data or the end
        AtomicBoolean decided = new AtomicBoolean();
        in.endHandler(end -> {
            if (decided.compareAndSet(false, true)) {
                attempt(rc, headers, first, 0, false, null);
            }
        });
        in.handler(chunk -> {
            if (decided.compareAndSet(false, true)) {
                in.pause();
                in.endHandler(null);
                in.handler(null);
                attempt(rc, headers, first, 0, true, chunk);
            }
        });
        in.fetch(1);
    }

    private void attempt(RoutingContext rc, MultiMap headers, int index, int tried, boolean withBody,
            Buffer firstChunk) {
        HttpServerRequest in = rc.request();
        BalancerCluster.Balancer upstream = balancers.balancer(index, tried);
        RequestOptions options = new RequestOptions()
                .setMethod(in.method())
                .setHost(upstream.host())
                .setPort(upstream.port())
                .setURI(in.uri())
                .setHeaders(headers);
        if (!withBody) {
            options.setIdleTimeout(config.firstByteTimeout().toMillis());
        }
        Runnable again = () -> attempt(rc, headers, index, tried, withBody, firstChunk);
        (rc.get(UNSENT_RETRIED) == null ? balancers.client() : balancers.unpooledClient()).request(options).onComplete(connected -> {
            if (connected.failed()) {
                if (connected.cause() instanceof HttpClosedException && retryUnsent(rc, again)) {
                    return; // the pooled connection was found closed: nothing was sent
                }
                if (tried + 1 < balancers.size()) {
                    // nothing was sent yet: try the next balancer
                    attempt(rc, headers, index, tried + 1, withBody, firstChunk);
                } else {
                    errors.reject(rc, new ApiException(ErrorCode.UPSTREAM_UNAVAILABLE,
                            "The service is unavailable; try again shortly", Map.of(), 1L));
                }
                return;
            }
            var request = connected.result();
            // through the routing context: a response has one close handler, and Vert.x Web's own runs the end handlers
            rc.addEndHandler(ended -> {
                if (ended.failed()) {
                    UpstreamAbort.ifInFlight(request);
                }
            });
            LimitedBody body = withBody ? new LimitedBody(in, maxBodyBytes, firstChunk) : null;
            Future<Void> headWritten;
            if (body == null) {
                headWritten = request.end();
            } else {
                if (!headers.contains("Content-Length")) {
                    request.setChunked(true);
                }
                // The body is read only once the head is out, so that it is still unread if the connection was dead.
                // A body cut short (too large, client gone) must reset the upstream request, never end it: an ended
                // request would look like a complete, shorter body.
                // The first-byte timeout starts once the whole body went out: Vert.x' idle timeout counts only bytes
                // received, so while a slow client is still uploading (the balancer rightly silent) it would cut a
                // healthy exchange off.
                headWritten = request.sendHead().onSuccess(headSent -> body.pipe().endOnFailure(false).to(request)
                        .onSuccess(sent -> request.idleTimeout(config.firstByteTimeout().toMillis()))
                        .onFailure(failure -> request.reset(0, failure)));
            }
            request.response().onComplete(responded -> {
                if (responded.failed()) {
                    if (body != null && body.exceeded()) {
                        // the rest of the body is not read: answer and close the connection
                        rc.response().putHeader("Connection", "close");
                        errors.reject(rc, new ApiException(ErrorCode.PAYLOAD_TOO_LARGE,
                                "Request body exceeds " + maxBodyBytes + " bytes"));
                        return;
                    }
                    boolean timeout = responded.cause() instanceof TimeoutException;
                    // A closed connection fails the pending head write too, possibly a moment after the response.
                    headWritten.onComplete(written -> {
                        if (written.failed() && !timeout && retryUnsent(rc, again)) {
                            return;
                        }
                        if (!timeout && body == null && IDEMPOTENT.contains(in.method())
                                && tried + 1 < balancers.size() && !rc.response().closed()) {
                            attempt(rc, headers, index, tried + 1, false, null);
                            return;
                        }
                        errors.reject(rc, timeout
                                ? new ApiException(ErrorCode.UPSTREAM_TIMEOUT, "The service did not answer in time")
                                : new ApiException(ErrorCode.UPSTREAM_ERROR, "The service connection failed"));
                    });
                    return;
                }
                ResponseRelay.relay(responded.result(), rc);
            });
        });
    }

    /**
     * One more attempt, on a fresh connection, for a request the balancer provably never received: its pooled
     * connection was found closed as the request was created, or was closed or reset before the request's head
     * could be written (a balancer that restarted, or closed the connection as we reused it). A server cannot act on
     * a head it never received whole, so this is safe for any method; the body is still unread (see above). Once the
     * head went out the balancer may have acted on it — a connection dying then looks the same whether or not it
     * did — so nothing is retried after that.
     */
    private boolean retryUnsent(RoutingContext rc, Runnable again) {
        if (rc.response().closed() || rc.get(UNSENT_RETRIED) != null) {
            return false;
        }
        rc.put(UNSENT_RETRIED, Boolean.TRUE);
        again.run();
        return true;
    }

    private MultiMap outgoingHeaders(RoutingContext rc) {
        HttpServerRequest in = rc.request();
        String peer = in.remoteAddress() == null ? null : in.remoteAddress().host();
        MultiMap headers = ForwardedHeaders.forRequest(in, peer != null && clientAddress.isTrusted(peer));
        IdentityHeaders.ALL.forEach(headers::remove);
        credentials.removeFrom(headers);
        if (compression) {
            // The gateway compresses for the client. An upstream body that arrived compressed would be compressed
            // again over HTTP/2 (Netty's encoder compresses whatever says Content-Encoding: gzip), and inside the
            // cluster it is wasted work anyway.
            headers.set("Accept-Encoding", "identity");
        }
        identity.sign(Exchange.of(rc).identity(), in.method().name(), in.uri(), System.currentTimeMillis() / 1000)
                .forEach(headers::set);
        // W3C trace context: with the tracing SDK on, its instrumented HTTP client writes this hop's own (a child of
        // the client's, if any); without it the gateway continues the trace itself.
        String traceparent = in.getHeader(TraceParent.HEADER);
        if (tracingSdk || !TraceParent.isValid(traceparent)) {
            headers.remove(TraceParent.STATE_HEADER);
        }
        if (tracingSdk) {
            headers.remove(TraceParent.HEADER);
        } else {
            headers.set(TraceParent.HEADER, TraceParent.next(traceparent));
        }
        return headers;
    }

    /** HTTP/1.1 frames a body with Content-Length or Transfer-Encoding. */
    private static boolean hasFramedBody(HttpServerRequest in) {
        String length = in.getHeader("Content-Length");
        return (length != null && !length.trim().equals("0")) || in.getHeader("Transfer-Encoding") != null;
    }

    /** HTTP/2 needs neither: DATA frames may follow the headers until the stream ends. */
    private static boolean mayHaveUnframedBody(HttpServerRequest in) {
        return in.version() == HttpVersion.HTTP_2 && in.getHeader("Content-Length") == null && !in.isEnded();
    }
}
