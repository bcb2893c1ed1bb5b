package dev.scalableapi.gateway.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalableapi.gateway.ratelimit.RateLimitDecision.Mode;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real three-node Redis Cluster: subjects whose keys hash to slots on different nodes are each limited
 * exactly, by two limiter instances on two cluster-mode clients, under concurrency. Each subject has three policies
 * (minute, second, month), all decided in one script call: their keys share the subject's slot.
 */
class ClusterLimitIsExactTest {

    static Vertx vertx;
    static RedisServers servers;
    static List<Integer> ports;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        servers = new RedisServers();
        ports = servers.cluster();
    }

    @AfterAll
    static void stop() {
        if (servers != null) {
            servers.close();
        }
        vertx.closeAndAwait();
    }

    @Test
    void subjectsOnEveryNodeAreLimitedExactly() throws Exception {
        Redis clientA = Limiters.clusterClient(vertx, ports);
        Redis clientB = Limiters.clusterClient(vertx, ports);
        try {
            String prefix = Limiters.uniquePrefix();
            SlidingWindow window = new SlidingWindow(60_000, 1_000);
            GatewayRateLimiter replicaA = Limiters.exact(clientA, prefix);
            GatewayRateLimiter replicaB = Limiters.exact(clientB, prefix);
            RedisRateLimiter keys = new RedisRateLimiter(Limiters.pipeline(clientA), prefix, null);
            int limit = 20;
            RateLimitPolicies pro = RateLimitPolicies.of(List.of(new RateLimitPolicy("pro", PolicyWindow.MINUTE, limit),
                    new RateLimitPolicy(null, PolicyWindow.SECOND, 1_000_000),
                    new RateLimitPolicy(null, PolicyWindow.MONTH, 1_000_000)), window);

            // pick one subject per node: the node owning a slot answers CLUSTER KEYSLOT the same everywhere,
            // and `redis-cli --cluster create` gives each of the three nodes a third of the slots in order
            Map<Integer, String> subjectByNode = new HashMap<>();
            for (int i = 0; subjectByNode.size() < 3 && i < 1000; i++) {
                String subject = "key:" + i;
                long slot = clientA.send(Request.cmd(Command.CLUSTER).arg("KEYSLOT").arg(keys.key(subject, pro, 0)))
                        .await().atMost(Duration.ofSeconds(5)).toLong();
                subjectByNode.putIfAbsent((int) (slot * 3 / 16384), subject);
            }
            assertEquals(3, subjectByNode.size(), "subjects on all three nodes");

            List<String> subjects = new ArrayList<>(subjectByNode.values());
            List<RateLimitDecision> decisions = LimitIsExactAcrossReplicasTest.fire(64, 5 * limit * 3, i ->
                    Limiters.await((i % 2 == 0 ? replicaA : replicaB).isAllowed(subjects.get(i % 3), "pro", pro),
                            Duration.ofSeconds(30)));
            assertTrue(decisions.stream().allMatch(d -> d.mode() == Mode.REDIS), "every decision came from Redis");
            assertEquals(3 * limit, decisions.stream().filter(RateLimitDecision::allowed).count());

            for (String subject : subjects) {
                RateLimitDecision next = Limiters.await(replicaA.isAllowed(subject, "pro", pro), Duration.ofSeconds(5));
                assertEquals(false, next.allowed(), subject + " is spent");
            }
            // each subject's counts live on the node that owns its slot, one small hash per policy
            Set<String> owners = new TreeSet<>();
            for (String subject : subjects) {
                for (int port : ports) {
                    String count = RedisServers.run(List.of("redis-cli", "-p", Integer.toString(port),
                            "exists", keys.key(subject, pro, 0), keys.key(subject, pro, 1), keys.key(subject, pro, 2)))
                            .trim();
                    // the other nodes answer MOVED: the slot is not theirs
                    if (!count.startsWith("MOVED")) {
                        assertEquals("3", count, subject + ": all of its policies' keys on the node of its slot");
                        owners.add(Integer.toString(port));
                    }
                }
            }
            assertEquals(3, owners.size(), "the three subjects are stored on three different nodes");
        } finally {
            clientA.close();
            clientB.close();
        }
    }
}
