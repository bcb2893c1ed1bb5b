package dev.scalableapi.gateway.accounts;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Outside the dev profile (no dev seed), makes sure the platform has a real admin: creates the first admin from
 * {@code GATEWAY_BOOTSTRAP_ADMIN_EMAIL}/{@code _PASSWORD} (a Kubernetes Secret) when no user has that email, and
 * refuses to start when that password is a known default or too short, or when the dev seed's users are present
 * with their published passwords (a dev database promoted to production).
 */
@ApplicationScoped
public class BootstrapAdmin {

    private static final Logger LOG = Logger.getLogger(BootstrapAdmin.class);
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** The dev seed's users and their published passwords (db/seed/afterMigrate.sql). */
    private static final String[][] DEV_USERS = {{"admin@example.com", "admin123"}, {"user@example.com", "user123"}};

    private final UserStore users;
    private final Passwords passwords;
    private final PasswordPolicy policy;
    private final AccountsConfig.BootstrapAdmin config;
    private final boolean devSeed;

    BootstrapAdmin(UserStore users, Passwords passwords, PasswordPolicy policy, AccountsConfig config,
            @ConfigProperty(name = "quarkus.flyway.placeholders.dev_seed", defaultValue = "false") boolean devSeed) {
        this.users = users;
        this.passwords = passwords;
        this.policy = policy;
        this.config = config.bootstrapAdmin();
        this.devSeed = devSeed;
    }

    void onStart(@Observes StartupEvent event) {
        if (devSeed) {
            return;
        }
        refuseDevUsers();
        Optional<String> email = config.email().map(String::trim).filter(e -> !e.isEmpty());
        Optional<String> password = config.password();
        if (email.isEmpty() || password.isEmpty()) {
            LOG.info("No bootstrap admin configured (GATEWAY_BOOTSTRAP_ADMIN_EMAIL and _PASSWORD)");
            return;
        }
        policy.weakness(password.get()).ifPresent(problem -> {
            throw new IllegalStateException("Refusing to start: GATEWAY_BOOTSTRAP_ADMIN_PASSWORD " + problem);
        });
        String hash = passwords.hash(password.get());
        boolean created = atStart(() -> users.createIfAbsent(email.get(), hash, UserAccount.ROLE_ADMIN));
        LOG.infof(created ? "Created the first admin %s" : "Bootstrap admin %s already exists; left unchanged",
                email.get());
    }

    private void refuseDevUsers() {
        for (String[] user : DEV_USERS) {
            Optional<UserStore.Credentials> found = atStart(() -> users.credentials(user[0]));
            if (found.isPresent() && passwords.matches(user[1], Optional.ofNullable(found.get().passwordHash()))
                    .await().atMost(WAIT)) {
                throw new IllegalStateException("Refusing to start: " + user[0]
                        + " still has the dev seed's published password; change it or delete the user");
            }
        }
    }

    /**
     * A query at start: retried for up to {@link #WAIT}, since the request path's deadline on each call
     * ({@code GATEWAY_DATABASE_TIMEOUT}) is for requests, and one slow answer must not stop the start (seen in CI
     * on a loaded machine). Both queries are idempotent.
     */
    private static <T> T atStart(Supplier<Uni<? extends T>> query) {
        return Uni.createFrom().<T>deferred(query)
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(2)).expireIn(WAIT.toMillis())
                .await().atMost(WAIT);
    }
}
