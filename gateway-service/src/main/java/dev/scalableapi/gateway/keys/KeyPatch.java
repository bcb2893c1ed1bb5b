package dev.scalableapi.gateway.keys;

import dev.scalableapi.common.errors.ApiException;
import dev.scalableapi.common.errors.ErrorCode;
import dev.scalableapi.gateway.ratelimit.RateLimitPolicyRequest;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.Future;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Body of {@code PATCH /api/v1/admin/keys/{id}}, with JSON merge-patch meaning: an absent field stays as it is,
 * {@code "expiresAt": null} removes the expiry, {@code "limits": null} returns the key to its tier's policies.
 * Setters record which fields were present. Unknown fields are
 * refused (422).
 */
@RegisterForReflection
public class KeyPatch {

    @Size(max = 100)
    @Pattern(regexp = "(?s).*\\S.*", message = "must not be blank")
    private String name;

    @Future
    private Instant expiresAt;

    private List<RateLimitPolicyRequest> limits;

    private boolean namePresent;
    private boolean expiresAtPresent;
    private boolean limitsPresent;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
        this.namePresent = true;
    }

    public Instant getExpiresAt() {
        return expiresAt;
    }

    public void setExpiresAt(Instant expiresAt) {
        this.expiresAt = expiresAt;
        this.expiresAtPresent = true;
    }

    public List<RateLimitPolicyRequest> getLimits() {
        return limits;
    }

    public void setLimits(List<RateLimitPolicyRequest> limits) {
        this.limits = limits;
        this.limitsPresent = true;
    }

    boolean hasName() {
        return namePresent;
    }

    boolean hasExpiresAt() {
        return expiresAtPresent;
    }

    boolean hasLimits() {
        return limitsPresent;
    }

    boolean isEmpty() {
        return !namePresent && !expiresAtPresent && !limitsPresent;
    }

    /** A key always has a name: {@code "name": null} is refused, naming the field. */
    void rejectNullName() {
        if (namePresent && name == null) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, "Validation failed for: name",
                    Map.of("name", List.of("must not be null")), null);
        }
    }
}
