package dev.scalableapi.gateway.proxy;

import io.smallrye.config.ConfigMapping;

/** The secret the gateway signs forwarded identities with; api-service holds the same one. */
@ConfigMapping(prefix = "gateway.identity")
public interface IdentitySigningConfig {

    /** {@code IDENTITY_SIGNING_SECRET}, at least 16 characters; no default outside dev and test. */
    String signingSecret();
}
