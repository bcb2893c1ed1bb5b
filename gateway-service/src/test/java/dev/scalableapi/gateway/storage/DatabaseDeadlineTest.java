package dev.scalableapi.gateway.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.scalableapi.common.errors.ApiException;
import dev.scalableapi.common.errors.ErrorCode;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A PostgreSQL that cannot be reached answers like one that does not answer: 503, never a 500. */
class DatabaseDeadlineTest {

    private final DatabaseDeadline deadline = new DatabaseDeadline(() -> Duration.ofSeconds(2));

    @Test
    void anUnreachableDatabaseIs503WithRetryAfter() {
        List<Throwable> outages = List.of(new ConnectException("Connection refused"),
                new RuntimeException("wrapped", new java.net.SocketException("Connection reset")),
                io.vertx.sqlclient.ClosedConnectionException.INSTANCE,
                new PgException("the database system is shutting down", "FATAL", "57P03", null),
                new PgException("connection failure", "FATAL", "08006", null));
        for (Throwable outage : outages) {
            ApiException answer = assertThrows(ApiException.class,
                    () -> deadline.bound(Uni.createFrom().failure(outage)).await().indefinitely(), outage.toString());
            assertEquals(ErrorCode.SERVICE_UNAVAILABLE, answer.code(), outage.toString());
            assertEquals(2L, answer.retryAfterSeconds());
        }
    }

    @Test
    void otherFailuresStayWhatTheyAre() {
        PgException syntax = new PgException("syntax error", "ERROR", "42601", null);
        assertSame(syntax, assertThrows(PgException.class,
                () -> deadline.bound(Uni.createFrom().failure(syntax)).await().indefinitely()));
    }
}
