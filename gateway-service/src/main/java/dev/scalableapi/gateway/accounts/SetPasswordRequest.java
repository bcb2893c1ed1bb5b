package dev.scalableapi.gateway.accounts;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** Body of {@code POST /api/v1/auth/password}: the one-time token and the new password. */
@RegisterForReflection
public record SetPasswordRequest(@NotBlank @Size(max = 100) String token, @NotBlank @Size(max = 200) String password) {
}
