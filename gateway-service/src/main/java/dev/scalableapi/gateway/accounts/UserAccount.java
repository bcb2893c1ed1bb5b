package dev.scalableapi.gateway.accounts;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;

/** A user as the API shows it: never the password hash. */
@RegisterForReflection
public record UserAccount(long id, String email, String role, String tier, Instant createdAt) {

    public static final String ROLE_ADMIN = "admin";

    @JsonIgnore
    public boolean isAdmin() {
        return ROLE_ADMIN.equals(role);
    }
}
