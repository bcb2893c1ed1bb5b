package dev.scalableapi.api.support;

import dev.scalableapi.testsupport.SecuredRedis;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;
import java.util.UUID;

/**
 * Points the application's Redis clients (cache and invalidation subscriber) at a private {@link SecuredRedis} as
 * an ACL user of their own, through the environment variables an operator sets: REDIS_URL naming the user
 * ({@code ?user=}) and REDIS_PASSWORD holding its password. Tests reach the server through {@link #redis()}.
 */
public class SecuredRedisResource implements QuarkusTestResourceLifecycleManager {

    /** The ACL user the application signs in as. */
    public static final String USER = "api-cache";

    private static volatile SecuredRedis redis;
    private static volatile String userPassword;

    public static SecuredRedis redis() {
        if (redis == null) {
            throw new IllegalStateException("SecuredRedisResource is not started for this test");
        }
        return redis;
    }

    /** The password the server expects from the application's user now. */
    public static String userPassword() {
        return userPassword;
    }

    /** Gives the application's user another password and closes its connections; they must sign in again. */
    public static void setUserPassword(String password) {
        setUser(redis(), "resetpass", ">" + password);
        userPassword = password;
        redis().cli("CLIENT", "KILL", "USER", USER);
    }

    @Override
    public Map<String, String> start() {
        redis = SecuredRedis.withPassword();
        userPassword = "user-" + UUID.randomUUID();
        setUser(redis, "on", ">" + userPassword, "~*", "&*", "+@all");
        return Map.of("REDIS_URL", redis.url("127.0.0.1") + "?user=" + USER, "REDIS_PASSWORD", userPassword);
    }

    private static void setUser(SecuredRedis server, String... rules) {
        String[] command = new String[rules.length + 3];
        command[0] = "ACL";
        command[1] = "SETUSER";
        command[2] = USER;
        System.arraycopy(rules, 0, command, 3, rules.length);
        String reply = server.cli(command);
        if (!reply.equals("OK")) {
            throw new IllegalStateException("ACL SETUSER " + USER + ": " + reply);
        }
    }

    @Override
    public void stop() {
        if (redis != null) {
            redis.close();
            redis = null;
        }
    }
}
