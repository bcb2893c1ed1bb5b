package dev.scalableapi.gateway.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.scalableapi.gateway.ratelimit.RateLimitDecision.Mode;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One round trip per decision: the script body crosses the wire only when the server does not know it (first
 * use, or after its script cache was flushed, as on a restart); otherwise decisions are EVALSHA calls.
 */
class ScriptIsSentOnceThenCalledByShaTest {

    static Vertx vertx;
    static RedisServers servers;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        servers = new RedisServers();
    }

    @AfterAll
    static void stop() {
        servers.close();
        vertx.closeAndAwait();
    }

    @Test
    void evalOnlyWhenTheServerLacksTheScript() {
        int port = RedisServers.freePort();
        Process server = servers.standalone(port);
        Redis client = Limiters.standaloneClient(vertx, "redis://127.0.0.1:" + port);
        try {
            GatewayRateLimiter limiter = Limiters.exact(client, Limiters.uniquePrefix());
            for (int i = 0; i < 6; i++) {
                RateLimitDecision d = Limiters.await(limiter.isAllowed("key:1", "free", Limiters.minute("free", 100, new SlidingWindow(60_000, 1_000))), Duration.ofSeconds(10));
                assertEquals(Mode.REDIS, d.mode());
                assertEquals(99 - i, d.remaining());
            }
            assertEquals(1, calls(port, "eval"), "the script was sent once");
            assertEquals(6, calls(port, "evalsha"), "every decision tried the SHA first");

            RedisServers.run(List.of("redis-cli", "-p", Integer.toString(port), "script", "flush"));
            RateLimitDecision afterFlush = Limiters.await(limiter.isAllowed("key:1", "free", Limiters.minute("free", 100, new SlidingWindow(60_000, 1_000))), Duration.ofSeconds(10));
            assertEquals(Mode.REDIS, afterFlush.mode());
            assertEquals(93, afterFlush.remaining());
            assertEquals(2, calls(port, "eval"), "NOSCRIPT made it send the script again");
        } finally {
            client.close();
            servers.kill(server);
        }
    }

    /** Calls of a command from INFO commandstats (0 when never called). */
    private static long calls(int port, String command) {
        String stats = RedisServers.run(List.of("redis-cli", "-p", Integer.toString(port), "info", "commandstats"));
        Matcher m = Pattern.compile("cmdstat_" + command + ":calls=(\\d+)").matcher(stats);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }
}
