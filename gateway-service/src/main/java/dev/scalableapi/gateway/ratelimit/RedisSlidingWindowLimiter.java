package dev.scalableapi.gateway.ratelimit;

import dev.scalableapi.gateway.ratelimit.RateLimitDecision.Mode;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The exact, shared limiter: one {@code EVALSHA} of {@code sliding_window.lua} per decision, on one
 * hash-tagged key, so it is atomic on a single Redis and on a Redis Cluster alike. The script is sent in full
 * ({@code EVAL}) only when a server answers {@code NOSCRIPT} (first use on that node, or after a restart); EVAL
 * caches it there for the following calls. Calls go through the {@link RedisPipeline}: no pooled connection is
 * held for the round trip, and the answer arrives on the caller's event loop.
 */
public class RedisSlidingWindowLimiter {

    static final String SCRIPT = loadScript();
    static final String SHA = sha1(SCRIPT);

    private final RedisPipeline redis;
    private final SlidingWindow window;
    private final String keyPrefix;

    public RedisSlidingWindowLimiter(RedisPipeline redis, SlidingWindow window, String keyPrefix) {
        this.redis = redis;
        this.window = window;
        this.keyPrefix = keyPrefix;
    }

    /** The Redis key for a subject: the hash tag keeps one subject on one cluster slot. */
    public String key(String subject) {
        return keyPrefix + "{rl:" + subject + "}";
    }

    public Future<RateLimitDecision> acquire(String subject, String policy, long limit) {
        return call(subject, policy, limit, true);
    }

    /** The subject's state as the next request would find it, without counting a request. */
    public Future<RateLimitDecision> peek(String subject, String policy, long limit) {
        return call(subject, policy, limit, false);
    }

    private Future<RateLimitDecision> call(String subject, String policy, long limit, boolean consume) {
        String key = key(subject);
        return redis.send(script(Command.EVALSHA, SHA, key, limit, consume))
                .recover(failure -> isNoScript(failure)
                        ? redis.send(script(Command.EVAL, SCRIPT, key, limit, consume))
                        : Future.failedFuture(failure))
                .map(reply -> decision(reply, policy, limit));
    }

    private Request script(Command command, String scriptOrSha, String key, long limit, boolean consume) {
        return Request.cmd(command).arg(scriptOrSha).arg(1).arg(key)
                .arg(limit).arg(window.windowMillis()).arg(window.stepMillis()).arg(consume ? "1" : "0");
    }

    private RateLimitDecision decision(Response reply, String policy, long limit) {
        boolean allowed = reply.get(0).toLong() == 1L;
        return RateLimitDecision.of(allowed, limit, reply.get(1).toLong(), reply.get(4).toLong(),
                reply.get(2).toLong(), reply.get(3).toLong(), window.windowMillis(), policy, Mode.REDIS);
    }

    /** Also inside a pipelined batch's failure, which names each command's error ("ERR [2] NOSCRIPT ..."). */
    private static boolean isNoScript(Throwable failure) {
        return failure.getMessage() != null && failure.getMessage().contains("NOSCRIPT");
    }

    private static String loadScript() {
        try (InputStream in = RedisSlidingWindowLimiter.class.getResourceAsStream("/ratelimit/sliding_window.lua")) {
            if (in == null) {
                throw new IllegalStateException("ratelimit/sliding_window.lua missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha1(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
