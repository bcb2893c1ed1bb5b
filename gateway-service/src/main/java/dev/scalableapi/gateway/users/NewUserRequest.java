package dev.scalableapi.gateway.users;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * Body of {@code POST /api/v1/admin/users}. Unknown fields are refused (422).
 *
 * @param email    stored trimmed and lower-cased; unique (409 {@code CONFLICT})
 * @param password optional: without one, the answer carries a one-time set-password token
 * @param role     {@code user} (default) or {@code admin}
 * @param tier     the rate-limit tier of the user's login token: {@code free} (default), {@code pro},
 *                 {@code enterprise}
 */
@RegisterForReflection
public record NewUserRequest(
        @NotBlank @Size(max = 320) String email,
        @Size(max = 200) String password,
        @Pattern(regexp = "user|admin", message = "must be user or admin") String role,
        @Pattern(regexp = "free|pro|enterprise", message = "must be one of free, pro, enterprise") String tier) {
}
