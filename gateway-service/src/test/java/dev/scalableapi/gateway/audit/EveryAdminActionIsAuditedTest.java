package dev.scalableapi.gateway.audit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalableapi.gateway.support.Accounts;
import dev.scalableapi.gateway.support.Accounts.User;
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
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every login and admin action leaves one audit row, readable in {@code GET /api/v1/admin/audit}: who (actor id
 * and email), what (action, target), how it ended (outcome), from where (client IP) and which request (the
 * {@code X-Request-ID} the caller got back). The list is keyset-paged newest first and never shows a password or
 * a password hash. The breaker reset and cache clear go to the (echo) upstream, which answers 200. Failed and
 * throttled logins are written asynchronously, aggregated per minute ({@link FailedLoginAudit}): their row appears
 * shortly after the answer and names the latest request of its minute.
 */
@QuarkusTest
@TestProfile(WithEchoUpstream.class)
class EveryAdminActionIsAuditedTest {

    private static final String AUDIT = "/api/v1/admin/audit";

    @Inject
    Pool pool;

    private String rootToken;
    private long rootId;

    @BeforeEach
    void signInAsRoot() {
        rootToken = Accounts.rootToken();
        rootId = Accounts.as(rootToken).get("/api/v1/admin/me").then().statusCode(200)
                .extract().jsonPath().getLong("data.user.id");
    }

    @Test
    void userLoginSuccessFailureAndThrottlingAreAudited() {
        User user = Accounts.create(pool, "user");
        String ip = TestKeys.uniqueIp();

        Response ok = login("/api/v1/auth/login", user.email(), user.password(), ip);
        ok.then().statusCode(200);
        assertAudited("auth.login", ok, user.id(), user.email(), null, "success", ip);

        Response wrong = login("/api/v1/auth/login", user.email(), "wrong-" + user.password(), ip);
        wrong.then().statusCode(401);
        assertAudited("auth.login", wrong, null, user.email(), null, "failure", ip);

        for (int i = 1; i < 5; i++) {
            login("/api/v1/auth/login", user.email(), "wrong-" + i, ip).then().statusCode(401);
        }
        Response throttled = login("/api/v1/auth/login", user.email(), user.password(), ip);
        throttled.then().statusCode(429);
        assertAudited("auth.login", throttled, null, user.email(), null, "throttled", ip);
    }

    @Test
    void adminLoginSuccessDenialFailureAndLogoutAreAudited() {
        User admin = Accounts.create(pool, "admin");
        User user = Accounts.create(pool, "user");
        String ip = TestKeys.uniqueIp();

        Response ok = login("/api/v1/admin/login", admin.email(), admin.password(), ip);
        ok.then().statusCode(200);
        assertAudited("admin.login", ok, admin.id(), admin.email(), null, "success", ip);

        Response denied = login("/api/v1/admin/login", user.email(), user.password(), ip);
        denied.then().statusCode(403).body("error.code", equalTo("FORBIDDEN"));
        assertAudited("admin.login", denied, user.id(), user.email(), null, "denied", ip);

        Response failed = login("/api/v1/admin/login", admin.email(), "wrong-" + admin.password(), ip);
        failed.then().statusCode(401);
        assertAudited("admin.login", failed, null, admin.email(), null, "failure", ip);

        String session = ok.getCookie("sa_session");
        String csrf = ok.jsonPath().getString("data.csrfToken");
        // Without its CSRF token the logout is refused, and nothing is recorded as done.
        Response refused = given().header("X-Forwarded-For", ip).cookie("sa_session", session)
                .post("/api/v1/admin/logout");
        refused.then().statusCode(403).body("error.code", equalTo("CSRF_REJECTED"));
        assertNotAudited("admin.logout", refused);

        Response out = given().header("X-Forwarded-For", ip).cookie("sa_session", session)
                .header("X-CSRF-Token", csrf).post("/api/v1/admin/logout");
        out.then().statusCode(200).body("data.signedOut", equalTo(true));
        assertAudited("admin.logout", out, admin.id(), admin.email(), null, "success", ip);
    }

    @Test
    void keyCreationAndFirstRevocationAreAuditedWithoutTheKey() {
        User owner = Accounts.create(pool, "user");
        String ip = TestKeys.uniqueIp();
        String ownRequestId = "audit-" + UUID.randomUUID();

        Response created = Accounts.as(rootToken).header("X-Forwarded-For", ip).header("X-Request-ID", ownRequestId)
                .contentType(ContentType.JSON)
                .body(Map.of("name", "audited key", "ownerId", owner.id(), "tier", "pro", "scopes", List.of("read")))
                .post("/api/v1/admin/keys");
        created.then().statusCode(201).header("X-Request-ID", ownRequestId);
        long keyId = created.jsonPath().getLong("data.details.id");
        String fullKey = created.jsonPath().getString("data.key");
        Map<String, Object> row = assertAudited("key.create", created, rootId, Accounts.ROOT_EMAIL, "key:" + keyId,
                "success", ip);
        assertEquals(Map.of("prefix", created.jsonPath().getString("data.details.prefix"), "name", "audited key",
                "ownerId", (int) owner.id(), "tier", "pro"), row.get("details"));

        Response revoked = Accounts.as(rootToken).header("X-Forwarded-For", ip).delete("/api/v1/admin/keys/" + keyId);
        revoked.then().statusCode(200).body("data.status", equalTo("revoked"));
        assertAudited("key.revoke", revoked, rootId, Accounts.ROOT_EMAIL, "key:" + keyId, "success", ip);

        // Revoking again changes nothing, so it is not recorded again.
        Response again = Accounts.as(rootToken).header("X-Forwarded-For", ip).delete("/api/v1/admin/keys/" + keyId);
        again.then().statusCode(200);
        assertNotAudited("key.revoke", again);

        String audit = auditBody(Map.of("limit", 200));
        assertThat(audit, not(containsString(fullKey)));
    }

    @Test
    void keyChangesAndRotationsAreAuditedWithoutTheKeys() {
        User owner = Accounts.create(pool, "user");
        String ip = TestKeys.uniqueIp();
        Response created = Accounts.as(rootToken).contentType(ContentType.JSON)
                .body(Map.of("name", "rotated key", "ownerId", owner.id(), "tier", "free", "scopes", List.of("read")))
                .post("/api/v1/admin/keys");
        long keyId = created.jsonPath().getLong("data.details.id");
        String firstKey = created.jsonPath().getString("data.key");

        Instant expires = Instant.now().plus(Duration.ofDays(7)).truncatedTo(ChronoUnit.SECONDS);
        Response changed = Accounts.as(rootToken).header("X-Forwarded-For", ip).contentType(ContentType.JSON)
                .body(Map.of("name", "renamed key", "expiresAt", expires.toString()))
                .patch("/api/v1/admin/keys/" + keyId);
        changed.then().statusCode(200);
        Map<String, Object> row = assertAudited("key.update", changed, rootId, Accounts.ROOT_EMAIL, "key:" + keyId,
                "success", ip);
        assertEquals(Map.of("name", "renamed key", "expiresAt", expires.toString()), row.get("details"));

        // a patch that names nothing changes nothing, so it is not recorded
        Response empty = Accounts.as(rootToken).header("X-Forwarded-For", ip).contentType(ContentType.JSON)
                .body(Map.of()).patch("/api/v1/admin/keys/" + keyId);
        empty.then().statusCode(200);
        assertNotAudited("key.update", empty);

        Response rotated = Accounts.as(rootToken).header("X-Forwarded-For", ip).contentType(ContentType.JSON)
                .body(Map.of("graceSeconds", 600)).post("/api/v1/admin/keys/" + keyId + "/rotate");
        rotated.then().statusCode(200);
        String secondKey = rotated.jsonPath().getString("data.key");
        row = assertAudited("key.rotate", rotated, rootId, Accounts.ROOT_EMAIL, "key:" + keyId, "success", ip);
        assertEquals(Map.of("prefix", rotated.jsonPath().getString("data.details.prefix"), "graceSeconds", 600,
                "previousKeyExpiresAt", rotated.jsonPath().getString("data.details.previousKeyExpiresAt")),
                row.get("details"));

        // refused rotations change nothing
        Accounts.as(rootToken).delete("/api/v1/admin/keys/" + keyId).then().statusCode(200);
        Response refused = Accounts.as(rootToken).header("X-Forwarded-For", ip).contentType(ContentType.JSON)
                .body(Map.of()).post("/api/v1/admin/keys/" + keyId + "/rotate");
        refused.then().statusCode(409);
        assertNotAudited("key.rotate", refused);

        String audit = auditBody(Map.of("limit", 200));
        for (String secret : List.of(firstKey, secondKey, firstKey.substring(12), secondKey.substring(12))) {
            assertThat(audit, not(containsString(secret)));
        }
    }

    @Test
    void signingAUserOutEverywhereIsAudited() {
        User user = Accounts.create(pool, "user");
        Accounts.token(user.email(), user.password());
        String ip = TestKeys.uniqueIp();

        Response revoked = Accounts.as(rootToken).header("X-Forwarded-For", ip)
                .post("/api/v1/admin/users/" + user.id() + "/sessions/revoke");
        revoked.then().statusCode(200).body("data.ended", equalTo(1));
        Map<String, Object> row = assertAudited("sessions.revoke", revoked, rootId, Accounts.ROOT_EMAIL,
                "user:" + user.id(), "success", ip);
        assertEquals(Map.of("ended", 1), row.get("details"));

        // an unknown user changes nothing, so nothing is recorded
        Response unknown = Accounts.as(rootToken).header("X-Forwarded-For", ip)
                .post("/api/v1/admin/users/999999999/sessions/revoke");
        unknown.then().statusCode(404).body("error.code", equalTo("NOT_FOUND"));
        assertNotAudited("sessions.revoke", unknown);
    }

    @Test
    void userCreationChangesAndPasswordSetupAreAuditedWithoutSecrets() {
        String ip = TestKeys.uniqueIp();
        String email = "audited-" + UUID.randomUUID() + "@example.com";

        Response created = Accounts.as(rootToken).header("X-Forwarded-For", ip).contentType(ContentType.JSON)
                .body(Map.of("email", email, "role", "user", "tier", "pro")).post("/api/v1/admin/users");
        created.then().statusCode(201);
        long id = created.jsonPath().getLong("data.user.id");
        String token = created.jsonPath().getString("data.setPasswordToken");
        Map<String, Object> row = assertAudited("user.create", created, rootId, Accounts.ROOT_EMAIL, "user:" + id,
                "success", ip);
        assertEquals(Map.of("email", email, "role", "user", "tier", "pro", "invited", true), row.get("details"));

        Response changed = Accounts.as(rootToken).header("X-Forwarded-For", ip).contentType(ContentType.JSON)
                .body(Map.of("tier", "enterprise", "role", "user")).patch("/api/v1/admin/users/" + id);
        changed.then().statusCode(200);
        row = assertAudited("user.update", changed, rootId, Accounts.ROOT_EMAIL, "user:" + id, "success", ip);
        assertEquals(Map.of("tier", "enterprise"), row.get("details"), "only what changed");

        // Changing nothing is not recorded.
        Response same = Accounts.as(rootToken).header("X-Forwarded-For", ip).contentType(ContentType.JSON)
                .body(Map.of("tier", "enterprise")).patch("/api/v1/admin/users/" + id);
        same.then().statusCode(200);
        assertNotAudited("user.update", same);

        String password = "audited-password-" + UUID.randomUUID();
        Response set = given().header("X-Forwarded-For", ip).contentType(ContentType.JSON)
                .body(Map.of("token", token, "password", password)).post("/api/v1/auth/password");
        set.then().statusCode(200);
        assertAudited("auth.invitation", set, id, email, null, "success", ip);

        String audit = auditBody(Map.of("limit", 200));
        assertThat(audit, not(containsString(token)));
        assertThat(audit, not(containsString(password)));
    }

    @Test
    void breakerResetAndCacheClearAreAudited() {
        String ip = TestKeys.uniqueIp();

        Response reset = Accounts.as(rootToken).header("X-Forwarded-For", ip)
                .post("/api/v1/admin/circuit-breakers/external-downstream/reset");
        reset.then().statusCode(200);
        assertAudited("breaker.reset", reset, rootId, Accounts.ROOT_EMAIL, "breaker:external-downstream", "success",
                ip);

        Response cleared = Accounts.as(rootToken).header("X-Forwarded-For", ip).post("/api/v1/admin/cache/clear");
        cleared.then().statusCode(200);
        assertAudited("cache.clear", cleared, rootId, Accounts.ROOT_EMAIL, "cache:resources", "success", ip);
    }

    @Test
    void auditIsKeysetPagedNewestFirst() {
        User admin = Accounts.create(pool, "admin");
        User owner = Accounts.create(pool, "user");
        String token = Accounts.token(admin.email(), admin.password());
        List<String> targets = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            long id = Accounts.as(token).contentType(ContentType.JSON)
                    .body(Map.of("name", "paged " + i, "ownerId", owner.id(), "tier", "free", "scopes",
                            List.of("read")))
                    .post("/api/v1/admin/keys").then().statusCode(201).extract().jsonPath().getLong("data.details.id");
            targets.add(0, "key:" + id);
        }

        Response all = audit(Map.of("actorId", admin.id(), "limit", 200));
        List<Long> everything = all.jsonPath().getList("data.id", Long.class);
        assertEquals(6, everything.size(), "one login and five key creations");
        assertEquals(targets, all.jsonPath().getList("data.target", String.class).subList(0, 5), "newest first");
        assertEquals("auth.login", all.jsonPath().getString("data[5].action"));

        List<Long> paged = new ArrayList<>();
        List<Instant> times = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Response page = audit(cursor == null ? Map.of("actorId", admin.id(), "limit", 2)
                    : Map.of("actorId", admin.id(), "limit", 2, "cursor", cursor));
            paged.addAll(page.jsonPath().getList("data.id", Long.class));
            page.jsonPath().getList("data.occurredAt", String.class).forEach(t -> times.add(Instant.parse(t)));
            cursor = page.jsonPath().getString("meta.pagination.nextCursor");
            assertEquals(cursor != null, page.jsonPath().getBoolean("meta.pagination.hasMore"));
            if (pages == 0) {
                // A newer entry by the same admin arrives meanwhile: later pages are not shifted by it.
                Accounts.as(token).post("/api/v1/admin/cache/clear").then().statusCode(200);
            }
            pages++;
        } while (cursor != null && pages < 10);

        assertEquals(everything, paged);
        assertEquals(3, pages);
        assertEquals(paged.size(), new HashSet<>(paged).size());
        for (int i = 1; i < paged.size(); i++) {
            int byTime = times.get(i - 1).compareTo(times.get(i));
            assertTrue(byTime > 0 || (byTime == 0 && paged.get(i - 1) > paged.get(i)), "descending at " + i);
        }
        assertEquals("cache.clear", audit(Map.of("actorId", admin.id(), "limit", 1)).jsonPath()
                .getString("data[0].action"));
    }

    @Test
    void auditNeverShowsPasswordsOrTheirHashes() {
        User user = Accounts.create(pool, "user");
        User admin = Accounts.create(pool, "admin");
        String ip = TestKeys.uniqueIp();
        String wrongPassword = "wrong-" + UUID.randomUUID();
        login("/api/v1/auth/login", user.email(), user.password(), ip).then().statusCode(200);
        login("/api/v1/auth/login", user.email(), wrongPassword, ip).then().statusCode(401);
        login("/api/v1/admin/login", admin.email(), admin.password(), ip).then().statusCode(200);
        login("/api/v1/admin/login", admin.email(), wrongPassword, ip).then().statusCode(401);

        String body = auditBody(Map.of("limit", 200));
        assertThat(body, containsString(user.email()));
        for (String secret : List.of(user.password(), admin.password(), wrongPassword, hashOf(user), hashOf(admin),
                "$2a$", "$2b$", "$2y$")) {
            assertThat(body, not(containsString(secret)));
        }
        assertThat(body.toLowerCase(), not(containsString("password")));

        // Only admins read it.
        String userToken = Accounts.token(user.email(), user.password());
        Accounts.as(userToken).get(AUDIT).then().statusCode(403).body("error.code", equalTo("FORBIDDEN"));
        given().get(AUDIT).then().statusCode(401).body("error.code", equalTo("AUTH_REQUIRED"));
    }

    private static Response login(String path, String email, String password, String ip) {
        return given().header("X-Forwarded-For", ip).contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", password)).post(path);
    }

    /**
     * The one entry of {@code action} written by the request that got {@code response} (waited for: failed logins
     * are written asynchronously), checked field by field.
     */
    private Map<String, Object> assertAudited(String action, Response response, Long actorId, String actorEmail,
            String target, String outcome, String clientIp) {
        String requestId = response.header("X-Request-ID");
        assertThat(requestId, not(emptyOrNullString()));
        Instant deadline = Instant.now().plusSeconds(15);
        List<Map<String, Object>> rows = entriesOf(action, requestId);
        while (rows.isEmpty() && Instant.now().isBefore(deadline)) {
            rows = entriesOf(action, requestId);
        }
        assertThat(action + " for request " + requestId, rows, hasSize(1));
        Map<String, Object> row = rows.get(0);
        assertEquals(action, row.get("action"));
        assertEquals(actorId, row.get("actorId") == null ? null : ((Number) row.get("actorId")).longValue());
        assertEquals(actorEmail, row.get("actorEmail"));
        assertEquals(target, row.get("target"));
        assertEquals(outcome, row.get("outcome"));
        assertEquals(clientIp, row.get("clientIp"));
        assertEquals(1, row.get("attempts"));
        // Failed logins are recorded per minute bucket (occurredAt is the bucket's start), so up to a minute old
        // plus the wait above.
        assertTrue(Duration.between(Instant.parse((String) row.get("occurredAt")), Instant.now()).abs()
                .compareTo(Duration.ofMinutes(2)) < 0, "occurredAt " + row.get("occurredAt"));
        return row;
    }

    private void assertNotAudited(String action, Response response) {
        String requestId = response.header("X-Request-ID");
        assertThat(requestId, not(emptyOrNullString()));
        assertThat(entriesOf(action, requestId), hasSize(0));
    }

    private List<Map<String, Object>> entriesOf(String action, String requestId) {
        List<Map<String, Object>> rows = audit(Map.of("action", action, "limit", 200)).jsonPath().getList("data");
        return rows.stream().filter(r -> requestId.equals(r.get("requestId"))).toList();
    }

    private Response audit(Map<String, ?> params) {
        Response response = Accounts.as(rootToken).queryParams(params).get(AUDIT);
        response.then().log().ifValidationFails().statusCode(200);
        return response;
    }

    private String auditBody(Map<String, ?> params) {
        return audit(params).asString();
    }

    private String hashOf(User user) {
        return pool.preparedQuery("select password_hash from users where id = $1").execute(Tuple.of(user.id()))
                .await().atMost(Duration.ofSeconds(15)).iterator().next().getString(0);
    }
}
