package dev.scalableapi.gateway.accounts;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** Body of both login routes. bcrypt reads at most 72 bytes; longer passwords are refused rather than cut. */
@RegisterForReflection
public record LoginRequest(@NotBlank @Size(max = 320) String email, @NotBlank @Size(max = 72) String password) {
}
