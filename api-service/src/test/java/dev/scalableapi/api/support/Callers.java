package dev.scalableapi.api.support;

import dev.scalableapi.common.identity.Identity;
import dev.scalableapi.common.identity.IdentityHeaders;
import io.restassured.filter.Filter;
import io.restassured.filter.FilterContext;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;
import java.net.URI;
import java.util.Map;
import java.util.Set;

/**
 * Callers with a signed identity, as the gateway would send them, for the test profile's signing secret. A caller is
 * a RestAssured filter ({@code given().filter(Callers.writer(1))}): the gateway signs each request's method and
 * target, so the signature is made when the request is, for the request actually sent.
 */
public final class Callers {

    /** Same value as {@code %test.api.identity.signing-secret}. */
    public static final String SECRET = "test-identity-secret-0123456789";

    private static final IdentityHeaders SIGNER = new IdentityHeaders(SECRET, 300);

    private Callers() {
    }

    public static Caller writer(long userId) {
        return new Caller(new Identity(userId, null, "user", Set.of("read", "write"), "free"));
    }

    public static Caller reader(long userId) {
        return new Caller(new Identity(userId, null, "user", Set.of("read"), "free"));
    }

    public static Caller admin(long userId) {
        return new Caller(new Identity(userId, null, "admin", Set.of("read", "write"), "enterprise"));
    }

    /** One identity; signs every request it filters. */
    public record Caller(Identity identity) implements Filter {

        /** The identity headers for {@code method target}, for requests not sent through RestAssured. */
        public Map<String, String> headersFor(String method, String target) {
            return SIGNER.sign(identity, method, target, System.currentTimeMillis() / 1000);
        }

        @Override
        public Response filter(FilterableRequestSpecification request, FilterableResponseSpecification response,
                FilterContext context) {
            URI uri = URI.create(request.getURI());
            String target = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            headersFor(request.getMethod(), target).forEach(request::header);
            return context.next(request, response);
        }
    }
}
