package dev.scalableapi.gateway.admin;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Admin sessions (the dashboard's cookie) and CSRF. */
@ConfigMapping(prefix = "gateway.admin")
public interface AdminConfig {

    Session session();

    interface Session {

        /** Prefix of the session entries in Redis. */
        @WithDefault("scalable-api:admin-session:")
        String redisPrefix();

        @WithDefault("sa_session")
        String cookieName();

        /** {@code Secure} cookie attribute; off only in the dev profile (plain http on localhost). */
        @WithDefault("true")
        boolean secureCookie();

        /** A session unused this long ends. */
        @WithDefault("30m")
        Duration idleTimeout();

        /** A session ends this long after login, however active. */
        @WithDefault("12h")
        Duration maxLifetime();
    }
}
