package dev.scalableapi.gateway.storage;

import dev.scalableapi.common.errors.ApiException;
import dev.scalableapi.common.errors.ErrorCode;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;

/**
 * The deadline of every PostgreSQL call a request waits for (logins, {@code /me}, the admin API): past
 * {@code GATEWAY_DATABASE_TIMEOUT} the request gets 503 {@code SERVICE_UNAVAILABLE} with {@code Retry-After}.
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
        return call.ifNoItem().after(config.timeout()).failWith(() -> new ApiException(ErrorCode.SERVICE_UNAVAILABLE,
                "The database did not answer in time; try again shortly", Map.of(),
                Math.max(1L, config.timeout().toSeconds())));
    }
}
