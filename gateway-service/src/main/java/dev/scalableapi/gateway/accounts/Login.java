package dev.scalableapi.gateway.accounts;

import dev.scalableapi.common.errors.ApiException;
import dev.scalableapi.common.errors.ErrorCode;
import io.smallrye.mutiny.Uni;
import org.jboss.logging.Logger;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;

/**
 * Email + password → user, for both login routes: throttled first (429 before any password is checked), then one
 * bcrypt check whether or not the email exists, so the answer and its timing are the same for a wrong email and
 * a wrong password (401 {@code AUTH_INVALID_CREDENTIALS}). Without Redis or PostgreSQL nobody can sign in: 503.
 */
@ApplicationScoped
public class Login {

    private static final Logger LOG = Logger.getLogger(Login.class);

    private final UserStore users;
    private final Passwords passwords;
    private final LoginThrottle throttle;

    Login(UserStore users, Passwords passwords, LoginThrottle throttle) {
        this.users = users;
        this.passwords = passwords;
        this.throttle = throttle;
    }

    public Uni<UserAccount> authenticate(String email, String password, String clientIp) {
        return throttle.retryAfter(email, clientIp)
                .flatMap(retryAfter -> {
                    if (retryAfter > 0) {
                        return Uni.createFrom().failure(new ApiException(ErrorCode.RATE_LIMIT_EXCEEDED,
                                "Too many failed sign-in attempts; try again in " + retryAfter + " s", Map.of(),
                                retryAfter));
                    }
                    return users.credentials(email).flatMap(found -> check(found, email, password, clientIp));
                })
                .onFailure(failure -> !(failure instanceof ApiException))
                .invoke(failure -> LOG.warnf("Sign-in failed on a dependency: %s", failure.toString()))
                .onFailure(failure -> !(failure instanceof ApiException))
                .transform(failure -> new ApiException(ErrorCode.SERVICE_UNAVAILABLE,
                        "Sign-in is unavailable right now; try again shortly", Map.of(), 5L));
    }

    private Uni<UserAccount> check(Optional<UserStore.Credentials> found, String email, String password,
            String clientIp) {
        return passwords.matches(password, found.map(UserStore.Credentials::passwordHash)).flatMap(matches -> {
            if (!matches) {
                return throttle.failed(email, clientIp).chain(() -> Uni.createFrom().failure(new ApiException(
                        ErrorCode.AUTH_INVALID_CREDENTIALS, "Email or password is incorrect")));
            }
            return throttle.succeeded(email).replaceWith(found.get().user());
        });
    }
}
