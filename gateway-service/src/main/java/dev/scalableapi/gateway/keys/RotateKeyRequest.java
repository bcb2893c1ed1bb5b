package dev.scalableapi.gateway.keys;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.PositiveOrZero;
import java.time.Duration;

/**
 * Body of {@code POST /api/v1/admin/keys/{id}/rotate} (optional).
 *
 * @param graceSeconds how long the replaced secret keeps working: 0 (it stops at once) to 7 days; 24 hours when
 *                     absent
 */
@RegisterForReflection
public record RotateKeyRequest(@PositiveOrZero @Max(604_800) Long graceSeconds) {

    static final Duration DEFAULT_GRACE = Duration.ofHours(24);

    Duration grace() {
        return graceSeconds == null ? DEFAULT_GRACE : Duration.ofSeconds(graceSeconds);
    }
}
