package dev.scalableapi.api.identity;

import dev.scalableapi.common.identity.Identity;
import dev.scalableapi.common.identity.IdentityHeaders;
import io.quarkus.runtime.Startup;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Reads the caller's identity from the gateway's signed headers, checked against the request as received (method
 * and target); anything unsigned, or signed for another request, is anonymous.
 */
@ApplicationScoped
@Startup // a refused secret stops the start, not the first request
public class CallerIdentity {

    private final IdentityHeaders headers;

    CallerIdentity(IdentityConfig config) {
        this.headers = new IdentityHeaders(config.signingSecret(), config.previousSigningSecret().orElse(null),
                config.maxSkewSeconds());
    }

    public Identity of(HttpServerRequest request) {
        return headers.verify(request::getHeader, request.method().name(), request.uri(),
                System.currentTimeMillis() / 1000);
    }
}
