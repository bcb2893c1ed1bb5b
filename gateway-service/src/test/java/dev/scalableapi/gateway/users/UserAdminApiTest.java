package dev.scalableapi.gateway.users;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalableapi.gateway.support.Accounts;
import dev.scalableapi.gateway.support.TestKeys;
import dev.scalableapi.gateway.support.WithEchoUpstream;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /api/v1/admin/users} against real PostgreSQL and Redis: create with and without a password (the
 * set-password token shown once), validation naming the field, duplicates, search and paging with key counts,
 * changes of tier, role and status, and an admin's own account protected from demotion.
 */
@QuarkusTest
@TestProfile(WithEchoUpstream.class)
class UserAdminApiTest {

    private static final String USERS = "/api/v1/admin/users";

    @Inject
    Pool pool;

    private String rootToken;
    private long rootId;

    @BeforeEach
    void signIn() {
        rootToken = Accounts.rootToken();
        rootId = Accounts.as(rootToken).get("/api/v1/admin/me").then().statusCode(200)
                .extract().jsonPath().getLong("data.user.id");
    }

    @Test
    void aUserCreatedWithAPasswordCanSignInAtOnceWithTheNormalisedEmail() {
        String email = "New-" + UUID.randomUUID() + "@Example.COM";
        String password = "a-long-password-" + UUID.randomUUID();
        Response created = create(Map.of("email", "  " + email + " ", "password", password, "role", "user",
                "tier", "pro"));
        created.then().statusCode(201).header("Cache-Control", "no-store")
                .header("Location", startsWith(USERS + "/"))
                .body("data.user.email", equalTo(email.toLowerCase()))
                .body("data.user.role", equalTo("user")).body("data.user.tier", equalTo("pro"))
                .body("data.user.status", equalTo("active")).body("data.user.passwordSet", equalTo(true))
                .body("data.user.keyCount", equalTo(0)).body("data.user.createdAt", notNullValue())
                .body("data.setPasswordToken", nullValue());
        assertThat(created.asString(), not(containsString(password)));
        assertThat(created.asString(), not(containsString("$2a$")));

        String token = Accounts.token(email.toUpperCase(), password);
        Accounts.as(token).get("/api/v1/me").then().statusCode(200);
        long id = created.jsonPath().getLong("data.user.id");
        Accounts.as(rootToken).get(USERS + "/" + id).then().statusCode(200)
                .body("data.email", equalTo(email.toLowerCase()));
    }

    @Test
    void withoutRoleAndTierAUserIsAFreeUser() {
        create(Map.of("email", unique(), "password", "another-long-password")).then().statusCode(201)
                .body("data.user.role", equalTo("user")).body("data.user.tier", equalTo("free"));
    }

    @Test
    void withoutAPasswordTheAnswerCarriesAOneTimeTokenAndNoSignInWorksYet() {
        String email = unique();
        Response created = create(Map.of("email", email, "role", "admin", "tier", "free"));
        created.then().statusCode(201).header("Cache-Control", "no-store")
                .body("data.user.passwordSet", equalTo(false))
                .body("data.setPasswordToken", startsWith("pst_"))
                .body("data.setPasswordTokenExpiresAt", notNullValue())
                .body("data.warning", containsString("only once"));
        String token = created.jsonPath().getString("data.setPasswordToken");
        String stored = pool.preparedQuery("select token_hash from password_setup_tokens t join users u "
                        + "on u.id = t.user_id where u.email = $1").execute(Tuple.of(email))
                .await().atMost(Duration.ofSeconds(15)).iterator().next().getString(0);
        assertEquals(64, stored.length(), "only the SHA-256 is stored");
        assertTrue(!stored.contains(token.substring(4)));

        // No password yet: every guess fails like a wrong password.
        Accounts.login(email, token).then().statusCode(401).body("error.code", equalTo("AUTH_INVALID_CREDENTIALS"));
        // The token is not a credential for anything else.
        Accounts.as(token).get("/api/v1/me").then().statusCode(401);

        // The list never shows the token again.
        String listed = Accounts.as(rootToken).queryParam("q", email).get(USERS).asString();
        assertThat(listed, containsString(email));
        assertThat(listed, not(containsString(token)));
    }

    @Test
    void badInputIs422NamingTheField() {
        Map<String, Map<String, Object>> cases = new HashMap<>();
        cases.put("email", Map.of("email", "not-an-email"));
        cases.put("role", Map.of("email", unique(), "role", "root"));
        cases.put("tier", Map.of("email", unique(), "tier", "platinum"));
        cases.put("password", Map.of("email", unique(), "password", "short"));
        for (Map.Entry<String, Map<String, Object>> bad : cases.entrySet()) {
            create(bad.getValue()).then().statusCode(422).body("error.code", equalTo("VALIDATION_FAILED"))
                    .body("error.details." + bad.getKey(), notNullValue());
        }
        create(Map.of("email", unique(), "password", "admin123")).then().statusCode(422)
                .body("error.details.password[0]", containsString("known default"));
        create(Map.of("email", unique(), "password", "x".repeat(73))).then().statusCode(422)
                .body("error.details.password", notNullValue());
        create(Map.of("password", "a-long-password-here")).then().statusCode(422)
                .body("error.details.email", notNullValue());
        create(Map.of("email", unique(), "nickname", "typo")).then().statusCode(422)
                .body("error.code", equalTo("VALIDATION_FAILED"));
    }

    @Test
    void aSecondUserWithTheSameEmailInAnyCaseIs409() {
        String email = unique();
        create(Map.of("email", email)).then().statusCode(201);
        create(Map.of("email", email.toUpperCase(), "password", "a-long-password-here")).then().statusCode(409)
                .body("error.code", equalTo("CONFLICT")).body("error.details.email", notNullValue());
    }

    @Test
    void searchFindsAnEmailSubstringInAnyCaseAndPagesWithKeyCounts() {
        String marker = "srch" + UUID.randomUUID().toString().substring(0, 8);
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(0, create(Map.of("email", "u" + i + "." + marker + "@example.com")).then().statusCode(201)
                    .extract().jsonPath().getLong("data.user.id"));
        }
        TestKeys.ownedBy(pool, ids.get(0), "free", "read");
        TestKeys.ownedBy(pool, ids.get(0), "pro", "read");
        long revoked = TestKeys.ownedBy(pool, ids.get(0), "pro", "read").keyId();
        Accounts.as(rootToken).delete("/api/v1/admin/keys/" + revoked).then().statusCode(200);

        Response first = Accounts.as(rootToken).queryParams(Map.of("q", marker.toUpperCase(), "limit", 2))
                .get(USERS);
        first.then().statusCode(200).body("meta.pagination.page", equalTo(1))
                .body("meta.pagination.limit", equalTo(2)).body("meta.pagination.total", equalTo(5))
                .body("meta.pagination.hasMore", equalTo(true));
        assertEquals(ids.subList(0, 2), first.jsonPath().getList("data.id", Long.class), "newest first");
        assertEquals(2, first.jsonPath().getInt("data[0].keyCount"), "active keys only");

        Response last = Accounts.as(rootToken).queryParams(Map.of("q", marker, "limit", 2, "page", 3)).get(USERS);
        last.then().statusCode(200).body("meta.pagination.hasMore", equalTo(false));
        assertEquals(ids.subList(4, 5), last.jsonPath().getList("data.id", Long.class));

        // LIKE's wildcards are searched for as characters, not as wildcards
        Accounts.as(rootToken).queryParam("q", marker + "%").get(USERS).then().statusCode(200)
                .body("meta.pagination.total", equalTo(0));
        Accounts.as(rootToken).get(USERS).then().statusCode(200)
                .body("data.email", hasItem("u4." + marker + "@example.com"));
        Accounts.as(rootToken).queryParam("q", "x".repeat(101)).get(USERS).then().statusCode(400)
                .body("error.details.q", notNullValue());
    }

    @Test
    void tierRoleAndStatusChangeAndOnlyTheGivenFields() {
        long id = create(Map.of("email", unique(), "password", "a-long-password-here", "tier", "free"))
                .then().statusCode(201).extract().jsonPath().getLong("data.user.id");

        patch(id, Map.of("tier", "enterprise")).then().statusCode(200).body("data.tier", equalTo("enterprise"))
                .body("data.role", equalTo("user")).body("data.status", equalTo("active"));
        patch(id, Map.of("role", "admin", "status", "disabled")).then().statusCode(200)
                .body("data.tier", equalTo("enterprise")).body("data.role", equalTo("admin"))
                .body("data.status", equalTo("disabled"));
        patch(id, Map.of("status", "active")).then().statusCode(200).body("data.status", equalTo("active"));

        patch(id, Map.of("status", "gone")).then().statusCode(422).body("error.details.status", notNullValue());
        patch(id, Map.of("tier", "anonymous")).then().statusCode(422).body("error.details.tier", notNullValue());
        patch(id, Map.of()).then().statusCode(422).body("error.code", equalTo("VALIDATION_FAILED"));
        patch(id, Map.of("email", "other@example.com")).then().statusCode(422);
        patch(999_999_999L, Map.of("tier", "pro")).then().statusCode(404).body("error.code", equalTo("NOT_FOUND"))
                .body("meta.requestId", notNullValue());
        Accounts.as(rootToken).get(USERS + "/999999999").then().statusCode(404).body("error.code", equalTo("NOT_FOUND"));
    }

    @Test
    void anAdminCannotDemoteOrDisableThemselvesButAnotherAdminCan() {
        patch(rootId, Map.of("role", "user")).then().statusCode(409).body("error.code", equalTo("CONFLICT"))
                .body("error.message", containsString("your own account")).body("error.details.role", notNullValue());
        patch(rootId, Map.of("status", "disabled")).then().statusCode(409)
                .body("error.details.status", notNullValue());
        Accounts.as(rootToken).get("/api/v1/admin/me").then().statusCode(200);

        Accounts.User other = Accounts.create(pool, "admin");
        String otherToken = Accounts.token(other.email(), other.password());
        Accounts.as(otherToken).contentType(ContentType.JSON).body(Map.of("role", "user"))
                .patch(USERS + "/" + other.id()).then().statusCode(409);
        Accounts.as(rootToken).contentType(ContentType.JSON).body(Map.of("role", "user"))
                .patch(USERS + "/" + other.id()).then().statusCode(200).body("data.role", equalTo("user"));
    }

    private Response create(Map<String, Object> body) {
        return Accounts.as(rootToken).contentType(ContentType.JSON).body(body).post(USERS);
    }

    private Response patch(long id, Map<String, Object> body) {
        return Accounts.as(rootToken).contentType(ContentType.JSON).body(body).patch(USERS + "/" + id);
    }

    private static String unique() {
        return "user-" + UUID.randomUUID() + "@example.com";
    }
}
