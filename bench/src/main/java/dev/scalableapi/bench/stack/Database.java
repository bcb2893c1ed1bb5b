package dev.scalableapi.bench.stack;

import dev.scalableapi.gateway.keys.ApiKeyFormat;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

/**
 * The harness's own PostgreSQL database, reached over JDBC: it issues the bench's API key (production has no
 * dev keys) and seeds resources, the way an operator would before the admin API exists.
 */
public record Database(String host, int port, String name, String user, String password) {

    /** An issued key: its value (never stored) and the user who owns it. */
    public record Key(String value, long ownerId) {
    }

    public static Database fromEnvironment(String defaultName) {
        return new Database(env("BENCH_POSTGRES_HOST", "127.0.0.1"),
                Integer.parseInt(env("BENCH_POSTGRES_PORT", "15432")), env("BENCH_POSTGRES_DB", defaultName),
                env("POSTGRES_USER", "scalable"), env("POSTGRES_PASSWORD", "scalable"));
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/" + name, user, password);
    }

    /**
     * A new user and an active key of {@code tier} with both scopes. {@code perMinute} overrides the tier's limit
     * (the throughput runs must measure the stack, not the limiter's refusals).
     */
    public Key issueKey(String tier, Integer perMinute) throws SQLException {
        String key = ApiKeyFormat.generate("bench");
        try (Connection c = connect()) {
            long owner;
            try (PreparedStatement user = c.prepareStatement(
                    "insert into users (email, password_hash, role) values (?, '!', 'user') returning id")) {
                user.setString(1, "bench-" + UUID.randomUUID() + "@bench.invalid");
                owner = single(user.executeQuery());
            }
            try (PreparedStatement insert = c.prepareStatement("""
                    insert into api_keys (prefix, key_hash, name, owner_id, tier, scopes, rate_limit_per_minute)
                    values (?, ?, 'bench', ?, ?, 'read,write', ?)""")) {
                insert.setString(1, ApiKeyFormat.prefix(key));
                insert.setString(2, ApiKeyFormat.hash(key));
                insert.setLong(3, owner);
                insert.setString(4, tier);
                if (perMinute == null) {
                    insert.setNull(5, java.sql.Types.INTEGER);
                } else {
                    insert.setInt(5, perMinute);
                }
                insert.executeUpdate();
            }
            return new Key(key, owner);
        }
    }

    /** {@code count} resources owned by {@code ownerId}, ids 1..count in an empty table. */
    public void seedResources(int count, long ownerId) throws SQLException {
        try (Connection c = connect(); PreparedStatement seed = c.prepareStatement("""
                insert into resources (name, type, description, owner_id)
                select 'resource ' || n, (array['document','dataset','image','model'])[1 + n % 4],
                       'seeded by bench', ? from generate_series(1, ?) as n""")) {
            seed.setLong(1, ownerId);
            seed.setInt(2, count);
            seed.executeUpdate();
        }
    }

    public long count(String sql) throws SQLException {
        try (Connection c = connect(); PreparedStatement query = c.prepareStatement(sql)) {
            return single(query.executeQuery());
        }
    }

    private static long single(ResultSet rows) throws SQLException {
        try (rows) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
