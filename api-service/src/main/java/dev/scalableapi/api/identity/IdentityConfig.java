package dev.scalableapi.api.identity;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How api-service checks the identity headers the gateway signs. */
@ConfigMapping(prefix = "api.identity")
public interface IdentityConfig {

    /** Shared with the gateway ({@code IDENTITY_SIGNING_SECRET}); no default outside dev and test. */
    String signingSecret();

    /** How old a signature may be, in seconds, before it is refused (clock skew plus queueing). */
    @WithDefault("300")
    long maxSkewSeconds();
}
