package dev.scalableapi.gateway.admin;

import io.smallrye.config.ConfigMapping;
import java.time.Duration;

/**
 * Admin sessions (the dashboard's cookie) and CSRF.
 * <p>
 * A knob without {@code @WithDefault} is set from an environment variable of its own (README's settings table) and
 * takes its default in {@code application.properties}, beside that variable: {@code ${VAR:default}}.
 */
@ConfigMapping(prefix = "gateway.admin")
public interface AdminConfig {

    Session session();

    interface Session {

        /** Prefix of the session entries in Redis. */
        String redisPrefix();

        String cookieName();

        /** {@code Secure} cookie attribute; off only in the dev profile (plain http on localhost). */
        boolean secureCookie();

        /** A session unused this long ends. */
        Duration idleTimeout();

        /** A session ends this long after login, however active. */
        Duration maxLifetime();

        /**
         * While the session is in use, its cookie is issued again (its lifetime restarted, up to the maximum
         * lifetime) on the first request this long after it was last issued: not on every request.
         */
        Duration cookieRenewAfter();
    }
}
