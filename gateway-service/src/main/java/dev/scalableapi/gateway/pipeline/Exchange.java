package dev.scalableapi.gateway.pipeline;

import dev.scalableapi.common.identity.Identity;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;

/**
 * What the gateway's stages learn about one request, carried in the routing context: who the caller is, where
 * it comes from, and how the request ended (for the request log).
 */
public final class Exchange {

    private static final String KEY = "scalable-api.exchange";

    private final Instant startedAt = Instant.now();
    private final long startedNanos = System.nanoTime();
    private volatile Identity identity = Identity.anonymous();
    private volatile String clientIp;
    private volatile String errorCode;
    private volatile Integer rateLimitPerMinute;
    private volatile String rateLimitSubject;

    public static Exchange of(RoutingContext rc) {
        Exchange exchange = rc.get(KEY);
        if (exchange == null) {
            exchange = new Exchange();
            rc.put(KEY, exchange);
        }
        return exchange;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public long startedNanos() {
        return startedNanos;
    }

    public Identity identity() {
        return identity;
    }

    public void identity(Identity identity) {
        this.identity = identity;
    }

    public String clientIp() {
        return clientIp;
    }

    public void clientIp(String clientIp) {
        this.clientIp = clientIp;
    }

    /** The stable error code the gateway answered with, or null when it forwarded the request. */
    public String errorCode() {
        return errorCode;
    }

    public void errorCode(String errorCode) {
        this.errorCode = errorCode;
    }

    /** The API key's own per-minute limit, when it overrides its tier's. */
    public Integer rateLimitPerMinute() {
        return rateLimitPerMinute;
    }

    public void rateLimitPerMinute(Integer rateLimitPerMinute) {
        this.rateLimitPerMinute = rateLimitPerMinute;
    }

    /** Who the rate limiter counted this request against ({@code key:42}, {@code user:7}, {@code ip:…}). */
    public String rateLimitSubject() {
        return rateLimitSubject;
    }

    public void rateLimitSubject(String rateLimitSubject) {
        this.rateLimitSubject = rateLimitSubject;
    }
}
