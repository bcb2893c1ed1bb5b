package dev.scalableapi.gateway.pipeline;

import dev.scalableapi.common.identity.Identity;
import dev.scalableapi.gateway.ratelimit.RateLimitPolicy;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.List;

/**
 * What the gateway learns about one request, carried in the routing context: what the caller presented and where
 * it comes from (both resolved once by {@link CallerFilter}), who it turned out to be, and how the request ended
 * (for the request log).
 */
public final class Exchange {

    private static final String KEY = "scalable-api.exchange";

    private final Instant startedAt = Instant.now();
    private final long startedNanos = System.nanoTime();
    private final String clientIp;
    private final String clientNetwork;
    private final Credential credential;
    private volatile Identity identity = Identity.anonymous();
    private volatile String errorCode;
    private volatile Integer rateLimitPerMinute;
    private volatile List<RateLimitPolicy> keyLimits;
    private volatile String rateLimitSubject;

    private Exchange(String clientIp, Credential credential) {
        this.clientIp = clientIp;
        this.clientNetwork = ClientNetwork.of(clientIp);
        this.credential = credential;
    }

    static Exchange start(RoutingContext rc, String clientIp, Credential credential) {
        Exchange exchange = new Exchange(clientIp, credential);
        rc.put(KEY, exchange);
        return exchange;
    }

    /** The request's exchange; one without a caller if {@link CallerFilter} did not see the request. */
    public static Exchange of(RoutingContext rc) {
        Exchange exchange = rc.get(KEY);
        return exchange != null ? exchange : start(rc, null, null);
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

    /** The client's address: the TCP peer, or the client behind it when the peer is a trusted proxy. */
    public String clientIp() {
        return clientIp;
    }

    /** What per-client limits count for this client: its IPv4 address, or its IPv6 /64 ({@link ClientNetwork}). */
    public String clientNetwork() {
        return clientNetwork;
    }

    /** What the caller presented to authenticate, or null. */
    public Credential credential() {
        return credential;
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

    /** The API key's own policies, when they replace its tier's; else null. */
    public List<RateLimitPolicy> keyLimits() {
        return keyLimits;
    }

    public void keyLimits(List<RateLimitPolicy> keyLimits) {
        this.keyLimits = keyLimits;
    }

    /** Who the rate limiter counted this request against ({@code key:42}, {@code user:7}, {@code ip:…}). */
    public String rateLimitSubject() {
        return rateLimitSubject;
    }

    public void rateLimitSubject(String rateLimitSubject) {
        this.rateLimitSubject = rateLimitSubject;
    }
}
