package dev.scalableapi.api.cache;

import dev.scalableapi.api.instance.InstanceConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Evicts L1 entries on every replica through Redis pub/sub. A write publishes an invalidation, learns from
 * PUBLISH how many replicas received it, and waits (bounded) until each has evicted and acknowledged on the
 * writer's own ack channel: once the write answers, no replica still serves the old value from L1.
 *
 * <p>The subscription has its own connection, re-established after any loss; after a re-subscribe the whole
 * L1 is dropped, because invalidations sent while it was down were missed. While Redis is down, L1's short TTL
 * bounds staleness on other replicas.
 */
@ApplicationScoped
public class CacheInvalidationBus {

    private static final Logger LOG = Logger.getLogger(CacheInvalidationBus.class);
    private static final String INVALIDATE = "inv";
    private static final String CLEAR = "clear";

    private final Vertx vertx;
    private final L1Store l1;
    private final GuardedRedis redis;
    private final CacheConfig config;
    private final CacheMetrics metrics;
    private final String instanceId;
    private final SubscriberRedisOptions subscriberOptions;
    private final Map<String, PendingAcks> pending = new ConcurrentHashMap<>();

    /** Its own client: a connection in subscribe mode serves nothing else. Created once, reused to re-subscribe. */
    private Redis subscriber;
    private volatile RedisConnection subscription;
    private volatile boolean subscribed;
    private volatile boolean stopping;
    private volatile boolean everSubscribed;

    CacheInvalidationBus(Vertx vertx, L1Store l1, GuardedRedis redis,
            CacheConfig config, CacheMetrics metrics, InstanceConfig instance, SubscriberRedisOptions subscriberOptions) {
        this.vertx = vertx;
        this.l1 = l1;
        this.redis = redis;
        this.config = config;
        this.metrics = metrics;
        this.instanceId = instance.id();
        this.subscriberOptions = subscriberOptions;
    }

    void start(@Observes StartupEvent event) {
        // The cache's own server, password and TLS settings.
        subscriber = Redis.createClient(vertx, subscriberOptions.options().setPoolName("cache-invalidations"));
        subscribe();
    }

    void stop(@Observes ShutdownEvent event) {
        stopping = true;
        RedisConnection connection = subscription;
        if (connection != null) {
            connection.close();
        }
        if (subscriber != null) {
            subscriber.close();
        }
    }

    public boolean isSubscribed() {
        return subscribed;
    }

    /** Evicts {@code resourceId} from L1 on every replica; completes when all confirmed or the ack timeout passed. */
    public Uni<Void> invalidate(long resourceId) {
        return broadcast(INVALIDATE, Long.toString(resourceId));
    }

    /** Empties L1 on every replica. */
    public Uni<Void> clearAll() {
        return broadcast(CLEAR, "");
    }

    private Uni<Void> broadcast(String kind, String argument) {
        String invalidationId = UUID.randomUUID().toString();
        PendingAcks acks = new PendingAcks();
        pending.put(invalidationId, acks);
        String message = String.join("|", kind, instanceId, invalidationId, argument);
        // Acks complete on the subscriber connection's context; the caller continues on its own request context
        // (request id, Hibernate session), so hop back there.
        Context caller = Vertx.currentContext();
        Uni<Void> published = redis.send("PUBLISH", config.channel(), message)
                .map(receivers -> receivers.toInteger())
                .flatMap(receivers -> {
                    acks.expect(receivers);
                    return Uni.createFrom().completionStage(acks.done)
                            .ifNoItem().after(config.invalidationAckTimeout())
                            .recoverWithItem(() -> {
                                metrics.ackTimeout();
                                LOG.warnf("Invalidation %s: %d of %d replicas confirmed in time", invalidationId,
                                        acks.received.get(), receivers);
                                return null;
                            });
                })
                .onFailure().recoverWithItem(failure -> {
                    LOG.warnf("Could not publish cache invalidation (other replicas rely on L1 TTL): %s",
                            failure.toString());
                    return null;
                })
                .eventually(() -> pending.remove(invalidationId))
                .replaceWithVoid();
        return caller == null ? published : published.emitOn(task -> caller.runOnContext(ignored -> task.run()));
    }

    private String ackChannel(String instance) {
        return config.channel() + ":acks:" + instance;
    }

    private void subscribe() {
        if (stopping) {
            return;
        }
        subscriber.connect()
                .onSuccess(connection -> {
                    subscription = connection;
                    connection.handler(this::onMessage);
                    connection.exceptionHandler(failure -> lost(connection, failure.toString()));
                    connection.endHandler(ignored -> lost(connection, "connection closed"));
                    connection.send(Request.cmd(Command.SUBSCRIBE).arg(config.channel()).arg(ackChannel(instanceId)))
                            .onSuccess(ok -> {
                                subscribed = true;
                                if (everSubscribed) {
                                    // Invalidations published while we were away were missed.
                                    l1.invalidateAll().subscribe().with(v -> { }, f -> { });
                                    LOG.info("Re-subscribed to cache invalidations; L1 cleared");
                                }
                                everSubscribed = true;
                            })
                            .onFailure(failure -> lost(connection, failure.toString()));
                })
                .onFailure(failure -> retryLater(failure.toString()));
    }

    private void lost(RedisConnection connection, String why) {
        if (subscription != connection) {
            return;
        }
        subscription = null;
        connection.close();
        retryLater(why);
    }

    private void retryLater(String why) {
        subscribed = false;
        if (stopping) {
            return;
        }
        LOG.debugf("Cache invalidation subscription down (%s); retrying", why);
        vertx.setTimer(config.resubscribeDelay().toMillis(), id -> subscribe());
    }

    private void onMessage(Response push) {
        if (push.size() < 3 || !"message".equals(push.get(0).toString())) {
            return;
        }
        String channel = push.get(1).toString();
        String payload = push.get(2).toString();
        if (channel.equals(config.channel())) {
            onInvalidation(payload);
        } else {
            PendingAcks acks = pending.get(payload);
            if (acks != null) {
                acks.ack();
            }
        }
    }

    private void onInvalidation(String payload) {
        String[] parts = payload.split("\\|", -1);
        if (parts.length != 4) {
            LOG.warnf("Ignoring malformed invalidation '%s'", payload);
            return;
        }
        String kind = parts[0];
        String writer = parts[1];
        String invalidationId = parts[2];
        Uni<Void> eviction = CLEAR.equals(kind) ? l1.invalidateAll() : l1.invalidate(Long.valueOf(parts[3]));
        metrics.invalidation(!writer.equals(instanceId));
        eviction.flatMap(v -> redis.send("PUBLISH", ackChannel(writer), invalidationId))
                .subscribe().with(v -> { }, failure -> LOG.debugf("Invalidation ack failed: %s", failure));
    }

    /** Acks for one invalidation; the expected count is known only once PUBLISH answers, acks may come first. */
    private static final class PendingAcks {
        final AtomicInteger received = new AtomicInteger();
        final CompletableFuture<Void> done = new CompletableFuture<>();
        volatile int expected = -1;

        void ack() {
            int now = received.incrementAndGet();
            int want = expected;
            if (want >= 0 && now >= want) {
                done.complete(null);
            }
        }

        void expect(int receivers) {
            expected = receivers;
            if (received.get() >= receivers) {
                done.complete(null);
            }
        }
    }
}
