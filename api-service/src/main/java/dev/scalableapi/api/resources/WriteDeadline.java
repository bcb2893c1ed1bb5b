package dev.scalableapi.api.resources;

import dev.scalableapi.api.persistence.DatabaseFailures;
import dev.scalableapi.common.errors.ApiException;
import dev.scalableapi.common.errors.ErrorCode;
import java.time.Duration;
import java.util.Map;

/**
 * The deadline of one write transaction. A write that has not reached its commit by the deadline is never committed:
 * the last step inside the transaction checks the clock and fails (so the transaction rolls back, whenever a hung
 * PostgreSQL gets to it), and the client is told 503 at the deadline — nothing applied, safe to retry. Only a write
 * whose COMMIT was already on its way when the deadline passed has an unknown outcome, and says so (504).
 */
final class WriteDeadline {

    private final long deadlineNanos;
    private volatile boolean committing;

    private WriteDeadline(Duration timeout) {
        this.deadlineNanos = System.nanoTime() + timeout.toNanos();
    }

    static WriteDeadline start(Duration timeout) {
        return new WriteDeadline(timeout);
    }

    /** Called as the last step inside the transaction: past the deadline, the transaction must roll back. */
    void checkBeforeCommit() {
        if (System.nanoTime() - deadlineNanos >= 0) {
            throw new ApiException(ErrorCode.SERVICE_UNAVAILABLE, "The write took too long and was not applied",
                    Map.of(), 1L);
        }
        committing = true;
    }

    /** What the client is told when the deadline passed without an answer from PostgreSQL. */
    ApiException expired() {
        if (committing) {
            return unknownOutcome("did not confirm the write in time");
        }
        return new ApiException(ErrorCode.SERVICE_UNAVAILABLE, "The database did not answer in time; the write was "
                + "not applied", Map.of(), 1L);
    }

    /** A connection lost while the COMMIT was on its way leaves the outcome unknown too: not "not applied". */
    Throwable failed(Throwable failure) {
        return committing && DatabaseFailures.isConnectionLost(failure)
                ? unknownOutcome("lost the connection while committing the write") : failure;
    }

    private static ApiException unknownOutcome(String what) {
        return new ApiException(ErrorCode.UPSTREAM_TIMEOUT, "The database " + what + ": it may or may not have been "
                + "applied; read the resource before retrying");
    }
}
