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
import java.util.function.LongSupplier;

/**
 * The exact, shared limiter: one {@code EVALSHA} of {@code rate_limit.lua} per decision, over one key per policy,
 * all hash-tagged on the subject, so it is atomic on a single Redis and on a Redis Cluster alike. The script is
 * sent in full ({@code EVAL}) only when a server answers {@code NOSCRIPT} (first use on that node, or after a
 * restart); EVAL caches it there for the following calls. Calls go through the {@link RedisPipeline}: no pooled
 * connection is held for the round trip, and the answer arrives on the caller's event loop.
 */
public class RedisRateLimiter {

    static final String SCRIPT = loadScript();
    static final String SHA = sha1(SCRIPT);
    /** The script's "use Redis' clock" argument. */
    private static final String REDIS_TIME = "";

    private final RedisPipeline redis;
    private final String keyPrefix;
    private final LongSupplier testClock;

    /**
     * @param testClock null in production (the script reads Redis' {@code TIME}); in tests, the time each call
     *                  passes instead ({@code gateway.ratelimit.test-clock})
     */
    public RedisRateLimiter(RedisPipeline redis, String keyPrefix, LongSupplier testClock) {
        this.redis = redis;
        this.keyPrefix = keyPrefix;
        this.testClock = testClock;
    }

    /** The Redis key of one of a subject's policies: the hash tag keeps all of a subject's keys on one slot. */
    public String key(String subject, RateLimitPolicies policies, int i) {
        return keyPrefix + "{rl:" + subject + "}" + policies.keySuffix(i);
    }

    public Future<RateLimitDecision> acquire(String subject, String tier, RateLimitPolicies policies) {
        return call(subject, tier, policies, true);
    }

    /** The subject's state as the next request would find it, without counting a request. */
    public Future<RateLimitDecision> peek(String subject, String tier, RateLimitPolicies policies) {
        return call(subject, tier, policies, false);
    }

    private Future<RateLimitDecision> call(String subject, String tier, RateLimitPolicies policies,
            boolean consume) {
        String tagged = keyPrefix + "{rl:" + subject + "}";
        String now = testClock == null ? REDIS_TIME : Long.toString(testClock.getAsLong());
        return redis.send(script(Command.EVALSHA, SHA, tagged, policies, consume, now))
                .recover(failure -> isNoScript(failure)
                        ? redis.send(script(Command.EVAL, SCRIPT, tagged, policies, consume, now))
                        : Future.failedFuture(failure))
                .map(reply -> decision(reply, tier, policies));
    }

    private static Request script(Command command, String scriptOrSha, String tagged, RateLimitPolicies policies,
            boolean consume, String now) {
        int n = policies.size();
        Request request = Request.cmd(command).arg(scriptOrSha).arg(n);
        for (int i = 0; i < n; i++) {
            request.arg(tagged + policies.keySuffix(i));
        }
        request.arg(consume ? "1" : "0").arg(now);
        for (int j = 0; j < 4 * n; j++) {
            request.arg(policies.scriptArg(j));
        }
        return request;
    }

    private static RateLimitDecision decision(Response reply, String tier, RateLimitPolicies policies) {
        int n = policies.size();
        long[] remaining = new long[n];
        long[] reset = new long[n];
        long[] retry = new long[n];
        for (int i = 0; i < n; i++) {
            remaining[i] = reply.get(2 + 3 * i).toLong();
            reset[i] = reply.get(3 + 3 * i).toLong();
            retry[i] = reply.get(4 + 3 * i).toLong();
        }
        return RateLimitDecision.of(reply.get(0).toLong() == 1L, tier, policies, reply.get(1).toLong(), null, remaining,
                reset, retry, Mode.REDIS);
    }

    /** Also inside a pipelined batch's failure, which names each command's error ("ERR [2] NOSCRIPT ..."). */
    private static boolean isNoScript(Throwable failure) {
        return failure.getMessage() != null && failure.getMessage().contains("NOSCRIPT");
    }

    private static String loadScript() {
        try (InputStream in = RedisRateLimiter.class.getResourceAsStream("/ratelimit/rate_limit.lua")) {
            if (in == null) {
                throw new IllegalStateException("ratelimit/rate_limit.lua missing from the classpath");
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
