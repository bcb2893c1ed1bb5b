package dev.scalableapi.api.identity;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** How api-service checks the identity headers the gateway signs. */
@ConfigMapping(prefix = "api.identity")
public interface IdentityConfig {

    /** Shared with the gateway ({@code IDENTITY_SIGNING_SECRET}); no default outside dev and test. */
    String signingSecret();

    /**
     * The secret before a rotation ({@code IDENTITY_SIGNING_SECRET_PREVIOUS}): still accepted, never used to sign,
     * while gateways move to the new one.
     */
    Optional<String> previousSigningSecret();

    /** How old a signature may be, in seconds, before it is refused (clock skew plus queueing). */
    @WithDefault("300")
    long maxSkewSeconds();
}
