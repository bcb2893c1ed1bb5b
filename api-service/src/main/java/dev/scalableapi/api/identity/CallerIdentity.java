package dev.scalableapi.api.identity;

import dev.scalableapi.common.identity.Identity;
import dev.scalableapi.common.identity.IdentityHeaders;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;

/** Reads the caller's identity from the gateway's signed headers; anything unsigned is anonymous. */
@ApplicationScoped
public class CallerIdentity {

    private final IdentityHeaders headers;

    CallerIdentity(IdentityConfig config) {
        this.headers = new IdentityHeaders(config.signingSecret(), config.maxSkewSeconds());
    }

    public Identity of(HttpHeaders request) {
        return headers.verify(request::getHeaderString, System.currentTimeMillis() / 1000);
    }
}
