package dev.scalableapi.gateway.users;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;

/**
 * A user as the admin API lists it: never a password or its hash.
 *
 * @param passwordSet false while a user created without a password has not set one
 * @param keyCount    the user's active (not revoked) API keys
 */
@RegisterForReflection
public record UserView(long id, String email, String role, String tier, String status, boolean passwordSet,
        long keyCount, Instant createdAt) {

    /**
     * The creation answer. For a user created without a password it carries the one-time set-password token: the
     * only response that ever contains it.
     */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Created(UserView user, String setPasswordToken, Instant setPasswordTokenExpiresAt, String warning) {
    }
}
