package dev.scalableapi.gateway.accounts;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.elytron.security.common.BcryptUtil;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.UUID;

/**
 * bcrypt checks, off the event loop (one check costs tens of milliseconds of CPU). An unknown email is checked
 * against a dummy hash of the same cost, so a wrong email and a wrong password take the same time and an
 * attacker cannot enumerate accounts; {@code gateway_login_password_checks_total} counts every check.
 */
@ApplicationScoped
public class Passwords {

    private final int cost;
    private final String dummyHash;
    private final Counter checks;

    Passwords(AccountsConfig config, MeterRegistry registry) {
        this.cost = config.bcryptCost();
        this.dummyHash = BcryptUtil.bcryptHash(UUID.randomUUID().toString(), cost);
        this.checks = Counter.builder("gateway.login.password.checks")
                .description("bcrypt password checks, unknown accounts included").register(registry);
    }

    /** True only when a hash exists and the password matches it; always does one bcrypt check. */
    public Uni<Boolean> matches(String password, Optional<String> hash) {
        return Uni.createFrom().item(() -> {
            checks.increment();
            boolean matches = BcryptUtil.matches(password, hash.orElse(dummyHash));
            return matches && hash.isPresent();
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    public String hash(String password) {
        return BcryptUtil.bcryptHash(password, cost);
    }
}
