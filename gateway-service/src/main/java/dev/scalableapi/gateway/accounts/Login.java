package dev.scalableapi.gateway.accounts;

import dev.scalableapi.common.errors.ApiException;
import dev.scalableapi.common.errors.ErrorCode;
import io.smallrye.mutiny.Uni;
import org.jboss.logging.Logger;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;

/**
 * Email + password → user, for both login routes (a disabled user's right password: 403 {@code FORBIDDEN}): the check is reserved with the throttle first (429 before any
 * password is checked, and never more checks than the limits however many attempts run in parallel), then one
 * bcrypt check whether or not the email exists, so the answer and its timing are the same for a wrong email and
 * a wrong password (401 {@code AUTH_INVALID_CREDENTIALS}). A check the bcrypt pool has no room for: 503
 * {@code OVERLOADED}. Without Redis or PostgreSQL nobody can sign in: 503 {@code SERVICE_UNAVAILABLE}.
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

    /**
     * A user whose password matched, and the identity version read with it (what tokens and sessions are issued
     * for).
     */
    public record SignedIn(UserAccount user, long identityVersion) {
    }

    /** @param clientNetwork the client's address as per-client limits count it (an IPv6 client's /64) */
    public Uni<SignedIn> authenticate(String email, String password, String clientNetwork) {
        return throttle.reserve(email, clientNetwork)
                .flatMap(retryAfter -> {
                    if (retryAfter > 0) {
                        return Uni.createFrom().failure(new ApiException(ErrorCode.RATE_LIMIT_EXCEEDED,
                                "Too many failed sign-in attempts; try again in " + retryAfter + " s", Map.of(),
                                retryAfter));
                    }
                    return check(email, password, clientNetwork);
                })
                .onFailure(failure -> !(failure instanceof ApiException))
                .invoke(failure -> LOG.warnf("Sign-in failed on a dependency: %s", failure.toString()))
                .onFailure(failure -> !(failure instanceof ApiException))
                .transform(failure -> new ApiException(ErrorCode.SERVICE_UNAVAILABLE,
                        "Sign-in is unavailable right now; try again shortly", Map.of(), 5L));
    }

    /** The attempt is reserved: a wrong password keeps it counted; a check that never ran gives it back. */
    private Uni<SignedIn> check(String email, String password, String clientNetwork) {
        return users.credentials(email)
                .flatMap(found -> passwords.matches(password, found.map(UserStore.Credentials::passwordHash))
                        .map(matches -> matches ? found : Optional.<UserStore.Credentials>empty()))
                .onFailure().call(() -> throttle.unchecked(email, clientNetwork).onFailure().recoverWithNull())
                .flatMap(match -> match.isEmpty()
                        ? Uni.createFrom().failure(new ApiException(ErrorCode.AUTH_INVALID_CREDENTIALS,
                                "Email or password is incorrect"))
                        : throttle.succeeded(email, clientNetwork).map(v -> active(match.get())));
    }

    private static SignedIn active(UserStore.Credentials credentials) {
        if (credentials.disabled()) {
            throw new ApiException(ErrorCode.FORBIDDEN, "This account is disabled");
        }
        return new SignedIn(credentials.user(), credentials.identityVersion());
    }
}
