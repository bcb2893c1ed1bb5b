package dev.scalableapi.api.persistence;

import dev.scalableapi.common.errors.ApiException;
import dev.scalableapi.common.errors.ErrorCode;
import jakarta.persistence.OptimisticLockException;
import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeoutException;
import org.hibernate.StaleStateException;

/**
 * Translates what Hibernate Reactive and the PostgreSQL client throw into the API's errors: a stale version is a
 * 409, an unreachable database a 503 (the transaction did not commit), anything else stays unexpected.
 */
public final class DatabaseFailures {

    private static final String QUERY_CANCELED = "57014";

    private DatabaseFailures() {
    }

    public static Throwable translate(Throwable failure) {
        if (failure instanceof ApiException) {
            return failure;
        }
        if (isOptimisticLock(failure)) {
            return new ApiException(ErrorCode.CONFLICT, "The resource was changed by someone else; reload and retry");
        }
        if (isUnavailable(failure)) {
            return new ApiException(ErrorCode.SERVICE_UNAVAILABLE, "Database unavailable; the request was not applied",
                    java.util.Map.of(), 5L);
        }
        return failure;
    }

    public static boolean isOptimisticLock(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof OptimisticLockException || t instanceof StaleStateException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Lost connections, timeouts (ours, or PostgreSQL's {@code statement_timeout}, SQLSTATE 57014
     * {@code query_canceled}), and work refused because PostgreSQL is known to be unreachable.
     */
    public static boolean isUnavailable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof DatabaseUnavailableException || t instanceof TimeoutException
                    || t instanceof io.smallrye.mutiny.TimeoutException) {
                return true;
            }
            if (t instanceof io.vertx.pgclient.PgException pg && QUERY_CANCELED.equals(pg.getSqlState())) {
                return true;
            }
        }
        return isConnectionLost(failure);
    }

    /**
     * Connection refused/reset/closed and PostgreSQL's connection or shutdown SQL states: the database is gone,
     * not merely slow (a timeout may be one heavy query).
     */
    public static boolean isConnectionLost(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof ClosedChannelException
                    || t instanceof io.vertx.sqlclient.ClosedConnectionException
                    || t instanceof io.netty.channel.ConnectTimeoutException) {
                return true;
            }
            if (t instanceof io.vertx.pgclient.PgException pg && pg.getSqlState() != null
                    && (pg.getSqlState().startsWith("08") || pg.getSqlState().startsWith("57P"))) {
                return true;
            }
            String message = t.getMessage();
            if (message != null && (message.contains("Connection refused") || message.contains("Connection reset")
                    || message.contains("Pool closed") || message.contains("connection was closed"))) {
                return true;
            }
        }
        return false;
    }
}
