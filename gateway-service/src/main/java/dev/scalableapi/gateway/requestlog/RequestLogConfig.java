package dev.scalableapi.gateway.requestlog;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;
import java.time.Duration;

/**
 * The request log: queue bound, sampling, batching, retries, partitions and retention ({@code gateway.requestlog.*}).
 * <p>
 * A knob without {@code @WithDefault} is set from an environment variable of its own (README's settings table) and
 * takes its default in {@code application.properties}, beside that variable: {@code ${VAR:default}}.
 */
@ConfigMapping(prefix = "gateway.requestlog")
public interface RequestLogConfig {

    /** Off: nothing is queued or written (the partition job still runs, so the table stays healthy). */
    boolean enabled();

    /** Records waiting to be written at most; a request that finds the queue full is not logged (and counted). */
    int capacity();

    /**
     * Fraction of successful requests (status below 400) whose row is stored, 0.0 to 1.0; 4xx and 5xx rows are always
     * stored, and per-key usage counts every request whatever the rate. Below 1.0 for very high request rates only.
     */
    @WithName("sample-rate")
    double sampleRate();

    /** Entries per batch; a flush starts as soon as this many are waiting. Keep it at most {@link #capacity()}. */
    @WithName("batch-size")
    int batchSize();

    /** How often whatever is waiting is written. */
    @WithName("flush-interval")
    Duration flushInterval();

    /** Attempts per batch (the first one included) before it is dropped and counted as {@code write_failed}. */
    @WithName("write-attempts")
    int writeAttempts();

    /**
     * Longest a batch's transaction may take before the write counts as failed (the rewrite without refused rows,
     * when there is one, gets its own).
     */
    @WithName("write-timeout")
    Duration writeTimeout();

    /** Longest shutdown waits for the queue to drain into PostgreSQL. */
    @WithName("shutdown-timeout")
    Duration shutdownTimeout();

    /** Daily partitions created ahead of today (today is always created). */
    @WithName("partitions-ahead")
    int partitionsAhead();

    /** Daily partitions whose whole day is older than this are dropped. */
    Duration retention();

    /** Rows of {@code key_usage_hourly} older than this are deleted (kept longer than the raw log: they are small). */
    @WithName("usage-retention")
    Duration usageRetention();

    /** How often the partition and retention job runs (it also runs at startup). */
    @WithName("maintenance-interval")
    Duration maintenanceInterval();

    /** How long the partition job waits for its advisory lock and for table locks before giving up this round. */
    @WithName("maintenance-lock-timeout")
    Duration maintenanceLockTimeout();
}
