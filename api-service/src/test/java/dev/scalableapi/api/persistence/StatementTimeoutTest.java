package dev.scalableapi.api.persistence;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalableapi.api.support.Api;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgException;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL itself stops a request's query at the statement timeout (2900ms, just under the 3 s read timeout):
 * the query does not go on inside PostgreSQL after the API has given up on it.
 */
@QuarkusTest
class StatementTimeoutTest {

    private static final Duration DEADLINE = Duration.ofSeconds(10);

    /** The pool every request uses (Hibernate Reactive's too). */
    @Inject
    Pool pool;

    /** Flyway's JDBC datasource: not the request pool, no statement timeout. */
    @Inject
    AgroalDataSource direct;

    @Test
    void everyConnectionOfTheRequestPoolCarriesTheTimeout() {
        assertEquals("2900ms", pool.query("show statement_timeout").execute().await().atMost(DEADLINE)
                .iterator().next().getString(0));
    }

    @Test
    void aSlowStatementIsCancelledByPostgresql() {
        long started = System.nanoTime();
        RuntimeException failure = assertThrows(RuntimeException.class,
                () -> pool.query("select pg_sleep(30)").execute().await().atMost(DEADLINE));
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        PgException cancelled = assertInstanceOf(PgException.class, failure);
        assertEquals("57014", cancelled.getSqlState(), "query_canceled: " + cancelled.getMessage());
        assertTrue(took.compareTo(Duration.ofMillis(2_800)) > 0 && took.compareTo(Duration.ofSeconds(6)) < 0,
                "cancelled after " + took);
    }

    /**
     * A list that cannot finish (the table is locked by another transaction) answers 503, and its query is gone
     * from PostgreSQL while the lock is still held: the server cancelled it, nobody had to release anything.
     */
    @Test
    void aListThatTimesOutLeavesNoQueryBehind() throws SQLException {
        try (Connection locker = direct.getConnection()) {
            locker.setAutoCommit(false);
            try (Statement lock = locker.createStatement()) {
                lock.execute("lock table resources in access exclusive mode");
                Api.assertError(given().queryParam("type", Api.uniqueType("locked")).when().get(Api.RESOURCES)
                        .then(), 503, "SERVICE_UNAVAILABLE");
                await().atMost(Duration.ofSeconds(2)).until(() -> waitingOnResources() == 0);
            } finally {
                locker.rollback();
            }
        }
    }

    /**
     * Sessions of this database whose query reads resources and that wait for a lock; asked on a connection of its
     * own (a transaction sees one snapshot of pg_stat_activity).
     */
    private long waitingOnResources() throws SQLException {
        try (Connection connection = direct.getConnection(); Statement statement = connection.createStatement();
                ResultSet count = statement.executeQuery("""
                select count(*) from pg_stat_activity
                where datname = current_database() and wait_event_type = 'Lock' and query like '%from resources%'""")) {
            count.next();
            return count.getLong(1);
        }
    }
}
