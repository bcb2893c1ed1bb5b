package dev.scalableapi.api.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.Map;

/**
 * Starts a {@link TcpProxy} in front of the real Redis and one in front of the real PostgreSQL, and points the
 * application's Redis client, invalidation subscription and reactive datasource at them. Flyway's JDBC URL keeps
 * the real port, so start-up migration works whatever a test does to the proxies.
 *
 * <p>Tests reach the proxies through {@link #redis()} and {@link #postgres()}.
 */
public class ProxiedBackends implements QuarkusTestResourceLifecycleManager {

    private static volatile TcpProxy redis;
    private static volatile TcpProxy postgres;

    public static TcpProxy redis() {
        if (redis == null) {
            throw new IllegalStateException("ProxiedBackends is not started for this test");
        }
        return redis;
    }

    public static TcpProxy postgres() {
        if (postgres == null) {
            throw new IllegalStateException("ProxiedBackends is not started for this test");
        }
        return postgres;
    }

    /** The database the test profile uses (same default as application.properties). */
    public static String testDatabase() {
        return env("POSTGRES_TEST_DB", "scalable_api_test");
    }

    public static String postgresHost() {
        return env("POSTGRES_HOST", "127.0.0.1");
    }

    public static int postgresPort() {
        return Integer.parseInt(env("POSTGRES_PORT", "5432"));
    }

    /** JDBC URL of the test database on the real port (not through the proxy), for checks behind the app's back. */
    public static String directJdbcUrl() {
        return "jdbc:postgresql://" + postgresHost() + ":" + postgresPort() + "/" + testDatabase();
    }

    @Override
    public Map<String, String> start() {
        redis = TcpProxy.start("redis", env("REDIS_HOST", "127.0.0.1"), Integer.parseInt(env("REDIS_PORT", "6379")));
        postgres = TcpProxy.start("postgres", postgresHost(), postgresPort());
        Map<String, String> config = new HashMap<>();
        String redisHosts = "redis://127.0.0.1:" + redis.port();
        String reactiveUrl = "postgresql://127.0.0.1:" + postgres.port() + "/" + testDatabase();
        // Both the plain and the %test. key: a profiled key in application.properties must not win over ours.
        for (String prefix : new String[] {"", "%test."}) {
            config.put(prefix + "quarkus.redis.hosts", redisHosts);
            config.put(prefix + "quarkus.datasource.reactive.url", reactiveUrl);
        }
        return config;
    }

    @Override
    public void stop() {
        if (redis != null) {
            redis.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
