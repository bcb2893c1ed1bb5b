package dev.scalableapi.gateway.support;

import static io.restassured.RestAssured.given;

import io.quarkus.elytron.security.common.BcryptUtil;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/** Users with real bcrypt passwords in the test database, and their logins through the gateway's own API. */
public final class Accounts {

    /** The test profile's bootstrap admin (application.properties, %test). */
    public static final String ROOT_EMAIL = "root@test.local";
    public static final String ROOT_PASSWORD = "test-admin-password-0123";

    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    /** A user as created: its id and credentials. */
    public record User(long id, String email, String password) {
    }

    private Accounts() {
    }

    public static User create(Pool pool, String role) {
        String email = role + "-" + UUID.randomUUID() + "@test.invalid";
        String password = "pw-" + UUID.randomUUID();
        long id = pool.preparedQuery("insert into users (email, password_hash, role) values ($1, $2, $3) returning id")
                .execute(Tuple.of(email, BcryptUtil.bcryptHash(password, 4), role))
                .await().atMost(TIMEOUT).iterator().next().getLong("id");
        return new User(id, email, password);
    }

    /** {@code POST /api/v1/auth/login} from a fresh client address; the bearer token. */
    public static String token(String email, String password) {
        return login(email, password).then().statusCode(200).extract().path("data.token");
    }

    /** {@code POST /api/v1/auth/login} from a fresh client address, whatever it answers. */
    public static Response login(String email, String password) {
        return given().header("X-Forwarded-For", TestKeys.uniqueIp()).contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", password)).post("/api/v1/auth/login");
    }

    public static String rootToken() {
        return token(ROOT_EMAIL, ROOT_PASSWORD);
    }

    /** A request that carries the token. */
    public static RequestSpecification as(String token) {
        return given().header("Authorization", "Bearer " + token);
    }
}
