package dev.scalableapi.gateway.audit;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The audit log's retention and the aggregation of failed logins ({@code gateway.audit.*}). */
@ConfigMapping(prefix = "gateway.audit")
public interface AuditConfig {

    /** Daily partitions whose whole day is older than this are dropped. */
    Duration retention();

    /** How often the partition and retention job runs (it also runs at startup). */
    Duration maintenanceInterval();

    /** Daily partitions created ahead of today (today is always created). */
    @WithDefault("2")
    int partitionsAhead();

    /** How long a replica's maintenance waits for another replica's run before trying again later. */
    @WithDefault("5s")
    Duration maintenanceLockTimeout();

    FailedLogins failedLogins();

    interface FailedLogins {

        /** How often the aggregated failed logins are upserted into {@code audit_log}. */
        Duration flushInterval();

        /**
         * Distinct (action, outcome, email, address) rows one replica writes per minute; attempts beyond go to
         * that minute's overflow row of their action and outcome (email and address {@code *}).
         */
        int bucketsPerMinute();

        /** Attempts to write one batch before its attempts are dropped and counted. */
        @WithDefault("3")
        int writeAttempts();
    }
}
