package dev.scalableapi.gateway.proxy;

import dev.scalableapi.common.errors.ApiException;
import dev.scalableapi.common.errors.ErrorCode;
import dev.scalableapi.common.forwarding.ForwardedHeaders;
import dev.scalableapi.common.forwarding.ResponseRelay;
import dev.scalableapi.common.identity.IdentityHeaders;
import dev.scalableapi.gateway.pipeline.ClientAddress;
import dev.scalableapi.gateway.pipeline.EdgeErrors;
import dev.scalableapi.gateway.pipeline.Exchange;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stage 5: forwards the request to the balancer and streams the answer back. Identity headers a client sent are
 * dropped and replaced by the signed identity the auth stage established. Retrying across api replicas is the
 * balancer's job; the gateway only fails over between balancers when it cannot connect.
 */
@ApplicationScoped
public class ProxyStage implements Handler<RoutingContext> {

    private record Upstream(String host, int port) {
    }

    private final List<Upstream> upstreams;
    private final UpstreamConfig config;
    private final HttpClient client;
    private final IdentityHeaders identity;
    private final ClientAddress clientAddress;
    private final EdgeErrors errors;
    private final AtomicInteger next = new AtomicInteger();

    ProxyStage(Vertx vertx, UpstreamConfig config, IdentitySigningConfig signing, ClientAddress clientAddress,
            EdgeErrors errors) {
        this.config = config;
        this.upstreams = config.url().stream().map(String::trim).filter(s -> !s.isEmpty()).map(URI::create)
                .map(uri -> new Upstream(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : 80)).toList();
        this.identity = new IdentityHeaders(signing.signingSecret(), 300);
        this.clientAddress = clientAddress;
        this.errors = errors;
        this.client = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) config.connectTimeout().toMillis())
                .setKeepAlive(true)
                .setKeepAliveTimeout((int) config.keepAliveTimeout().toSeconds())
                .setMaxPoolSize(config.maxConnections())
                .setTcpNoDelay(true)
                .setDecompressionSupported(false));
    }

    @Override
    public void handle(RoutingContext rc) {
        HttpServerRequest in = rc.request();
        in.pause();
        MultiMap headers = outgoingHeaders(rc);
        int first = Math.floorMod(next.getAndIncrement(), upstreams.size());
        attempt(rc, headers, first, 0);
    }

    private void attempt(RoutingContext rc, MultiMap headers, int index, int tried) {
        HttpServerRequest in = rc.request();
        Upstream upstream = upstreams.get((index + tried) % upstreams.size());
        RequestOptions options = new RequestOptions()
                .setMethod(in.method())
                .setHost(upstream.host())
                .setPort(upstream.port())
                .setURI(in.uri())
                .setHeaders(headers)
                .setIdleTimeout(config.firstByteTimeout().toMillis());
        client.request(options).onComplete(connected -> {
            if (connected.failed()) {
                if (tried + 1 < upstreams.size()) {
                    attempt(rc, headers, index, tried + 1); // nothing was sent yet: try the next balancer
                } else {
                    errors.reject(rc, new ApiException(ErrorCode.UPSTREAM_UNAVAILABLE,
                            "The service is unavailable; try again shortly", Map.of(), 1L));
                }
                return;
            }
            var request = connected.result();
            rc.response().closeHandler(v -> request.reset());
            var sent = hasBody(in) ? request.send(in) : request.send();
            sent.onComplete(responded -> {
                if (responded.failed()) {
                    boolean timeout = responded.cause() instanceof TimeoutException;
                    errors.reject(rc, timeout
                            ? new ApiException(ErrorCode.UPSTREAM_TIMEOUT, "The service did not answer in time")
                            : new ApiException(ErrorCode.UPSTREAM_ERROR, "The service connection failed"));
                    return;
                }
                ResponseRelay.relay(responded.result(), rc.response());
            });
        });
    }

    private MultiMap outgoingHeaders(RoutingContext rc) {
        HttpServerRequest in = rc.request();
        String peer = in.remoteAddress() == null ? null : in.remoteAddress().host();
        MultiMap headers = ForwardedHeaders.forRequest(in, peer != null && clientAddress.isTrusted(peer));
        IdentityHeaders.ALL.forEach(headers::remove);
        identity.sign(Exchange.of(rc).identity(), System.currentTimeMillis() / 1000).forEach(headers::set);
        return headers;
    }

    private static boolean hasBody(HttpServerRequest in) {
        String length = in.getHeader("Content-Length");
        return (length != null && !length.trim().equals("0")) || in.getHeader("Transfer-Encoding") != null;
    }
}
