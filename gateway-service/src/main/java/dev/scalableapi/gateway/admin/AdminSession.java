package dev.scalableapi.gateway.admin;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.scalableapi.gateway.accounts.UserAccount;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;

/**
 * What Redis holds for one admin session, under the SHA-256 of its id.
 *
 * @param renewedAt when its cookie was last issued (at login, then each time it was re-issued); null in sessions
 *                  stored before cookies were re-issued, which count from {@code createdAt}
 */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
public record AdminSession(UserAccount user, String csrfToken, Instant createdAt, Instant renewedAt) {

    Instant cookieIssuedAt() {
        return renewedAt == null ? createdAt : renewedAt;
    }
}
