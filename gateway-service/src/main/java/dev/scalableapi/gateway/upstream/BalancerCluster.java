package dev.scalableapi.gateway.upstream;

import dev.scalableapi.common.forwarding.LoopLocalHttpClient;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The balancers behind the gateway, for everything that calls them — the proxy, the admin API's calls and the
 * readiness check: their addresses (parsed once from {@code BALANCER_URL}), the failover order, the HTTP clients,
 * and whether each answered its own readiness check lately (probed every 2 s in the background, so the health
 * endpoint never waits).
 */
@ApplicationScoped
public class BalancerCluster {

    /** One balancer: where to connect, its base URL for absolute requests, and its management port. */
    public record Balancer(String host, int port, String baseUrl, int healthPort) {
    }

    private static final long PROBE_INTERVAL_MILLIS = 2000;

    private final Vertx vertx;
    private final List<Balancer> balancers;
    private final LoopLocalHttpClient pooled;
    private final HttpClient unpooled;
    private final AtomicInteger next = new AtomicInteger();
    private final Map<Balancer, Boolean> ready = new ConcurrentHashMap<>();
    private long probeTimer = -1;

    BalancerCluster(Vertx vertx, UpstreamConfig config) {
        this.vertx = vertx;
        this.balancers = config.url().stream().map(String::trim).filter(url -> !url.isEmpty())
                .map(url -> parse(url, config.healthPort())).toList();
        if (balancers.isEmpty()) {
            throw new IllegalArgumentException("gateway.upstream.url (BALANCER_URL) lists no balancer");
        }
        HttpClientOptions options = new HttpClientOptions()
                .setConnectTimeout((int) config.connectTimeout().toMillis())
                .setKeepAlive(true)
                .setKeepAliveTimeout((int) config.keepAliveTimeout().toSeconds())
                .setMaxPoolSize(config.maxConnections())
                .setTcpNoDelay(true)
                .setTcpQuickAck(true) // as NIO leaves it (see quarkus.http.tcp-quick-ack)
                .setDecompressionSupported(false);
        this.pooled = new LoopLocalHttpClient(vertx, options);
        this.unpooled = vertx.createHttpClient(new HttpClientOptions(options).setKeepAlive(false));
    }

    /** {@code http://host:port}, optionally followed by {@code ;health-port=N}. */
    static Balancer parse(String spec, int defaultHealthPort) {
        String[] parts = spec.split(";");
        String url = parts[0].trim().replaceAll("/+$", "");
        int healthPort = defaultHealthPort;
        for (int i = 1; i < parts.length; i++) {
            String[] option = parts[i].trim().split("=", 2);
            if (option.length != 2 || !option[0].equals("health-port")) {
                throw new IllegalArgumentException("unknown balancer option '" + parts[i] + "' in '" + spec + "'");
            }
            healthPort = Integer.parseInt(option[1].trim());
        }
        URI uri = URI.create(url);
        return new Balancer(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : 80, url, healthPort);
    }

    void start(@Observes StartupEvent event) {
        probeAll();
        probeTimer = vertx.setPeriodic(PROBE_INTERVAL_MILLIS, id -> probeAll());
    }

    void stop(@Observes ShutdownEvent event) {
        if (probeTimer >= 0) {
            vertx.cancelTimer(probeTimer);
        }
    }

    /** How many balancers there are: a request tries each at most once. */
    public int size() {
        return balancers.size();
    }

    /** Where a request's failover order starts: successive requests start at successive balancers. */
    public int firstIndex() {
        return Math.floorMod(next.getAndIncrement(), balancers.size());
    }

    /** The {@code tried}-th balancer in the failover order that starts at {@code first}. */
    public Balancer balancer(int first, int tried) {
        return balancers.get((first + tried) % balancers.size());
    }

    /** Keep-alive connections on the caller's event loop: for every request sent to a balancer. */
    public HttpClient client() {
        return pooled.current();
    }

    /**
     * A connection of its own, never a pooled one: for the one retry of a request whose pooled connection died
     * before it was sent, so the retry cannot meet another stale one.
     */
    public HttpClient unpooledClient() {
        return unpooled;
    }

    /** Each balancer's base URL and whether it answered its readiness check lately (absent: not probed yet). */
    public Map<String, Boolean> readiness() {
        Map<String, Boolean> byUrl = new LinkedHashMap<>();
        for (Balancer balancer : balancers) {
            Boolean up = ready.get(balancer);
            if (up != null) {
                byUrl.put(balancer.baseUrl(), up);
            }
        }
        return byUrl;
    }

    private void probeAll() {
        for (Balancer balancer : balancers) {
            client().request(new RequestOptions().setMethod(HttpMethod.GET).setHost(balancer.host())
                            .setPort(balancer.healthPort()).setURI("/q/health/ready").setIdleTimeout(1000))
                    .compose(request -> request.send())
                    .compose(response -> response.body().map(body -> response.statusCode() == 200))
                    .onComplete(result -> ready.put(balancer, result.succeeded() && result.result()));
        }
    }
}
