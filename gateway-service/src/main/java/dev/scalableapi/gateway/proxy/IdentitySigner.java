package dev.scalableapi.gateway.proxy;

import dev.scalableapi.common.identity.IdentityHeaders;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The one signer of forwarded identities (its keyed MAC is cached per thread), for every call the gateway makes. */
public class IdentitySigner {

    /** Signatures older than this are refused by api-service; the same window on both sides. */
    static final long MAX_SKEW_SECONDS = 300;

    @Produces
    @Singleton
    @Startup // a refused secret stops the start, not the first request
    IdentityHeaders identityHeaders(IdentitySigningConfig signing) {
        return new IdentityHeaders(signing.signingSecret(), MAX_SKEW_SECONDS);
    }
}
