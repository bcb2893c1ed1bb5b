package dev.scalableapi.gateway.accounts;

import dev.scalableapi.gateway.storage.DatabaseDeadline;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/** The {@code users} table. The password hash leaves this class only inside {@link Credentials}. */
@ApplicationScoped
public class UserStore {

    /**
     * A user with the hash to check a password against, whether the user is disabled, and the identity version
     * that tokens and sessions issued from this read are tagged with ({@link UserSignIns}).
     */
    public record Credentials(UserAccount user, String passwordHash, boolean disabled, long identityVersion) {
    }

    private static final String COLUMNS = "id, email, role, tier, created_at";

    private final Pool db;
    private final DatabaseDeadline deadline;

    UserStore(Pool db, DatabaseDeadline deadline) {
        this.db = db;
        this.deadline = deadline;
    }

    public Uni<Optional<Credentials>> credentials(String email) {
        return deadline.bound(db.preparedQuery("select " + COLUMNS
                        + ", password_hash, status, identity_version from users where lower(email) = lower($1)")
                        .execute(Tuple.of(email)))
                .map(rows -> first(rows).map(row -> new Credentials(toUser(row), row.getString("password_hash"),
                        "disabled".equals(row.getString("status")), row.getLong("identity_version"))));
    }

    public Uni<Optional<UserAccount>> byId(long id) {
        return deadline.bound(db.preparedQuery("select " + COLUMNS + " from users where id = $1").execute(Tuple.of(id)))
                .map(rows -> first(rows).map(UserStore::toUser));
    }

    /**
     * Gives the user a new identity version, which ends every token and session issued before (through the
     * {@code users} trigger, on every replica); the new version, or empty when there is no such user.
     */
    public Uni<Optional<Long>> nextIdentityVersion(long id) {
        return deadline.bound(db.preparedQuery("""
                        update users set identity_version = nextval('user_identity_versions') where id = $1
                        returning identity_version""").execute(Tuple.of(id)))
                .map(rows -> first(rows).map(row -> row.getLong("identity_version")));
    }

    /** Creates the user unless one with that email exists (replicas starting together race here); true when created. */
    public Uni<Boolean> createIfAbsent(String email, String passwordHash, String role) {
        return db.preparedQuery("""
                insert into users (email, password_hash, role) values ($1, $2, $3)
                on conflict (lower(email)) do nothing""")
                .execute(Tuple.of(email, passwordHash, role))
                .map(rows -> rows.rowCount() == 1);
    }

    private static Optional<Row> first(RowSet<Row> rows) {
        return rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next());
    }

    static UserAccount toUser(Row row) {
        return new UserAccount(row.getLong("id"), row.getString("email"), row.getString("role"),
                row.getString("tier"), row.getOffsetDateTime("created_at").toInstant());
    }
}
