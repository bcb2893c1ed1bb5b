package dev.scalableapi.gateway.accounts;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Optional;
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
        boolean created = users.createIfAbsent(email.get(), passwords.hash(password.get()), UserAccount.ROLE_ADMIN)
                .await().atMost(WAIT);
        LOG.infof(created ? "Created the first admin %s" : "Bootstrap admin %s already exists; left unchanged",
                email.get());
    }

    private void refuseDevUsers() {
        for (String[] user : DEV_USERS) {
            Optional<UserStore.Credentials> found = users.credentials(user[0]).await().atMost(WAIT);
            if (found.isPresent() && passwords.matches(user[1], Optional.ofNullable(found.get().passwordHash()))
                    .await().atMost(WAIT)) {
                throw new IllegalStateException("Refusing to start: " + user[0]
                        + " still has the dev seed's published password; change it or delete the user");
            }
        }
    }
}
