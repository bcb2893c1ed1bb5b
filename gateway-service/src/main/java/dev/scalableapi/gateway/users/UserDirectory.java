package dev.scalableapi.gateway.users;

import dev.scalableapi.gateway.accounts.PasswordSetup;
import dev.scalableapi.gateway.storage.DatabaseDeadline;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The admin side of {@code users}: list, create, change. Sign-ins read the table through
 * {@code accounts/UserStore}; a change of role, tier or status ends the user's tokens and sessions and refreshes
 * the user's cached keys on every replica through the table's triggers ({@code credentials/CredentialChanges}).
 * <p>
 * The search is a case-insensitive substring of the email, which no btree can serve: it scans {@code users}. That
 * table holds one row per person (operators and API consumers, not requests), where a scan of even 100,000 rows
 * takes milliseconds; a trigram index would need the {@code pg_trgm} extension, which a managed database may not
 * allow the gateway to create.
 */
@ApplicationScoped
public class UserDirectory {

    /** One page of users and how many match in all. */
    public record Page(List<UserView> users, long total) {
    }

    /** A new user's row, and the set-password token when it was created without a password. */
    public record Created(UserView user, Optional<PasswordSetup.Issued> setup) {
    }

    /** What a change did: the user as it is now, and each field that changed with its new value. */
    public record Changed(UserView user, Map<String, Object> changes) {
    }

    private static final String SELECT = """
            select u.id, u.email, u.role, u.tier, u.status, u.password_hash is not null as password_set, u.created_at,
                   (select count(*) from api_keys k where k.owner_id = u.id and k.status = 'active') as key_count
            from users u""";

    private final Pool db;
    private final DatabaseDeadline deadline;
    private final PasswordSetup passwordSetup;

    UserDirectory(Pool db, DatabaseDeadline deadline, PasswordSetup passwordSetup) {
        this.db = db;
        this.deadline = deadline;
        this.passwordSetup = passwordSetup;
    }

    /** @param search lower-case email substring, or null for everyone; newest first */
    public Uni<Page> page(String search, int page, int limit) {
        List<Object> params = new ArrayList<>();
        String condition = "";
        if (search != null) {
            params.add("%" + search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
            condition = " where lower(u.email) like $1";
        }
        Uni<Long> total = deadline.bound(db.preparedQuery("select count(*) from users u" + condition)
                .execute(Tuple.from(params))).map(rows -> rows.iterator().next().getLong(0));
        List<Object> pageParams = new ArrayList<>(params);
        pageParams.add(limit);
        pageParams.add((page - 1) * limit);
        Uni<List<UserView>> users = deadline.bound(db.preparedQuery(SELECT + condition + " order by u.id desc limit $"
                        + (pageParams.size() - 1) + " offset $" + pageParams.size()).execute(Tuple.from(pageParams)))
                .map(rows -> {
                    List<UserView> views = new ArrayList<>();
                    for (Row row : rows) {
                        views.add(toView(row));
                    }
                    return views;
                });
        return Uni.combine().all().unis(users, total).asTuple().map(t -> new Page(t.getItem1(), t.getItem2()));
    }

    public Uni<Optional<UserView>> byId(long id) {
        return deadline.bound(byId(db, id));
    }

    /**
     * Creates the user, and a set-password token when {@code passwordHash} is null, in one transaction; empty when
     * a user has that email already.
     */
    public Uni<Optional<Created>> create(String email, String passwordHash, String role, String tier) {
        return deadline.bound(db.withTransaction(tx -> tx.preparedQuery("""
                        insert into users (email, password_hash, role, tier) values ($1, $2, $3, $4)
                        on conflict (lower(email)) do nothing returning id""")
                .execute(Tuple.of(email, passwordHash, role, tier))
                .flatMap(rows -> {
                    if (rows.size() == 0) {
                        return Uni.createFrom().item(Optional.<Created>empty());
                    }
                    long id = rows.iterator().next().getLong("id");
                    Uni<Optional<PasswordSetup.Issued>> setup = passwordHash != null
                            ? Uni.createFrom().item(Optional.empty())
                            : passwordSetup.issue(tx, id).map(Optional::of);
                    return setup.flatMap(issued -> byId(tx, id)
                            .map(user -> Optional.of(new Created(user.orElseThrow(), issued))));
                })));
    }

    /**
     * Applies the non-null fields of {@code change} under a row lock; empty when there is no such user. Only the
     * fields whose value differs are written, so a change that changes nothing ends no sign-in.
     */
    public Uni<Optional<Changed>> change(long id, UserChangeRequest change) {
        return deadline.bound(db.withTransaction(tx -> tx.preparedQuery(
                        "select role, tier, status from users where id = $1 for update").execute(Tuple.of(id))
                .flatMap(rows -> {
                    if (rows.size() == 0) {
                        return Uni.createFrom().item(Optional.<Changed>empty());
                    }
                    Row current = rows.iterator().next();
                    Map<String, Object> changes = new LinkedHashMap<>();
                    differs(changes, "role", current.getString("role"), change.role());
                    differs(changes, "tier", current.getString("tier"), change.tier());
                    differs(changes, "status", current.getString("status"), change.status());
                    Uni<?> written = changes.isEmpty() ? Uni.createFrom().voidItem()
                            : tx.preparedQuery("""
                                    update users set role = coalesce($2, role), tier = coalesce($3, tier),
                                                     status = coalesce($4, status)
                                    where id = $1""")
                                    .execute(Tuple.of(id, changes.get("role"), changes.get("tier"),
                                            changes.get("status")));
                    return written.flatMap(v -> byId(tx, id))
                            .map(user -> Optional.of(new Changed(user.orElseThrow(), changes)));
                })));
    }

    private static void differs(Map<String, Object> changes, String field, String current, String wanted) {
        if (wanted != null && !wanted.equals(current)) {
            changes.put(field, wanted);
        }
    }

    private static Uni<Optional<UserView>> byId(SqlClient client, long id) {
        return client.preparedQuery(SELECT + " where u.id = $1").execute(Tuple.of(id))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(toView(rows.iterator().next())));
    }

    private static UserView toView(Row row) {
        return new UserView(row.getLong("id"), row.getString("email"), row.getString("role"), row.getString("tier"),
                row.getString("status"), row.getBoolean("password_set"), row.getLong("key_count"),
                row.getOffsetDateTime("created_at").toInstant());
    }
}
