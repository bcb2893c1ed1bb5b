package dev.scalableapi.gateway.accounts;

import dev.scalableapi.common.errors.ApiException;
import dev.scalableapi.common.errors.ErrorCode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.elytron.security.common.BcryptUtil;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * bcrypt checks, on a pool of their own (one check costs tens of milliseconds of CPU): {@code password-checks.threads}
 * threads and a queue of {@code password-checks.queue}. When the queue is full the check is refused at once —
 * 503 {@code OVERLOADED} with {@code Retry-After: 1} — instead of queueing without bound behind other sign-ins
 * or taking the workers the rest of the gateway needs. An unknown email is checked against a dummy hash of the
 * same cost, so a wrong email and a wrong password take the same time and an attacker cannot enumerate
 * accounts; {@code gateway_login_password_checks_total} counts every check,
 * {@code gateway_login_password_checks_rejected_total} every refusal.
 */
@ApplicationScoped
public class Passwords {

    private final int cost;
    private final String dummyHash;
    private final Counter checks;
    private final Counter rejected;
    private final ThreadPoolExecutor pool;

    Passwords(AccountsConfig config, MeterRegistry registry) {
        this.cost = config.bcryptCost();
        this.dummyHash = BcryptUtil.bcryptHash(UUID.randomUUID().toString(), cost);
        this.checks = Counter.builder("gateway.login.password.checks")
                .description("bcrypt password checks, unknown accounts included").register(registry);
        this.rejected = Counter.builder("gateway.login.password.checks.rejected")
                .description("Password checks refused because the bcrypt pool's queue was full").register(registry);
        int threads = Math.max(1, config.passwordChecks().threads());
        AtomicInteger created = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(Math.max(1, config.passwordChecks().queue())), task -> {
                    Thread thread = new Thread(task, "login-password-check-" + created.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                }, new ThreadPoolExecutor.AbortPolicy());
    }

    /**
     * True only when a hash exists and the password matches it; always does one bcrypt check, or fails with 503
     * {@code OVERLOADED} without one. Completes on the caller's Vert.x context when it has one.
     */
    public Uni<Boolean> matches(String password, Optional<String> hash) {
        return onPool(() -> {
            checks.increment();
            return BcryptUtil.matches(password, hash.orElse(dummyHash)) && hash.isPresent();
        });
    }

    /** The bcrypt hash of a new password, computed on the same bounded pool as the checks (503 when it is full). */
    public Uni<String> hashed(String password) {
        return onPool(() -> hash(password));
    }

    /** Blocking: only where the event loop is not in play (startup). */
    public String hash(String password) {
        return BcryptUtil.bcryptHash(password, cost);
    }

    private <T> Uni<T> onPool(Supplier<T> work) {
        return Uni.createFrom().emitter(emitter -> {
            Context caller = Vertx.currentContext();
            try {
                pool.execute(() -> {
                    try {
                        T result = work.get();
                        onCaller(caller, () -> emitter.complete(result));
                    } catch (RuntimeException e) {
                        onCaller(caller, () -> emitter.fail(e));
                    }
                });
            } catch (RejectedExecutionException full) {
                rejected.increment();
                emitter.fail(new ApiException(ErrorCode.OVERLOADED,
                        "Too many passwords are being checked right now; try again shortly", Map.of(), 1L));
            }
        });
    }

    @PreDestroy
    void stop() {
        pool.shutdownNow();
    }

    private static void onCaller(Context caller, Runnable completion) {
        if (caller == null) {
            completion.run();
        } else {
            caller.runOnContext(v -> completion.run());
        }
    }
}
