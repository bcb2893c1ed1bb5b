package dev.scalableapi.gateway.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many unknown credentials (API keys no store knows, invalid login tokens) each client address presented in
 * its current window, counted in-process: once an address used up its allowance, its credentials that this gateway
 * does not already hold are refused before any Redis or PostgreSQL lookup, so guessing keys costs the stores a
 * bounded number of queries per address and window. A window starts at an address's first failure. Keys already
 * cached here still work from that address (they cost nothing to check).
 */
// Caffeine loads the classes of each cache shape by name (maximum size, expiry after write):
// a native image keeps only registered ones
@RegisterForReflection(classNames = {"com.github.benmanes.caffeine.cache.SSMSW",
        "com.github.benmanes.caffeine.cache.PSWMS"})
@ApplicationScoped
public class FailedCredentialLimit {

    private final int allowance;
    private final long windowSeconds;
    /** Bounded, so a spread of addresses cannot grow memory without limit; an entry lives one window. */
    private final Cache<String, AtomicInteger> failures;

    FailedCredentialLimit(AuthConfig config) {
        this.allowance = config.failedCredentialsPerAddress();
        this.windowSeconds = Math.max(1, config.failedCredentialsWindow().toSeconds());
        this.failures = Caffeine.newBuilder().maximumSize(100_000)
                .expireAfterWrite(config.failedCredentialsWindow()).build();
    }

    /** Whether {@code address} has no allowance left in its window. */
    public boolean exhausted(String address) {
        AtomicInteger count = failures.getIfPresent(key(address));
        return count != null && count.get() >= allowance;
    }

    public void record(String address) {
        failures.get(key(address), a -> new AtomicInteger()).incrementAndGet();
    }

    /** For {@code Retry-After}: at most one window. */
    public long windowSeconds() {
        return windowSeconds;
    }

    /** A request without a peer address (a Unix socket) counts under one shared key. */
    private static String key(String address) {
        return address == null ? "" : address;
    }
}
