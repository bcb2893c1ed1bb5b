package dev.scalableapi.gateway.storage;

import dev.scalableapi.common.errors.ApiException;
import dev.scalableapi.common.errors.ErrorCode;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.SocketException;
import java.util.Map;

/**
 * The deadline of every PostgreSQL call a request waits for (logins, {@code /me}, the admin API): past
 * {@code GATEWAY_DATABASE_TIMEOUT} the request gets 503 {@code SERVICE_UNAVAILABLE} with {@code Retry-After}, as it
 * does at once when PostgreSQL cannot be reached at all (refused, reset, shutting down): an outage, not a bug.
 * <p>
 * The deadline is the client's, not PostgreSQL's {@code statement_timeout}: it also bounds the wait for a pooled
 * connection and a database that stopped answering, and it leaves the maintenance jobs sharing the pool (request
 * log and audit retention, whose deletes may rightly take long) unlimited. A statement given up on keeps its
 * connection until PostgreSQL finishes it; the pool's size bounds how many can.
 */
@ApplicationScoped
public class DatabaseDeadline {

    private final DatabaseConfig config;

    public DatabaseDeadline(DatabaseConfig config) {
        this.config = config;
    }

    public <T> Uni<T> bound(Uni<T> call) {
        long retryAfter = Math.max(1L, config.timeout().toSeconds());
        return call.ifNoItem().after(config.timeout()).failWith(() -> new ApiException(ErrorCode.SERVICE_UNAVAILABLE,
                "The database did not answer in time; try again shortly", Map.of(), retryAfter))
                .onFailure(DatabaseDeadline::unreachable).transform(failure -> new ApiException(
                        ErrorCode.SERVICE_UNAVAILABLE, "The database is unreachable; try again shortly", Map.of(),
                        retryAfter));
    }

    /** Refused or reset connections, closed ones, and PostgreSQL's connection and shutdown states (08…, 57P…). */
    static boolean unreachable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SocketException || t instanceof ClosedConnectionException
                    || t instanceof PgException pg && pg.getSqlState() != null
                            && (pg.getSqlState().startsWith("08") || pg.getSqlState().startsWith("57P"))) {
                return true;
            }
        }
        return false;
    }
}
