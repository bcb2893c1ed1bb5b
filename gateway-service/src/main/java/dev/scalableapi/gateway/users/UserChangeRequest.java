package dev.scalableapi.gateway.users;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.Pattern;

/** Body of {@code PATCH /api/v1/admin/users/{id}}: the fields to change, at least one. Unknown fields: 422. */
@RegisterForReflection
public record UserChangeRequest(
        @Pattern(regexp = "free|pro|enterprise", message = "must be one of free, pro, enterprise") String tier,
        @Pattern(regexp = "user|admin", message = "must be user or admin") String role,
        @Pattern(regexp = "active|disabled", message = "must be active or disabled") String status) {

    boolean isEmpty() {
        return tier == null && role == null && status == null;
    }
}
