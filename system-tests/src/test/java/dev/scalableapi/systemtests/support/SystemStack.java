package dev.scalableapi.systemtests.support;

import dev.scalableapi.gateway.keys.ApiKeyFormat;
import dev.scalableapi.testsupport.PackagedJar;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * gateway → balancer → api-service, each from its packaged jar in the production profile, against the build's
 * PostgreSQL (api and gateway test databases) and Redis under this run's own key prefixes. Started once per test
 * JVM and shared by the test classes; stopped when the JVM exits.
 */
public final class SystemStack {

    /** A key as issued: its value (shown once), row id and owner (a gateway user id). */
    public record Key(String value, long id, long ownerId) {
    }

    private static final Duration START_DEADLINE = Duration.ofSeconds(120);

    private static SystemStack shared;

    private final PackagedJar api;
    private final PackagedJar balancer;
    private final PackagedJar gateway;
    private final String gatewayJdbcUrl;

    private SystemStack(PackagedJar api, PackagedJar balancer, PackagedJar gateway, String gatewayJdbcUrl) {
        this.api = api;
        this.balancer = balancer;
        this.gateway = gateway;
        this.gatewayJdbcUrl = gatewayJdbcUrl;
    }

    /** The production profile's first admin, created by the gateway from its bootstrap configuration. */
    public static final String ADMIN_EMAIL = "system-admin@test.invalid";
    public static final String ADMIN_PASSWORD = "system-admin-password-0123";
    /** Users made by {@link #user()} sign in with this password (bcrypt hash below, cost 10). */
    public static final String USER_PASSWORD = "user123";
    private static final String USER_PASSWORD_HASH = "$2a$10$lfF3HroA8NYDhNEbdUVN3e.2tSuvzGccr1Iw7uOSqatWRNP.qqN32";

    public static synchronized SystemStack shared() {
        if (shared == null) {
            shared = start();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::stop));
        }
        return shared;
    }

    private static SystemStack start() {
        Path root = Path.of(System.getProperty("scalable.root", "..")).toAbsolutePath().normalize();
        String namespace = env("TEST_NAMESPACE", "test") + ":system:" + UUID.randomUUID().toString().substring(0, 8);
        String secret = UUID.randomUUID().toString();
        String host = env("POSTGRES_HOST", "localhost");
        String port = env("POSTGRES_PORT", "5432");
        String apiDb = env("POSTGRES_TEST_DB", "scalable_api_test");
        String gatewayDb = env("GATEWAY_TEST_DB", "scalable_gateway_test");
        List<PackagedJar> started = new ArrayList<>();
        try {
            PackagedJar api = launch(root, "api-service", "system-api", Map.of(
                    "POSTGRES_DB", apiDb,
                    "IDENTITY_SIGNING_SECRET", secret,
                    "INSTANCE_ID", "system-api",
                    "API_CACHE_KEY_PREFIX", namespace + ":resource:",
                    "API_CACHE_CHANNEL", namespace + ":cache-invalidations"));
            started.add(api);
            api.awaitReady(START_DEADLINE);
            PackagedJar balancer = launch(root, "balancer-service", "system-balancer",
                    Map.of("API_SERVERS", api.upstreamUrl()));
            started.add(balancer);
            balancer.awaitReady(START_DEADLINE);
            String gatewayJdbcUrl = "jdbc:postgresql://" + host + ":" + port + "/" + gatewayDb;
            forgetTiers(gatewayJdbcUrl);
            PackagedJar gateway = launch(root, "gateway-service", "system-gateway", Map.ofEntries(
                    Map.entry("POSTGRES_DB", gatewayDb),
                    Map.entry("IDENTITY_SIGNING_SECRET", secret),
                    Map.entry("INSTANCE_ID", "system-gateway"),
                    Map.entry("BALANCER_URL", balancer.upstreamUrl()),
                    // the fuzzer calls anonymously thousands of times a minute from one address
                    Map.entry("GATEWAY_RATELIMIT_TIERS_ANONYMOUS", "100000000"),
                    // ... and presents thousands of made-up keys, each of which must get its 401
                    Map.entry("GATEWAY_AUTH_FAILED_CREDENTIALS_PER_ADDRESS", "100000000"),
                    Map.entry("RATELIMIT_KEY_PREFIX", namespace + ":rl:"),
                    Map.entry("GATEWAY_KEYS_REDIS_PREFIX", namespace + ":key:"),
                    Map.entry("GATEWAY_KEYS_REVOCATION_CHANNEL", namespace + ":key-revocations"),
                    Map.entry("ACCOUNTS_REDIS_PREFIX", namespace + ":accounts:"),
                    Map.entry("ADMIN_SESSION_REDIS_PREFIX", namespace + ":session:"),
                    Map.entry("FLEET_KEY_PREFIX", namespace + ":fleet:"),
                    Map.entry("GATEWAY_BOOTSTRAP_ADMIN_EMAIL", ADMIN_EMAIL),
                    Map.entry("GATEWAY_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD)));
            started.add(gateway);
            gateway.awaitReady(START_DEADLINE);
            return new SystemStack(api, balancer, gateway, gatewayJdbcUrl);
        } catch (RuntimeException | Error e) {
            // a service that did not come up must not leave the ones started before it running
            started.forEach(PackagedJar::stop);
            throw e;
        }
    }

    public int gatewayPort() {
        return gateway.port();
    }

    public RawHttp client() {
        return new RawHttp(gateway.port());
    }

    public List<PackagedJar> services() {
        return List.of(api, balancer, gateway);
    }

    /** A new user (role {@code user}) whose password is {@link #USER_PASSWORD}; its email. */
    public String user() {
        String email = "system-user-" + UUID.randomUUID() + "@test.invalid";
        try (Connection c = connect(); PreparedStatement user = c.prepareStatement(
                "insert into users (email, password_hash, role) values (?, ?, 'user')")) {
            user.setString(1, email);
            user.setString(2, USER_PASSWORD_HASH);
            user.executeUpdate();
            return email;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An active key with both scopes (or {@code scopes}), owned by a new user. */
    public Key key(String tier, String scopes, Integer perMinute) {
        return key(tier, scopes, perMinute, "active", null);
    }

    public Key key(String tier, String scopes, Integer perMinute, String status, Instant expiresAt) {
        String value = ApiKeyFormat.generate("test");
        try (Connection c = connect()) {
            long owner;
            try (PreparedStatement user = c.prepareStatement(
                    "insert into users (email, password_hash, role) values (?, '!', 'user') returning id")) {
                user.setString(1, "system-" + UUID.randomUUID() + "@test.invalid");
                owner = single(user.executeQuery());
            }
            try (PreparedStatement insert = c.prepareStatement("""
                    insert into api_keys (prefix, key_hash, name, owner_id, tier, scopes, rate_limit_per_minute,
                                          status, expires_at)
                    values (?, ?, 'system test', ?, ?, ?, ?, ?, ?) returning id""")) {
                insert.setString(1, ApiKeyFormat.prefix(value));
                insert.setString(2, ApiKeyFormat.hash(value));
                insert.setLong(3, owner);
                insert.setString(4, tier);
                insert.setString(5, scopes);
                insert.setObject(6, perMinute);
                insert.setString(7, status);
                insert.setTimestamp(8, expiresAt == null ? null : Timestamp.from(expiresAt));
                return new Key(value, single(insert.executeQuery()), owner);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private Connection connect() throws SQLException {
        return connect(gatewayJdbcUrl);
    }

    private static Connection connect(String jdbcUrl) throws SQLException {
        return DriverManager.getConnection(jdbcUrl, env("POSTGRES_USER", "scalable"), env("POSTGRES_PASSWORD", "scalable"));
    }

    /**
     * Tiers live in the database and a gateway's properties only seed the missing ones: the module tests that ran
     * before left theirs in this database, so this stack's tier settings apply only once those rows are gone.
     */
    private static void forgetTiers(String jdbcUrl) {
        try (Connection c = connect(jdbcUrl);
                ResultSet table = c.createStatement().executeQuery("select to_regclass('rate_limit_tiers')")) {
            if (table.next() && table.getString(1) != null) {
                c.createStatement().executeUpdate("delete from rate_limit_tiers");
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long single(ResultSet rows) throws SQLException {
        try (rows) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private void stop() {
        gateway.stop();
        balancer.stop();
        api.stop();
    }

    /**
     * {@code module} from its packaged jar below {@code root} in the production profile on a free port; its log goes
     * to {@code target/<name>.log}.
     */
    public static PackagedJar launch(Path root, String module, String name, Map<String, String> environment) {
        return PackagedJar.of(root.resolve(module).resolve("target/quarkus-app/quarkus-run.jar"), name)
                .portVariable("PORT")
                .env(environment)
                .env("QUARKUS_PROFILE", "prod")
                .env("LOG_JSON", "false")
                .stopGrace(Duration.ofSeconds(20))
                .start();
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
