package dev.scalableapi.gateway.admin;

import dev.scalableapi.gateway.accounts.UserAccount;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;

/** What Redis holds for one admin session, under the SHA-256 of its id. */
@RegisterForReflection
public record AdminSession(UserAccount user, String csrfToken, Instant createdAt) {
}
