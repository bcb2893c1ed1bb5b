package dev.scalableapi.gateway.accounts;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * Logins, user tokens, brute-force throttling and the first admin.
 * <p>
 * A knob without {@code @WithDefault} is set from an environment variable of its own (README's settings table) and
 * takes its default in {@code application.properties}, beside that variable: {@code ${VAR:default}}.
 */
@ConfigMapping(prefix = "gateway.accounts")
public interface AccountsConfig {

    /** Prefix of every Redis key this feature writes (tokens, login failure counters). */
    String redisPrefix();

    /** Lifetime of a bearer token from {@code POST /api/v1/auth/login}. */
    Duration tokenTtl();

    /**
     * Lifetime of the one-time set-password token returned when an admin creates a user without a password
     * ({@code POST /api/v1/auth/password}).
     */
    Duration passwordSetupTtl();

    /** bcrypt work factor for passwords stored from now on (and for the dummy hash checked for unknown emails). */
    int bcryptCost();

    Throttle throttle();

    PasswordChecks passwordChecks();

    BootstrapAdmin bootstrapAdmin();

    interface Throttle {

        /**
         * Password checks are reserved, and failed ones stay counted, over this window; past a limit further
         * attempts get 429 until it ends.
         */
        Duration window();

        int maxFailuresPerAccount();

        int maxFailuresPerIp();
    }

    /** The bounded pool bcrypt runs on; a full queue answers 503 at once. */
    interface PasswordChecks {

        int threads();

        int queue();
    }

    /**
     * Outside the dev profile the first admin comes from configuration (in Kubernetes, a Secret): created at
     * startup when no user has that email. Known default passwords are refused.
     */
    interface BootstrapAdmin {

        Optional<String> email();

        Optional<String> password();

        /** Passwords that must never guard a real admin account (the dev seed's and the dev overlay's among them). */
        @WithDefault("admin123,user123,dev-admin-password,password,changeme,admin,secret,12345678")
        Set<String> forbiddenPasswords();

        @WithDefault("12")
        int minPasswordLength();
    }
}
